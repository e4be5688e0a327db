"""The asyncio Redis client the tracker and lock stores share.

redis-py 4.6's asyncio pool checks a pooled connection before use by reading from it; when Redis
has gone away (restarted, killed) that read returns nothing at end of file, which the check takes
for "no data waiting", so the first command after a Redis restart failed with "Connection closed
by server". The synchronous client reopens such a connection; so does this one.
"""

from __future__ import annotations

from typing import Optional

import redis.asyncio
from redis.exceptions import ConnectionError as RedisConnectionError


class _ReopensClosedConnections:
    async def can_read_destructive(self) -> bool:
        reader = getattr(self, "_reader", None)
        if reader is not None and reader.at_eof():
            raise RedisConnectionError("Connection closed by server.")  # the pool reconnects
        return await super().can_read_destructive()


class Connection(_ReopensClosedConnections, redis.asyncio.Connection):
    pass


class SSLConnection(_ReopensClosedConnections, redis.asyncio.SSLConnection):
    pass


def async_redis(host: str, port: int, db: int = 0, username: Optional[str] = None,
                password: Optional[str] = None, socket_timeout: Optional[float] = None,
                decode_responses: bool = False, use_ssl: bool = False,
                ssl_keyfile: Optional[str] = None, ssl_certfile: Optional[str] = None,
                ssl_ca_certs: Optional[str] = None) -> redis.asyncio.Redis:
    options = dict(host=host, port=port, db=db, username=username, password=password,
                   socket_timeout=socket_timeout, decode_responses=decode_responses)
    if use_ssl:
        pool = redis.asyncio.ConnectionPool(
            connection_class=SSLConnection, ssl_keyfile=ssl_keyfile, ssl_certfile=ssl_certfile,
            ssl_ca_certs=ssl_ca_certs, **options)
    else:
        pool = redis.asyncio.ConnectionPool(connection_class=Connection, **options)
    return redis.asyncio.Redis(connection_pool=pool)

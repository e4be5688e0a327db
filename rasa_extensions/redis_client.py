"""The asyncio Redis client the tracker and lock stores share, built from one Redis URL.

A whole URL (`redis://user:password@host:port/db`, `rediss://…` for TLS, options such as
`?ssl_ca_certs=/path/ca.pem` in its query) reaches redis-py unchanged, so an ACL user, a password
and TLS reach every store exactly as written in REDIS_URL. Rasa's separate settings (host, port,
db, username, password, use_ssl, ssl_*) are turned into the same kind of URL.

redis-py 4.6's asyncio pool checks a pooled connection before use by reading from it; when Redis
has gone away (restarted, killed) that read returns nothing at end of file, which the check takes
for "no data waiting", so the first command after a Redis restart failed with "Connection closed
by server". The synchronous client reopens such a connection; so does this one.
"""

from __future__ import annotations

from typing import Any, Optional
from urllib.parse import quote, urlencode

import redis.asyncio
from redis.asyncio.connection import parse_url
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


def is_redis_url(text: Optional[str]) -> bool:
    return bool(text) and "://" in text


def redis_url(host: str = "localhost", port: int | str = 6379, db: int | str = 0,
              username: Optional[str] = None, password: Optional[str] = None,
              use_ssl: bool = False, ssl_keyfile: Optional[str] = None,
              ssl_certfile: Optional[str] = None, ssl_ca_certs: Optional[str] = None) -> str:
    """Rasa's separate Redis settings as one URL; a `host` that already is a URL is kept."""
    if is_redis_url(host):
        return host
    credentials = ""
    if username or password:
        credentials = f"{quote(username or '', safe='')}:{quote(password or '', safe='')}@"
    tls = {name: value for name, value in (("ssl_keyfile", ssl_keyfile),
           ("ssl_certfile", ssl_certfile), ("ssl_ca_certs", ssl_ca_certs)) if value}
    query = f"?{urlencode(tls)}" if use_ssl and tls else ""
    scheme = "rediss" if use_ssl else "redis"
    return f"{scheme}://{credentials}{host or 'localhost'}:{int(port or 6379)}/{int(db or 0)}{query}"


def async_redis_from_url(url: str, **defaults: Any) -> redis.asyncio.Redis:
    """An asyncio client for `url`; `defaults` (e.g. socket_timeout) yield to the URL's query."""
    options = {**defaults, **parse_url(url)}
    secure = options.get("connection_class") is redis.asyncio.SSLConnection
    if options.get("connection_class") in (None, redis.asyncio.SSLConnection):
        options["connection_class"] = SSLConnection if secure else Connection
    return redis.asyncio.Redis(connection_pool=redis.asyncio.ConnectionPool(**options))

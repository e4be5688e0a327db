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

from urllib.parse import quote, urlencode

import redis
import redis.asyncio
from redis.asyncio.connection import parse_url
from redis.exceptions import ConnectionError as RedisConnectionError

from rasa_project.settings import REDIS_DEFAULT_PORT


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


def redis_url(host: str = "localhost", port: int | str = REDIS_DEFAULT_PORT, db: int | str = 0,
              username: str | None = None, password: str | None = None,
              use_ssl: bool = False, ssl_keyfile: str | None = None,
              ssl_certfile: str | None = None, ssl_ca_certs: str | None = None) -> str:
    """Rasa's separate Redis settings as one URL; a `host` that already is a URL is kept."""
    if "://" in (host or ""):
        return host
    credentials = ""
    if username or password:
        credentials = f"{quote(username or '', safe='')}:{quote(password or '', safe='')}@"
    tls = {name: value for name, value in (("ssl_keyfile", ssl_keyfile),
           ("ssl_certfile", ssl_certfile), ("ssl_ca_certs", ssl_ca_certs)) if value}
    query = f"?{urlencode(tls)}" if use_ssl and tls else ""
    scheme = "rediss" if use_ssl else "redis"
    address = f"{host or 'localhost'}:{int(port or REDIS_DEFAULT_PORT)}"
    return f"{scheme}://{credentials}{address}/{int(db or 0)}{query}"


def async_redis(host: str, port: int | str = REDIS_DEFAULT_PORT, db: int | str = 0,
                username: str | None = None, password: str | None = None,
                socket_timeout: float | None = None, decode_responses: bool = False,
                use_ssl: bool = False, ssl_keyfile: str | None = None,
                ssl_certfile: str | None = None,
                ssl_ca_certs: str | None = None) -> redis.asyncio.Redis:
    """An asyncio client for a Redis URL given as `host`, or for Rasa's separate settings;
    socket_timeout and decode_responses yield to the URL's query."""
    url = redis_url(host, port, db, username, password, use_ssl, ssl_keyfile, ssl_certfile,
                    ssl_ca_certs)
    options = {"socket_timeout": socket_timeout, "decode_responses": decode_responses,
               **parse_url(url)}
    if options.get("connection_class") is redis.asyncio.SSLConnection:  # rediss://
        options["connection_class"] = SSLConnection
    options.setdefault("connection_class", Connection)
    return redis.asyncio.Redis(connection_pool=redis.asyncio.ConnectionPool(**options))


def sync_redis(host: str, port: int | str = REDIS_DEFAULT_PORT, db: int | str = 0,
               username: str | None = None, password: str | None = None,
               use_ssl: bool = False, ssl_keyfile: str | None = None,
               ssl_certfile: str | None = None, ssl_ca_certs: str | None = None) -> redis.Redis:
    """redis-py's synchronous client for the same settings."""
    return redis.Redis.from_url(redis_url(host, port, db, username, password, use_ssl,
                                          ssl_keyfile, ssl_certfile, ssl_ca_certs))

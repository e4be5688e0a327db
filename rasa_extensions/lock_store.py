"""A Redis lock store for Rasa: one conversation's messages are handled one at a time, in order.

Rasa 3.6's `RedisLockStore` reads, changes and writes a JSON ticket list in seven separate Redis
calls per message (not atomic, so two Rasa workers can hand out the same ticket), and a waiting
message sleeps a whole second between looks. Here each step is one Lua script, atomic across
processes: take a ticket (and the lock, when nobody holds it), look again every 20 ms while
waiting, release. A message holds the lock at most `TICKET_LOCK_LIFETIME` seconds (Rasa's
setting, 60 by default); after that the next ticket is served, as in Rasa.
Redis is called through redis-py's asyncio client (redis_client.py), so a round trip does not hold
up the event loop.
Named in endpoints.yml, with the same connection settings as Rasa's Redis lock store, or a whole
Redis URL as `url` (REDIS_URL: ACL user, password, TLS).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import redis
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

from rasa_extensions.redis_client import async_redis
from rasa_project.settings import REDIS_DEFAULT_PORT

POLL_SECONDS = 0.02
SOCKET_TIMEOUT_SECONDS = 10

# One hash per conversation: `issued` (last ticket handed out), `serving` (the ticket that may
# run), `since` (when it became that ticket's turn, in ms) and `gone:<n>` for tickets whose
# message stopped waiting. The hash lives while tickets wait and is deleted when none does.
_ADVANCE = """
local function advance(key, from, now)
  local next = from + 1
  while redis.call('HDEL', key, 'gone:' .. next) == 1 do next = next + 1 end
  if next > tonumber(redis.call('HGET', key, 'issued')) then
    redis.call('DEL', key)
  else
    redis.call('HSET', key, 'serving', next, 'since', now)
  end
  return next
end
"""
_TAKE_TURN = _ADVANCE + """
local key, now, lifetime = KEYS[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local ticket = tonumber(ARGV[1])
if ticket == 0 then
  ticket = redis.call('HINCRBY', key, 'issued', 1)
  if ticket == 1 then redis.call('HSET', key, 'serving', 1, 'since', now) end
end
local serving = tonumber(redis.call('HGET', key, 'serving'))
if not serving then  -- everything expired while this ticket waited: start afresh with it
  redis.call('HSET', key, 'issued', ticket, 'serving', ticket, 'since', now)
  serving = ticket
elseif serving < ticket and now - tonumber(redis.call('HGET', key, 'since')) > lifetime then
  serving = advance(key, serving, now)  -- the ticket being served outlived its lifetime
end
redis.call('PEXPIRE', key, lifetime * 2)
if serving > ticket then return {ticket, -1} end  -- passed over: the state expired meanwhile
return {ticket, serving == ticket and 1 or 0}
"""
_RELEASE = _ADVANCE + """
local key, ticket, now = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])
local serving = tonumber(redis.call('HGET', key, 'serving'))
if serving == ticket then
  advance(key, ticket, now)
elseif serving and serving < ticket then
  redis.call('HSET', key, 'gone:' .. ticket, 1)  -- stopped waiting: skip it when its turn comes
end
return 1
"""


def _now_ms() -> int:
    return int(time.time() * 1000)


class AtomicRedisLockStore(LockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        options = endpoint_config.kwargs
        self.red = async_redis(
            host=endpoint_config.url or "localhost",
            port=int(options.get("port") or REDIS_DEFAULT_PORT),
            db=int(options.get("db") or 0), username=options.get("username") or None,
            password=options.get("password") or None, use_ssl=bool(options.get("use_ssl")),
            ssl_keyfile=options.get("ssl_keyfile"), ssl_certfile=options.get("ssl_certfile"),
            ssl_ca_certs=options.get("ssl_ca_certs"),
            socket_timeout=float(options.get("socket_timeout") or SOCKET_TIMEOUT_SECONDS))
        self.key_prefix = f"{options.get('key_prefix') or 'rasa'}:conversation_lock:"
        self._take_turn = self.red.register_script(_TAKE_TURN)
        self._release = self.red.register_script(_RELEASE)

    def _key(self, conversation_id: str) -> str:
        return self.key_prefix + conversation_id

    async def take_turn(self, conversation_id: str, ticket: int,
                        lifetime_s: float) -> tuple[int, bool]:
        """A new ticket when `ticket` is 0; whether it may run now."""
        ticket, state = await self._take_turn(keys=[self._key(conversation_id)],
                                        args=[ticket, _now_ms(), int(lifetime_s * 1000)])
        if state < 0:
            raise LockError(f"Conversation '{conversation_id}': ticket {ticket} was passed over.")
        return int(ticket), state == 1

    async def release(self, conversation_id: str, ticket: int) -> None:
        await self._release(keys=[self._key(conversation_id)], args=[ticket, _now_ms()])

    @asynccontextmanager
    async def lock(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = POLL_SECONDS) -> AsyncIterator[int]:
        taking = asyncio.ensure_future(self.take_turn(conversation_id, 0, lock_lifetime))
        try:
            ticket, acquired = await asyncio.shield(taking)
        except redis.RedisError as error:
            raise LockError(f"Could not take a ticket for conversation '{conversation_id}'.") \
                from error
        except asyncio.CancelledError:
            # Stopped while Redis was issuing the ticket: give it back, or every later message
            # of the conversation would wait a whole lifetime behind it.
            ticket, _ = await taking
            await self.release(conversation_id, ticket)
            raise
        try:
            while not acquired:
                await asyncio.sleep(min(wait_time_in_seconds, POLL_SECONDS))
                ticket, acquired = await self.take_turn(conversation_id, ticket, lock_lifetime)
            yield ticket
        finally:
            await self.release(conversation_id, ticket)

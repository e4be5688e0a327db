"""InfoPass bookings in Redis. Booking, cancelling and rescheduling are single Lua scripts, so two
customers who pick the last place in a slot at the same instant never both get it.

Keys (under `uscis:infopass:`): `slot:<office>:<start UTC>` (places taken), `booking:<code>` (a
hash), `customer:<hash of name and identity>:<office>` (the customer's booking at that office),
`fail:<code>` (failed identity checks). Codes are validated before any key is built from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

import redis

from rasa_project import lockout
from rasa_project.codes import code_pattern, random_code
from rasa_project.identity import hash_identity, identity_matches, keyed_index
from rasa_project.infopass.offices import FieldOffice

PREFIX = "uscis:infopass:"
CODE = code_pattern("IP", 8)

BOOK = """
local existing = redis.call('GET', KEYS[3])
if existing then
  local old = 'uscis:infopass:booking:' .. existing
  if redis.call('HGET', old, 'status') == 'booked'
     and tonumber(redis.call('HGET', old, 'starts_epoch')) > tonumber(ARGV[2]) then
    return {'has_booking', ''}
  end
end
if tonumber(redis.call('GET', KEYS[1]) or '0') >= tonumber(ARGV[1]) then
  return {'full', ''}
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  return {'code_taken', ''}
end
redis.call('INCR', KEYS[1])
redis.call('HSET', KEYS[2], unpack(ARGV, 4))
redis.call('SET', KEYS[3], ARGV[3])
return {'booked', ARGV[3]}
"""

CANCEL = """
if redis.call('HGET', KEYS[1], 'status') ~= 'booked' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'cancelled', 'updated_at', ARGV[1])
local taken = tonumber(redis.call('GET', KEYS[2]) or '0')
if taken > 0 then redis.call('DECR', KEYS[2]) end
local index = redis.call('HGET', KEYS[1], 'customer_index')
if index and redis.call('GET', index) == ARGV[2] then redis.call('DEL', index) end
return 1
"""

MOVE = """
if redis.call('HGET', KEYS[1], 'status') ~= 'booked' then return 'gone' end
if KEYS[2] == KEYS[3] then return 'moved' end
if tonumber(redis.call('GET', KEYS[3]) or '0') >= tonumber(ARGV[1]) then return 'full' end
redis.call('INCR', KEYS[3])
local taken = tonumber(redis.call('GET', KEYS[2]) or '0')
if taken > 0 then redis.call('DECR', KEYS[2]) end
redis.call('HSET', KEYS[1], 'starts_at', ARGV[2], 'starts_epoch', ARGV[3], 'updated_at', ARGV[4])
return 'moved'
"""


@dataclass(frozen=True)
class Booking:
    code: str
    office_key: str
    starts_at: datetime
    purpose: str
    status: str


@dataclass(frozen=True)
class BookingResult:
    outcome: str  # "booked", "full" or "has_booking"
    code: str = ""  # only for "booked": the code of an existing booking is never handed out


def normalise_code(text: str) -> str | None:
    if not isinstance(text, str) or len(text) > 20:
        return None
    candidate = re.sub(r"[\s\-_.#]+", "", text).upper()
    return candidate if CODE.match(candidate) else None


def customer_key(name: str, identity: str) -> str:
    # Keyed hash, so the index names nobody, even to someone holding Redis; name and identity
    # together tell customers apart.
    return keyed_index(" ".join(name.lower().split()), identity)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class BookingStore:
    def __init__(self, client: redis.Redis, clock=utc_now) -> None:
        self.redis = client
        self.clock = clock
        self._book = client.register_script(BOOK)
        self._cancel = client.register_script(CANCEL)
        self._move = client.register_script(MOVE)

    @classmethod
    def from_url(cls, url: str, **kwargs) -> BookingStore:
        return cls(redis.Redis.from_url(url, decode_responses=True, socket_timeout=5,
                                        socket_connect_timeout=5), **kwargs)

    @staticmethod
    def slot_key(office: FieldOffice, start: datetime) -> str:
        return f"{PREFIX}slot:{office.key}:{start.astimezone(timezone.utc):%Y%m%dT%H%M}"

    def taken(self, office: FieldOffice, start: datetime) -> int:
        return int(self.redis.get(self.slot_key(office, start)) or 0)

    def book(self, office: FieldOffice, start: datetime, purpose: str, name: str,
             identity: str) -> BookingResult:
        now = self.clock()
        for _ in range(5):  # a new random code; retried only if it already exists
            code = random_code("IP", 8)
            index = f"{PREFIX}customer:{customer_key(name, identity)}:{office.key}"
            fields = {"code": code, "office_key": office.key, "starts_at": start.isoformat(),
                      "starts_epoch": str(int(start.timestamp())), "purpose": purpose,
                      "identity_hash": hash_identity(identity), "status": "booked",
                      "created_at": now.isoformat(), "updated_at": now.isoformat(),
                      "customer_index": index}
            flat = [item for pair in fields.items() for item in pair]
            outcome, value = self._book(
                keys=[self.slot_key(office, start), f"{PREFIX}booking:{code}", index],
                args=[office.places_per_slot, int(now.timestamp()), code, *flat])
            if outcome != "code_taken":
                return BookingResult(outcome, value)
        raise RuntimeError("could not draw a free confirmation code")

    def get(self, code: str) -> Booking | None:
        code = normalise_code(code)
        fields = self.redis.hgetall(f"{PREFIX}booking:{code}") if code else {}
        if not fields:
            return None
        return Booking(fields["code"], fields["office_key"],
                       datetime.fromisoformat(fields["starts_at"]), fields["purpose"],
                       fields["status"])

    def verify(self, code_text: str, identity: str | None,
               requester: lockout.Requester | None = None) -> tuple[Booking | None, bool]:
        """(booking, locked): the booking only when the identity answer matches. Failures count
        per code and per requester; a wrong answer and an unknown code cost one hash each."""
        code = normalise_code(code_text)
        if code is None:
            return None, False
        fail_key = f"{PREFIX}fail:{code}"
        counters = lockout.counters(fail_key, requester)
        locks_if_wrong = lockout.take_attempt(self.redis, counters)
        if locks_if_wrong is None:
            return None, True
        stored = self.redis.hget(f"{PREFIX}booking:{code}", "identity_hash")
        if identity_matches(identity, stored or lockout.decoy_hash()) and stored:
            lockout.succeeded(self.redis, counters)
            return self.get(code), False
        return None, locks_if_wrong

    def cancel(self, booking: Booking, office: FieldOffice) -> bool:
        return bool(self._cancel(
            keys=[f"{PREFIX}booking:{booking.code}", self.slot_key(office, booking.starts_at)],
            args=[self.clock().isoformat(), booking.code]))

    def reschedule(self, code_text: str, identity: str | None, office: FieldOffice,
                   start: datetime, requester: lockout.Requester | None = None) -> str:
        """Moves the booking only if code and identity answer match together now, at the moment
        of the change, and the booking is at `office`: 'moved', 'full', 'gone' or
        'not_verified' (counted as a failed check). Whatever the form's slots say, a customer can
        only move the booking their own answer opens."""
        booking, _ = self.verify(code_text, identity, requester)
        if booking is None or booking.office_key != office.key:
            return "not_verified"
        return self.move(booking, office, start)

    def move(self, booking: Booking, office: FieldOffice, start: datetime) -> str:
        """'moved', 'full' (the new slot filled up) or 'gone' (cancelled meanwhile). Only for a
        booking `verify` just returned; customers go through `reschedule`."""
        return self._move(
            keys=[f"{PREFIX}booking:{booking.code}", self.slot_key(office, booking.starts_at),
                  self.slot_key(office, start)],
            args=[office.places_per_slot, start.isoformat(), int(start.timestamp()),
                  self.clock().isoformat()])

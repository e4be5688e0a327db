"""Service Requests in Redis, like the chapter's Service Request Management Tool.

References are `SR` and 9 random characters (45 bits, rasa_project/codes.py): nobody can walk them
from a known one. Those made before (`SR` + 8 digits, from a counter) are still found.

Keys (all under `uscis:sr:`): `req:<ref>` (a hash per request), `office:<key>` and `status:<status>`
(sets, the indexes), `audit:<ref>` (a list of JSON entries: who changed what, when), `fail:<ref>`
(failed identity checks, expiring). References are validated before any key is built from them, so
customer text never reaches Redis as a key or a pattern.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone

import redis

from rasa_project import lockout
from rasa_project.codes import code_pattern, random_code
from rasa_project.identity import hash_identity, identity_matches

PREFIX = "uscis:sr:"
REFERENCE_LENGTH = 9  # characters after "SR"
REFERENCE = code_pattern("SR", REFERENCE_LENGTH)
LEGACY_REFERENCE = re.compile(r"^SR\d{8}$")  # sequential, made before; still looked up
STATUSES = ("received", "in_progress", "responded", "relocated", "closed")
KINDS = ("case_inquiry", "expedite")
MAX_FAILED_CHECKS = lockout.MAX_FAILED_CHECKS
LOCK_SECONDS = lockout.LOCK_SECONDS


class UnknownReference(LookupError):
    pass


@dataclass(frozen=True)
class NewServiceRequest:
    kind: str
    office_key: str
    problem: str
    customer_name: str
    identity: str  # normalised identity answer ("zip:12345" / "dob:1990-05-01"); stored hashed
    contact: str
    receipt_number: str = ""
    form_type: str = ""
    expedite_criterion: str = ""


@dataclass(frozen=True)
class ServiceRequest:
    reference: str
    kind: str
    office_key: str
    status: str
    problem: str
    customer_name: str
    contact: str
    receipt_number: str
    form_type: str
    expedite_criterion: str
    response_note: str
    created_at: str
    updated_at: str
    identity_hash: str = field(repr=False, default="")

    @property
    def created_on(self) -> date:
        return datetime.fromisoformat(self.created_at).date()


@dataclass(frozen=True)
class LookupResult:
    request: ServiceRequest | None  # only when the identity matched
    locked: bool = False


def normalise_reference(text: str) -> str | None:
    """'sr-7k3m 9q2xa' -> 'SR7K3M9Q2XA'; None for anything that is not a reference number."""
    if not isinstance(text, str) or len(text) > 30:
        return None
    candidate = re.sub(r"[\s\-_.#]+", "", text).upper()
    return candidate if REFERENCE.match(candidate) or LEGACY_REFERENCE.match(candidate) else None


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class ServiceRequestStore:
    def __init__(self, client: redis.Redis, clock: Callable[[], datetime] = utc_now) -> None:
        self.redis = client
        self.clock = clock

    @classmethod
    def from_url(cls, url: str, **kwargs) -> ServiceRequestStore:
        client = redis.Redis.from_url(url, decode_responses=True, socket_timeout=5,
                                      socket_connect_timeout=5)
        return cls(client, **kwargs)

    # -- customers -------------------------------------------------------------------------------
    def create(self, new: NewServiceRequest, who: str = "customer (chat)") -> ServiceRequest:
        if new.kind not in KINDS:
            raise ValueError(f"unknown kind {new.kind!r}")
        now = self.clock()
        identity_hash = hash_identity(new.identity)
        for _ in range(5):  # a new random reference; drawn again only if it exists already
            reference = random_code("SR", REFERENCE_LENGTH)
            fields = {
                **{k: v for k, v in asdict(new).items() if k != "identity"},
                "reference": reference, "status": "received", "response_note": "",
                "created_at": now.isoformat(), "updated_at": now.isoformat(),
                "identity_hash": identity_hash,
            }
            if self._store_new(reference, fields, who, now):
                break
        else:
            raise RuntimeError("could not draw a free reference")
        return self._from_fields(fields)

    def lookup(self, reference_text: str, identity: str | None,
               requester: lockout.Requester | None = None) -> LookupResult:
        """A request for a customer: only with the identity answer given at creation.

        Wrong answers, unknown references and malformed text look the same to the caller, and a
        wrong answer costs what an unknown reference costs (one read, one hash, one count).
        Failures count per reference and per requester (conversation, client address); after
        too many, checks are locked for LOCK_SECONDS.
        """
        reference = normalise_reference(reference_text)
        if reference is None:
            return LookupResult(None)
        fail_key = f"{PREFIX}fail:{reference}"
        counters = lockout.counters(fail_key, requester)
        locks_if_wrong = lockout.take_attempt(self.redis, counters)
        if locks_if_wrong is None:
            return LookupResult(None, locked=True)
        request = self.get(reference)
        stored = request.identity_hash if request else lockout.decoy_hash()
        if identity_matches(identity, stored) and request is not None:
            lockout.succeeded(self.redis, counters)
            return LookupResult(request)
        return LookupResult(None, locked=locks_if_wrong)

    def _store_new(self, reference: str, fields: dict, who: str, now: datetime) -> bool:
        key = self._key(reference)
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.watch(key)
            if pipe.exists(key):
                return False
            pipe.multi()
            pipe.hset(key, mapping=fields)
            pipe.sadd(f"{PREFIX}office:{fields['office_key']}", reference)
            pipe.sadd(f"{PREFIX}status:received", reference)
            pipe.rpush(f"{PREFIX}audit:{reference}",
                       self._audit(now, who, "created", kind=fields["kind"],
                                   office=fields["office_key"]))
            pipe.execute()
        return True

    # -- staff -----------------------------------------------------------------------------------
    def get(self, reference: str) -> ServiceRequest | None:
        reference = normalise_reference(reference)
        if reference is None:
            return None
        fields = self.redis.hgetall(self._key(reference))
        return self._from_fields(fields) if fields else None

    def list(self, office: str | None = None, status: str | None = None) -> list[ServiceRequest]:
        sets = [f"{PREFIX}office:{office}"] if office else []
        sets += [f"{PREFIX}status:{status}"] if status else []
        if sets:
            references = self.redis.sinter(sets)
        else:
            references = self.redis.sunion([f"{PREFIX}status:{s}" for s in STATUSES])
        found = [self.get(reference) for reference in sorted(references)]
        return [request for request in found if request is not None]

    def update(self, reference: str, who: str, status: str | None = None,
               note: str | None = None, office: str | None = None) -> ServiceRequest:
        current = self.get(reference)
        if current is None:
            raise UnknownReference(reference)
        if status is not None and status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}")
        now = self.clock()
        key = self._key(current.reference)
        changes: dict[str, str] = {"updated_at": now.isoformat()}
        audit_key = f"{PREFIX}audit:{current.reference}"
        with self.redis.pipeline(transaction=True) as pipe:

            def move(index: str, field: str, old: str, new: str, action: str) -> None:
                """Moves the request between two index sets and records who did it."""
                changes[field] = new
                pipe.smove(f"{PREFIX}{index}:{old}", f"{PREFIX}{index}:{new}", current.reference)
                pipe.rpush(audit_key, self._audit(now, who, action, **{"from": old, "to": new}))

            if office and office != current.office_key:
                move("office", "office_key", current.office_key, office, "relocated")
                status = status or "relocated"
            if status and status != current.status:
                move("status", "status", current.status, status, "status")
            if note is not None:
                changes["response_note"] = note
                pipe.rpush(audit_key, self._audit(now, who, "note"))
            pipe.hset(key, mapping=changes)
            pipe.execute()
        return self.get(current.reference)

    def audit(self, reference: str) -> list[dict]:
        reference = normalise_reference(reference)
        if reference is None:
            return []
        return [json.loads(item) for item in self.redis.lrange(f"{PREFIX}audit:{reference}", 0, -1)]

    # -- helpers ---------------------------------------------------------------------------------
    @staticmethod
    def _key(reference: str) -> str:
        return f"{PREFIX}req:{reference}"

    @staticmethod
    def _audit(now: datetime, who: str, action: str, **details: str) -> str:
        return json.dumps({"at": now.isoformat(), "who": who, "action": action, **details})

    @staticmethod
    def _from_fields(fields: dict) -> ServiceRequest:
        names = ServiceRequest.__dataclass_fields__
        return ServiceRequest(**{name: fields.get(name, "") for name in names})

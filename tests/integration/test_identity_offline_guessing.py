"""Issue 12, item 5: someone holding a copy of Redis, but not ASSISTANT_SECRET_KEY, cannot confirm
a guessed ZIP code or date of birth, neither from a Service Request's or a booking's identity hash
nor from a booking's customer index key."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, datetime, timedelta, timezone

import pytest
import redis

from rasa_project.identity import identity_matches
from rasa_project.infopass.bookings import BookingStore, customer_key
from rasa_project.infopass.offices import default_offices
from rasa_project.infopass.slots import free_slots
from rasa_project.service_requests.store import NewServiceRequest, ServiceRequestStore

NOW = datetime(2026, 11, 30, 14, 0, tzinfo=timezone.utc)
NAME = "Odalys Ferreira"
ZIP = "zip:60614"
BIRTH = "dob:1979-08-23"
# What an attacker tries: the real answers hidden among their neighbours.
GUESSES = ([f"zip:{n:05d}" for n in range(60590, 60640)]
           + [f"dob:{date(1979, 8, 1) + timedelta(days=d)}" for d in range(40)])


def redis_contents(client: redis.Redis) -> dict[str, object]:
    """Everything an attacker with the database (or its append-only file) can read."""
    dump: dict[str, object] = {}
    for key in client.scan_iter("*"):
        kind = client.type(key)
        dump[key] = client.hgetall(key) if kind == "hash" else (
            client.get(key) if kind == "string" else kind)
    return dump


def unkeyed_candidates(stored: str, guess: str) -> list[str]:
    """Keyless hashes of a guess, for a stored `...$<salt hex>$<digest>` or `salt$digest`."""
    parts = stored.split("$")
    salt = bytes.fromhex(parts[-2])
    value = guess.encode()
    return [
        hashlib.pbkdf2_hmac("sha256", value, salt, 50_000).hex(),  # the scheme this replaced
        hashlib.sha256(salt + value).hexdigest(),
        hashlib.sha256(value + salt).hexdigest(),
        hmac.new(b"", salt + value, hashlib.sha256).hexdigest(),
    ]


@pytest.fixture()
def stored(client) -> dict[str, object]:
    ServiceRequestStore(client, clock=lambda: NOW).create(NewServiceRequest(
        kind="case_inquiry", office_key="vermont", problem="card never came",
        customer_name=NAME, identity=BIRTH, contact="of@example.com"))
    office = default_offices()["chicago"]
    bookings = BookingStore(client, clock=lambda: NOW)
    slot = free_slots(office, NOW, lambda start: bookings.taken(office, start), limit=1)[0]
    assert bookings.book(office, slot, "case status", NAME, ZIP).outcome == "booked"
    return redis_contents(client)


def identity_hashes(dump: dict[str, object]) -> list[str]:
    return [fields["identity_hash"] for fields in dump.values()
            if isinstance(fields, dict) and "identity_hash" in fields]


def test_identity_hashes_in_redis_confirm_no_guess_without_the_key(stored, monkeypatch):
    hashes = identity_hashes(stored)
    assert len(hashes) == 2  # the Service Request's and the booking's
    for value in hashes:
        assert ZIP not in value and BIRTH not in value and "1979" not in value
        digest = value.split("$")[-1]
        for guess in GUESSES:
            assert digest not in unkeyed_candidates(value, guess), guess
    # The project's own code under any other key confirms nothing either...
    real_key = __import__("os").environ["ASSISTANT_SECRET_KEY"]
    monkeypatch.setenv("ASSISTANT_SECRET_KEY", secrets.token_hex(32))
    assert not [g for g in GUESSES for value in hashes if identity_matches(g, value)]
    # ...while with the real key exactly the real answers match (the check itself works).
    monkeypatch.setenv("ASSISTANT_SECRET_KEY", real_key)
    assert sorted({g for g in GUESSES for value in hashes if identity_matches(g, value)}) == \
        sorted([BIRTH, ZIP])


def test_the_booking_customer_index_names_nobody_without_the_key(stored, monkeypatch):
    indexes = [key.split(":")[-2] for key in stored if ":customer:" in key]
    assert len(indexes) == 1
    name = " ".join(NAME.lower().split())
    unkeyed = {hashlib.sha256(f"{name}|{guess}".encode()).hexdigest()[:32] for guess in GUESSES}
    assert indexes[0] not in unkeyed  # the unsalted SHA-256 this replaced would be found here
    monkeypatch.setenv("ASSISTANT_SECRET_KEY", secrets.token_hex(32))
    assert indexes[0] not in {customer_key(NAME, guess) for guess in GUESSES}
    monkeypatch.undo()
    assert indexes[0] == customer_key(NAME, ZIP)


def test_nothing_verifies_without_a_master_secret(monkeypatch, stored):
    from rasa_project.privacy.keys import MissingSecret

    monkeypatch.delenv("ASSISTANT_SECRET_KEY")
    with pytest.raises(MissingSecret):
        identity_matches(ZIP, identity_hashes(stored)[0])

"""Identity checks lock a Service Request reference or an InfoPass code after MAX_FAILED_CHECKS
wrong answers, against a real Redis: reached one by one or all at once, the locked message the
customer reads, and a right answer that clears the count."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest
import redis
from rasa_sdk import Tracker

import rasa_project.infopass.bookings as bookings_module
import rasa_project.service_requests.store as requests_module
from actions.infopass import ActionCancelAppointment
from actions.service_requests import ActionCheckServiceRequest
from rasa_project.infopass.bookings import BookingStore
from rasa_project.infopass.offices import default_offices
from rasa_project.infopass.slots import free_slots
from rasa_project.lockout import LOCK_SECONDS, MAX_FAILED_CHECKS
from rasa_project.service_requests.store import NewServiceRequest, ServiceRequestStore
from tests.unit.rendering import render, run

NOW = datetime(2026, 11, 30, 14, 0, tzinfo=timezone.utc)  # Monday 8:00 in Chicago
RIGHT, WRONG = "zip:60601", "zip:11111"


class RequestCase:
    """A Service Request and how to check it."""
    module = requests_module

    def __init__(self, url: str) -> None:
        self.url = url
        self.key = ServiceRequestStore.from_url(url).create(NewServiceRequest(
            kind="case_inquiry", office_key="vermont", problem="card never arrived",
            customer_name="Maria Lopez", identity=RIGHT, contact="maria@example.com",
            receipt_number="EAC2190012345", form_type="I-485")).reference
        self.fail_key = f"uscis:sr:fail:{self.key}"

    def check(self, identity: str) -> tuple[bool, bool]:
        """(verified, locked), each call with its own Redis client as Rasa's workers would."""
        result = ServiceRequestStore.from_url(self.url).lookup(self.key, identity)
        return result.request is not None, result.locked


class BookingCase:
    """An InfoPass booking and how to check it."""
    module = bookings_module

    def __init__(self, url: str) -> None:
        self.url = url
        office = default_offices()["chicago"]
        store = BookingStore.from_url(url, clock=lambda: NOW)
        slot = free_slots(office, NOW, lambda start: store.taken(office, start), limit=1)[0]
        self.key = store.book(office, slot, "case question", "Ana Perez", RIGHT).code
        self.fail_key = f"uscis:infopass:fail:{self.key}"

    def check(self, identity: str) -> tuple[bool, bool]:
        booking, locked = BookingStore.from_url(self.url, clock=lambda: NOW).verify(
            self.key, identity)
        return booking is not None, locked


@pytest.fixture(params=[RequestCase, BookingCase], ids=["service request", "infopass"])
def case(request, redis_url):
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    case = request.param(redis_url)
    case.client = client
    return case


def test_the_lockout_is_reached_and_then_refuses_even_the_right_answer(case):
    for _ in range(MAX_FAILED_CHECKS - 1):
        assert case.check(WRONG) == (False, False)
    assert case.check(WRONG) == (False, True)  # the last allowed wrong answer locks
    assert case.check(RIGHT) == (False, True)
    assert 0 < case.client.ttl(case.fail_key) <= LOCK_SECONDS


def test_a_right_answer_clears_the_count(case):
    for _ in range(MAX_FAILED_CHECKS - 1):
        assert case.check(WRONG) == (False, False)
    assert case.check(RIGHT) == (True, False)
    assert not case.client.exists(case.fail_key)
    for _ in range(MAX_FAILED_CHECKS - 1):  # a fresh allowance, not one left
        assert case.check(WRONG) == (False, False)
    assert case.check(WRONG) == (False, True)


def test_guesses_sent_at_once_never_get_more_than_the_limit_compared(case, monkeypatch):
    compared = []
    real = case.module.identity_matches

    def counted(identity, stored):
        compared.append(identity)
        return real(identity, stored)

    monkeypatch.setattr(case.module, "identity_matches", counted)
    guesses = [f"zip:{10000 + n}" for n in range(40)]
    start = threading.Barrier(20)

    def guess(identity: str) -> tuple[bool, bool]:
        start.wait()
        return case.check(identity)

    with ThreadPoolExecutor(20) as pool:
        outcomes = list(pool.map(guess, guesses[:20]))
    outcomes += [case.check(identity) for identity in guesses[20:]]
    assert len(set(compared) & set(guesses)) == MAX_FAILED_CHECKS  # distinct answers compared
    assert len(compared) == MAX_FAILED_CHECKS
    assert not any(verified for verified, _ in outcomes)
    assert sum(locked for _, locked in outcomes) == len(guesses) - MAX_FAILED_CHECKS + 1
    assert case.check(RIGHT) == (False, True)


def slots_tracker(slots: dict) -> Tracker:
    latest = {"text": "x", "intent": {"name": "inform", "confidence": 1.0}, "entities": [],
              "metadata": {"now": NOW.isoformat()}}
    events = [{"event": "user", "text": "x", "parse_data": latest, "metadata": latest["metadata"]}]
    return Tracker("u1", slots, latest, events, False, None, {}, "action_listen")


@pytest.mark.usefixtures("actions_on_redis")
async def test_the_customer_reads_that_checks_are_paused(case):
    action, slots = ((ActionCheckServiceRequest(), {"sr_reference": case.key})
                     if isinstance(case, RequestCase) else
                     (ActionCancelAppointment(), {"booking_code": case.key}))
    messages, _ = await run(action, slots_tracker({**slots, "identity_answer": WRONG}))
    assert "too many attempts" not in await render(messages[0])
    for _ in range(MAX_FAILED_CHECKS - 1):
        case.check(WRONG)
    messages, _ = await run(action, slots_tracker({**slots, "identity_answer": RIGHT}))
    text = await render(messages[0])
    assert "too many attempts" in text and "paused for 15 minutes" in text
    assert "USCIS Contact Center at 1-800-375-5283" in text
    assert case.check(RIGHT) == (False, True)  # nothing was cancelled or shown meanwhile

"""The Service Request store against a real Redis: concurrency, identity checks, audit, staff."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stdout
from datetime import datetime, timezone

import pytest
import redis

from rasa_project.service_requests import staff
from rasa_project.service_requests.store import (
    MAX_FAILED_CHECKS,
    NewServiceRequest,
    ServiceRequestStore,
)


@pytest.fixture()
def store(redis_url) -> ServiceRequestStore:
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    client.flushdb()
    return ServiceRequestStore(
        client, clock=lambda: datetime(2026, 11, 10, 15, tzinfo=timezone.utc)
    )


def request(n: int = 0, office: str = "vermont") -> NewServiceRequest:
    return NewServiceRequest(
        kind="case_inquiry",
        office_key=office,
        problem=f"card not received {n}",
        customer_name="Maria Lopez",
        identity="zip:20529",
        contact="maria@example.com",
        receipt_number="EAC2190012345",
        form_type="I-485",
    )


def test_200_concurrent_creations_get_200_distinct_numbers_and_all_are_stored(redis_url, store):
    def create(n: int) -> str:
        own = ServiceRequestStore.from_url(redis_url)  # one client per thread, as in production
        return own.create(request(n)).reference

    with ThreadPoolExecutor(max_workers=32) as pool:
        references = list(pool.map(create, range(200)))
    assert len(set(references)) == 200
    stored = store.list()
    assert {r.reference for r in stored} == set(references)
    assert sorted(r.problem for r in stored) == sorted(f"card not received {n}" for n in range(200))
    assert len(store.list(office="vermont", status="received")) == 200


def test_lookup_needs_the_identity_answer_and_reveals_nothing_otherwise(store):
    created = store.create(request())
    assert (
        store.lookup(created.reference.lower(), "zip:20529").request.reference == created.reference
    )
    wrong = store.lookup(created.reference, "zip:99999")
    missing = store.lookup("SR26999999", "zip:20529")
    assert wrong.request is None and missing.request is None
    assert wrong == missing  # same answer whether or not the number exists
    assert "20529" not in str(store.redis.hgetall(f"uscis:sr:req:{created.reference}"))


def test_repeated_failures_lock_the_reference(store):
    created = store.create(request())
    for _ in range(MAX_FAILED_CHECKS - 1):
        assert not store.lookup(created.reference, "zip:11111").locked
    assert store.lookup(created.reference, "zip:11111").locked
    # Even the right answer is refused while locked.
    assert store.lookup(created.reference, "zip:20529") .request is None
    assert store.redis.ttl(f"uscis:sr:fail:{created.reference}") > 0


@pytest.mark.parametrize("pattern", ["*", "SR*", "?", "[a-z]*", "uscis:sr:*", "SR2611111?"])
def test_patterns_touch_no_key(store, pattern):
    store.create(request())
    before = sorted(store.redis.keys("*"))
    assert store.lookup(pattern, "zip:20529").request is None
    assert store.get(pattern) is None
    assert store.audit(pattern) == []
    assert sorted(store.redis.keys("*")) == before


def test_staff_updates_are_audited_and_seen_by_the_customer(store):
    created = store.create(request())
    out = io.StringIO()
    with redirect_stdout(out):
        assert staff.main(["update", created.reference, "--who", "jdoe", "--status", "responded",
                           "--note", "Card re-mailed on 11/20"], store=store) == 0
        assert staff.main(["relocate", created.reference, "--who", "asmith", "--office", "texas"],
                          store=store) == 0
        assert staff.main(["show", created.reference], store=store) == 0
        assert staff.main(["list", "--office", "texas"], store=store) == 0
    seen = store.lookup(created.reference, "zip:20529").request
    assert seen.status == "relocated" and seen.office_key == "texas"
    assert seen.response_note == "Card re-mailed on 11/20"
    actions = [(e["who"], e["action"]) for e in store.audit(created.reference)]
    assert actions == [("customer (chat)", "created"), ("jdoe", "status"), ("jdoe", "note"),
                       ("asmith", "relocated"), ("asmith", "status")]
    text = out.getvalue()
    assert created.reference in text and "identity_hash" not in text
    assert store.list(office="vermont") == []


def test_staff_tool_refuses_unknown_references(store, capsys):
    assert staff.main(["show", "SR26000999"], store=store) == 1
    assert "no Service Request" in capsys.readouterr().err
    created = store.create(request())
    assert staff.main(["relocate", created.reference, "--who", "x", "--office", "mars"],
                      store=store) == 2
    assert "unknown office 'mars'" in capsys.readouterr().err
    assert store.get(created.reference).office_key == "vermont"


# -- issue 12, item 4: references cannot be walked, requesters cannot spray ---------------------

def test_references_are_random_and_readable_and_a_neighbour_opens_nothing(store):
    import math
    import re

    from rasa_project.codes import ALPHABET
    from rasa_project.service_requests.store import REFERENCE_LENGTH

    made = [store.create(request(n)).reference for n in range(20)]
    assert all(re.fullmatch(r"SR[A-HJ-NP-Z2-9]{9}", reference) for reference in made)
    assert REFERENCE_LENGTH * math.log2(len(ALPHABET)) >= 45  # bits a guesser must cover
    # The walk that worked on sequential numbers: the "next" reference of a known one.
    for reference in made:
        last = ALPHABET.index(reference[-1])
        neighbour = reference[:-1] + ALPHABET[(last + 1) % len(ALPHABET)]
        assert neighbour in made or store.get(neighbour) is None
    assert store.redis.get("uscis:sr:seq") is None  # no counter to read either


def test_one_conversation_or_one_address_cannot_walk_many_references(store):
    from rasa_project.codes import random_code
    from rasa_project.lockout import MAX_FAILED_CHECKS_PER_CLIENT, Requester

    victims = [store.create(request(n)).reference for n in range(MAX_FAILED_CHECKS + 1)]
    attacker = Requester(conversation="attacker-chat", client="ab" * 16)
    # One wrong guess per reference, so the per-reference counter never trips: the
    # conversation's own counter does.
    results = [store.lookup(reference, "zip:11111", attacker) for reference in victims]
    assert [r.locked for r in results] == [False] * (MAX_FAILED_CHECKS - 1) + [True, True]
    assert store.lookup(victims[0], "zip:20529", attacker).request is None  # locked, even right
    # A new conversation id from the same address each time: the address counter trips.
    locked_after = None
    for n in range(MAX_FAILED_CHECKS_PER_CLIENT + 2):
        fresh = Requester(conversation=f"chat-{n}", client="cd" * 16)
        if store.lookup(random_code("SR", 9), "zip:11111", fresh).locked:
            locked_after = n + 1
            break
    assert locked_after == MAX_FAILED_CHECKS_PER_CLIENT
    # Other customers are not locked out by it: their own conversation and address still work.
    assert store.lookup(victims[1], "zip:20529",
                        Requester("victim-chat", "ef" * 16)).request.reference == victims[1]
    # Only hashes of who asked are stored.
    assert not store.redis.keys("*attacker-chat*")


def test_a_wrong_reference_and_a_wrong_answer_do_the_same_work(store, monkeypatch):
    import rasa_project.service_requests.store as module

    created = store.create(request())
    work: list[str] = []
    original_matches = module.identity_matches
    monkeypatch.setattr(module, "identity_matches",
                        lambda *a: work.append("hash") or original_matches(*a))
    monkeypatch.setattr(module, "hash_identity", lambda *a: work.append("hash") or "x$y")
    commands: list[str] = []
    original_execute = store.redis.execute_command
    monkeypatch.setattr(store.redis, "execute_command",
                        lambda *a, **k: commands.append(a[0]) or original_execute(*a, **k))

    def cost(reference: str) -> tuple[list[str], list[str]]:
        work.clear()
        commands.clear()
        assert store.lookup(reference, "zip:11111", Requester("c", "")).request is None
        return list(work), list(commands)

    from rasa_project.lockout import Requester

    assert cost(created.reference) == cost("SRZZZZZZZZZ") == cost("SR26999999")
    assert cost(created.reference)[0] == ["hash"]

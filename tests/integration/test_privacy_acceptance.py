"""Issue 12, acceptance: after real conversations through the REST stack (a Service Request opened,
an appointment booked and cancelled, forms stopped half way) and their error paths (Redis down,
the action server down, an action that raises), no conversation record in Redis, nor the
append-only file once rewritten, holds a date of birth, a ZIP code given as identity, an email or
a phone; and the logs hold none of the personal answers either."""

from __future__ import annotations

import re
import time
import uuid

import redis

from testing.conversation_runner import send
from tests.integration.redis_scan import every_value, without_timestamps

NOW = {"now": "2026-11-30T08:00:00-06:00"}
# An action that raises for real: the test clock set where the slot calendar overflows.
OVERFLOWING_CLOCK = {"now": "9999-12-31T20:00:00+00:00"}
TRACKER_KEYS = "assistant:tracker:*"  # endpoints.yml key_prefix

SR_NAME, SR_BIRTH, SR_EMAIL = "Zebulon Quixotic", "03/04/1985", "zq.privacy@example.com"
BOOK_NAME, BOOK_ZIP = "Quentin Yarrowby", "60614"
STOP_NAME, STOP_BIRTH = "Ottilie Vandermeer", "07/08/1979"
DOWN_NAME, DOWN_BIRTH, DOWN_PHONE = "Barnaby Fitzwilliam", "11/12/1966", "(402) 555-0199"
RAISE_NAME, RAISE_BIRTH = "Perpetua Lindqvist", "09/10/1993"
ACTIONS_NAME, ACTIONS_EMAIL = "Cornelius Abernathy", "cab.privacy@example.com"
SESSION_NAME, SESSION_BIRTH = "Ignatius Wolfenden", "02/03/1961"

NAMES = (SR_NAME, BOOK_NAME, STOP_NAME, DOWN_NAME, RAISE_NAME, ACTIONS_NAME, SESSION_NAME)
# What must be in no conversation record: birth dates (as typed and as normalised), the ZIP code
# given as identity, emails, phones.
NOT_STORED = (
    SR_BIRTH,
    "1985-03-04",
    STOP_BIRTH,
    "1979-07-08",
    DOWN_BIRTH,
    "1966-11-12",
    RAISE_BIRTH,
    "1993-09-10",
    SESSION_BIRTH,
    "1961-02-03",
    BOOK_ZIP,
    SR_EMAIL,
    ACTIONS_EMAIL,
    DOWN_PHONE,
    "555-0199",
    *NAMES,
)


IDENTITY_ANSWERS = (SR_BIRTH, "1985-03-04", STOP_BIRTH, "1979-07-08", DOWN_BIRTH, "1966-11-12",
                    RAISE_BIRTH, "1993-09-10", SESSION_BIRTH, "1961-02-03")


def say(rasa_url: str, sender: str, text: str, metadata: dict = NOW) -> str:
    replies = send(rasa_url, sender, text, metadata)
    return "\n".join(r.get("text", "") for r in replies)


def say_all(rasa_url: str, sender: str, *messages: str) -> str:
    text = ""
    for message in messages:
        text = say(rasa_url, sender, message)
    return text


def open_request_until_identity(rasa_url: str, sender: str, name: str) -> None:
    assert "full name" in say_all(rasa_url, sender, "open a service request", "EAC2190012345",
                                  "I-485", "my card never arrived")
    assert "ZIP code or your date of birth" in say(rasa_url, sender, name)


def happy_paths(rasa_url: str) -> None:
    sender = f"privacy-sr-{uuid.uuid4().hex[:8]}"
    open_request_until_identity(rasa_url, sender, SR_NAME)
    created = say_all(rasa_url, sender, SR_BIRTH, SR_EMAIL)
    assert "Your Service Request is made" in created
    reference = re.search(r"SR[A-HJ-NP-Z2-9]{9}", created).group(0)
    checked = say_all(rasa_url, sender, "check my service request", reference, SR_BIRTH)
    assert "Status: received" in checked

    sender = f"privacy-book-{uuid.uuid4().hex[:8]}"
    # The ZIP code that finds the office is also the identity answer: it is not asked twice.
    assert "what is the appointment about" in say_all(rasa_url, sender,
                                                       "I want to make an appointment", BOOK_ZIP)
    say(rasa_url, sender, "a question about my pending I-485")
    replies = send(rasa_url, sender, BOOK_NAME, NOW)
    payload = replies[-1]["buttons"][0]["payload"]
    booked = say(rasa_url, sender, payload)
    code = re.search(r"IP[A-HJ-NP-Z2-9]{8}", booked).group(0)
    cancelled = say_all(rasa_url, sender, "please cancel my appointment", code, BOOK_ZIP)
    assert "is cancelled" in cancelled

    sender = f"privacy-stop-{uuid.uuid4().hex[:8]}"
    open_request_until_identity(rasa_url, sender, STOP_NAME)
    assert "email address or a U.S. phone number" in say(rasa_url, sender, STOP_BIRTH)
    assert "Nothing was sent" in say(rasa_url, sender, "stop")

    # A new session begins in the middle of a form: nothing personal comes along.
    sender = f"privacy-session-{uuid.uuid4().hex[:8]}"
    open_request_until_identity(rasa_url, sender, SESSION_NAME)
    say(rasa_url, sender, SESSION_BIRTH)
    say(rasa_url, sender, "/session_start")
    assert "1-800-375-5283" in say(rasa_url, sender, "what's the uscis phone number")


def error_paths(stack, rasa_url: str) -> None:
    # Redis stops while the customer answers: the answer is lost, given again once it is back.
    sender = f"privacy-redis-{uuid.uuid4().hex[:8]}"
    open_request_until_identity(rasa_url, sender, DOWN_NAME)
    stack.stop("redis")
    try:
        assert "couldn't answer that just now" in say(rasa_url, sender, DOWN_BIRTH)
    finally:
        stack.start("redis")
    assert "email address or a U.S. phone number" in say(rasa_url, sender, DOWN_BIRTH)
    assert "Your Service Request is made" in say(rasa_url, sender, DOWN_PHONE)

    # The action server stops in the middle of a form, then comes back.
    sender = f"privacy-actions-{uuid.uuid4().hex[:8]}"
    assert "full name" in say_all(rasa_url, sender, "open a service request", "WAC2190054321",
                                  "N-400", "no decision yet")
    stack.stop("actions")
    try:
        assert "couldn't answer that just now" in say(rasa_url, sender, ACTIONS_NAME)
    finally:
        stack.start("actions")
    say_all(rasa_url, sender, ACTIONS_NAME, "94110")
    assert "Your Service Request is made" in say(rasa_url, sender, ACTIONS_EMAIL)

    # An action raises (the slot calendar overflows) right after the birth date is given.
    sender = f"privacy-raise-{uuid.uuid4().hex[:8]}"
    say_all(rasa_url, sender, "book an appointment", "98101", "a stamp in my passport", RAISE_NAME)
    assert "next free times" not in say(rasa_url, sender, RAISE_BIRTH, OVERFLOWING_CLOCK)
    assert "Nothing was sent" in say(rasa_url, sender, "stop")


def rewritten_append_only_file(client: redis.Redis, stack) -> list[list[bytes]]:
    """The commands of the append-only file after a rewrite, written as plain commands (no
    compressed RDB preamble)."""
    client.config_set("aof-use-rdb-preamble", "no")
    client.bgrewriteaof()
    deadline = time.monotonic() + 30
    while True:
        info = client.info("persistence")
        if not info["aof_rewrite_in_progress"] and not info["aof_rewrite_scheduled"]:
            break
        assert time.monotonic() < deadline, "the append-only file was not rewritten"
        time.sleep(0.1)
    folder = stack.settings.state_dir / "redis"
    return [command for path in sorted(folder.rglob("*.aof"))
            for command in resp_commands(path.read_bytes())]


def resp_commands(data: bytes) -> list[list[bytes]]:
    """Redis's protocol, as the append-only file holds it: *<n> then n times $<length> <bytes>."""
    commands, at = [], 0
    while at < len(data):
        end = data.index(b"\r\n", at)
        count, at = int(data[at + 1:end]), end + 2
        command = []
        for _ in range(count):
            end = data.index(b"\r\n", at)
            length = int(data[at + 1:end])
            command.append(data[end + 2:end + 2 + length])
            at = end + 2 + length + 2
        commands.append(command)
    return commands


def test_no_personal_data_in_stored_conversations_or_logs(stack, rasa_url):
    happy_paths(rasa_url)
    error_paths(stack, rasa_url)

    client = redis.Redis.from_url(stack.settings.effective_redis_url, decode_responses=True)
    conversations = {key: without_timestamps(client.get(key)) for key in client.keys(TRACKER_KEYS)}
    assert len([k for k in conversations if ":privacy-" in k]) == 7
    for key, record in conversations.items():
        for secret in NOT_STORED:
            assert secret not in record, f"{secret!r} is stored in {key}"
    # Outside conversation records, whatever the key's type (lists, hashes, sets, the handoff
    # desk's too), only Service Requests and bookings keep what staff need (name and contact);
    # identity answers are nowhere but as hashes.
    for key, content in every_value(client).items():
        if key in conversations:
            continue
        needed = key.startswith(("uscis:sr:", "uscis:infopass:booking:"))
        for secret in IDENTITY_ANSWERS if needed else NOT_STORED:
            assert secret not in content, f"{secret!r} is stored in {key}"
    written = [without_timestamps(command[2].decode())
               for command in rewritten_append_only_file(client, stack)
               if command[0].upper() == b"SET" and command[1].startswith(b"assistant:tracker:")]
    assert len([record for record in written if '"name":"privacy-' in record]) == 7
    for record in written:
        for secret in NOT_STORED:
            assert secret not in record

    logs = "".join(path.read_text(errors="replace") for path in stack.log_dir.glob("*.log"))
    assert "OverflowError" in logs, "the action did not raise: the error path was not taken"
    for secret in (*NAMES, SR_BIRTH, STOP_BIRTH, DOWN_BIRTH, RAISE_BIRTH, "1993-09-10",
                   SR_EMAIL, ACTIONS_EMAIL, DOWN_PHONE):
        assert secret not in logs, f"{secret!r} is in the logs"

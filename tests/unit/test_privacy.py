"""Pure privacy logic: which pieces of a conversation are redacted, how log records are cleaned,
and how a client address is kept."""

from __future__ import annotations

import json
import logging

import pytest

from rasa_project.privacy import log_scrubbing
from rasa_project.privacy.client_address import client_address, client_tag
from rasa_project.privacy.personal_data import personal_spans
from rasa_project.privacy.redaction import REDACTED, redact_events


@pytest.mark.parametrize("text, found", [
    ("born 05/01/1990.", ["05/01/1990"]),
    ("1990-05-01", ["1990-05-01"]),
    ("March 4, 1985", ["March 4, 1985"]),
    ("4 de marzo de 1985", ["4 de marzo de 1985"]),
    ("call me at (402) 555-0199", ["(402) 555-0199"]),
    ("mail zq@example.com please", ["zq@example.com"]),
    ("my zip is 60614", ["60614"]),
    ("receipt EAC2190012345", ["EAC2190012345"]),
    # Not personal: references, codes, form numbers, slot times, an address and port.
    ("SR7K3M9Q2XA and IP7K3M9Q2X for I-485", []),
    ("2026-11-30T10:00:00-06:00", []),
    ("http://127.0.0.1", []),
])
def test_personal_patterns(text, found):
    assert [text[start:end] for start, end in personal_spans(text)] == found


def user(text: str, entities: list | None = None) -> dict:
    return {"event": "user", "text": text, "metadata": {},
            "parse_data": {"text": text, "intent": {"name": "inform"}, "entities": entities or []}}


def slot(name: str, value) -> dict:
    return {"event": "slot", "name": name, "value": value}


def test_live_answers_stay_until_the_form_has_used_them_then_go():
    asking = [slot("requested_slot", "customer_name"), user("Ana Perez"),
              slot("customer_name", "Ana Perez"), slot("requested_slot", "zip_code"),
              user("it is 60601", [{"entity": "zip_code", "start": 6, "end": 11,
                                    "value": "60601"}]),
              {"event": "bot", "text": '"it is 60601" is not a U.S. ZIP code I know.'},
              slot("zip_code", "60601")]
    during = redact_events(asking)
    assert [e["value"] for e in during if e.get("name") in ("customer_name", "zip_code")] == [
        "Ana Perez", "60601"]  # the form still needs them
    assert [e["text"] for e in during if e["event"] == "user"] == ["*********", "***********"]
    assert during[4]["parse_data"]["entities"][0]["value"] == REDACTED
    assert "60601" not in during[5]["text"]  # quoted back by the assistant
    done = redact_events(during + [slot("customer_name", None), slot("zip_code", None)])
    assert "Ana Perez" not in json.dumps(done) and "60601" not in json.dumps(done)
    assert redact_events(done) is done  # redacting twice changes nothing more


def test_a_value_set_in_an_earlier_session_is_not_live():
    events = [slot("identity_answer", "dob:1990-05-01"), {"event": "session_started"}]
    assert redact_events(events)[0]["value"] == REDACTED


def test_other_slots_and_intents_are_kept():
    events = [slot("booking_code", "IP7K3M9Q2X"), user("cancel my appointment")]
    assert redact_events(events) is events


def test_a_personal_answer_given_to_another_question_goes_once_replaced():
    # A birth date typed where the form asked for a time: the slot took it, the validator set it
    # back to none. The rejected value goes; a live value of that slot stays.
    typed = [slot("appointment_slot", "09/10/1993"), slot("appointment_slot", None)]
    assert redact_events(typed)[0]["value"] == REDACTED
    picked = [slot("appointment_slot", "09/10/1993"), slot("appointment_slot", None),
              slot("appointment_slot", "2026-12-01T09:00:00-06:00")]
    assert [e["value"] for e in redact_events(picked)] == [
        REDACTED, None, "2026-12-01T09:00:00-06:00"]


def record(message: str, *args, exc: BaseException | None = None) -> str:
    log_scrubbing.install()
    logger = logging.getLogger("privacy-test")
    made = logger.makeRecord("privacy-test", logging.ERROR, __file__, 1, message, args,
                             (type(exc), exc, exc.__traceback__) if exc else None)
    return logging.Formatter("%(message)s").format(made)


def test_log_records_lose_texts_conversations_and_patterns():
    assert "Ana Perez" not in record(
        '{"text": "Ana Perez", "event": "rest.message.received.failure"}'
    )
    assert "Ana Perez" not in record("rest.message.received.failure text='Ana Perez'")
    body = json.dumps({"error": "x", "request_body": {"tracker": {"events": [{"text": "Ana P"}]}}})
    assert "Ana P" not in record("500, Internal Server Error, body='%s'", body)
    assert "05/01/1990" not in record("bad answer %s", "05/01/1990")
    for debug_line in ("Current slot values: \n\tcustomer_name: Ana Perez\n\tlanguage: en",
                       "slots {'customer_name': 'Ana Perez', 'language': 'en'}",
                       "SlotSet(key: customer_name, value: Ana Perez)"):
        cleaned = record(debug_line)
        assert "Ana Perez" not in cleaned and "customer_name" in cleaned
    assert "127.0.0.1:29005" in record("up on http://127.0.0.1:29005")
    try:
        raise ValueError("no slot for zq@example.com")
    except ValueError as error:
        text = record("an action failed", exc=error)
    assert "ValueError" in text and "zq@example.com" not in text


def test_client_address_from_a_loopback_proxy_only():
    assert client_address("127.0.0.1", "198.51.100.1, 203.0.113.7") == "203.0.113.7"
    assert client_address("203.0.113.7", "198.51.100.1") == "203.0.113.7"  # not our proxy
    assert client_address("::1", "not an address") == "::1"
    key = b"k" * 32
    assert client_tag("203.0.113.7", key) == client_tag("203.0.113.7", key)
    assert client_tag("203.0.113.7", key) != client_tag("203.0.113.8", key)
    assert "203.0.113.7" not in client_tag("203.0.113.7", key)

"""Every custom action, run against a real Tracker and CollectingDispatcher, rendered with the
real domain: what a customer would read, and the exact events returned."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from rasa_sdk.events import SlotSet

from actions.answers import HANDOFF_OFFERED
from actions.contact import RESPONSES, ActionAnswerContact
from actions.fallback import ActionSuggestTopics
from actions.military import ActionMilitaryHelpLine
from actions.redirect import ActionRedirectAgency
from rasa_project import clock
from tests.unit.rendering import entity, render, run, tracker

PLACEHOLDER = re.compile(r"\{\w+\}")
OPEN_TIME = {"now": "2026-12-01T10:00:00-06:00"}  # a Tuesday morning in Chicago
AFTER_HOURS = {"now": "2026-12-01T16:31:00-06:00"}


@pytest.fixture(autouse=True)
def allow_clock(monkeypatch):
    monkeypatch.setenv("ASSISTANT_ALLOW_CLOCK_OVERRIDE", "1")


async def texts(messages: list[dict]) -> list[str]:
    rendered = [await render(message) for message in messages]
    for text in rendered:
        assert not PLACEHOLDER.search(text), f"unfilled variable in: {text}"
    return rendered


EXPECTED = {
    "ask_contact_center": ["1-800-375-5283", "1-800-767-1833", "International Immigration Offices"],
    "ask_tdd": ["1-800-767-1833"],
    "ask_premium_processing": ["1-866-315-5718", "Form I-907", "only for customers who filed"],
    "ask_hague_adoption": ["1-877-424-8374", "Hague Convention"],
    "ask_infopass": [
        "InfoPass",
        "schedule, cancel or reschedule",
        "International Immigration Offices",
    ],
    "ask_international": [
        "USCIS.Canada@dhs.gov",
        "Mexico City",
        "nearest U.S. embassy or consulate",
    ],
    "ask_outreach": ["do not answer questions about individual cases", "1-800-375-5283"],
    "ask_mailing_address": ["Find a USCIS Office page"],
    "ask_email_service_center": [
        "15 days",
        "21 days",
        "reference number",
        "csc-ncsc-followup@dhs.gov",
        "vsc.ncscfollowup@dhs.gov",
        "ncscfollowup.nsc@dhs.gov",
        "tsc.ncscfollowup@dhs.gov",
        "SCOPSSCATA@dhs.gov",
    ],
    "ask_fax": ["does not have a general fax number", "only if a USCIS employee asks"],
    "complaint": ["complaint", "1-800-375-5283"],
    "request_human": ["1-800-375-5283", "1-877-CIS-4MIL"],
}


@pytest.mark.parametrize("intent", sorted(RESPONSES))
async def test_answer_contact_gives_the_complete_answer(intent):
    messages, events = await run(ActionAnswerContact(), tracker("question", intent))
    # The answer carries the feedback buttons (not where a person is offered) and says so.
    assert events == ([] if intent in HANDOFF_OFFERED else [SlotSet("feedback_offered", True)])
    assert messages[0]["response"] == RESPONSES[intent]
    text = (await texts(messages))[0]
    for expected in EXPECTED[intent]:
        assert expected in text


async def test_the_feedback_buttons_come_once_per_session():
    first_messages, first = await run(ActionAnswerContact(), tracker("fax?", "ask_fax"))
    assert [b["payload"] for b in first_messages[0]["buttons"]] == [
        "/feedback_resolved", "/feedback_not_resolved"]
    again_messages, again = await run(
        ActionAnswerContact(),
        tracker("fax?", "ask_fax", slots={event["name"]: event["value"] for event in first}))
    assert not again_messages[0].get("buttons") and again == []


async def test_a_military_mention_adds_the_military_help_line():
    messages, events = await run(
        ActionAnswerContact(),
        tracker("my wife is in the navy, where do i mail my form", "ask_mailing_address",
                [entity("military", "navy")], OPEN_TIME),
    )
    assert events == [SlotSet("feedback_offered", True)]
    assert [m["response"] for m in messages] == ["utter_mailing_address", "utter_military_open"]
    assert "1-877-CIS-4MIL (1-877-247-4645)" in (await texts(messages))[1]


async def test_military_help_line_during_hours():
    messages, events = await run(ActionMilitaryHelpLine(), tracker("army", "ask_military",
                                                                   metadata=OPEN_TIME))
    assert events == []
    [text] = await texts(messages)
    assert "1-877-CIS-4MIL (1-877-247-4645)" in text
    assert "open now, until 4:30 PM CST" in text
    assert "militaryinfo.nsc@dhs.gov" not in text


async def test_military_help_line_after_hours_gives_email_and_next_opening():
    messages, _ = await run(ActionMilitaryHelpLine(), tracker("army", "ask_military",
                                                              metadata=AFTER_HOURS))
    [text] = await texts(messages)
    assert "closed now" in text
    assert "next opens Wednesday, December 2 at 8:00 AM CST" in text
    assert "militaryinfo.nsc@dhs.gov" in text


async def test_clock_override_is_ignored_unless_allowed(monkeypatch):
    monkeypatch.setenv("ASSISTANT_ALLOW_CLOCK_OVERRIDE", "0")
    # The wall clock says an ordinary Tuesday morning; the message claims Thanksgiving Day.
    monkeypatch.setattr(clock, "wall_clock",
                        lambda: datetime.fromisoformat("2026-12-01T10:00:00-06:00"))
    messages, _ = await run(ActionMilitaryHelpLine(), tracker(
        "army", "ask_military", metadata={"now": "2026-11-26T10:00:00-06:00"}))
    [text] = await texts(messages)
    assert "open now, until 4:30 PM CST" in text
    assert "Thanksgiving" not in text


@pytest.mark.parametrize(
    "intent, agency, contact",
    [
        ("redirect_visa", "Department of State", "travel.state.gov"),
        ("redirect_passport", "National Passport Information Center", "1-877-487-2778"),
        ("redirect_i94", "Customs and Border Protection", "cbp.gov"),
        ("redirect_detention", "Immigration and Customs Enforcement", "ice.gov"),
        ("redirect_immigration_court", "Executive Office for Immigration Review", "1-800-898-7180"),
        ("redirect_social_security", "Social Security Administration", "1-800-772-1213"),
        ("redirect_labor_certification", "Department of Labor", "flag.dol.gov"),
        ("redirect_taxes", "Internal Revenue Service", "irs.gov"),
    ],
)
async def test_redirect_names_the_agency_and_its_contact(intent, agency, contact):
    messages, events = await run(ActionRedirectAgency(), tracker("question", intent))
    assert events == []
    [text] = await texts(messages)
    assert text.startswith("USCIS does not handle")
    assert agency in text and contact in text
    assert "1-800-375-5283" not in text


async def test_redirect_answers_every_agency_the_message_names():
    messages, _ = await run(ActionRedirectAgency(), tracker(
        "I need a passport and a social security card", "redirect_passport",
        [entity("agency", "passport"), entity("agency", "social security card")]))
    rendered = await texts(messages)
    assert len(rendered) == 2
    assert "1-877-487-2778" in rendered[0] and "1-800-772-1213" in rendered[1]


async def test_redirect_without_an_agency_falls_back_to_the_contact_center():
    messages, _ = await run(ActionRedirectAgency(), tracker("hmm", "greet"))
    assert [m["response"] for m in messages] == ["utter_suggest_contact_center"]
    assert "1-800-375-5283" in (await texts(messages))[0]


async def test_fallback_offers_likely_topics_as_buttons_and_the_contact_center():
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.45},
        {"name": "ask_fax", "confidence": 0.30},
        {"name": "greet", "confidence": 0.2},
        {"name": "ask_mailing_address", "confidence": 0.25},
        {"name": "out_of_scope", "confidence": 0.1},
        {"name": "ask_email_service_center", "confidence": 0.08},
        {"name": "ask_tdd", "confidence": 0.07},
    ]
    messages, events = await run(ActionSuggestTopics(), tracker(
        "can i send paper stuff by the machine thing", "nlu_fallback", ranking=ranking,
        confidence=0.45))
    assert events == []
    [message] = messages
    assert [b["payload"] for b in message["buttons"]] == [
        "/ask_fax", "/ask_mailing_address", "/ask_email_service_center"]
    [text] = await texts(messages)
    assert "1-800-375-5283" in text
    assert "1-877" not in text and "1-866" not in text  # never guesses a specific line


async def test_fallback_with_no_likely_topic_still_gives_the_contact_center():
    ranking = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "greet", "confidence": 0.3}]
    messages, _ = await run(ActionSuggestTopics(), tracker("zzz", "nlu_fallback", ranking=ranking))
    assert [m["response"] for m in messages] == ["utter_suggest_contact_center"]
    assert "buttons" not in messages[0] or not messages[0]["buttons"]
    assert "1-800-375-5283" in (await texts(messages))[0]


async def test_fallback_routes_a_military_family_before_suggesting():
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.45},
        {"name": "ask_military", "confidence": 0.4},
        {"name": "ask_fax", "confidence": 0.38},
    ]
    messages, _ = await run(ActionSuggestTopics(), tracker(
        "fax? husband deployed", "nlu_fallback", [entity("military", "deployed")], OPEN_TIME,
        ranking, confidence=0.45))
    assert [m["response"] for m in messages] == ["utter_military_open", "utter_suggest_topics"]
    assert [b["payload"] for b in messages[1]["buttons"]] == ["/ask_fax"]

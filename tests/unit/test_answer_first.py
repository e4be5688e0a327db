"""Answer first and use what the customer said (issue 13): the rule before any form, the
customer's own dates and numbers, days counted in Central time, places abroad by city."""

from __future__ import annotations

from datetime import date

import pytest
from rasa_sdk.events import FollowupAction, SlotSet

from actions.answer_first import ActionEmailQuestion, ActionExpediteQuestion
from actions.contact import ActionAnswerContact
from actions.fallback import ActionSuggestTopics
from actions.latest_message import today
from actions.military import ActionMilitaryHelpLine
from actions.redirect import ActionRedirectAgency
from rasa_project.countries import find_country
from rasa_project.dates import find_past_date
from rasa_project.inquiries import email_question_kind
from rasa_project.places import place_in
from tests.unit.rendering import domain, entity, render, run, tracker

NOW = {"now": "2026-11-29T10:00:00-06:00"}  # Sunday November 29, 2026, in Chicago
TODAY = date(2026, 11, 29)


@pytest.fixture(autouse=True)
def allow_clock(monkeypatch):
    monkeypatch.setenv("ASSISTANT_ALLOW_CLOCK_OVERRIDE", "1")


def payloads(message: dict) -> list[str]:
    """The buttons the response offers, from the real domain."""
    return [b["payload"] for b in domain().responses[message["response"]][0]["buttons"]]


async def said(messages: list[dict]) -> str:
    return "\n".join([await render(m) for m in messages])


# -- what a question about emailing is about -------------------------------------------------------
@pytest.mark.parametrize("text, kind", [
    ("could I write to the Texas center by now?", "rule"),
    ("nobody answered my service request, may I email?", "rule"),
    ("I phoned the Contact Center on the 2nd and have heard nothing, can I email", "rule"),
    ("i never phoned anyone, may i just email the center", "no_request"),
    ("we do not have a reference number from the call center", "no_request"),
    ("I mailed... I mean emailed the Nebraska center weeks ago, silence", "unanswered"),
    ("they never answered the e-mail I sent them", "unanswered"),
    ("can I escalate above the service center?", "unanswered"),
])
def test_the_kind_of_email_question(text, kind):
    assert email_question_kind(text) == kind


@pytest.mark.parametrize("text, expected", [
    ("I called on March 2, 2026 about my case", date(2026, 3, 2)),
    ("request made 4/10/2026, may I email", date(2026, 4, 10)),
    ("made it 2026-01-05", date(2026, 1, 5)),
    ("called three weeks ago", date(2026, 11, 8)),
    ("called on 3rd of November", date(2026, 11, 3)),
    ("may I email the center now", None),       # "may" is not the month
    ("my receipt is EAC2190012345", None),
    ("I called on the 3rd", None),              # no month: not read as a date
])
def test_a_date_inside_a_longer_message(text, expected):
    assert find_past_date(text, TODAY) == expected


def test_the_day_is_counted_in_central_time():
    # 02:00 UTC on November 30 is still 20:00 on November 29 in Chicago.
    assert today(tracker("hi", "greet", metadata={"now": "2026-11-30T02:00:00+00:00"})) == TODAY


# -- the rule first, then the offer ----------------------------------------------------------------
async def test_a_rule_question_gets_the_rule_and_an_offer_not_a_form():
    messages, events = await run(
        ActionEmailQuestion(),
        tracker(
            "am I allowed to write to the service center yet?",
            "check_email_eligibility",
            metadata=NOW,
        ),
    )
    text = await said(messages)
    for fact in ("15 days", "Service Request", "reference number", "csc-ncsc-followup@dhs.gov",
                 "21 days", "SCOPSSCATA@dhs.gov"):
        assert fact in text
    assert payloads(messages[-1]) == ["/check_email_eligibility", "/open_service_request"]
    assert events == []


async def test_an_unanswered_email_gets_the_21_day_escalation():
    messages, _ = await run(ActionEmailQuestion(), tracker(
        "my email to the vermont center was ignored", "check_email_eligibility", metadata=NOW))
    text = await said(messages)
    assert "within 21 days of that email" in text and "SCOPSSCATA@dhs.gov" in text


async def test_no_service_request_is_sent_to_make_one_never_told_to_email():
    messages, _ = await run(ActionEmailQuestion(), tracker(
        "I never called the Contact Center, can I email the center?", "check_email_eligibility",
        metadata=NOW))
    text = await said(messages)
    assert "First make a Service Request" in text and "1-800-375-5283" in text
    assert "you may email" not in text.lower()


async def test_a_button_press_starts_the_form():
    _, events = await run(ActionEmailQuestion(), tracker("/check_email_eligibility",
                                                          "check_email_eligibility"))
    assert events == [FollowupAction("email_eligibility_form")]
    _, events = await run(
        ActionExpediteQuestion(), tracker("/request_expedite", "request_expedite")
    )
    assert events == [FollowupAction("expedite_form")]


async def test_dates_and_receipt_in_the_first_message_give_the_answer_at_once():
    text = "I called on November 2, 2026, receipt EAC2190012345, can I email now?"
    messages, _ = await run(ActionEmailQuestion(), tracker(
        text, "check_email_eligibility", [entity("receipt_number", "EAC2190012345")],
        metadata=NOW, slots={"receipt_number": "EAC2190012345"}))
    reply = await said(messages)
    assert "made on November 2, 2026" in reply
    assert "may email the Vermont Service Center now at vsc.ncscfollowup@dhs.gov" in reply


async def test_a_date_alone_waits_in_the_form_so_it_is_not_asked_again():
    _, events = await run(ActionEmailQuestion(), tracker(
        "I called on November 20, can I email?", "check_email_eligibility", metadata=NOW))
    assert events == [SlotSet("sr_date", "2026-11-20")]


async def test_the_full_15_days_must_pass_and_the_day_is_named():
    messages, _ = await run(ActionEmailQuestion(), tracker(
        "I called on November 14, 2026, receipt WAC2190054321, can I email now?",
        "check_email_eligibility", metadata=NOW, slots={"receipt_number": "WAC2190054321"}))
    reply = await said(messages)
    # November 15 to 29 are the 15 full days: not yet on the 29th, from November 30.
    assert "from November 30, 2026" in reply and "now at" not in reply


async def test_an_expedite_question_gets_the_grounds_and_how_to_ask():
    messages, events = await run(ActionExpediteQuestion(), tracker(
        "what's the process to get my case sped up?", "request_expedite"))
    text = await said(messages)
    for ground in ("severe financial loss", "urgent humanitarian reasons", "nonprofit",
                   "U.S. government interests", "clear USCIS error", "1-800-375-5283"):
        assert ground in text
    assert payloads(messages[-1])[0] == "/request_expedite" and events == []


# -- topic confusions ------------------------------------------------------------------------------
async def test_a_service_member_abroad_gets_the_military_line_and_the_office_abroad():
    messages, _ = await run(ActionMilitaryHelpLine(), tracker(
        "I'm in the navy, stationed in Ankara with my wife, who helps us", "ask_military",
        [entity("military", "navy")], metadata=NOW))
    text = await said(messages)
    assert "1-877-247-4645" in text and "Ankara" in text


async def test_a_visa_petition_is_a_uscis_question():
    messages, _ = await run(ActionRedirectAgency(), tracker(
        "my wife's visa petition I-130 is stuck, who do I call", "redirect_visa"))
    text = await said(messages)
    assert "1-800-375-5283" in text and "Department of State" not in text


# -- places abroad by city -------------------------------------------------------------------------
@pytest.mark.parametrize("text, code", [
    ("I live in Monterrey", "MX"), ("we are based in Izmir", "TR"), ("from Lagos", "NG"),
    ("I stay in Mombasa", "KE"), ("we live in Kerala", "IN"),
    ("I live in Chicago", "US"), ("I'm in Houston, Texas", "US"), ("I live in New Mexico", "US"),
    # Misspelled big cities, where the customer says where they are.
    ("I live in Guadalahara", "MX"), ("we stay in Kolkatta", "IN"), ("I live in Toranto", "CA"),
    ("I live in Huston", "US"),
])
def test_cities_and_regions_resolve_to_their_country(text, code):
    assert find_country(text).code == code


def test_a_bare_name_is_a_place_only_as_the_answer_to_where_they_live():
    assert find_country("Bangalore", whole_message=True).code == "IN"
    assert find_country("perm") is None and find_country("Perm", whole_message=True).code == "RU"


@pytest.mark.parametrize("text", ["I live in Manchester", "I live in Punjab", "Vancouver"])
def test_a_name_several_countries_share_is_not_guessed(text):
    assert find_country(text, whole_message=True) is None
    place = place_in(text, whole_message=True)
    assert place.country_code is None and len(place.candidates) >= 2


@pytest.mark.parametrize(
    "text",
    [
        "I need an appointment in person",
        "in case I need help",
        "I am in an emergency",
        "okay",
        "hague",
        "perm",
        "best way to save for retirement",
        "I want to come in to the office",
        "need to make an apointment at field office",
    ],
)
def test_ordinary_words_are_not_places(text):
    assert place_in(text) is None


# -- booking from every phrasing -------------------------------------------------------------------
async def test_asking_for_an_infopass_by_name_starts_the_booking():
    _, events = await run(ActionAnswerContact(), tracker("I want an infopass", "ask_infopass"))
    assert events == [FollowupAction("appointment_form")]


async def test_the_infopass_answer_offers_booking():
    messages, events = await run(
        ActionAnswerContact(), tracker("what is infopass?", "ask_infopass")
    )
    assert events == [SlotSet("feedback_offered", True)]  # the answer's feedback buttons
    assert messages[0]["response"] == "utter_infopass"
    assert payloads(messages[-1]) == ["/schedule_appointment", "/cancel_appointment",
                                      "/reschedule_appointment"]


async def test_a_message_the_classifier_cannot_place_still_gets_the_office_abroad():
    messages, _ = await run(ActionSuggestTopics(), tracker(
        "im in addis ababa how reach uscis", "nlu_fallback", confidence=0.2))
    text = await said(messages)
    assert "Ethiopia" in text and "embassy" in text

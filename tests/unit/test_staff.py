"""Staffed hours for the live-agent handoff, and when a handoff is offered."""

from __future__ import annotations

from datetime import datetime, timezone

from rasa_sdk import Tracker

from actions.fallback import not_understood_twice
from actions.handoff import summary
from rasa_project.staff import staffed_hours


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_staffed_hours_default_to_weekdays_8_to_20_in_new_york():
    env = {}
    assert staffed_hours.staffed(at("2026-11-10T08:00:00-05:00"), env)  # Tuesday
    assert staffed_hours.staffed(at("2026-11-10T19:59:00-05:00"), env)
    assert not staffed_hours.staffed(at("2026-11-10T20:00:00-05:00"), env)
    assert not staffed_hours.staffed(at("2026-11-10T07:59:00-05:00"), env)
    assert not staffed_hours.staffed(at("2026-11-08T12:00:00-05:00"), env)  # Sunday
    assert not staffed_hours.staffed(at("2026-11-26T12:00:00-05:00"), env)  # Thanksgiving
    assert staffed_hours.describe(env) == (
        "Monday to Friday, 08:00 to 20:00 (America/New_York time), except federal holidays")


def test_staffed_hours_are_configurable():
    env = {"STAFF_HOURS": "sat-sun 09:00-12:00", "STAFF_TIMEZONE": "America/Chicago"}
    assert staffed_hours.staffed(at("2026-11-08T09:30:00-06:00"), env)
    assert not staffed_hours.staffed(at("2026-11-08T09:30:00-05:00"), env)  # 08:30 in Chicago
    assert staffed_hours.staffed(datetime.now(timezone.utc), {"STAFF_HOURS": "always"})


def user(intent: str) -> dict:
    return {"event": "user", "text": intent, "parse_data": {"intent": {"name": intent}}}


def tracker(*intents: str) -> Tracker:
    return Tracker("c1", {}, {}, [user(i) for i in intents], False, None, {}, "action_listen")


def test_a_handoff_is_offered_after_two_fallbacks_in_a_row_only():
    assert not_understood_twice(tracker("greet", "nlu_fallback", "nlu_fallback"))
    assert not not_understood_twice(tracker("nlu_fallback", "ask_fax", "nlu_fallback"))
    assert not not_understood_twice(tracker("nlu_fallback"))


def test_the_queue_summary_names_the_latest_topics_not_the_handoff_itself():
    assert summary(tracker("ask_fax", "complaint", "request_human", "handoff_accept")) == \
        "ask_fax, complaint"
    assert summary(tracker("request_human", "handoff_accept")) == "asked for a person"

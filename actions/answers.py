"""Answering a question by its intent: shared by the question actions and by the forms, which
answer a question asked in the middle of a form and then go back to it."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.abroad import country_in, utter_abroad
from actions.directory_facts import directory, facts, language
from actions.feedback import offered, resolution_buttons  # First Contact Resolution
from actions.handoff import offer_handoff
from actions.latest_message import entity_texts
from actions.military import utter_military_help_line
from rasa_project.agencies import redirects

# Which response answers which contact question; each is filled from the contact directory.
CONTACT_RESPONSES = {
    "ask_contact_center": "utter_contact_center",
    "ask_tdd": "utter_tdd",
    "ask_premium_processing": "utter_premium_processing",
    "ask_hague_adoption": "utter_hague_adoption",
    "ask_infopass": "utter_infopass",
    "ask_international": "utter_international",
    "ask_outreach": "utter_outreach",
    "ask_mailing_address": "utter_mailing_address",
    "ask_email_service_center": "utter_email_service_center",
    "ask_fax": "utter_fax",
    "complaint": "utter_complaint",
    "request_human": "utter_request_human",
}
REDIRECT_PREFIX = "redirect_"
# A petition is filed with USCIS even when the customer calls it a "visa petition" (I-130, I-129,
# I-140, K-1): the Department of State comes in only after USCIS approves it.
PETITION = re.compile(r"\b(?:petition\w*|i-?1(?:29|30|40)f?|i-?129f|i-?360|i-?526)\b", re.I)
# Questions a person in this chat can help with (live-agent handoff, actions/handoff.py).
HANDOFF_OFFERED = {"request_human", "complaint"}


def is_question(intent: str | None) -> bool:
    return bool(intent) and (intent in CONTACT_RESPONSES or intent == "ask_military"
                             or intent.startswith(REDIRECT_PREFIX))


# Questions whose answer differs for a customer who lives abroad (chapter C.2: they contact the
# overseas office for their country, not InfoPass or the Contact Center).
ABROAD_SENSITIVE = {"ask_contact_center", "ask_infopass", "ask_international"}
# Questions about going to an office, where a U.S. city or state settles it too: the customer is
# served by their local field office, and offered the booking (never the answer for abroad).
PLACE_DECIDES = {"ask_infopass", "ask_international"}


def answer_contact(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str) -> list[dict]:
    """The directory answer for a contact question; a military mention adds the Military Help
    Line, which is theirs whatever else they asked. Returns the events to set (the feedback
    buttons were offered)."""
    country = country_in(tracker) if intent in ABROAD_SENSITIVE else None
    if country is not None and (not country.domestic or intent in PLACE_DECIDES):
        utter_abroad(dispatcher, country, tracker)
        return []
    response = CONTACT_RESPONSES.get(intent, "utter_contact_center")
    buttons = [] if intent in HANDOFF_OFFERED else resolution_buttons(tracker)
    dispatcher.utter_message(response=response, **({"buttons": buttons} if buttons else {}),
                             **facts(tracker))
    if intent == "ask_email_service_center":
        dispatcher.utter_message(response="utter_offer_email_check")
    if intent == "ask_infopass":  # the assistant books appointments itself
        dispatcher.utter_message(response="utter_offer_booking")
    if entity_texts(tracker, "military") and response != "utter_request_human":
        utter_military_help_line(dispatcher, tracker)
    if intent in HANDOFF_OFFERED:
        offer_handoff(dispatcher, tracker)
    return offered() if buttons else []


def answer_redirect(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str) -> list[dict]:
    """The agency the intent names first, then any other agency the message also names. Returns
    the events to set, as `answer_contact`."""
    primary = intent.removeprefix(REDIRECT_PREFIX) if intent.startswith(REDIRECT_PREFIX) else None
    if primary == "visa" and PETITION.search(tracker.latest_message.get("text") or ""):
        return answer_contact(dispatcher, tracker, "ask_contact_center")
    if primary not in directory().agencies:
        primary = None
    found = redirects(directory(), primary, entity_texts(tracker, "agency"),
                      language(tracker))
    if not found:
        dispatcher.utter_message(response="utter_suggest_contact_center", **facts(tracker))
    for redirect in found:
        dispatcher.utter_message(
            response="utter_redirect_agency",
            topic=redirect.topic,
            agency=redirect.agency,
            agency_contact=redirect.contact,
        )
    return []


def answer_question(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str) -> list[dict]:
    """The answer to a question by its intent; returns the events to set, as `answer_contact`."""
    if intent == "ask_military":
        utter_military_help_line(dispatcher, tracker)
        return []
    if intent.startswith(REDIRECT_PREFIX):
        return answer_redirect(dispatcher, tracker, intent)
    return answer_contact(dispatcher, tracker, intent)

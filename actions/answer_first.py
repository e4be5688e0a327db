"""Answer first (chapter A, First Contact Resolution): a question about a rule gets the rule in
full, then an offer to act (buttons). A form starts only when the customer asks to act: a button,
a "yes" to the offer (data/rules), or a message that already carries what the form needs."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.abroad import country_in, utter_abroad
from actions.directory_facts import directory, facts
from actions.latest_message import entity_texts, today
from actions.military import utter_military_help_line
from actions.service_requests import utter_email_advice
from rasa_project.dates import find_past_date
from rasa_project.inquiries import asks_for_speed, email_question_kind, is_button_payload
from rasa_project.receipts import ReceiptError
from rasa_project.service_requests.routing import route


def receipt_office(tracker: Tracker) -> tuple[str, str] | None:
    """(receipt number, office key) from the receipt number the customer gave, if it is valid."""
    text = tracker.get_slot("receipt_number") or ""
    if not text:
        return None
    try:
        found = route(directory(), text)
    except ReceiptError:
        return None
    return (found.receipt.number if found.receipt else found.office_key), found.office_key


class ActionEmailQuestion(Action):
    """May I email the service center? The rule (15 days after a Service Request, the mailbox,
    the reference number, then 21 days and headquarters), what applies to the customer's own
    dates when they gave them, and an offer to work the dates out."""

    def name(self) -> str:
        return "action_email_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        text = tracker.latest_message.get("text") or ""
        if is_button_payload(text):
            return [FollowupAction("email_eligibility_form")]
        if entity_texts(tracker, "military"):  # theirs whatever else they asked
            utter_military_help_line(dispatcher, tracker)
        kind = email_question_kind(text)
        if kind == "no_request":
            dispatcher.utter_message(response="utter_email_no_request", **facts(tracker))
            dispatcher.utter_message(response="utter_offer_service_request")
            return []
        if kind == "unanswered":
            dispatcher.utter_message(response="utter_email_unanswered", **facts(tracker))
            dispatcher.utter_message(response="utter_offer_headquarters_check", **facts(tracker))
            return []
        called_on = find_past_date(text, today(tracker), tracker.get_slot("language") or "en")
        receipt = receipt_office(tracker)
        if called_on and receipt:
            # Everything needed is in the message: the answer for their own case, at once.
            utter_email_advice(dispatcher, tracker, receipt[1], called_on, None,
                               tracker.get_slot("sr_reference"))
            return [SlotSet("receipt_number", None)]
        dispatcher.utter_message(response="utter_email_service_center", **facts(tracker))
        dispatcher.utter_message(response="utter_offer_email_check")
        # What they said waits for the form, so that it is not asked again.
        return [SlotSet("sr_date", called_on.isoformat())] if called_on else []


class ActionExpediteQuestion(Action):
    """Can my case go faster? The expedite grounds and how to ask, then the offer to start."""

    def name(self) -> str:
        return "action_expedite_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        text = tracker.latest_message.get("text") or ""
        if is_button_payload(text):
            return [FollowupAction("expedite_form")]
        country = country_in(tracker)
        if country is not None and not country.domestic and not asks_for_speed(text):
            # "We moved to Canada, my case is pending, how do I reach USCIS from here?": the
            # classifier heard a pending case; the customer asked where to turn abroad.
            utter_abroad(dispatcher, country, tracker)
            return []
        if entity_texts(tracker, "military"):
            utter_military_help_line(dispatcher, tracker)
        dispatcher.utter_message(response="utter_expedite_rule", **facts(tracker))
        dispatcher.utter_message(response="utter_offer_expedite")
        return []


__all__ = ["ActionEmailQuestion", "ActionExpediteQuestion"]

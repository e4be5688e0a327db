"""At the end of a long conversation (far more turns than the latest ones the action server is sent,
rasa_project/conversation_window.py), through the real stack: the feedback buttons are not
offered a second time, "not understood twice" still offers a person, the agents' queue gets the
latest topics, and a reschedule form started late, and kept open past the window, still moves
only the code the customer proved."""

from __future__ import annotations

import re
import uuid

import redis

from rasa_project.conversation_window import CUSTOMER_MESSAGES
from rasa_project.staff.handoff import HandoffDesk
from testing.conversation_runner import send

NOW = "2026-03-10T10:00:00-05:00"  # a Tuesday morning (staffed), a day no other test uses
FEEDBACK = ["This resolved my question", "This did not resolve it"]
# Questions answered from the directory, no form, no person offered: what fills the history.
FILLER = [("/ask_fax", "does not have a general fax number"), ("/ask_tdd", "1-800-767-1833"),
          ("/ask_hague_adoption", "1-877-424-8374"), ("/ask_premium_processing", "1-866-315-5718"),
          ("/ask_outreach", "do not answer questions about individual cases")]
LONG = 40
assert LONG > 5 * CUSTOMER_MESSAGES


class Customer:
    def __init__(self, rasa_url: str, name: str) -> None:
        self.url, self.sender = rasa_url, f"{name}-{uuid.uuid4().hex[:10]}"

    def say(self, text: str) -> tuple[str, list[dict]]:
        """The reply's text, and its buttons."""
        replies = send(self.url, self.sender, text, {"now": NOW})
        return ("\n".join(reply.get("text", "") for reply in replies),
                [button for reply in replies for button in reply.get("buttons") or []])

    def chat_on(self, turns: int = LONG) -> list[list[str]]:
        """`turns` directory questions, each answered; the button titles of each answer."""
        offered = []
        for number in range(turns):
            question, answer = FILLER[number % len(FILLER)]
            text, buttons = self.say(question)
            assert answer in text, (number, question, text)
            offered.append(titles(buttons))
        return offered


def titles(buttons: list[dict]) -> list[str]:
    return [button["title"] for button in buttons]


def test_the_feedback_buttons_are_not_offered_again_late_in_a_long_conversation(rasa_url):
    customer = Customer(rasa_url, "long-feedback")
    offered = customer.chat_on()
    assert offered[0] == FEEDBACK and not any(FEEDBACK[0] in b for b in offered[1:]), offered
    text, buttons = customer.say("/ask_tdd")
    assert "1-800-767-1833" in text and buttons == []
    assert "Thank you for telling us" in customer.say("/feedback_resolved")[0]


def test_not_understood_twice_still_offers_a_person_late_in_a_long_conversation(rasa_url):
    customer = Customer(rasa_url, "long-fallback")
    customer.chat_on()
    first, _ = customer.say("/nlu_fallback")
    assert "1-800-375-5283" in first and "A USCIS agent can also join this chat" not in first
    second, _ = customer.say("/nlu_fallback")
    assert "A USCIS agent can also join this chat" in second


def test_the_agents_queue_gets_the_latest_topics_of_a_long_conversation(stack, rasa_url):
    customer = Customer(rasa_url, "long-handoff")
    customer.chat_on()
    for question, answer in [("/ask_tdd", "1-800-767-1833"), ("/ask_fax", "fax"),
                             ("/complaint", "complaint")]:
        assert answer in customer.say(question)[0]
    assert "A USCIS agent can also join this chat" in customer.say("/request_human")[0]
    assert "in line for a USCIS agent" in customer.say("/handoff_accept")[0]
    desk = HandoffDesk(redis.Redis.from_url(stack.settings.effective_redis_url,
                                            decode_responses=True))
    [waiting] = [item for item in desk.queue() if item.id == customer.sender]
    assert waiting.summary == "ask_tdd, ask_fax, complaint"
    desk.end(customer.sender, "long-test", "Thank you.")  # out of the queue


def book(customer: Customer, zip_code: str, name: str) -> str:
    """Books the first free time at the Atlanta Field Office; the confirmation code."""
    assert "ZIP code" in customer.say("I want to make an appointment")[0]
    assert "Atlanta Field Office" in customer.say(zip_code)[0]
    assert "full name" in customer.say("a question about my pending case")[0]
    _, times = customer.say(name)
    booked, _ = customer.say(times[0]["payload"])
    assert "appointment is booked" in booked, booked
    return re.search(r"IP[A-Z2-9]{8}", booked).group(0)


def test_a_reschedule_form_begun_late_and_kept_open_moves_only_the_proved_code(rasa_url):
    victims_code = book(Customer(rasa_url, "long-victim"), "30303", "Victim Person")
    customer = Customer(rasa_url, "long-reschedule")
    own_code = book(customer, "30309", "Own Person")
    customer.chat_on()

    assert "confirmation code" in customer.say("I need to reschedule my appointment")[0]
    assert "ZIP code or date of birth" in customer.say(own_code)[0]
    text, times = customer.say("30309")
    assert times, text
    # The form stays open past the latest turns the action server is sent: questions on the way
    # are answered and the form asks again; then a message carrying someone else's code.
    for question, answer in FILLER + FILLER[:1]:
        text, buttons = customer.say(question)
        assert answer in text and titles(buttons) == titles(times), text
    text, _ = customer.say(victims_code)
    assert "choose one of the times" in text, text
    moved, _ = customer.say(times[0]["payload"])
    assert f"{own_code} is moved to" in moved, moved

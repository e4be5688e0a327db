"""First Contact Resolution: two buttons on an answer, once, never inside a form; the dashboard's
figures match the feedback of a scripted run of 30 conversations. The vendored Chart.js is the
one package-lock.json pins."""

from __future__ import annotations

import uuid
from collections import Counter

from ops.settings import ROOT
from testing.conversation_runner import send
from tests.integration.staff_web import add_account, sign_in

ASKED = ["This resolved my question", "This did not resolve it"]
DAYS = ("2026-03-03", "2026-03-04")  # weekdays no other test uses
TOPICS = ("ask_fax", "ask_tdd", "ask_contact_center", "ask_premium_processing")
OUTCOMES = ("yes", "no", "skip", "yes", "no, then a person")


def chat(rasa_url: str, sender: str, text: str, day: str) -> tuple[str, list[str]]:
    """The reply's text, and the titles of its buttons."""
    replies = send(rasa_url, sender, text, {"now": f"{day}T11:00:00-05:00"})
    return ("\n".join(reply.get("text", "") for reply in replies),
            [button["title"] for reply in replies for button in reply.get("buttons") or []])


def say(rasa_url: str, sender: str, text: str, day: str) -> str:
    return chat(rasa_url, sender, text, day)[0]


def asked(rasa_url: str, sender: str, text: str, day: str) -> bool:
    return chat(rasa_url, sender, text, day)[1] == ASKED


def test_the_dashboard_matches_a_scripted_run_of_30_conversations(stack, rasa_url):
    expected = {day: Counter() for day in DAYS}
    per_topic: dict[str, Counter] = {topic: Counter() for topic in TOPICS}
    for number in range(30):
        sender, day = f"fcr-{number}-{uuid.uuid4().hex[:6]}", DAYS[number // 15]
        topic, outcome = TOPICS[number % 4], OUTCOMES[number % 5]
        if number % 7 == 0:
            say(rasa_url, sender, "/nlu_fallback", day)
            expected[day]["fallback"] += 1
        assert asked(rasa_url, sender, f"/{topic}", day)
        if outcome == "yes":
            assert "Thank you for telling us" in say(rasa_url, sender, "/feedback_resolved", day)
            expected[day]["resolved"] += 1
            per_topic[topic]["resolved"] += 1
        elif outcome.startswith("no"):
            assert "A USCIS agent can also join" in say(rasa_url, sender,
                                                        "/feedback_not_resolved", day)
            expected[day]["not_resolved"] += 1
            per_topic[topic]["not_resolved"] += 1
            if outcome == "no, then a person":
                assert "in line" in say(rasa_url, sender, "/handoff_accept", day)
                expected[day]["handoff"] += 1
                per_topic[topic]["handoff"] += 1
        else:  # no answer; the next question is not asked about again
            assert not asked(rasa_url, sender, "/ask_fax", day)

    add_account(stack.settings.effective_redis_url, "dana", "agent")
    agent = sign_in(stack.settings.web_url, "dana")
    figures = agent.get(stack.settings.web_url + "/staff/api/dashboard",
                        params={"from": DAYS[0], "to": DAYS[1]}).json()
    for day in DAYS:
        counts = expected[day]
        answered = counts["resolved"] + counts["not_resolved"]
        assert figures["days"][day] == {
            "resolved": counts["resolved"], "not_resolved": counts["not_resolved"],
            "fallback": counts["fallback"], "handoff": counts["handoff"],
            "rate": round(counts["resolved"] / answered, 3)}, day
    for topic, counts in per_topic.items():
        shown = figures["topics"][topic]
        assert (shown["resolved"], shown["not_resolved"], shown["handoff"]) == (
            counts["resolved"], counts["not_resolved"], counts["handoff"]), topic
    assert sum(d["resolved"] for d in figures["days"].values()) == 12  # 30 x 2/5
    assert sum(d["not_resolved"] for d in figures["days"].values()) == 12


def test_the_question_is_never_asked_inside_a_form(stack, rasa_url):
    sender = f"fcr-form-{uuid.uuid4().hex[:6]}"
    say(rasa_url, sender, "open a service request", DAYS[0])
    inside, buttons = chat(rasa_url, sender, "what is the fax number", DAYS[0])
    assert "does not have a general fax number" in inside and buttons == []
    outside, buttons = chat(rasa_url, f"{sender}-b", "what is the fax number", DAYS[0])
    assert "does not have a general fax number" in outside and buttons == ASKED


def test_the_served_chart_js_is_the_pinned_one(stack):
    import json

    import requests

    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/chart.js"]["version"] == "4.6.1"
    pinned = (ROOT / "node_modules" / "chart.js" / "dist" / "chart.umd.min.js").read_bytes()
    add_account(stack.settings.effective_redis_url, "dana", "agent")
    served = sign_in(stack.settings.web_url, "dana").get(
        stack.settings.web_url + "/staff/static/chart.umd.js")
    assert served.status_code == 200 and served.content == pinned
    assert requests.get(stack.settings.web_url + "/staff/static/chart.umd.js").status_code == 401

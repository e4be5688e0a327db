"""Many messages of one conversation at once, through Rasa's REST channel and the Redis lock
store: every one is answered with its own answer, and the stored conversation holds whole turns,
one after another (no turn starts before the previous one has finished)."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import redis

from rasa_project.conversation_record import read_events
from testing.conversation_runner import send

# Single-turn questions whose answers do not depend on what came before, each with a fact only
# its own answer holds.
QUESTIONS = {
    "my mother is deaf, how can she call uscis": "deaf or hard of hearing",
    "is there a special phone line for premium processing": "1-866-315-5718",
    "we are adopting a child from a hague convention country, who can we call": "1-877-424-8374",
    "what is the uscis fax number": "does not have a general fax number",
    "can I ask about my pending case at the uscis community outreach event":
        "do not answer questions about individual cases",
    "where do I mail my response to the request for evidence": "Find a USCIS Office page",
    "what is infopass?": "schedule, cancel or reschedule",
    "my husband is in the army, who do we call": "1-877-CIS-4MIL",
}


def test_messages_sent_at_once_are_all_answered_and_stored_turn_by_turn(stack, rasa_url):
    sender = f"burst-{uuid.uuid4().hex[:8]}"
    start = threading.Barrier(len(QUESTIONS))

    def ask(text: str) -> str:
        start.wait()  # all requests leave together
        return "\n".join(r.get("text", "") for r in send(rasa_url, sender, text, {}))

    with ThreadPoolExecutor(len(QUESTIONS)) as pool:
        replies = dict(zip(QUESTIONS, pool.map(ask, QUESTIONS), strict=True))
    for text, fact in QUESTIONS.items():
        assert fact in replies[text], f"{text!r} got: {replies[text]}"
        assert "couldn't answer" not in replies[text]

    stored = read_events(redis.Redis.from_url(stack.settings.effective_redis_url),
                         f"assistant:tracker:{sender}")
    events = [e for e in stored
              if e["event"] in ("user", "bot") or
              (e["event"] == "action" and e["name"] == "action_listen")]
    turns: list[dict] = []
    for event in events:
        if event["event"] == "user":
            assert not turns or turns[-1]["listened"], \
                f"{event['text']!r} was stored before the turn of {turns[-1]['user']!r} ended"
            turns.append({"user": event["text"], "bot": "", "listened": False})
        elif turns and event["event"] == "bot":
            turns[-1]["bot"] += event["text"] + "\n"
        elif turns:
            turns[-1]["listened"] = True
    assert sorted(turn["user"] for turn in turns) == sorted(QUESTIONS)
    for turn in turns:
        assert QUESTIONS[turn["user"]] in turn["bot"], turn
        assert turn["listened"], turn

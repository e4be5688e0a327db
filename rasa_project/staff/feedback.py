"""First Contact Resolution: the customers' "did this resolve your inquiry?" answers, counted
per day, topic and language in Redis, beside the fallbacks and handoffs of each day and topic;
and the dashboard's figures computed from them.

Counters: hash `staff:fcr:<YYYY-MM-DD>`, field `<kind>|<topic>|<language>`, kind one of KINDS.
A conversation's own answer is kept too (`staff:fcr:answer:<id>`) for the review filter.
"""

from __future__ import annotations

import os
from collections import defaultdict
from datetime import date, timedelta

import redis

from rasa_project import settings

PREFIX = "staff:fcr:"
KINDS = ("resolved", "not_resolved", "fallback", "handoff")
NO_TOPIC = "(none)"


def keep_seconds() -> int:
    return int(os.environ.get("FCR_KEEP_DAYS", "400")) * settings.DAY_SECONDS


class FeedbackStore:
    def __init__(self, client: redis.Redis) -> None:
        self.redis = client

    def count(self, kind: str, day: date, topic: str | None, language: str = "en") -> None:
        if kind not in KINDS:
            raise ValueError(kind)
        key = PREFIX + day.isoformat()
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.hincrby(key, f"{kind}|{topic or NO_TOPIC}|{language}", 1)
            pipe.expire(key, keep_seconds())
            pipe.execute()

    def answer(self, conversation: str, day: date, topic: str | None, resolved: bool,
               language: str = "en") -> None:
        self.count("resolved" if resolved else "not_resolved", day, topic, language)
        self.redis.set(PREFIX + "answer:" + conversation, "resolved" if resolved else
                       "not_resolved", ex=keep_seconds())

    def answer_of(self, conversation: str) -> str | None:
        return self.redis.get(PREFIX + "answer:" + conversation)

    def dashboard(self, first: date, last: date, language: str | None = None) -> dict:
        """Per day and per topic: resolved, not resolved, resolution rate, fallbacks, handoffs."""
        days: dict[str, dict[str, int]] = {}
        topics: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(KINDS, 0))
        day = first
        while day <= last:
            totals = dict.fromkeys(KINDS, 0)
            for field, value in self.redis.hgetall(PREFIX + day.isoformat()).items():
                kind, topic, lang = field.split("|")
                if language and lang != language:
                    continue
                totals[kind] += int(value)
                topics[topic][kind] += int(value)
            days[day.isoformat()] = totals
            day += timedelta(days=1)
        for counts in [*days.values(), *topics.values()]:
            answered = counts["resolved"] + counts["not_resolved"]
            counts["rate"] = round(counts["resolved"] / answered, 3) if answered else None
        return {"days": days, "topics": dict(sorted(topics.items()))}

"""Reply-level conversation tests that staff write in YAML and run against a live assistant.

Rasa's own `rasa test` checks intents and action names; these check what the customer reads,
through the real REST channel, actions and Redis. Each conversation may fix the clock (`now`),
which the action server honours only when ASSISTANT_ALLOW_CLOCK_OVERRIDE=1.

    conversations:
      - name: military spouse after hours
        now: "2026-12-01T16:31:00-06:00"
        page_language: "es"  # optional: the page's language, sent as the widget does
        turns:
          - user: "my husband is in the army"
            expect: ["Military Help Line", "closed now"]  # every one must be in the reply
            expect_any: ["open now", "closed now"]        # at least one must be
            forbid: ["Premium Processing"]            # none of these may be
            buttons: ["Military Help Line"]       # optional: titles that must be offered
          - user: "check my service request"
            capture: {reference: "SR\\d{8}"}     # optional: keep a value from the reply...
          - user: "{reference}"                    # ...and send it in a later turn
            expect: ["What is the ZIP code or date of birth"]

Every turn must check what the customer reads: a turn without `expect`, `expect_any`, `buttons`
or `capture`, or with a key the runner does not know (a typo such as `expects:` would otherwise
check nothing), makes the file refused before anything is sent. The REST channel's "couldn't
answer" message (a turn that produced no reply) fails a turn unless the turn expects it.

Run: python -m testing.conversation_runner tests/conversations [--url URL]  (default: RASA_URL, else
http://127.0.0.1:5005)
"""

from __future__ import annotations

import json
import re
import sys
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rasa_project import settings
from rasa_project.messages import no_answer_message

REQUEST_TIMEOUT_SECONDS = 30
_NO_ANSWERS = (no_answer_message("en"), no_answer_message("es"))
TURN_KEYS = {"user", "expect", "expect_any", "forbid", "buttons", "capture", "now"}
CHECKS = ("expect", "expect_any", "buttons", "capture")  # a turn needs at least one
CONVERSATION_KEYS = {"name", "now", "turns", "page_language"}
FILE_KEYS = {"conversations"}


class ConversationFileError(ValueError):
    """A conversation file the runner refuses: a turn that checks nothing, or an unknown key."""


@dataclass(frozen=True)
class Turn:
    user: str
    expect: tuple[str, ...] = ()
    expect_any: tuple[str, ...] = ()
    forbid: tuple[str, ...] = ()
    buttons: tuple[str, ...] = ()
    capture: tuple[tuple[str, str], ...] = ()
    now: str | None = None  # overrides the conversation's clock for this turn


@dataclass(frozen=True)
class Conversation:
    name: str
    source: str
    turns: tuple[Turn, ...]
    now: str | None = None
    page_language: str | None = None  # sent as the website widget does, with every message


@dataclass(frozen=True)
class TurnOutcome:
    """One turn as it ran: what was sent, what came back, what was wrong with it."""
    number: int
    user: str
    reply: str
    problems: tuple[str, ...]


@dataclass
class Result:
    conversation: Conversation
    failures: list[str] = field(default_factory=list)
    transcript: list[str] = field(default_factory=list)
    turns: list[TurnOutcome] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def load_conversations(folder: Path) -> list[Conversation]:
    conversations: list[Conversation] = []
    for path in sorted(Path(folder).glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        _refuse_unknown(data, FILE_KEYS, path.name)
        for item in data.get("conversations", []):
            where = f"{path.name}: {item.get('name')!r}"
            _refuse_unknown(item, CONVERSATION_KEYS, where)
            if not item.get("name") or not item.get("turns"):
                raise ConversationFileError(f"{where}: a conversation needs a name and turns")
            turns = tuple(_turn(turn, f"{where} turn {number}")
                          for number, turn in enumerate(item["turns"], start=1))
            conversations.append(Conversation(item["name"], path.name, turns, item.get("now"),
                                              item.get("page_language")))
    return conversations


def _turn(turn: Any, where: str) -> Turn:
    if not isinstance(turn, dict) or "user" not in turn:
        raise ConversationFileError(f"{where}: a turn needs `user:`")
    _refuse_unknown(turn, TURN_KEYS, where)
    if not any(turn.get(check) for check in CHECKS):
        raise ConversationFileError(
            f"{where} ({turn['user']!r}): checks nothing; give it one of {', '.join(CHECKS)}")
    return Turn(
        user=str(turn["user"]),
        expect=tuple(turn.get("expect", [])),
        expect_any=tuple(turn.get("expect_any", [])),
        forbid=tuple(turn.get("forbid", [])),
        buttons=tuple(turn.get("buttons", [])),
        capture=tuple((turn.get("capture") or {}).items()),
        now=turn.get("now"),
    )


def _refuse_unknown(item: Any, known: set[str], where: str) -> None:
    if not isinstance(item, dict):
        raise ConversationFileError(f"{where}: expected a mapping, got {item!r}")
    unknown = sorted(set(item) - known)
    if unknown:
        raise ConversationFileError(f"{where}: unknown key(s) {unknown}; known: {sorted(known)}")


def send(url: str, sender: str, text: str, metadata: dict[str, Any]) -> list[dict]:
    body = json.dumps({"sender": sender, "message": text, "metadata": metadata}).encode()
    request = urllib.request.Request(
        f"{url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT_SECONDS) as response:
        return json.loads(response.read())


def run_conversation(url: str, conversation: Conversation) -> Result:
    result = Result(conversation)
    sender = f"convtest-{uuid.uuid4().hex[:12]}"
    captured: dict[str, str] = {}
    for number, turn in enumerate(conversation.turns, start=1):
        user = _fill(turn.user, captured)
        metadata = {"now": turn.now or conversation.now} if (turn.now or conversation.now) else {}
        if conversation.page_language:
            metadata["page_language"] = conversation.page_language
        replies = send(url, sender, user, metadata)
        text = "\n".join(reply.get("text", "") for reply in replies)
        titles = [b.get("title", "") for reply in replies for b in reply.get("buttons", []) or []]
        result.transcript += [f"user: {user}", *(f"bot: {line}" for line in text.split("\n"))]
        problems: list[str] = []
        for name, pattern in turn.capture:
            match = re.search(pattern, text)
            if match:
                captured[name] = match.group(0)
            else:
                problems.append(f"nothing matching {pattern!r} to capture")
        if not replies:
            problems.append("no reply")
        if (any(no_answer.lower() in text.lower() for no_answer in _NO_ANSWERS)
                and not _expects_no_answer(turn)):
            problems.append("the assistant couldn't answer (no reply produced)")
        for expected in (_fill(e, captured) for e in turn.expect):
            if expected.lower() not in text.lower():
                problems.append(f"expected {expected!r}")
        if turn.expect_any and not any(e.lower() in text.lower() for e in turn.expect_any):
            problems.append(f"expected one of {list(turn.expect_any)}")
        for forbidden in turn.forbid:
            if forbidden.lower() in text.lower():
                problems.append(f"must not say {forbidden!r}")
        for title in turn.buttons:
            if title not in titles:
                problems.append(f"expected a button {title!r}, got {titles}")
        result.failures += [f"turn {number} ({turn.user!r}): {problem}" for problem in problems]
        result.turns.append(TurnOutcome(number, user, text, tuple(problems)))
    return result


def _expects_no_answer(turn: Turn) -> bool:
    wanted = " ".join(turn.expect + turn.expect_any).lower()
    return "couldn't answer" in wanted


def _fill(text: str, captured: dict[str, str]) -> str:
    for name, value in captured.items():
        text = text.replace("{" + name + "}", value)
    return text


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--url", default=settings.rasa_url(), help="default: RASA_URL")
    args = parser.parse_args(argv)
    results = [run_conversation(args.url, c) for c in load_conversations(args.folder)]
    for result in results:
        status = "PASS" if result.passed else "FAIL"
        print(f"{status}  {result.conversation.source}: {result.conversation.name}")
        for failure in result.failures:
            print(f"      {failure}")
    passed = sum(r.passed for r in results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

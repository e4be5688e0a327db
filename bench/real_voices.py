"""First Contact Resolution on bench/heldout_real_voices.yml: each message opens a new
conversation through the REST webhook of a running stack, and the first reply (every message the
assistant sends back to that first turn) must hold each `fact` and none of the `never` strings.

    python -m bench.real_voices [--url URL]   # against a running stack (default: RASA_URL)
    python -m bench.real_voices --start                          # starts its own stack (env ports)
    python -m bench.real_voices --start --set real --set fresh   # both held-out sets
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

from rasa_project import settings as assistant_settings
from testing.conversation_runner import send

HERE = Path(__file__).resolve().parent
VOICES = HERE / "heldout_real_voices.yml"
# Written on 2026-11-30 before that session's changes, in voices unlike both of the others.
FRESH_VOICES = HERE / "heldout_fresh_voices.yml"
SETS = {"real": VOICES, "fresh": FRESH_VOICES}
TARGET = 0.95
# A bounded, small pool: the stack runs on the same two cores as the benchmark.
CONCURRENCY = 4


@dataclass(frozen=True)
class Case:
    text: str
    facts: tuple[str, ...]
    never: tuple[str, ...]
    group: str


def load_cases(path: Path = VOICES) -> list[Case]:
    cases = []
    for group in yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]:
        for item in group["messages"]:
            item = item if isinstance(item, dict) else {"text": item}
            # An unquoted comma in a YAML flow mapping cuts the text and makes a stray key.
            unknown = set(item) - {"text", "fact", "never"}
            if unknown:
                raise ValueError(f"{path.name}: unknown keys {sorted(unknown)} in {item}")
            cases.append(Case(str(item["text"]), tuple(item.get("fact", group.get("fact", []))),
                              tuple(item.get("never", group.get("never", []))), group["name"]))
    return cases


def first_reply(url: str, text: str) -> str:
    replies = send(url, f"voices-{uuid.uuid4().hex[:12]}", text, {})
    return "\n".join(reply.get("text", "") or "" for reply in replies)


def judge(case: Case, reply: str) -> dict:
    low = reply.lower()
    missing = [fact for fact in case.facts if fact.lower() not in low]
    wrong = [text for text in case.never if text.lower() in low]
    # Score per message: the share of its facts present, zero if it says what it must not.
    share = 0.0 if wrong else (1 - len(missing) / len(case.facts) if case.facts else 1.0)
    return {"text": case.text, "group": case.group, "passed": not missing and not wrong,
            "score": share, "missing": missing, "wrong": wrong, "reply": reply}


def score(url: str, path: Path = VOICES, judge_reply=judge) -> dict:
    """Every message of `path` through the webhook at `url`, judged by `judge_reply(case, reply)`
    (bench/spanish_voices.py adds that the reply must be in Spanish)."""
    cases = load_cases(path)

    def one(case: Case) -> dict:
        try:
            return judge_reply(case, first_reply(url, case.text))
        except OSError as error:  # a timeout or refused connection is a failed message
            return judge_reply(case, f"<no reply: {error}>")

    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        results = list(pool.map(one, cases))
    by_group: dict[str, list[dict]] = {}
    for result in results:
        by_group.setdefault(result["group"], []).append(result)
    worst = sorted(results, key=lambda r: (r["score"], r["group"]))[:10]
    return {
        "set": path.name,
        "messages": len(results),
        "first_reply_correct": sum(r["passed"] for r in results) / len(results),
        "by_group": {name: sum(r["passed"] for r in rs) / len(rs) for name, rs in by_group.items()},
        "worst": worst,
        "failures": [r for r in results if not r["passed"]],
    }


def report_lines(result: dict, what: str | None = None, passing: str = "holds the fact",
                 target: float = TARGET) -> list[str]:
    what = what or f"in real customers' voices (bench/{result.get('set', VOICES.name)})"
    lines = [f"- {result['messages']} messages {what}: first reply {passing} "
             f"{result['first_reply_correct']:.3f} (target {target})", "",
             "| group | first reply correct |", "|---|---|"]
    lines += [f"| {name} | {share:.3f} |" for name, share in result["by_group"].items()]
    lines += [
        "",
        "Ten worst messages:",
        "",
        "| message | missing | said but must not | first reply |",
        "|---|---|---|---|",
    ]
    for r in result["worst"]:
        reply = " ".join(r["reply"].split())[:160].replace("|", "/")
        lines.append(
            f"| {r['text']} | {', '.join(r['missing'])} | {', '.join(r['wrong'])} | {reply} |"
        )
    return lines


def main(argv: list[str], scorers: dict | None = None, lines=report_lines,
         description: str = __doc__) -> int:
    """`scorers`: set name -> score(url); the first is the default (bench/spanish_voices.py
    passes its own)."""
    scorers = scorers or {name: (lambda url, path=path: score(url, path))
                          for name, path in SETS.items()}
    parser = argparse.ArgumentParser(description=description.split("\n")[0])
    parser.add_argument("--url", default=None)
    parser.add_argument("--start", action="store_true", help="start a stack of its own")
    parser.add_argument("--failures", action="store_true", help="print every failed message")
    parser.add_argument("--set", choices=sorted(scorers), action="append",
                        help=f"which held-out set (default: {next(iter(scorers))}); may repeat")
    args = parser.parse_args(argv)
    stack = None
    if args.start:
        from ops.settings import Settings
        from ops.stack import Stack

        # Ports of its own unless given, so that it never meets a developer's `make run`.
        env = {"RASA_PORT": "25105", "ACTION_PORT": "25155", "LOCAL_REDIS_PORT": "26489",
               "PUBLIC_PORT": "25180", "WEB_PORT": "25181",
               # One client sending every message: the proxy's per-client limits must not count.
               "RATE_LIMIT_PER_SECOND": "100000", "RATE_LIMIT_BURST": "100000",
               **os.environ, "STACK_STATE_DIR": "var/voices"}
        env.pop("REDIS_URL", None)
        settings = Settings.from_env(env)
        stack = Stack(Settings(**{**settings.__dict__, "with_web": False}))
        stack.down()
        stack.up()
        url = stack.settings.rasa_url
    else:
        url = args.url or assistant_settings.rasa_url()
    try:
        results = [scorers[name](url) for name in args.set or [next(iter(scorers))]]
    finally:
        if stack:
            stack.down()
    for result in results:
        print("\n".join(lines(result)))
        if args.failures:
            for r in result["failures"]:
                print(json.dumps({k: r[k] for k in ("text", "missing", "wrong", "reply")}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Runs every Rasa test story and every conversation test and writes a readable report of the
failed ones (results/test-report/: report.json, report.md, report.html).

- Stories: `rasa test core --e2e` over the stories folder (Rasa reads files named `test_*.yml`),
  as `make test-stories` runs them. Rasa's failed_test_stories.yml marks each wrong step with
  `# predicted: ...` but drops what the customer typed, so the story is found again in its own
  file (Rasa appends the file to the story's name) and the turn's `user:` text read there.
- Conversations: tests/conversations/*.yml through the conversation runner
  (testing/conversation_runner.py) against a running assistant, as `make test` runs them.

Each failure names the file, the story or case, the first failing turn, what the customer said,
what was expected and what came back; the totals say how many ran and failed. The staff console
shows the latest report and starts a run (rasa_project/staff/test_runs.py); `make test-report`
runs it from a shell:

    python -m testing.test_report [--stories tests/stories]
        [--conversations tests/conversations] [--url http://127.0.0.1:5005] [--out DIR]
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import yaml

from rasa_project.staff import report_pages
from rasa_project.staff.report_pages import ROOT, report_dir
from testing.conversation_runner import (
    ConversationFileError,
    load_conversations,
    run_conversation,
)

RASA_TEST_TIMEOUT_SECONDS = 1800
STORY_NAME = re.compile(r"^- story: (?P<name>.*) \((?P<file>[^()]*)\)\s*$")
STEP = re.compile(r"^\s+- (?P<kind>[a-z_]+): (?P<value>.*?)(?:\s+# predicted: (?P<got>.*))?$")
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")  # [text](entity) -> text


def stories_dir() -> Path:
    return Path(os.environ.get("TEST_REPORT_STORIES") or ROOT / "tests" / "stories")


def conversations_dir() -> Path:
    return Path(os.environ.get("TEST_REPORT_CONVERSATIONS") or ROOT / "tests" / "conversations")


def assistant_url() -> str:
    """A Rasa replica on loopback (the stack sets RASA_REPLICA_URL): the front door would hold
    a suite's hundreds of quick messages to its per-client rate limit."""
    return os.environ.get("RASA_REPLICA_URL") or \
        f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}"


@dataclass(frozen=True)
class Failure:
    suite: str  # "story" or "conversation"
    file: str
    name: str
    turn: int | None  # the first failing turn (customer messages counted from 1)
    customer: str  # what the customer said in that turn
    expected: str
    got: str
    details: tuple[str, ...] = ()  # every mismatch of the story or case


@dataclass
class Suite:
    total: int = 0
    failed: int = 0
    error: str | None = None  # the suite could not run (or not to the end)
    failures: list[Failure] = field(default_factory=list)


# -- stories ---------------------------------------------------------------------------------------
def story_files(folder: Path) -> list[Path]:
    return sorted(path for path in Path(folder).rglob("test_*.y*ml") if path.is_file())


def customer_turns(steps: list) -> list[str]:
    """What the customer typed in each turn of a story, in order (annotations removed)."""
    turns = []
    for step in steps or []:
        if isinstance(step, dict) and ("intent" in step or "user" in step):
            turns.append(ANNOTATION.sub(r"\1", str(step.get("user") or f"/{step.get('intent')}")))
    return turns


def stories_in(path: Path) -> dict[str, list]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(story.get("story")): story.get("steps") or []
            for story in data.get("stories") or [] if isinstance(story, dict)}


def failed_stories(text: str) -> list[tuple[str, str, list[tuple[int, str, str]]]]:
    """(name, file, [(turn, expected step, what Rasa predicted)]) per story of Rasa's
    failed_test_stories.yml."""
    stories: list[tuple[str, str, list[tuple[int, str, str]]]] = []
    turn = 0
    for line in text.splitlines():
        header = STORY_NAME.match(line)
        if header:
            stories.append((header["name"], header["file"], []))
            turn = 0
            continue
        step = STEP.match(line)
        if not step or not stories:
            continue
        if step["kind"] in ("intent", "user"):
            turn += 1
        if step["got"] is not None:
            stories[-1][2].append((turn, f"{step['kind']}: {step['value']}", step["got"]))
    return stories


def story_failures(failed_file_text: str) -> list[Failure]:
    failures = []
    for name, file, mismatches in failed_stories(failed_file_text):
        path = Path(file)
        turns = customer_turns(stories_in(path).get(name, [])) if path.is_file() else []
        turn, expected, got = mismatches[0] if mismatches else (0, "", "")
        customer = turns[turn - 1] if 0 < turn <= len(turns) else ""
        details = tuple(f"turn {t}: expected {e}, predicted {g}" for t, e, g in mismatches)
        failures.append(Failure("story", _shown(path), name, turn or None, customer, expected,
                                got, details))
    return failures


def run_stories(folder: Path, model: Path) -> Suite:
    files = story_files(folder)
    suite = Suite(total=sum(len(stories_in(path)) for path in files))
    if not suite.total:
        return suite
    rasa = Path(sys.executable).with_name("rasa")
    with tempfile.TemporaryDirectory(prefix="test-report-") as out:
        try:
            done = subprocess.run(
                [str(rasa), "test", "core", "--e2e", "--model", str(model), "--stories",
                 str(folder), "--out", out], cwd=ROOT, capture_output=True, text=True, check=False,
                timeout=RASA_TEST_TIMEOUT_SECONDS,
                env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TQDM_DISABLE": "1"})
        except (OSError, subprocess.TimeoutExpired) as error:
            suite.error = f"rasa test did not run: {type(error).__name__}: {error}"
            return suite
        failed = Path(out) / "failed_test_stories.yml"
        if done.returncode != 0 or not failed.is_file():
            suite.error = f"rasa test failed (exit {done.returncode}): " + \
                (done.stderr.strip().splitlines() or ["no output"])[-1]
            return suite
        suite.failures = story_failures(failed.read_text(encoding="utf-8"))
    suite.failed = len(suite.failures)
    return suite


# -- conversations ---------------------------------------------------------------------------------
def run_conversations(folder: Path, url: str) -> Suite:
    suite = Suite()
    try:
        conversations = load_conversations(folder)
    except (ConversationFileError, yaml.YAMLError) as error:
        suite.error = f"conversation files refused: {error}"
        return suite
    suite.total = len(conversations)
    for conversation in conversations:
        try:
            result = run_conversation(url, conversation)
        except (urllib.error.URLError, OSError) as error:
            suite.error = f"the assistant at {url} did not answer ({error}); is the stack " \
                          "running (make up) with ASSISTANT_ALLOW_CLOCK_OVERRIDE=1?"
            break
        if result.passed:
            continue
        first = next(turn for turn in result.turns if turn.problems)
        suite.failures.append(Failure(
            "conversation", _shown(folder / conversation.source), conversation.name, first.number,
            first.user, "; ".join(first.problems), first.reply, tuple(result.failures)))
    suite.failed = len(suite.failures)
    return suite


# -- the report ------------------------------------------------------------------------------------
def build(stories: Path, conversations: Path, url: str, model: Path) -> dict:
    started = time.monotonic()
    story_suite = run_stories(stories, model)
    conversation_suite = run_conversations(conversations, url)
    suites = {"stories": story_suite, "conversations": conversation_suite}
    return {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seconds": round(time.monotonic() - started, 1),
        "totals": {name: {"total": s.total, "failed": s.failed, "error": s.error}
                   for name, s in suites.items()},
        "failures": [asdict(f) for s in suites.values() for f in s.failures],
    }


def write(report: dict, out: Path) -> None:
    """The report as JSON, markdown and HTML; each file replaced whole, so a reader never sees
    half a report."""
    out.mkdir(parents=True, exist_ok=True)
    for name, text in (("report.md", report_pages.markdown(report)),
                       ("report.html", report_pages.html_page(report)),
                       ("report.json", json.dumps(report, indent=2, ensure_ascii=False))):
        partial = out / f".{name}.partial"
        partial.write_text(text, encoding="utf-8")
        partial.replace(out / name)


def run(stories: Path | None = None, conversations: Path | None = None, url: str | None = None,
        out: Path | None = None, model: Path | None = None) -> dict:
    """Runs both suites and writes the report; what `make test-report` and the console call."""
    report = build(stories or stories_dir(), conversations or conversations_dir(),
                   url or assistant_url(), model or ROOT / "models" / "current.tar.gz")
    write(report, out or report_dir())
    return report


def failed(report: dict) -> bool:
    return bool(report["failures"]) or any(t["error"] for t in report["totals"].values())


def _shown(path: Path) -> str:
    """A path relative to the project when inside it, for a shorter report."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=Path, default=None)
    parser.add_argument("--conversations", type=Path, default=None)
    parser.add_argument("--url", default=None,
                        help="a Rasa replica (default: RASA_REPLICA_URL, or port RASA_PORT)")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args(argv)
    report = run(args.stories, args.conversations, args.url, args.out, args.model)
    print(report_pages.summary(report))
    print(f"report: {(args.out or report_dir()) / 'report.html'}")
    return 1 if failed(report) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

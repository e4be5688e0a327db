"""The YAML conversations in tests/conversations, through the real REST webhook and actions.

`make test-unpatched` runs this file again with RASA_PATCHES=off: the same conversations on plain
Rasa (docs/patches.md)."""

from __future__ import annotations

import pytest

from ops.settings import ROOT
from ops.stack import Stack
from rasa_extensions import patches
from testing.conversation_runner import load_conversations, run_conversation

CONVERSATIONS = load_conversations(ROOT / "tests" / "conversations")


def test_the_conversation_suite_covers_what_the_chapter_asks():
    names = " ".join(c.name for c in CONVERSATIONS)
    assert sum(c.source == "out_of_scope.yml" for c in CONVERSATIONS) >= 20
    for topic in ("Contact Center", "TDD", "premium", "hague", "infopass", "abroad", "mail",
                  "email", "fax", "outreach", "complaint", "office hours", "16:31"):
        assert topic.lower() in names.lower(), topic


def test_rasa_runs_patched_or_not_as_asked(stack: Stack):
    """Both runs of the suite are what they claim: each Rasa replica says at start-up whether it
    installed the patches (rasa_extensions/patches)."""
    for program in stack.programs("rasa"):
        logs = stack.log_file(program).parent.glob(f"{program}.log*")  # rotated ones too
        log = "".join(path.read_text(encoding="utf-8", errors="replace") for path in logs)
        if patches.enabled():
            assert "Rasa patches installed" in log and "RASA_PATCHES=off" not in log, program
        else:
            assert "RASA_PATCHES=off" in log and "Rasa patches installed" not in log, program


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=lambda c: f"{c.source}:{c.name}")
def test_conversation(rasa_url, conversation):
    result = run_conversation(rasa_url, conversation)
    assert result.passed, "\n".join(result.failures + ["--- transcript ---", *result.transcript])

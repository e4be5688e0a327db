"""The YAML conversations in tests/conversations, through the real REST webhook and actions."""

from __future__ import annotations

import pytest

from ops.settings import ROOT
from testing.conversation_runner import load_conversations, run_conversation

CONVERSATIONS = load_conversations(ROOT / "tests" / "conversations")


def test_the_conversation_suite_covers_what_the_chapter_asks():
    names = " ".join(c.name for c in CONVERSATIONS)
    assert sum(c.source == "out_of_scope.yml" for c in CONVERSATIONS) >= 20
    for topic in ("Contact Center", "TDD", "premium", "hague", "infopass", "abroad", "mail",
                  "email", "fax", "outreach", "complaint", "office hours", "16:31"):
        assert topic.lower() in names.lower(), topic


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=lambda c: f"{c.source}:{c.name}")
def test_conversation(rasa_url, conversation):
    result = run_conversation(rasa_url, conversation)
    assert result.passed, "\n".join(result.failures + ["--- transcript ---", *result.transcript])

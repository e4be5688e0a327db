"""Conversation review: real conversations listed and filtered in the console, and exported as a
Rasa test story that passes `rasa test` once saved, and as a conversation case that passes."""

from __future__ import annotations

import subprocess
import uuid
from dataclasses import replace

from ops.settings import ROOT, VENV_BIN
from testing.conversation_runner import load_conversations, run_conversation, send
from tests.integration.staff_web import add_account, sign_in

NOW = {"now": "2026-11-10T10:00:00-05:00"}


def test_a_real_conversation_becomes_a_passing_test_story_and_case(stack, rasa_url, tmp_path):
    url, web = stack.settings.effective_redis_url, stack.settings.web_url
    fax, lost = f"review-fax-{uuid.uuid4().hex[:8]}", f"review-lost-{uuid.uuid4().hex[:8]}"
    for text in ("hello", "what is the fax number", "I want to talk to a person", "/deny"):
        send(rasa_url, fax, text, NOW)
    for text in ("blorf zizzle wump", "quixle florp dran"):
        send(rasa_url, lost, text, NOW)
    add_account(url, "rita", "admin")
    admin = sign_in(web, "rita")

    def listed(**filters) -> list[str]:
        answer = admin.get(web + "/staff/api/conversations", params=filters)
        assert answer.status_code == 200
        return [item["id"] for item in answer.json()]

    assert fax in listed(intent="ask_fax") and lost not in listed(intent="ask_fax")
    assert lost in listed(fallback="1") and fax not in listed(fallback="1")
    assert fax in listed(fallback="0", language="en")
    assert fax not in listed(handoff="1")
    one = admin.get(f"{web}/staff/api/conversations/{fax}").json()
    assert [m["text"] for m in one["messages"] if m["from"] == "customer"][1] == \
        "what is the fax number"

    story = admin.get(f"{web}/staff/api/conversations/{fax}/story")
    assert story.status_code == 200 and "user: |-\n      what is the fax number" in story.text
    stories = tmp_path / "stories"
    stories.mkdir()
    (stories / "reviewed.yml").write_text(story.text)
    tested = subprocess.run(
        [str(VENV_BIN / "rasa"), "test", "core", "--model", str(ROOT / "models/current.tar.gz"),
         "--stories", str(stories), "--fail-on-prediction-errors", "--out",
         str(tmp_path / "results")], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert tested.returncode == 0, tested.stdout[-3000:] + tested.stderr[-3000:]
    assert "story:" not in (tmp_path / "results" / "failed_test_stories.yml").read_text()

    case = admin.get(f"{web}/staff/api/conversations/{fax}/case")
    assert case.status_code == 200
    cases = tmp_path / "conversations"
    cases.mkdir()
    (cases / "reviewed.yml").write_text(case.text)
    [conversation] = load_conversations(cases)
    assert all(turn.expect for turn in conversation.turns)
    assert conversation.turns[2].buttons == ("Yes, connect me with an agent", "No, thanks")
    result = run_conversation(rasa_url, replace(conversation, now=NOW["now"]))
    assert result.passed, result.failures

"""The YAML conversation runner refuses a turn that checks nothing or a key it does not know, and
fails a turn that got the REST channel's "couldn't answer" message unless the turn expects it."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from rasa_project.messages import no_answer_message
from testing.conversation_runner import (
    ConversationFileError,
    load_conversations,
    run_conversation,
)

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "c.yml").write_text(text, encoding="utf-8")
    return tmp_path


def test_every_turn_of_the_project_suite_checks_the_reply():
    conversations = load_conversations(ROOT / "tests" / "conversations")  # refuses otherwise
    assert sum(len(c.turns) for c in conversations) >= 240


def test_a_turn_that_checks_nothing_is_refused(tmp_path):
    folder = write(tmp_path, """
conversations:
  - name: silent
    turns:
      - user: "hello"
        expect: ["Hi"]
      - user: "what is the fax number"
        forbid: ["Premium"]
""")
    with pytest.raises(ConversationFileError, match=r"'silent' turn 2 .*checks nothing"):
        load_conversations(folder)


@pytest.mark.parametrize("where, text", [
    ("turn", '      - user: "hi"\n        expects: ["Hi"]\n'),
    ("conversation", '      - user: "hi"\n        expect: ["Hi"]\n    clock: "2026-12-01"\n'),
])
def test_an_unknown_key_is_refused(tmp_path, where, text):
    folder = write(tmp_path, "conversations:\n  - name: typo\n    turns:\n" + text)
    with pytest.raises(ConversationFileError, match="unknown key"):
        load_conversations(folder)


@pytest.fixture()
def assistant_that_cannot_answer():
    """A webhook that answers every message as the REST channel does when a turn gave no reply."""
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            sender = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["sender"]
            body = json.dumps([{"recipient_id": sender, "text": no_answer_message()}]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_couldnt_answer_message_fails_a_turn_that_does_not_expect_it(
        tmp_path, assistant_that_cannot_answer):
    folder = write(tmp_path, """
conversations:
  - name: any reply is not enough
    turns:
      - user: "what is the fax number"
        expect_any: ["call", "fax"]
  - name: a test of the outage message
    turns:
      - user: "what is the fax number"
        expect: ["couldn't answer that just now", "1-800-375-5283"]
""")
    unexpected, expected = (run_conversation(assistant_that_cannot_answer, c)
                            for c in load_conversations(folder))
    assert unexpected.failures == [
        "turn 1 ('what is the fax number'): the assistant couldn't answer (no reply produced)"]
    assert expected.passed, expected.failures

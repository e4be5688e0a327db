"""Personal data stays out of the logs; a staff change shows in the customer's next check."""

from __future__ import annotations

import io
import re
import uuid
from contextlib import redirect_stdout

from rasa_project.service_requests import staff
from rasa_project.service_requests.store import ServiceRequestStore
from testing.conversation_runner import send

NOW = {"now": "2026-11-10T10:00:00-06:00"}
NAME = "Zebulon Quixotic"
BIRTH = "03/04/1985"


def chat(rasa_url: str, sender: str, *messages: str) -> str:
    text = ""
    for message in messages:
        text = "\n".join(r.get("text", "") for r in send(rasa_url, sender, message, NOW))
    return text


def test_personal_data_never_reaches_the_logs_and_staff_changes_show_in_chat(stack, rasa_url):
    sender = f"privacy-{uuid.uuid4().hex[:8]}"
    created = chat(rasa_url, sender, "open a service request", "EAC2190012345", "I-485",
                   "my card never arrived", NAME, BIRTH, "zq@example.com")
    reference = re.search(r"SR[A-HJ-NP-Z2-9]{9}", created).group(0)

    store = ServiceRequestStore.from_url(stack.settings.effective_redis_url)
    with redirect_stdout(io.StringIO()):
        assert staff.main(["update", reference, "--who", "jdoe", "--status", "responded",
                           "--note", "Your card was re-mailed on November 20."], store=store) == 0

    checked = chat(rasa_url, sender, "check my service request", reference, BIRTH)
    assert "Status: answered" in checked
    assert "Your card was re-mailed on November 20." in checked

    logs = "".join(path.read_text(errors="replace")
                   for path in (stack.log_dir).glob("*.log"))
    assert logs, "the stack wrote no logs to check"
    for secret in (NAME, "Zebulon", BIRTH, "1985-03-04", "zq@example.com"):
        assert secret not in logs

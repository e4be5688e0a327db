"""A handoff's messages: sealed to their conversation while live, and what stays of them once it
ends (the customer's words masked whole; in the agent's, what looks personal and the names the
customer typed)."""

from __future__ import annotations

import pytest

from rasa_project.privacy.sealing import Unreadable, seal, unseal
from rasa_project.staff.handoff import UNREADABLE, message_record, read_record, redacted_transcript


def test_a_sealed_message_opens_only_in_its_own_conversation():
    sealed = message_record("conversation-a", "customer", "I am Zebulon, ZIP 60614", now=5.0)
    assert "Zebulon" not in sealed and "60614" not in sealed
    assert read_record("conversation-a", sealed) == {
        "from": "customer", "text": "I am Zebulon, ZIP 60614", "at": 5.0}
    assert read_record("conversation-b", sealed)["text"] == UNREADABLE
    token = seal("handoff-messages", "a", "text")
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(Unreadable):
        unseal("handoff-messages", "a", tampered)


def test_what_stays_of_a_handoff_names_nobody():
    kept = redacted_transcript([
        {"from": "customer", "text": "I am zebulon quixotic, receipt EAC2190012345", "at": 1},
        {"from": "agent", "text": "Thank you Zebulon Quixotic. I see EAC2190012345 and 60614.",
         "at": 2},
        {"from": "agent", "text": "I am Hank; the Vermont Service Center has it.", "at": 3},
    ])
    assert kept[0] == {"from": "customer", "text": "*" * 44, "at": 1}
    assert kept[1]["text"] == "Thank you ******* ********. I see ************* and *****."
    assert kept[2]["text"] == "I am Hank; the Vermont Service Center has it."

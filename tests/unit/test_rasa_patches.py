"""The compiled check of action server replies accepts and refuses exactly what Rasa's does."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import channels.web  # noqa: F401  (installs the patch, as Rasa's channel loading does)
from channels.rasa_patches import validate_action_result

VALID = {"events": [{"event": "slot", "name": "x", "value": 1}],
         "responses": [{"response": "utter_fax", "text": None}]}
INVALID = {"events": "not a list", "responses": []}


def original(result):
    from jsonschema import validate

    validate(result, RemoteAction.action_response_format_spec())
    return True


def test_installed_on_rasa():
    assert RemoteAction._validate_action_result is validate_action_result


def test_same_verdicts_as_rasa():
    assert validate_action_result(None, VALID) is True and original(VALID) is True
    with pytest.raises(ValidationError) as ours:
        validate_action_result(None, INVALID)
    with pytest.raises(ValidationError) as theirs:
        original(INVALID)
    assert ours.value.message.startswith(theirs.value.message)
    assert "Failed to validate Action server response" in ours.value.message

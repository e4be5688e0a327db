"""One home for each setting and rule: the stack takes the assistant's defaults from
rasa_project/settings.py, the domain never imports ops/, a form's slots come from the domain's form
definitions (checked against Rasa's own reading of domain/), one ZIP rule, one "no" rule, and the
NLU's zip_code entity rather than a second regex."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.form_slots import required_slots, slots_of
from actions.infopass import ValidateAppointmentForm
from actions.stop_form import ActionStopForm
from ops.settings import Settings
from rasa_project import settings
from rasa_project.identity import normalise_identity
from rasa_project.infopass.offices import place_for_zip
from rasa_project.service_requests.routing import says_no_receipt
from rasa_project.text import says_no, zip_code
from tests.unit.rendering import domain, entity, tracker

ROOT = Path(__file__).resolve().parents[2]


def test_the_stack_and_the_assistant_share_their_defaults(tmp_path):
    stack = Settings.from_env({"STACK_STATE_DIR": str(tmp_path)})
    assert (stack.rasa_port, stack.action_port, stack.redis_port, stack.web_port,
            stack.public_port) == (settings.RASA_PORT, settings.ACTION_PORT,
                                   settings.LOCAL_REDIS_PORT, settings.WEB_PORT,
                                   settings.PUBLIC_PORT)
    assert stack.tracker_expiry_seconds == settings.tracker_expiry_seconds({}) == 30 * 86_400
    env = stack.child_env()
    assert env["TRACKER_RECORD_EXPIRY_SECONDS"] == str(settings.TRACKER_RECORD_EXPIRY_SECONDS)
    # What the stack hands its children is what the assistant's processes then read.
    assert settings.redis_url(env) == stack.effective_redis_url
    assert settings.rasa_url(env) == stack.rasa_url


def test_settings_come_from_the_environment_with_safe_defaults():
    assert settings.redis_url({}) == "redis://127.0.0.1:6389/0"
    assert settings.redis_url({"REDIS_URL": "rediss://u:p@r:6380/2"}) == "rediss://u:p@r:6380/2"
    assert settings.tracker_expiry_seconds({"TRACKER_RECORD_EXPIRY_SECONDS": "60"}) == 60
    assert settings.rasa_url({}) == "http://127.0.0.1:5005"
    assert settings.rasa_url({"RASA_URL": "http://127.0.0.1:8080/"}) == "http://127.0.0.1:8080"
    stack = Settings.from_env({"STACK_START_TIMEOUT": "7", "RASA_PORT": "15005"})
    assert (stack.start_timeout_seconds, stack.rasa_port) == (7.0, 15005)


def _imports(path: Path) -> set[tuple[str, bool]]:
    """(module, imported when the module loads) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    at_load = {id(node) for node in tree.body}
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {(alias.name, id(node) in at_load) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add((node.module, id(node) in at_load))
    return found


@pytest.mark.parametrize("package", ["rasa_project", "actions", "rasa_extensions"])
def test_the_assistant_never_imports_operations_or_test_tooling(package):
    """ops/ and bench/ never; testing/ only inside a function that a checkout alone runs (the
    staff console's test report): the image has no testing/ folder, so it may not load with
    the module."""
    def forbidden(name: str, at_load: bool) -> bool:
        top = name.split(".")[0]
        return top in {"ops", "bench"} or (top == "testing" and at_load)

    offenders = {
        str(path.relative_to(ROOT)): sorted(name for name, at_load in _imports(path)
                                            if forbidden(name, at_load))
        for path in (ROOT / package).rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_form_slots_are_the_domains_as_rasa_reads_it():
    rasa_forms = {name: tuple(form["required_slots"]) for name, form in domain().forms.items()}
    assert required_slots() == rasa_forms
    assert slots_of("abroad_form", also=("requested_slot",)) == ("country_of_residence",
                                                                  "requested_slot")
    with pytest.raises(KeyError):
        slots_of("no_such_form")


async def test_stopping_a_form_clears_every_slot_any_form_asks_for():
    asked = {slot for form in domain().forms.values() for slot in form["required_slots"]}
    filled = {slot: "x" for slot in asked | {"requested_slot", "office_key", "field_office"}}
    events = await ActionStopForm().run(CollectingDispatcher(),
                                        tracker("stop", "stop_form", slots=filled), {})
    assert {event["name"] for event in events} == set(filled)
    assert all(event == SlotSet(event["name"], None) for event in events)


@pytest.mark.parametrize("text", ["no", "No.", "nope", "none", "never", "not yet",
                                  "I haven't", "i have not", "didn't", "did not", "Haven't yet"])
def test_a_no_is_a_no(text):
    assert says_no(text)
    assert says_no_receipt(text)


@pytest.mark.parametrize("text", ["nothing came", "notice", "yes", "noon", "I have it",
                                  "EAC2190012345"])
def test_other_answers_are_not_a_no(text):
    assert not says_no(text)


def test_one_zip_rule_for_identity_answers_and_offices():
    assert zip_code(" 60601-1234 ") == "60601"
    assert zip_code("606011") is None and zip_code("call 60601") is None
    assert normalise_identity("60601-1234", today=None) == "zip:60601"
    assert place_for_zip("60601-1234").zip_code == "60601"


async def test_a_zip_in_the_request_comes_from_the_nlus_entity():
    form = ValidateAppointmentForm()
    asked = tracker("appointment near 60601", "book_appointment",
                    entities=[entity("zip_code", "60601")])
    assert await form.extract_zip_code(CollectingDispatcher(), asked, {}) == {"zip_code": "60601"}
    # Digits the NLU did not take for a ZIP code (say, the end of a receipt number) are not one.
    unmarked = tracker("my case EAC 21 900 12345", "book_appointment")
    assert await form.extract_zip_code(CollectingDispatcher(), unmarked, {}) == {}


def test_the_staff_tools_run_against_the_stacks_redis(tmp_path, monkeypatch):
    import importlib
    import sys
    import types

    from ops import staff_tools
    from ops.secrets import stack_secrets

    seen = {}
    probe = types.ModuleType("probe_tool")
    probe.main = lambda argv: seen.update(argv=argv, url=os.environ["REDIS_URL"]) or 0
    monkeypatch.setitem(sys.modules, "probe_tool", probe)
    monkeypatch.setitem(staff_tools.TOOLS, "probe", "probe_tool")
    monkeypatch.setenv("REDIS_URL", "")  # unset for the stack's settings; restored afterwards
    monkeypatch.setenv("STACK_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("LOCAL_REDIS_PORT", "6399")
    assert staff_tools.main(["probe", "list", "--office", "texas"]) == 0
    password = stack_secrets(tmp_path)["LOCAL_REDIS_PASSWORD"]
    assert seen == {"argv": ["list", "--office", "texas"],
                    "url": f"redis://:{password}@127.0.0.1:6399/0"}
    assert staff_tools.main([]) == 2 and staff_tools.main(["nope"]) == 2
    for module in ("rasa_project.service_requests.staff", "rasa_project.staff.accounts"):
        assert module in staff_tools.TOOLS.values()
        assert callable(importlib.import_module(module).main)

"""The fence around the patches of Rasa internals (rasa_extensions/patches): installed only on the
Rasa version and the function sources they were written against, switched off by RASA_PATCHES,
installed by the Rasa server's channels rather than by an import, and taken out again leaving
Rasa's own objects in place."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import rasa
from rasa.shared.core.domain import Domain
from rasa.shared.core.slots import Slot

from rasa_extensions import patches
from rasa_extensions.patches.domain_emptiness import domain_is_empty
from rasa_extensions.patches.fence import fingerprint
from rasa_extensions.patches.registry import PATCHES, RASA_VERSION

ROOT = Path(__file__).resolve().parents[2]


def rasas_own() -> dict[tuple[type, str], object]:
    return {(p.owner, p.name): p.owner.__dict__.get(p.name) for p in PATCHES}


def test_written_against_the_pinned_rasa():
    pinned = [line for line in (ROOT / "requirements.txt").read_text().splitlines()
              if line.startswith("rasa==")]
    assert pinned == [f"rasa=={RASA_VERSION}"] and rasa.__version__ == RASA_VERSION
    assert all(fingerprint(p.owner, p.name) == p.fingerprint for p in PATCHES)


def test_installs_every_patch_and_uninstall_puts_rasas_own_back():
    before = rasas_own()
    assert Slot.__dict__.get("__copy__") is None  # Rasa has none; a patch adds it
    assert patches.install(env={})
    try:
        for patch in PATCHES:
            held = patch.owner.__dict__[patch.name]
            assert (held.__func__ if patch.static else held) is patch.replacement, patch.where
        assert patches.install(env={})  # a second call (the other channel) changes nothing
    finally:
        patches.uninstall()
    after = rasas_own()
    assert all(after[key] is before[key] for key in before), "not Rasa's own objects"
    assert "__copy__" not in Slot.__dict__


def test_another_rasa_version_is_refused_and_nothing_is_installed(monkeypatch):
    before = rasas_own()
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    with pytest.raises(patches.PatchRefused, match=r"Rasa 3\.7\.0 is installed.*RASA_PATCHES=off"):
        patches.install(env={})
    assert not patches.installed() and rasas_own() == before


def test_a_changed_rasa_function_is_refused_by_name_at_the_same_version(monkeypatch):
    def is_empty(self) -> bool:  # Rasa's Domain.is_empty, rewritten by a newer release
        return not self.as_dict()

    monkeypatch.setattr(Domain, "is_empty", is_empty)
    before = rasas_own()
    with pytest.raises(patches.PatchRefused) as refused:
        patches.install(env={})
    assert "rasa.shared.core.domain.Domain.is_empty is not the function" in str(refused.value)
    assert "states_for_tracker_history" not in str(refused.value)  # only what changed is named
    assert not patches.installed() and rasas_own() == before  # all or nothing


def test_rasa_patches_off_leaves_rasa_as_it_is(monkeypatch):
    before = rasas_own()
    said: list[str] = []  # the log itself may be muted (the `agent` fixture mutes warnings)
    monkeypatch.setattr(patches.logger, "warning", lambda message, *args: said.append(message))
    for value in ("off", "OFF", "0"):
        assert patches.install(env={"RASA_PATCHES": value}) is False
    assert not patches.installed() and rasas_own() == before
    assert len(said) == 3 and all("RASA_PATCHES=off" in message for message in said)
    assert patches.enabled({}) and patches.enabled({"RASA_PATCHES": "on"})


def test_per_run_states_live_in_a_context_variable():
    from contextvars import ContextVar

    from rasa_extensions.patches import prediction

    assert isinstance(prediction.states_this_run, ContextVar)
    with prediction.states_shared_within_a_run():
        assert prediction.states_this_run.get() == {}
    assert prediction.states_this_run.get() is None


def test_importing_the_channels_patches_nothing_building_them_does(monkeypatch):
    code = ("import rasa_extensions.web, rasa_extensions.patches as p; "
            "from rasa.shared.core.domain import Domain; "
            "from rasa_extensions.patches.domain_emptiness import domain_is_empty as ours; "
            "print(p.installed(), Domain.is_empty is ours)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert done.stdout.split() == ["False", "False"], done.stderr[-2000:]

    from rasa_extensions.web import RestWithFallback

    monkeypatch.delenv("RASA_PATCHES", raising=False)
    try:
        RestWithFallback.from_credentials(None)  # what `rasa run` does with credentials.yml
        assert patches.installed() and Domain.is_empty is domain_is_empty
    finally:
        patches.uninstall()
    monkeypatch.setenv("RASA_PATCHES", "off")
    RestWithFallback.from_credentials(None)
    assert not patches.installed()

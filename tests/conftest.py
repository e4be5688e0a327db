import os
import secrets
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
# The keyed hashes (identity answers, lookup keys) need the master secret; the test stack makes
# its own (ops/secrets.py), tests that use the stores in-process get this one.
os.environ.setdefault("ASSISTANT_SECRET_KEY", secrets.token_hex(32))

# A skipped test proves nothing: `make test` must build or start what a test needs, so any skip
# fails the run (naming the tests and why).
_SKIPPED: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        _SKIPPED.append(f"{report.nodeid}: {reason}")


def pytest_sessionfinish(session, exitstatus):
    if _SKIPPED and exitstatus == 0:
        print("\nskipped tests fail the run:\n  " + "\n  ".join(_SKIPPED))
        session.exitstatus = 1


@pytest.fixture()
def rasa_patched():
    """Rasa with the project's patches (rasa_extensions/patches) for one test, whatever
    RASA_PATCHES says; Rasa's own functions again after it."""
    from rasa_extensions import patches

    patches.install(env={})
    try:
        yield patches
    finally:
        patches.uninstall()


@pytest.fixture(autouse=True)
def _rasa_left_unpatched():
    """No test leaves a patch in Rasa behind (by the fixture or by its own monkeypatching)."""
    yield
    patches = sys.modules.get("rasa_extensions.patches")
    if patches is not None:
        installed, left = patches.installed(), patches.not_rasas_own()
        patches.uninstall()
        assert not installed and not left, f"a test left Rasa patched: {left or 'all patches'}"

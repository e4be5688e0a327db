"""Make the virtualenv hold exactly requirements.txt, then check that the set is consistent.

Run by `make venv` with the venv's own Python. Packages the file does not list are removed, so an
old venv ends up the same as a fresh one. `pip check` must be clean except for the requirements
left out on purpose below.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REQUIREMENTS = Path(__file__).resolve().parent.parent / "requirements.txt"
# TensorFlow 2.12 declares jax, but only TensorFlow Lite imports it, inside try/except ImportError.
# Rasa never uses it; importing it cost the Rasa server 65 MB of memory (docs/performance.md).
LEFT_OUT_ON_PURPOSE = {"tensorflow 2.12.0 requires jax, which is not installed."}
KEEP = {"pip", "setuptools", "wheel"}


def name(requirement: str) -> str:
    return re.split(r"[=<>\s\[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def pip(*args: str, capture: bool = False) -> str:
    done = subprocess.run([sys.executable, "-m", "pip", *args], check=not capture, text=True,
                          capture_output=capture)
    return done.stdout if capture else ""


def main() -> int:
    pip("install", "--quiet", "--no-deps", "-r", str(REQUIREMENTS))
    wanted = {name(line) for line in REQUIREMENTS.read_text().splitlines()
              if line.strip() and not line.startswith("#")}
    installed = {name(line) for line in pip("freeze", "--all", capture=True).splitlines()}
    extra = sorted(installed - wanted - KEEP)
    if extra:
        pip("uninstall", "--quiet", "--yes", *extra)
    problems = [line for line in pip("check", capture=True).splitlines()
                if line.strip() and line not in LEFT_OUT_ON_PURPOSE
                and line != "No broken requirements found."]
    for line in problems:
        print(f"pip check: {line}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

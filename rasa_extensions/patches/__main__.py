"""`python -m rasa_extensions.patches`: each patched Rasa function, the fingerprint the patch was
written against and the installed Rasa's; exit status 1 when any differs (or the version does)."""

from __future__ import annotations

import sys

import rasa

from rasa_extensions.patches.fence import fingerprint
from rasa_extensions.patches.registry import PATCHES, RASA_VERSION


def main() -> int:
    same = rasa.__version__ == RASA_VERSION
    print(f"Rasa {rasa.__version__} (patches written against {RASA_VERSION})")
    for patch in PATCHES:
        found = fingerprint(patch.owner, patch.name)
        same &= found == patch.fingerprint
        mark = "same" if found == patch.fingerprint else f"CHANGED (was {patch.fingerprint})"
        print(f"{found}  {patch.where}  {mark}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())

"""Our changes to Rasa 3.6 internals, fenced (docs/patches.md): each one replaces one attribute of
one Rasa class, measured faster or repairing a fault, and behaving as Rasa's own otherwise.

`install()` is called by the Rasa server's entry point (the channels Rasa builds from
credentials.yml, rasa_extensions/web.py), never as a side effect of an import. It refuses (raises
PatchRefused, naming the function) unless the running Rasa is the pinned version and every function
it replaces has the source it was written against. `RASA_PATCHES=off` leaves Rasa unpatched.
`uninstall()` puts Rasa's own functions back.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from rasa_extensions.patches.fence import Fence, PatchRefused

__all__ = ["PatchRefused", "enabled", "install", "installed", "not_rasas_own", "uninstall"]

logger = logging.getLogger(__name__)
_fence = Fence()


def enabled(env: Mapping[str, str] = os.environ) -> bool:
    return env.get("RASA_PATCHES", "on").strip().lower() not in ("off", "0", "false", "no")


def installed() -> bool:
    return _fence.installed


def not_rasas_own() -> list[str]:
    """Rasa attributes a patch went into that do not hold Rasa's own object now (for tests)."""
    return _fence.not_rasas_own()


def install(env: Mapping[str, str] = os.environ) -> bool:
    """Patches Rasa (once); False when RASA_PATCHES=off. Raises PatchRefused on another Rasa."""
    if not enabled(env):
        logger.warning("RASA_PATCHES=off: Rasa runs without the project's patches")
        return False
    import rasa

    from rasa_extensions.patches.registry import PATCHES, RASA_VERSION

    if not _fence.installed:
        _fence.install(PATCHES, rasa.__version__, RASA_VERSION)
        logger.info("Rasa patches installed: %d functions (docs/patches.md)", len(PATCHES))
    return True


def uninstall() -> None:
    """Rasa's own functions back in place, and what the patches kept forgotten."""
    if not _fence.installed:
        return
    from rasa_extensions.patches.registry import FORGET

    _fence.uninstall()
    for forget in FORGET:
        forget()

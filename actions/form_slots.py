"""The slots each form fills, read from the forms' `required_slots` in the domain (domain/*.yml),
so that the actions which clear a form's answers never keep a list of their own.

The action server gets no domain with most calls (endpoints.yml sends it to form validators only),
so the files are read here, once per process.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

DOMAIN_DIR = Path(__file__).resolve().parent.parent / "domain"


@lru_cache(maxsize=1)
def required_slots() -> dict[str, tuple[str, ...]]:
    """Each form's required slots, in the domain's order."""
    forms: dict[str, tuple[str, ...]] = {}
    for path in sorted(DOMAIN_DIR.glob("*.yml")):
        for name, form in ((yaml.safe_load(path.read_text(encoding="utf-8")) or {})
                           .get("forms") or {}).items():
            forms[name] = tuple((form or {}).get("required_slots") or ())
    return forms


def slots_of(*forms: str, also: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Every slot the given forms ask for (all forms when none is named), then `also`: the slots
    their validators fill on the side. Each once, in order."""
    known = required_slots()
    missing = [form for form in forms if form not in known]
    if missing:
        raise KeyError(f"no such form in {DOMAIN_DIR}: {', '.join(missing)}")
    chosen = [slot for form in (forms or known) for slot in known[form]]
    return tuple(dict.fromkeys([*chosen, *also]))

"""Inquiries outside USCIS jurisdiction: which agency, and how to reach it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rasa_project.directory import Directory
from rasa_project.directory.loader import worded


@dataclass(frozen=True)
class Redirect:
    key: str
    topic: str
    agency: str
    contact: str  # "call <phone> or visit <web>", or just "visit <web>"


def redirect_for(directory: Directory, key: str, language: str = "en") -> Redirect:
    entry = directory.agency(key)
    web = entry["web"]
    if language == "es":
        contact = (f"llame al {entry['phone']} o visite {web}" if entry.get("phone")
                   else f"visite {web}")
    else:
        contact = f"call {entry['phone']} or visit {web}" if entry.get("phone") else f"visit {web}"
    return Redirect(key, worded(entry, "topic", language), worded(entry, "agency", language),
                    contact)


def agency_for_keyword(directory: Directory, text: str) -> str | None:
    """The agency whose keyword list holds `text` (any case), as the entity ruler tags it."""
    wanted = " ".join(text.lower().split())
    for key, entry in directory.agencies.items():
        if wanted in (keyword.lower() for keyword in entry["keywords"]):
            return key
    return None


def redirects(directory: Directory, primary: str | None, mentioned: Iterable[str],
              language: str = "en") -> list[Redirect]:
    """The primary agency first, then any other agency the message also names, each once."""
    keys: list[str] = [primary] if primary else []
    for text in mentioned:
        key = agency_for_keyword(directory, text)
        if key and key not in keys:
            keys.append(key)
    return [redirect_for(directory, key, language) for key in keys]

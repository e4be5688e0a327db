"""Where a Service Request goes: the office where the case is pending.

From the receipt number's prefix (service centers, the National Benefits Center, ...), or, when
the customer says so, a domestic field office or an asylum office (chapter D.4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rasa_project.directory import Directory
from rasa_project.directory.loader import worded
from rasa_project.receipts import Receipt, ReceiptError, parse_receipt
from rasa_project.text import says_no

OFFICE_KINDS = {
    "field_office": "your local USCIS field office",
    "asylum_office": "your USCIS asylum office",
}
OFFICE_KINDS_ES = {
    "field_office": "su oficina local de USCIS",
    "asylum_office": "su oficina de asilo de USCIS",
}
SAYS_FIELD_OFFICE = re.compile(
    r"\bfield\s*office\b|\blocal\s+office\b|\binterview\b|\boficina\s+(?:local|de\s+campo)\b|\bentrevista\b",
    re.I)
SAYS_ASYLUM_OFFICE = re.compile(r"\basylum\b|\basilo\b", re.I)
# "I don't have one", "lost my receipt": no receipt number, in so many words.
HAS_NO_RECEIPT = re.compile(
    r"\b(don'?t|do not|dont|no|never|lost|without)\b.*\b(have|got|receipt|number)\b", re.I)


@dataclass(frozen=True)
class Route:
    office_key: str
    office_name: str
    receipt: Receipt | None


def known_offices(directory: Directory, language: str = "en") -> dict[str, str]:
    offices = {key: worded(center, "name", language)
               for key, center in directory.service_centers.items()}
    offices.update({key: worded(office, "name", language)
                    for key, office in directory.raw["other_offices"].items()})
    offices.update(OFFICE_KINDS_ES if language == "es" else OFFICE_KINDS)
    return offices


def office_name(directory: Directory, office_key: str, language: str = "en") -> str:
    return known_offices(directory, language).get(office_key, office_key)


def route(directory: Directory, text: str) -> Route:
    """A route from what the customer typed for "receipt number". Raises ReceiptError when the
    text is neither a known receipt number nor a field or asylum office."""
    if SAYS_ASYLUM_OFFICE.search(text or ""):
        return Route("asylum_office", OFFICE_KINDS["asylum_office"], None)
    if SAYS_FIELD_OFFICE.search(text or ""):
        return Route("field_office", OFFICE_KINDS["field_office"], None)
    receipt = parse_receipt(text, directory)
    return Route(receipt.office_key, receipt.office_name, receipt)


def says_no_receipt(text: str) -> bool:
    """The customer has no receipt number: they say so, or simply answer "no"."""
    return says_no(text) or bool(HAS_NO_RECEIPT.search(text or ""))


__all__ = ["OFFICE_KINDS", "Route", "ReceiptError", "known_offices", "office_name", "route",
           "says_no_receipt"]

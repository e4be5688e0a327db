"""Receipt numbers: three letters naming the office, then ten digits (fiscal year, workday,
sequence). Customers type them with spaces, dashes or lower case."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rasa_project.directory import Directory

SHAPE = re.compile(r"^[A-Z]{3}\d{10}$")
SEPARATORS = re.compile(r"[\s\-_.#:]+")
MAX_INPUT = 40


class ReceiptError(ValueError):
    """`reason` is "format" (not three letters and ten digits) or "prefix" (no such office)."""

    def __init__(self, reason: str, text: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.text = text


@dataclass(frozen=True)
class Receipt:
    number: str  # normalised: EAC2190012345
    office_key: str
    office_name: str
    has_mailbox: bool  # one of the four service centers with a follow-up email box

    @property
    def prefix(self) -> str:
        return self.number[:3]


def normalise(text: str) -> str:
    return SEPARATORS.sub("", (text or "").strip()).upper()


def parse_receipt(text: str, directory: Directory) -> Receipt:
    if not text or len(text) > MAX_INPUT:
        raise ReceiptError("format", text or "")
    number = normalise(text)
    if not SHAPE.match(number):
        raise ReceiptError("format", text)
    found = directory.office_for_prefix(number[:3])
    if found is None:
        raise ReceiptError("prefix", text)
    key, office = found
    return Receipt(number, key, office["name"], key in directory.service_centers)

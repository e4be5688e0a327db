"""What counts as personal data in a conversation, in one place: the slots that hold it, and the
patterns that find it in what customers type (names have no pattern: they are found as the answer
to the form's name question)."""

from __future__ import annotations

import re

# Slots whose values are personal: names, ZIP codes and dates of birth (identity answers), emails
# and phones, receipt numbers. Every one is cleared by the action that uses it or stops its form.
PERSONAL_SLOTS = frozenset({"customer_name", "identity_answer", "contact_info", "zip_code",
                            "receipt_number"})

_MONTHS = ("jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|enero|febrero|marzo|"
           "abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre")
PATTERNS = (
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # email
    re.compile(
        r"(?<![\w/.-])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?![\w/-])"
    ),  # phone
    re.compile(r"\b[A-Za-z]{3}[\s-]?\d{2}[\s-]?\d{3}[\s-]?\d{5}\b"),  # receipt number
    # 05/01/1990, 1990-05-01, 1.5.90; one separator throughout, so not an IP address
    re.compile(r"(?<![\w.])\d{1,4}([/.-])\d{1,2}\1\d{1,4}(?![\w]|\.\d)"),
    re.compile(
        rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:de\s+)?)?(?:{_MONTHS})\.?"
        rf"(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?,?\s+(?:de\s+)?\d{{4}}\b",
        re.IGNORECASE,
    ),
    re.compile(r"\b\d{5}(?:-\d{4})?\b"),  # ZIP code
)


NEEDED = re.compile(r"[\d@]")  # every pattern needs a digit or an "@": most messages have none


def personal_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every piece of `text` that looks like personal data, merged and in order."""
    if not NEEDED.search(text):
        return []
    spans = sorted(match.span() for pattern in PATTERNS for match in pattern.finditer(text))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged

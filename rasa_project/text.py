"""Text as customers type it, made comparable: lower case, no accents, single spaces."""

from __future__ import annotations

import re
import unicodedata


def plain(text: str) -> str:
    """Lower case, no accents, single spaces: 'México' -> 'mexico'."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("’", "'")
    return " ".join(re.sub(r"[^a-z0-9.' ]+", " ", stripped.lower()).split())


# A ZIP code typed alone (ZIP+4 allowed); the NLU finds one inside a sentence (the `zip_code`
# regex in data/nlu/service_requests.yml).
_ZIP_CODE = re.compile(r"^\s*(\d{5})(?:-\d{4})?\s*$")
# "No" as customers answer a yes/no question inside a form: "no", "nope", "none", "never",
# "not yet", "I haven't", "didn't" ...
_SAYS_NO = re.compile(
    r"^(?:i\s+)?(?:no|nope|none|never|not|haven'?t|have\s+not|didn'?t|did\s+not)\b")


def zip_code(text: str) -> str | None:
    """The five digits of a ZIP code typed alone, or None."""
    match = _ZIP_CODE.match(text or "")
    return match.group(1) if match else None


def says_no(text: str) -> bool:
    return bool(_SAYS_NO.match(" ".join((text or "").lower().split())))

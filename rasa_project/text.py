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

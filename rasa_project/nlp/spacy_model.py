"""Builds the spaCy model Rasa's SpacyNLP loads: a blank English tokenizer plus an entity ruler.

No pretrained model can be downloaded on these machines, so the entity layer is rule-based and
built from the project's own data: agency keywords from the contact directory, military words
from the lexicon, country names from pycountry plus the aliases customers use
(rasa_project.countries), and form numbers by shape.
`python -m rasa_project.nlp.spacy_model OUT_DIR`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy
import yaml

from rasa_project.countries import names, plain, spanish_names
from rasa_project.directory.loader import Directory, load_directory

LEXICON_PATH = Path(__file__).with_name("lexicon.yml")
# Form numbers as customers type them: I-907, i907, N-400, G-28, I-129F.
FORM_NUMBER = r"^(?i:[ingf])-?\d{2,3}[a-z]?$"


def entity_patterns(directory: Directory, lexicon: dict) -> list[dict]:
    patterns: list[dict] = []
    for key, agency in directory.agencies.items():
        for keyword in agency["keywords"]:
            patterns.append({"label": "agency", "pattern": _phrase(keyword), "id": key})
    for word in lexicon["military"]:
        patterns.append({"label": "military", "pattern": _phrase(word)})
    for word in lexicon["urgency"]:
        patterns.append({"label": "urgency", "pattern": _phrase(word)})
    patterns.append({"label": "form", "pattern": [{"TEXT": {"REGEX": FORM_NUMBER}}]})
    for name in sorted(set(country_names())):
        patterns.append({"label": "country", "pattern": _phrase(name)})
    return patterns


def country_names() -> list[str]:
    """Country names as written, in English and in Spanish (México, Türkiye, Alemania, Reino
    Unido), and as typed without accents (mexico)."""
    import pycountry

    written = [getattr(c, attribute) for c in pycountry.countries
               for attribute in ("name", "common_name") if getattr(c, attribute, None)]
    written += list(spanish_names())
    # Names that are also U.S. states or everyday words would tag the wrong thing.
    return [name for name in [*written, *names()] if names().get(plain(name)) not in (None, "US")
            and plain(name) not in ("us", "america")]


def _phrase(text: str) -> str:
    """A phrase pattern: the ruler's PhraseMatcher compares lower-cased tokens
    (phrase_matcher_attr LOWER), which is much faster than a token pattern per phrase."""
    return text


def build(directory: Directory | None = None) -> spacy.language.Language:
    directory = directory or load_directory()
    lexicon = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(entity_patterns(directory, lexicon))
    nlp.meta["name"] = "uscis_rules"
    nlp.meta["description"] = "Blank English tokenizer with the assistant's rule-based entities"
    return nlp


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m rasa_project.nlp.spacy_model OUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.parent.mkdir(parents=True, exist_ok=True)
    build().to_disk(out)
    print(f"spaCy model written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

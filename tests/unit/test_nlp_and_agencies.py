"""The spaCy entity layer built from the directory, and agency lookup from what it tags."""

from __future__ import annotations

import pytest

from rasa_project.agencies import agency_for_keyword, redirects
from rasa_project.directory import load_directory
from rasa_project.nlp.spacy_model import build


@pytest.fixture(scope="module")
def nlp():
    return build()


def ents(nlp, text: str) -> list[tuple[str, str]]:
    return [(ent.text, ent.label_) for ent in nlp(text).ents]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("My husband is in the Army", [("Army", "military")]),
        (
            "im a marine stationed in japan",
            [("marine", "military"), ("stationed", "military"), ("japan", "country")],
        ),
        ("estoy en Mexico", [("Mexico", "country")]),
        ("my son is in the National Guard", [("National Guard", "military")]),
        ("I filed I-907 and an i130", [("I-907", "form"), ("i130", "form")]),
        ("n-400 question", [("n-400", "form")]),
        (
            "I need a US passport and a Social Security card",
            [("US passport", "agency"), ("Social Security card", "agency")],
        ),
        (
            "wrong date on my I-94 at the port of entry",
            [("I-94", "agency"), ("port of entry", "agency")],
        ),
        ("my immigration court hearing", [("immigration court", "agency")]),
        ("where is my green card", []),
    ],
)
def test_entity_ruler_tags_directory_and_lexicon_terms(nlp, text, expected):
    assert ents(nlp, text) == expected


def test_tokenizer_keeps_form_numbers_whole(nlp):
    assert [t.text for t in nlp("form I-907 please")] == ["form", "I-907", "please"]


def test_agency_for_keyword_uses_the_directory():
    directory = load_directory()
    assert agency_for_keyword(directory, "Social  Security Card") == "social_security"
    assert agency_for_keyword(directory, "EOIR") == "immigration_court"
    assert agency_for_keyword(directory, "green card") is None


def test_redirects_put_the_intent_agency_first_and_never_repeat():
    directory = load_directory()
    found = redirects(directory, "passport", ["passport renewal", "ssn", "itin", "ssa"])
    assert [r.key for r in found] == ["passport", "social_security", "taxes"]
    assert found[0].contact == "call 1-877-487-2778 or visit travel.state.gov"
    assert found[2].contact == "visit irs.gov"


@pytest.mark.parametrize("word", [
    "Army", "Navy", "Air Force", "Marine Corps", "Space Force", "Coast Guard", "National Guard",
    "Air National Guard", "Army Reserve", "Navy Reserve", "Air Force Reserve", "USMC", "veteran",
    "vets", "military spouse", "army wife", "guardsman", "coastie", "West Point",
])
def test_every_branch_component_and_family_word_is_military(nlp, word):
    # Every branch and component (issue 13): a member or family gets the Military Help Line.
    assert [label for _, label in ents(nlp, f"my question, {word} here")] == ["military"]


@pytest.mark.parametrize("text", ["my father had a stroke", "it is an emergency",
                                  "I will lose my job", "please speed up my case"])
def test_urgent_situations_are_tagged(nlp, text):
    assert "urgency" in [label for _, label in ents(nlp, text)]

"""Every response the assistant can send has a Spanish variation that says the same thing: the
same {variables} (so the same facts from the directory) and the same button payloads."""

from __future__ import annotations

import string

import pytest

from tests.unit.rendering import domain

SPANISH = [{"type": "slot", "name": "language", "value": "es"}]


def variables(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def variations(name: str) -> tuple[list[dict], list[dict]]:
    found = domain().responses[name]
    return ([v for v in found if not v.get("condition")],
            [v for v in found if v.get("condition") == SPANISH])


def test_the_language_slot_knows_spanish():
    slot = next(slot for slot in domain().slots if slot.name == "language")
    assert slot.values[:2] == ["en", "es"]  # Rasa adds "__other__"
    assert slot.initial_value == "en"


@pytest.mark.parametrize("name", sorted(domain().responses))
def test_every_response_has_one_spanish_variation_with_the_same_facts_and_buttons(name):
    english, spanish = variations(name)
    assert len(english) == 1, f"{name}: one unconditioned (English) variation, the default"
    assert len(spanish) == 1, f"{name}: no Spanish variation"
    english, spanish = english[0], spanish[0]
    assert spanish["text"] != english["text"], f"{name}: the Spanish text is the English one"
    assert variables(spanish["text"]) == variables(english["text"]), name
    assert ([b["payload"] for b in spanish.get("buttons") or []]
            == [b["payload"] for b in english.get("buttons") or []]), name
    titles = [b["title"] for b in spanish.get("buttons") or []]
    assert all(title not in [b["title"] for b in english.get("buttons") or []] for title in titles)


async def test_the_spanish_slot_picks_the_spanish_variation():
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.events import SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    generator = TemplatedNaturalLanguageGenerator(domain().responses)
    tracker = DialogueStateTracker.from_events("es", [], slots=domain().slots)
    english = await generator.generate("utter_goodbye", tracker, "rest")
    tracker.update(SlotSet("language", "es"))
    spanish = await generator.generate("utter_goodbye", tracker, "rest")
    assert english["text"].startswith("Goodbye")
    assert spanish["text"].startswith("Adiós")

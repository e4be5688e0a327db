"""The benchmark's held-out messages must never be trained on, or its accuracy means nothing."""

import re
from pathlib import Path

import pytest
import yaml

from bench.nlu_eval import CONFIRMATION, MAIN, heldout_in_scope, heldout_out_of_scope
from bench.real_voices import FRESH_VOICES, VOICES, load_cases
from bench.spanish_voices import SPANISH_VOICES, spanish_intents

ROOT = Path(__file__).resolve().parents[2]
ANNOTATION = re.compile(r"\[([^\]]+)\]\((\w+)\)")


def normalise(text: str) -> str:
    return " ".join(ANNOTATION.sub(r"\1", text).lower().split())


def training_examples(data: Path = ROOT / "data") -> dict[str, str]:
    """Every NLU training example (normalised) under `data`, and the file it is in."""
    examples = {}
    for path in sorted(data.rglob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            for line in (item.get("examples") or "").splitlines():
                text = line.strip().removeprefix("- ")
                if text:
                    examples[normalise(text)] = path.name
    return examples


def leaks(trained: dict[str, str], heldout: list[str]) -> list[str]:
    return sorted(f"{text!r} ({trained[normalise(text)]})" for text in heldout
                  if normalise(text) in trained)


def heldout_messages(files: tuple[str, str]) -> list[str]:
    return [text for text, _, _ in heldout_in_scope(files[0])] + heldout_out_of_scope(files[1])


@pytest.mark.parametrize("files", [MAIN, CONFIRMATION])
def test_no_heldout_message_is_a_training_example(files):
    trained = training_examples()
    # An empty reading (the data moved, the format changed) would find no leak at all.
    assert len(trained) >= 1000, f"only {len(trained)} training examples found under data/"
    leaked = leaks(trained, heldout_messages(files))
    assert not leaked, "held-out messages found in the training data: " + ", ".join(leaked)


@pytest.mark.parametrize("voices", [VOICES, FRESH_VOICES], ids=["real", "fresh"])
def test_no_voices_message_is_a_training_example(voices):
    trained = training_examples()
    leaked = sorted(f"{case.text!r} ({trained[normalise(case.text)]})"
                    for case in load_cases(voices) if normalise(case.text) in trained)
    assert not leaked, f"{voices.name} messages found in the training data: " + ", ".join(leaked)


def test_the_fresh_set_is_its_own():
    """Written after the others: none of its messages repeats one of theirs."""
    others = {normalise(text) for files in (MAIN, CONFIRMATION) for text in heldout_messages(files)}
    others |= {normalise(case.text) for case in load_cases(VOICES)}
    fresh = load_cases(FRESH_VOICES)
    assert len(fresh) >= 150 and all(case.facts for case in fresh)
    assert len({normalise(case.text) for case in fresh}) == len(fresh), "duplicate messages"
    assert not [case.text for case in fresh if normalise(case.text) in others]


def spanish_leaks(trained: dict[str, str]) -> list[str]:
    return leaks(trained, [case.text for case in load_cases(SPANISH_VOICES)])


def test_no_spanish_heldout_message_is_a_training_example():
    """The Spanish set (issue 14) against every training example, English and Spanish."""
    trained = training_examples()
    assert any(name == "out_of_scope.yml" for name in trained.values())
    assert len([t for t in trained if " de " in f" {t} "]) >= 200, "no Spanish training data read"
    leaked = spanish_leaks(trained)
    assert not leaked, "Spanish held-out messages found in the training data: " + ", ".join(leaked)


def test_the_spanish_set_is_large_and_every_message_names_its_fact_and_intent():
    cases = load_cases(SPANISH_VOICES)
    assert len(cases) >= 300
    assert all(case.facts for case in cases), [c.text for c in cases if not c.facts]
    assert len({normalise(case.text) for case in cases}) == len(cases), "duplicate messages"
    intents = {intent for _, intent in spanish_intents()}
    domain_intents = set()
    for path in (ROOT / "domain").glob("*.yml"):
        topic = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        domain_intents |= set(topic.get("intents", []))
    assert intents <= domain_intents, intents - domain_intents


def test_the_real_voices_set_is_large_and_every_message_names_its_fact():
    cases = load_cases()
    assert len(cases) >= 400
    assert all(case.facts for case in cases), [c.text for c in cases if not c.facts]
    assert len({normalise(case.text) for case in cases}) == len(cases), "duplicate messages"


def test_the_heldout_sets_are_as_large_as_the_benchmark_promises():
    assert len(heldout_in_scope()) >= 300
    assert len(heldout_out_of_scope()) >= 150


def test_the_check_finds_a_planted_leak(tmp_path):
    """A copy of the training data with two held-out messages planted, one annotated and one
    in other case and spacing, as they would be pasted: both are found."""
    in_scope = heldout_in_scope()[5][0]
    annotated = next(line for examples in yaml.safe_load(
        (ROOT / "bench" / MAIN[0]).read_text(encoding="utf-8")).values()
        for line in examples if ANNOTATION.search(line))
    unrelated = heldout_out_of_scope()[3]
    (tmp_path / "nlu").mkdir()
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        (tmp_path / "nlu" / path.name).write_text(path.read_text(encoding="utf-8"))
    (tmp_path / "nlu" / "planted.yml").write_text(yaml.safe_dump({"version": "3.1", "nlu": [
        {"intent": "inform", "examples": f"- {annotated}\n- {in_scope}\n"},
        {"intent": "out_of_scope", "examples": f"-   {unrelated.upper()}  \n"}]}))
    found = leaks(training_examples(tmp_path), heldout_messages(MAIN))
    assert len(found) == 3 and all("planted.yml" in leak for leak in found), found
    assert leaks(training_examples(), heldout_messages(MAIN)) == []  # the real data has none


def test_the_check_finds_a_planted_spanish_leak(tmp_path):
    """A Spanish held-out message pasted into a Spanish training file, capitalised."""
    spanish = load_cases(SPANISH_VOICES)[40].text
    (tmp_path / "nlu" / "es").mkdir(parents=True)
    (tmp_path / "nlu" / "es" / "planted.yml").write_text(yaml.safe_dump({"version": "3.1", "nlu": [
        {"intent": "ask_contact_center", "examples": f"- {spanish.capitalize()}\n"}]},
        allow_unicode=True), encoding="utf-8")
    assert spanish_leaks(training_examples(tmp_path)) == [f"{spanish!r} (planted.yml)"]
    assert spanish_leaks(training_examples()) == []


def test_no_short_informal_message_is_a_training_example():
    """bench/language_short_set.yml ("holaaa", "una persona porfa"): the intents of its messages
    that name one are scored by `make test-nlu`, so none of those may be trained on."""
    from bench.language_id import short_cases

    cases = short_cases()
    assert len(cases) >= 120
    scored = [text for text, _, intent in cases if intent]
    assert len(scored) >= 90
    leaked = leaks(training_examples(), scored)
    assert not leaked, "short held-out messages found in the training data: " + ", ".join(leaked)

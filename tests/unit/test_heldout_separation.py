"""The benchmark's held-out messages must never be trained on, or its accuracy means nothing."""

import re
from pathlib import Path

import pytest
import yaml

from bench.nlu_eval import CONFIRMATION, MAIN, heldout_in_scope, heldout_out_of_scope
from bench.real_voices import load_cases

ROOT = Path(__file__).resolve().parents[2]
ANNOTATION = re.compile(r"\[([^\]]+)\]\((\w+)\)")


def normalise(text: str) -> str:
    return " ".join(ANNOTATION.sub(r"\1", text).lower().split())


def training_examples() -> dict[str, str]:
    """Every NLU training example (normalised) and the file it is in."""
    examples = {}
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if "intent" not in item:
                continue
            for line in item["examples"].splitlines():
                text = line.strip().removeprefix("- ")
                if text:
                    examples[normalise(text)] = path.name
    return examples


@pytest.mark.parametrize("files", [MAIN, CONFIRMATION])
def test_no_heldout_message_is_a_training_example(files):
    trained = training_examples()
    heldout = [text for text, _, _ in heldout_in_scope(files[0])] + heldout_out_of_scope(files[1])
    leaked = sorted(f"{text!r} ({trained[normalise(text)]})" for text in heldout
                    if normalise(text) in trained)
    assert not leaked, "held-out messages found in the training data: " + ", ".join(leaked)


def test_no_real_voices_message_is_a_training_example():
    trained = training_examples()
    leaked = sorted(f"{case.text!r} ({trained[normalise(case.text)]})" for case in load_cases()
                    if normalise(case.text) in trained)
    assert not leaked, "real-voices messages found in the training data: " + ", ".join(leaked)


def test_the_real_voices_set_is_large_and_every_message_names_its_fact():
    cases = load_cases()
    assert len(cases) >= 400
    assert all(case.facts for case in cases), [c.text for c in cases if not c.facts]
    assert len({normalise(case.text) for case in cases}) == len(cases), "duplicate messages"


def test_the_heldout_sets_are_as_large_as_the_benchmark_promises():
    assert len(heldout_in_scope()) >= 300
    assert len(heldout_out_of_scope()) >= 150


def test_the_check_sees_a_leak():
    some_heldout = heldout_out_of_scope()[0]
    assert normalise(f"  {some_heldout.upper()} ") in {normalise(some_heldout)}

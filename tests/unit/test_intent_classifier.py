"""The trained assistant's intent classifier on messages Rasa's own one fails on."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "current.tar.gz"


@pytest.fixture(scope="module")
def agent():
    if not MODEL.exists():
        pytest.skip("no trained model: run `make model`")
    from rasa.core.agent import Agent

    logging.disable(logging.WARNING)
    try:
        yield Agent.load(str(MODEL))
    finally:
        logging.disable(logging.NOTSET)


def parse(agent, text: str) -> dict:
    return asyncio.run(agent.parse_message(text))


@pytest.mark.parametrize("text", ["", "   "])
def test_a_message_without_words_goes_to_the_fallback(agent, text):
    result = parse(agent, text)
    assert result["intent"]["name"] == "nlu_fallback"


def test_a_normal_message_is_still_classified(agent):
    result = parse(agent, "what is the uscis phone number")
    assert result["intent"]["name"] == "ask_contact_center"
    assert result["intent_ranking"][0]["name"] == "ask_contact_center"

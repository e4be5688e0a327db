"""The graph runner without dask gives the trained assistant exactly the results Rasa's gives."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from rasa.engine.runner.dask import DaskGraphRunner

from rasa_extensions.patches.graph_runner import DASK_RUN, run_in_order

MESSAGES = ["hello", "what is the uscis phone number", "my wife is in the marines",
            "tell me a joke", "EAC2190012345", "I live in Kenya", "", "are you a bot?",
            "thanks", "bye"]


def with_runner(monkeypatch, run) -> None:
    monkeypatch.setattr(DaskGraphRunner, "run", run)


def parses(agent) -> list[dict]:
    return [asyncio.run(agent.parse_message(text)) for text in MESSAGES]


def conversation(agent) -> list[tuple]:
    """The events of a conversation that needs no action server."""
    sender = uuid.uuid4().hex

    async def talk():
        for text in ["hello", "are you a bot?", "tell me a joke", "thanks", "bye"]:
            await agent.handle_text(text, sender_id=sender)
        return await agent.tracker_store.retrieve(sender)

    tracker = asyncio.run(talk())
    return [(e.type_name, getattr(e, "action_name", None), getattr(e, "text", None),
             (getattr(e, "intent", None) or {}).get("name")) for e in tracker.events]


def test_same_understanding(agent, monkeypatch):
    with_runner(monkeypatch, DASK_RUN)
    rasas = parses(agent)
    with_runner(monkeypatch, run_in_order)
    assert parses(agent) == rasas
    assert rasas[1]["intent"]["name"] == "ask_contact_center"


def test_same_dialogue(agent, monkeypatch):
    with_runner(monkeypatch, DASK_RUN)
    rasas = conversation(agent)
    with_runner(monkeypatch, run_in_order)
    ours = conversation(agent)
    assert ours == rasas
    assert ("action", "utter_bot_challenge", None, None) in ours


def test_an_input_named_like_a_node_is_refused(agent):
    from rasa.engine.exceptions import GraphRunError

    runner = agent.processor.graph_runner
    node = next(iter(runner._instantiated_nodes))
    with pytest.raises(GraphRunError, match="clashes with a node name"):
        run_in_order(runner, {"__message__": node}, [node])

"""Understanding on the held-out messages: intent accuracy, macro-F1, entity F1, confusions,
and how often unrelated messages get the out-of-scope or fallback reply."""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ENTITY = re.compile(r"\[([^\]]+)\]\((\w+)\)")
OUT_OF_SCOPE = {"out_of_scope", "nlu_fallback"}
# (in-scope file, unrelated file). MAIN chose the pipeline; CONFIRMATION was written afterwards.
MAIN = ("heldout_in_scope.yml", "heldout_out_of_scope.txt")
CONFIRMATION = ("confirmation_in_scope.yml", "confirmation_out_of_scope.txt")


def heldout_in_scope(
    name: str = "heldout_in_scope.yml",
) -> list[tuple[str, str, set[tuple[str, str]]]]:
    """(text, intent, {(entity, value)}) for every held-out in-scope message."""
    data = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
    items = []
    for intent, examples in data.items():
        for example in examples:
            entities = {(name, value.lower()) for value, name in ENTITY.findall(example)}
            items.append((ENTITY.sub(r"\1", example), intent, entities))
    return items


def heldout_out_of_scope(name: str = "heldout_out_of_scope.txt") -> list[str]:
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def quiet_rasa_logs() -> None:
    import logging

    import structlog

    logging.disable(logging.WARNING)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


def load_agent(model_path: str):
    from rasa.core.agent import Agent

    quiet_rasa_logs()
    return Agent.load(model_path)


def parse_heldout(model_path: str, files: tuple[str, str] = MAIN,
                  agent=None) -> tuple[list[dict], list[dict], float]:
    """The model's parse of every held-out message: (in-scope, unrelated, seconds)."""
    agent = agent or load_agent(model_path)
    in_file, out_file = files
    in_scope = [text for text, _, _ in heldout_in_scope(in_file)]
    texts = in_scope + heldout_out_of_scope(out_file)

    async def parse_all() -> list[dict]:
        return [await agent.parse_message(text) for text in texts]

    started = time.perf_counter()
    parsed = asyncio.run(parse_all())
    seconds = time.perf_counter() - started
    return parsed[:len(in_scope)], parsed[len(in_scope):], seconds


def with_fallback(result: dict, threshold: float | None, ambiguity: float | None) -> str:
    """The intent after a FallbackClassifier with these settings (None: as the model said)."""
    if threshold is None:
        return result["intent"]["name"]
    ranking = [r for r in result.get("intent_ranking", []) if r["name"] != "nlu_fallback"]
    if not ranking:
        return "nlu_fallback"
    top = ranking[0]
    second = ranking[1]["confidence"] if len(ranking) > 1 else 0.0
    if top["confidence"] < threshold or top["confidence"] - second < (ambiguity or 0.0):
        return "nlu_fallback"
    return top["name"]


def score(parsed_in: list[dict], parsed_out: list[dict], seconds: float,
          threshold: float | None = None, ambiguity: float | None = None,
          files: tuple[str, str] = MAIN) -> dict:
    from sklearn.metrics import f1_score

    in_scope = heldout_in_scope(files[0])
    truth = [intent for _, intent, _ in in_scope]
    in_pred = [with_fallback(p, threshold, ambiguity) for p in parsed_in]
    out_pred = [with_fallback(p, threshold, ambiguity) for p in parsed_out]
    confusions = Counter((t, p) for t, p in zip(truth, in_pred, strict=True) if t != p)
    entity_types = {name for _, _, ents in in_scope for name, _ in ents}
    tp = fp = fn = 0
    for (_, _, expected), result in zip(in_scope, parsed_in, strict=True):
        found = {(e["entity"], str(e["value"]).lower()) for e in result.get("entities", [])
                 if e["entity"] in entity_types}
        tp += len(found & expected)
        fp += len(found - expected)
        fn += len(expected - found)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "in_scope_messages": len(in_scope),
        "out_of_scope_messages": len(out_pred),
        "intent_accuracy": sum(t == p for t, p in zip(truth, in_pred, strict=True)) / len(truth),
        "intent_macro_f1": f1_score(truth, in_pred, labels=sorted(set(truth)), average="macro",
                                    zero_division=0),
        "in_scope_sent_to_fallback": sum(p == "nlu_fallback" for p in in_pred) / len(in_pred),
        "out_of_scope_handled": sum(p in OUT_OF_SCOPE for p in out_pred) / len(out_pred),
        "entity_precision": precision,
        "entity_recall": recall,
        "entity_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "top_confusions": [{"true": t, "predicted": p, "count": n}
                           for (t, p), n in confusions.most_common(10)],
        "parse_ms_mean": 1000 * seconds / (len(parsed_in) + len(parsed_out)),
    }


def spanish_scores(agent) -> dict:
    """Intent accuracy on the Spanish held-out set (bench/heldout_spanish.yml, issue 14)."""
    from bench.spanish_voices import spanish_intents

    items = spanish_intents()

    async def parse_all() -> list[dict]:
        return [await agent.parse_message(text) for text, _ in items]

    predicted = [result["intent"]["name"] for result in asyncio.run(parse_all())]
    pairs = [(intent, got) for (_, intent), got in zip(items, predicted, strict=True)]
    confusions = Counter(pair for pair in pairs if pair[0] != pair[1])
    return {"messages": len(items),
            "intent_accuracy": sum(intent == got for intent, got in pairs) / len(items),
            "top_confusions": [{"true": t, "predicted": p, "count": n}
                               for (t, p), n in confusions.most_common(10)]}


def short_informal_scores(agent) -> dict:
    """Intent accuracy on the short, informal messages of bench/language_short_set.yml that name
    an intent, the Spanish ones apart ("holaaa", "una persona porfa", "mi caso esta pending")."""
    from bench.language_id import short_cases

    items = [(text, intent, label.endswith("es")) for text, label, intent in short_cases()
             if intent]

    async def parse_all() -> list[dict]:
        return [await agent.parse_message(text) for text, _, _ in items]

    predicted = [result["intent"]["name"] for result in asyncio.run(parse_all())]
    rows = list(zip(items, predicted, strict=True))
    spanish = [(intent, got) for (_, intent, is_spanish), got in rows if is_spanish]
    return {"messages": len(rows),
            "intent_accuracy": sum(intent == got for (_, intent, _), got in rows) / len(rows),
            "spanish_intent_accuracy": sum(i == g for i, g in spanish) / len(spanish),
            "wrong": [f"{text!r}: {got} (expected {intent})"
                      for (text, intent, _), got in rows if got != intent]}


def evaluate(model_path: str) -> dict:
    """The model as configured (its own FallbackClassifier) on the held-out messages, with the
    confirmation set's scores under "confirmation", the Spanish set's under "spanish" and the short
    informal messages' under "short"."""
    agent = load_agent(model_path)
    result = score(*parse_heldout(model_path, MAIN, agent))
    confirmation = score(*parse_heldout(model_path, CONFIRMATION, agent), files=CONFIRMATION)
    return {**result, "confirmation": confirmation, "spanish": spanish_scores(agent),
            "short": short_informal_scores(agent)}

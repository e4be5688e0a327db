"""`make bench-configs`: the pipeline, fallback and policy comparison in docs/performance.md.

Each classifier is trained (NLU only, empty cache, timed) with its fallback switched off, then
scored on the held-out messages under several fallback settings, so that thresholds are compared
on the same trained model. Each policy set is trained with the shipped pipeline (empty cache,
timed) and scored on the test stories. Writes results/bench-configs/report.md and report.json.
"""

from __future__ import annotations

import copy
import json
import tempfile
import time
from pathlib import Path

import yaml

from bench.nlu_eval import parse_heldout, score
from bench.run import story_accuracy, train
from ops.settings import ROOT

OUT = ROOT / "results" / "bench-configs"
SENTENCE_FEATURIZER = "rasa_extensions.sentence_featurizer.SentenceCountVectorsFeaturizer"
LOGISTIC_REGRESSION = "rasa_extensions.intent_classifier.EmptySafeLogisticRegressionClassifier"
CLASSIFIERS = {
    "DIET, 60 epochs (shipped before)": {"name": "DIETClassifier", "epochs": 60,
                                          "entity_recognition": False,
                                          "constrain_similarities": True, "random_seed": 42},
    "DIET, 100 epochs": {"name": "DIETClassifier", "epochs": 100, "entity_recognition": False,
                         "constrain_similarities": True, "random_seed": 42},
    "DIET, 100 epochs, no transformer": {"name": "DIETClassifier", "epochs": 100,
                                         "number_of_transformer_layers": 0,
                                         "entity_recognition": False,
                                         "constrain_similarities": True, "random_seed": 42},
    "logistic regression (shipped)": {"name": LOGISTIC_REGRESSION, "random_state": 42,
                                      "max_iter": 1000},
}
FALLBACKS = [(0.3, 0.0), (0.45, 0.05), (0.6, 0.05), (0.3, 0.1)]
MEMOIZATION = {"name": "MemoizationPolicy", "max_history": 3}
TED = {"name": "TEDPolicy", "max_history": 5, "epochs": 100, "constrain_similarities": True,
       "random_seed": 42}
POLICIES = {  # added in front of the shipped RulePolicy
    "rules only (shipped)": [],
    "rules + memoization (shipped before)": [MEMOIZATION],
    "rules + memoization + TED": [MEMOIZATION, TED],
}


def config_with(classifier: dict) -> dict:
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    pipeline = []
    for component in config["pipeline"]:
        if component["name"] == SENTENCE_FEATURIZER and classifier["name"] != LOGISTIC_REGRESSION:
            # DIET reads token-by-token features too: Rasa's featurizers, as it ships them.
            if not any(c["name"] == "LexicalSyntacticFeaturizer" for c in pipeline):
                pipeline.append({"name": "LexicalSyntacticFeaturizer"})
            pipeline.append({**component, "name": "CountVectorsFeaturizer"})
        elif component["name"] in ("DIETClassifier", LOGISTIC_REGRESSION):
            pipeline.append(copy.deepcopy(classifier))
        elif component["name"] == "FallbackClassifier":
            pipeline.append({"name": "FallbackClassifier", "threshold": 0.0,
                             "ambiguity_threshold": 0.0})
        else:
            pipeline.append(component)
    return {**config, "pipeline": pipeline}


def compare_classifiers() -> list[dict]:
    rows = []
    for label, classifier in CLASSIFIERS.items():
        with tempfile.TemporaryDirectory() as work:
            seconds, model = train(ROOT, Path(work), config_with(classifier), nlu_only=True)
            parsed_in, parsed_out, parse_seconds = parse_heldout(str(model))
        for threshold, ambiguity in FALLBACKS:
            result = score(parsed_in, parsed_out, parse_seconds, threshold, ambiguity)
            rows.append({"classifier": label, "threshold": threshold, "ambiguity": ambiguity,
                         "training_s": seconds, **{k: v for k, v in result.items()
                                                   if k != "top_confusions"}})
        print(f"{label}: trained in {seconds:.0f} s", flush=True)
    return rows


def compare_policies() -> list[dict]:
    rows = []
    for label, extra in POLICIES.items():
        config = yaml.safe_load((ROOT / "config.yml").read_text())
        config["policies"] = extra + config["policies"]
        with tempfile.TemporaryDirectory() as work:
            seconds, model = train(ROOT, Path(work), config)
            started = time.perf_counter()
            stories = story_accuracy(model, Path(work) / "stories")
            rows.append({"policies": label, "training_s": seconds, **stories,
                         "story_test_s": time.perf_counter() - started,
                         "model_mb": model.stat().st_size / 1e6})
        print(f"{label}: trained in {seconds:.0f} s", flush=True)
    return rows


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    rows = compare_classifiers()
    policies = compare_policies()
    lines = ["| classifier | fallback threshold / ambiguity | intent accuracy | macro-F1 | "
             "out of scope handled | NLU training s | parse ms |", "|---|---|---|---|---|---|---|"]
    lines += [
        f"| {r['classifier']} | {r['threshold']} / {r['ambiguity']} | {r['intent_accuracy']:.3f} | "
        f"{r['intent_macro_f1']:.3f} | {r['out_of_scope_handled']:.3f} | {r['training_s']:.0f} | "
        f"{r['parse_ms_mean']:.1f} |"
        for r in rows
    ]
    lines += ["", "| policies | training s (whole model) | stories correct | "
              "story test s (load + all stories) | model MB |", "|---|---|---|---|---|"]
    lines += [f"| {r['policies']} | {r['training_s']:.0f} | {r['correct']}/{r['stories']} | "
              f"{r['story_test_s']:.0f} | {r['model_mb']:.1f} |" for r in policies]
    (OUT / "report.md").write_text("\n".join(lines) + "\n")
    (OUT / "report.json").write_text(json.dumps({"classifiers": rows, "policies": policies},
                                                indent=2))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

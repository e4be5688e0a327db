"""Language identification on short chat messages: the project's chooser beside the libraries
and beside a classifier trained on the NLU data (bench/language_id_set.yml, 150 messages); and
the chooser in context on short, informal messages (bench/language_short_set.yml, `--short`).

    python -m bench.language_id [--short]

Scores: on the English and Spanish messages, the share identified right; on all 150, the share
where the answer language comes out right, a message that reads the same in both languages
counting as right only when nothing is chosen (the conversation keeps its language). A library
always names a language, so it can never get those right by itself.
"""

from __future__ import annotations

import glob
import sys
import time
from pathlib import Path

import yaml

from rasa_project.language import requested_language, written_language

ROOT = Path(__file__).resolve().parents[1]
SET = ROOT / "bench" / "language_id_set.yml"
SHORT_SET = ROOT / "bench" / "language_short_set.yml"
# (name, page language, the conversation's language so far or None at its first message)
CONTEXTS = (("first message, English page", "en", None),
            ("first message, Spanish page", "es", None),
            ("later, English conversation", "es", "en"),  # the page says the other language,
            ("later, Spanish conversation", "en", "es"))  # which must not count later on


def labelled() -> list[tuple[str, str]]:
    data = yaml.safe_load(SET.read_text(encoding="utf-8"))
    return [(str(text), label) for label, texts in data.items() for text in texts]


def project(text: str) -> str | None:
    return requested_language(text) or written_language(text)


def lingua_alone():
    from lingua import Language, LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.SPANISH).build()
    return lambda text: ("es" if (detector.detect_language_of(text) or Language.ENGLISH)
                         == Language.SPANISH else "en")


def langid_alone():
    try:
        import langid  # not a project dependency: measured when installed
    except ImportError:
        return None
    identifier = langid.langid.LanguageIdentifier.from_modelstring(
        langid.langid.model, norm_probs=True)
    identifier.set_languages(["en", "es"])
    return lambda text: identifier.classify(text)[0]


def nlu_classifier():
    """The classifier's own signal: the pipeline's character n-grams and a logistic regression,
    trained to tell the English NLU files from the Spanish ones (data/nlu/es)."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    texts, labels = [], []
    for path in glob.glob(str(ROOT / "data" / "nlu" / "**" / "*.yml"), recursive=True):
        language = "es" if "/nlu/es/" in path else "en"
        for block in yaml.safe_load(Path(path).read_text(encoding="utf-8")).get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                line = line.strip().removeprefix("- ").strip()
                if line:
                    texts.append(line)
                    labels.append(language)
    vectorizer = CountVectorizer(analyzer="char_wb", ngram_range=(2, 4))
    model = LogisticRegression(max_iter=1000, class_weight="balanced")
    model.fit(vectorizer.fit_transform(texts), labels)
    return lambda text: model.predict(vectorizer.transform([text]))[0]


def score(name: str, identify) -> str:
    items = labelled()
    identify("hague adoption number")  # warm up: lingua loads its models on first use
    started = time.perf_counter()
    answers = [identify(text) for text, _ in items]
    per_message_ms = (time.perf_counter() - started) * 1000 / len(items)
    languages = [(answer, label) for answer, (_, label) in zip(answers, items, strict=True)
                 if label != "keep"]
    right_language = sum(answer == label for answer, label in languages) / len(languages)
    right_overall = sum((answer or "keep") == label
                        for answer, (_, label) in zip(answers, items, strict=True)) / len(items)
    return (f"| {name} | {right_language:.3f} | {right_overall:.3f} | {per_message_ms:.2f} |")


def short_groups() -> list[dict]:
    return yaml.safe_load(SHORT_SET.read_text(encoding="utf-8"))["groups"]


def short_cases() -> list[tuple[str, str, str | None]]:
    """(text, language label, intent or None) for every message of the short set."""
    return [(str(text), group["language"], group.get("intent"))
            for group in short_groups() for text in group["messages"]]


def expected(label: str, page: str, current: str | None) -> str:
    """The language a message with this label must be answered in, in this context."""
    if label in ("en", "es"):
        return label
    if current is not None:  # courtesy and same-in-both messages keep a conversation's language
        return current
    return label.removeprefix("courtesy-") if label.startswith("courtesy-") else page


def short_scores() -> dict:
    """The chooser in each context: the share of messages answered in the right language, per
    context and over all (message, context) pairs, and the wrong ones."""
    from rasa_project.language import choose_language

    cases = short_cases()
    per_context, wrong = {}, []
    for name, page, current in CONTEXTS:
        right = 0
        for text, label, _ in cases:
            got = choose_language(text, current, page, first_message=current is None)
            want = expected(label, page, current)
            right += got == want
            if got != want:
                wrong.append(f"{name}: {text!r} ({label}) -> {got}, expected {want}")
        per_context[name] = right / len(cases)
    overall = sum(per_context.values()) / len(per_context)
    return {"messages": len(cases), "overall": overall, "contexts": per_context, "wrong": wrong}


def print_short() -> None:
    scores = short_scores()
    print(f"{scores['messages']} messages ({SHORT_SET.name}), 4 contexts each\n")
    for name, share in scores["contexts"].items():
        print(f"{name}: {share:.3f}")
    print(f"all (message, context) pairs: {scores['overall']:.3f}\n")
    print("\n".join(scores["wrong"]))


def main() -> None:
    if "--short" in sys.argv[1:]:
        print_short()
        return
    print(f"{len(labelled())} messages ({SET.name})\n")
    print("| identifier | en/es messages right | all right (keep = none chosen) | ms/message |")
    print("|---|---|---|---|")
    print(score("project chooser (rasa_project/language.py)", project))
    print(score("lingua alone (en, es)", lingua_alone()))
    langid = langid_alone()
    if langid is not None:
        print(score("langid alone (en, es)", langid))
    print(score("NLU classifier signal (char 2-4 grams, LR)", nlu_classifier()))


if __name__ == "__main__":
    main()

"""`make test-stories` runs the test stories end to end: a step with an intent but no `user:` text
would skip the NLU and pass whatever the model understands, so none may lack it."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_every_user_step_of_the_test_stories_has_its_text():
    steps = [(path.name, story["story"], step)
             for path in sorted((ROOT / "tests" / "stories").glob("*.yml"))
             for story in yaml.safe_load(path.read_text(encoding="utf-8"))["stories"]
             for step in story["steps"] if "intent" in step or "user" in step]
    assert len(steps) >= 70
    missing = [f"{name}: {story}: {step}" for name, story, step in steps if not step.get("user")]
    assert not missing, "steps without user text:\n" + "\n".join(missing)


# Intents every topic's rules and stories may start from: the classifier's own fallback, unrelated
# messages, form plumbing (stop, answers with no question) and yes / no.
SHARED_INTENTS = {"nlu_fallback", "out_of_scope", "stop_form", "inform", "affirm", "deny"}


def _domain_intents() -> dict[str, set[str]]:
    topics = {}
    for path in sorted((ROOT / "domain").glob("*.yml")):
        intents = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("intents") or []
        topics[path.stem] = {i if isinstance(i, str) else next(iter(i)) for i in intents}
    return topics


def test_rules_and_stories_live_in_the_file_of_their_topic():
    """A newcomer changing a topic finds its domain file, rules and stories under one name: each
    file is named after a domain/ file, and each rule or story opens with that topic's intent."""
    topics = _domain_intents()
    misplaced = []
    for folder, key in (("rules", "rules"), ("stories", "stories")):
        for path in sorted((ROOT / "data" / folder).glob("*.yml")):
            if path.stem not in topics:
                misplaced.append(f"data/{folder}/{path.name}: no domain/{path.name}")
                continue
            for item in yaml.safe_load(path.read_text(encoding="utf-8"))[key]:
                intents = [step["intent"] for step in item["steps"] if "intent" in step]
                # A greeting first does not make a story small talk.
                topical = [i for i in intents if i not in topics["smalltalk"]] or intents
                if topical and topical[0] not in topics[path.stem] | SHARED_INTENTS:
                    name = item.get("rule") or item.get("story")
                    misplaced.append(f"data/{folder}/{path.name}: {name} opens with {topical[0]}")
    assert misplaced == []

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

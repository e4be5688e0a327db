"""A stored conversation as a Rasa end-to-end test story, written by Rasa's own story writer
(customer text with the intent it was given, the assistant's actions, slots set), ready to
correct and save under tests/stories."""

from __future__ import annotations

from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_writer.yaml_story_writer import YAMLStoryWriter


def test_story(name: str, events: list[dict]) -> str:
    tracker = DialogueStateTracker.from_dict(name, events)
    story = tracker.as_story(include_source=False)
    return YAMLStoryWriter().dumps(story.story_steps, is_appendable=False, is_test_story=True)

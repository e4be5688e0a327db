"""The contact directory as actions see it: its entries, and its facts as response variables,
worded in the conversation's language."""

from __future__ import annotations

from functools import lru_cache

from rasa_sdk import Tracker

from rasa_project.directory.loader import Directory, default_directory
from rasa_project.language import DEFAULT_LANGUAGE, LANGUAGES


def directory() -> Directory:
    return default_directory()


def language(tracker: Tracker | None) -> str:
    """The conversation's language ("en" or "es"), set before each answer by
    rasa_extensions.language_policy."""
    chosen = tracker.get_slot("language") if tracker is not None else None
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def facts(tracker: Tracker | None = None) -> dict[str, str]:
    """The directory's response variables, with names in the conversation's language."""
    return dict(_facts(language(tracker)))


@lru_cache(maxsize=4)
def _facts(language_code: str) -> dict[str, str]:
    # The directory is loaded once per process, so its response variables are too.
    return directory().facts(language_code)

"""The contact directory as actions see it: its entries, and its facts as response variables."""

from __future__ import annotations

from functools import lru_cache

from rasa_project.directory.loader import Directory, default_directory


def directory() -> Directory:
    return default_directory()


def facts() -> dict[str, str]:
    return dict(_facts())


@lru_cache(maxsize=1)
def _facts() -> dict[str, str]:
    # The directory is loaded once per process, so its response variables are too.
    return directory().facts()

"""The contact directory: one validated source for every contact fact the assistant gives."""

from rasa_project.directory.loader import (
    DEFAULT_PATH,
    Directory,
    DirectoryError,
    load_directory,
)

__all__ = ["DEFAULT_PATH", "Directory", "DirectoryError", "load_directory"]

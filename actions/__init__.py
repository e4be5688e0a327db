"""The action server: thin adapters between the conversation and `rasa_project`.

Importing this package loads and validates the contact directory, so a malformed directory stops
the action server at start-up with the faulty entry named.
"""

from rasa_project.directory.loader import default_directory

default_directory()

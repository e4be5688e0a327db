"""The action server: thin adapters between the conversation and `rasa_project`.

Importing this package loads and validates the contact directory, so a malformed directory stops
the action server at start-up with the faulty entry named. It also cleans the action server's
log records of personal data.
"""

from rasa_project.directory.loader import default_directory
from rasa_project.privacy import log_scrubbing

log_scrubbing.install()  # personal data out of the action server's logs, error paths included
default_directory()

"""Messages the website and channels show when the assistant itself cannot answer."""

from __future__ import annotations

from rasa_project.directory.loader import default_directory


def no_answer_message() -> str:
    line = default_directory().phone_line("contact_center")
    return (f"Sorry, I couldn't answer that just now. Please try again in a moment. If it keeps "
            f"happening, call the {line['name']} at {line['phone']}.")


# Longer messages are refused before Rasa sees them (REST and socket.io, rasa_extensions/web.py;
# the widget's text box has the same limit). Nobody asks a question in more than 2,000 characters,
# and every message is kept with the conversation and sent to the action server on every call.
MAX_MESSAGE_CHARS = 2000
MAX_SENDER_CHARS = 128


def too_long_message() -> str:
    return (f"That message is too long for me to read: please keep it under {MAX_MESSAGE_CHARS} "
            "characters, or ask one question at a time.")


def busy_message() -> str:
    line = default_directory().phone_line("contact_center")
    return (f"We are busy right now. Please try again in a moment, or call the {line['name']} at "
            f"{line['phone']}.")


def new_session_message() -> str:
    return ("This conversation has become very long, so I have started a new one. What you "
            "already told me is kept.")

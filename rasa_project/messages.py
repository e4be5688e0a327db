"""Messages the website and channels show when the assistant itself cannot answer."""

from __future__ import annotations

from rasa_project.directory.loader import default_directory


def no_answer_message() -> str:
    line = default_directory().phone_line("contact_center")
    return (f"Sorry, I couldn't answer that just now. Please try again in a moment. If it keeps "
            f"happening, call the {line['name']} at {line['phone']}.")

"""Messages the website and channels show when the assistant itself cannot answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rasa_project.directory.loader import default_directory, worded
from rasa_project.language import choose_language

PAGE_LANGUAGE_KEY = "page_language"  # the website widget's metadata: the page's language


def message_language(text: Any, metadata: Mapping[str, Any] | None = None) -> str:
    """The language to answer a message in when its conversation is not at hand (a busy or
    refused message): what it is written in, else the page's language, else English."""
    page = (metadata or {}).get(PAGE_LANGUAGE_KEY) if isinstance(metadata, Mapping) else None
    return choose_language(text if isinstance(text, str) else "", None, page, first_message=True)


def _contact_center(language: str) -> tuple[str, str]:
    line = default_directory().phone_line("contact_center")
    return worded(line, "name", language), line["phone"]


def no_answer_message(language: str = "en") -> str:
    name, phone = _contact_center(language)
    if language == "es":
        return (f"Disculpe, no pude contestar en este momento. Inténtelo de nuevo en un momento. "
                f"Si sigue pasando, llame al {name} al {phone}.")
    return (f"Sorry, I couldn't answer that just now. Please try again in a moment. If it keeps "
            f"happening, call the {name} at {phone}.")


# Longer messages are refused before Rasa sees them (REST and socket.io, rasa_extensions/web.py;
# the widget's text box has the same limit). Nobody asks a question in more than 2,000 characters,
# and every message is kept with the conversation and sent to the action server on every call.
MAX_MESSAGE_CHARS = 2000
MAX_SENDER_CHARS = 128


def too_long_message(language: str = "en") -> str:
    if language == "es":
        return (f"Ese mensaje es demasiado largo para mí: escriba menos de {MAX_MESSAGE_CHARS} "
                "caracteres, o haga una pregunta a la vez.")
    return (f"That message is too long for me to read: please keep it under {MAX_MESSAGE_CHARS} "
            "characters, or ask one question at a time.")


def busy_message(language: str = "en") -> str:
    name, phone = _contact_center(language)
    if language == "es":
        return (f"En este momento tenemos muchas consultas. Inténtelo de nuevo en un momento, o "
                f"llame al {name} al {phone}.")
    return (f"We are busy right now. Please try again in a moment, or call the {name} at "
            f"{phone}.")


def new_session_message(language: str = "en") -> str:
    if language == "es":
        return ("Esta conversación se hizo muy larga, así que empecé una nueva. Lo que ya me dijo "
                "se conserva.")
    return ("This conversation has become very long, so I have started a new one. What you "
            "already told me is kept.")

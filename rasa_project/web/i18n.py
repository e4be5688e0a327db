"""The website's languages and its message catalog: gettext PO files, read with Babel.

English is the source language: each English text is written once, as the message id, in the
page's template (templates/index.html, `_("...")`) or in the widget (static/chat.js, `_("...")`,
as Django's JavaScript catalog does); its Spanish translation is in
locale/es/LC_MESSAGES/messages.po, which translators' tools (Poedit, Weblate) read as it is.
`make web-messages` extracts the ids again and updates the catalog. The widget's own messages
reach it inside the page, already in the page's language (`widget_messages`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

HERE = Path(__file__).parent
LOCALE_DIR = HERE / "locale"
DOMAIN = "messages"
WIDGET_SOURCE = "static/chat.js"  # as the catalog names it (paths relative to this folder)

SOURCE_LANGUAGE = "en"
LANGUAGES = {"en": "English", "es": "Español"}  # each named in its own language, for the switch
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 86400

# `{name}` in the widget's messages, `%(name)s` in the template's: a translation keeps them all.
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def catalog(language: str) -> Catalog:
    with catalog_path(language).open("rb") as po:
        return read_po(po, locale=language, domain=DOMAIN)


@cache
def translations(language: str) -> dict[str, str]:
    """Message id -> text in `language`; empty for the source language. A fuzzy (unchecked) or
    missing translation is left out, so the English text shows rather than a wrong one (the
    catalog test fails on either)."""
    if language == SOURCE_LANGUAGE:
        return {}
    return {message.id: message.string for message in catalog(language)
            if message.id and message.string and not message.fuzzy}


def gettext(language: str) -> Callable[[str], str]:
    table = translations(language)
    return lambda message: table.get(message, message)


def widget_messages(language: str) -> dict[str, str]:
    """The translations of the widget's own messages (those written in chat.js)."""
    if language == SOURCE_LANGUAGE:
        return {}
    table = translations(language)
    return {message.id: table[message.id] for message in catalog(language)
            if message.id in table
            and any(path == WIDGET_SOURCE for path, _ in message.locations)}


def negotiate(cookie: str | None, accept_language: str | None) -> str:
    """The page's language for a visit to `/`: the one chosen before (the cookie), else the
    browser's first preference we have (Accept-Language), else English."""
    if cookie in LANGUAGES:
        return cookie
    preferences = []
    for position, item in enumerate((accept_language or "").split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        match = re.search(r"q=([^;\s]*)", params)
        if match:
            try:
                quality = float(match.group(1))
            except ValueError:
                continue
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            preferences.append((-quality, position, primary))
    return min(preferences)[2] if preferences else SOURCE_LANGUAGE

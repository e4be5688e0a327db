"""The website's message catalog: every text of the page and the widget is in the Spanish
catalog, translated (placeholders kept), and the Spanish page shows no English (its rendered text
walked node by node). The browser tests (tests/integration/test_website.py) check the live page."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from babel.messages.extract import extract_from_dir

from rasa_project.web import i18n
from rasa_project.web.app import render_page

# Read by people and screen readers: text content and these attributes.
READ_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")
# The same in both languages (names).
SAME_IN_BOTH = {"USCIS"}


def source_messages() -> dict[str, set[str]]:
    """Message id -> files, extracted from the page and the widget as `make web-messages` does."""
    found: dict[str, set[str]] = {}
    with (i18n.HERE / "babel.cfg").open() as config:
        from babel.messages.frontend import parse_mapping_cfg

        method_map, options_map = parse_mapping_cfg(config)
    for filename, _line, message, _comments, _context in extract_from_dir(
            i18n.HERE, method_map, options_map):
        found.setdefault(message, set()).add(filename)
    return found


def test_every_text_of_the_page_and_widget_is_in_the_spanish_catalog_and_nothing_else():
    in_sources = set(source_messages())
    in_catalog = {message.id for message in i18n.catalog("es") if message.id}
    assert len(in_sources) >= 20
    assert sorted(in_sources - in_catalog) == [], "new texts: run `make web-messages`, translate"
    assert sorted(in_catalog - in_sources) == [], "texts no longer used: run `make web-messages`"


def test_every_message_is_translated_with_its_placeholders():
    for message in i18n.catalog("es"):
        if not message.id:
            continue
        assert message.string, f"not translated: {message.id!r}"
        assert not message.fuzzy, f"fuzzy (unchecked) translation: {message.id!r}"
        assert message.string != message.id or message.id in SAME_IN_BOTH, message.id
        assert sorted(i18n.PLACEHOLDER.findall(message.string)) == \
            sorted(i18n.PLACEHOLDER.findall(message.id)), message.id
    assert [error for _message, errors in i18n.catalog("es").check() for error in errors] == []


def test_the_widget_gets_every_one_of_its_messages_translated():
    widget_ids = {message for message, files in source_messages().items()
                  if i18n.WIDGET_SOURCE in files}
    assert len(widget_ids) >= 8
    assert set(i18n.widget_messages("es")) == widget_ids
    assert i18n.widget_messages("en") == {}  # the ids are the English texts


class PageText(HTMLParser):
    """Every piece of text a person reads, with the language it is marked as (nearest `lang`)."""

    VOID = {"meta", "link", "input", "br", "img", "hr", "source"}

    def __init__(self) -> None:
        super().__init__()
        self.langs: list[str] = []
        self.pieces: list[tuple[str, str]] = []
        self.in_data_block = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang") or (self.langs[-1] if self.langs else "")
        for name in READ_ATTRIBUTES:
            if attrs.get(name):
                self.pieces.append((lang, attrs[name].strip()))
        self.in_data_block = tag == "script"
        if tag not in self.VOID:
            self.langs.append(lang)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.langs:
            self.langs.pop()
        self.in_data_block = False

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self.in_data_block:
            self.pieces.append((self.langs[-1] if self.langs else "", text))


def page_text(language: str) -> list[tuple[str, str]]:
    parser = PageText()
    parser.feed(render_page(language, 30))
    return parser.pieces


def test_the_spanish_page_has_no_english_left():
    english = {text for _lang, text in page_text("en")} | set(source_messages())
    spanish = page_text("es")
    assert len(spanish) >= 15
    left = [text for lang, text in spanish if lang == "es" and text in english
            and text not in SAME_IN_BOTH]
    assert left == []
    # The one English piece is the switch's label, marked as English for screen readers.
    assert [(lang, text) for lang, text in spanish if lang != "es"] == [("en", "English")]
    assert [(lang, text) for lang, text in page_text("en") if lang != "en"] == [("es", "Español")]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_page_is_marked_with_its_language_and_links_the_other(language):
    page = render_page(language, 30)
    other = "es" if language == "en" else "en"
    assert f'<html lang="{language}">' in page
    assert f'<a href="/{other}/" hreflang="{other}" lang="{other}">{i18n.LANGUAGES[other]}</a>' \
        in page
    data = page.split('id="widget-messages">', 1)[1].split("</script>", 1)[0]
    widget = json.loads(data)
    assert widget["language"] == language
    assert widget["messages"] == i18n.widget_messages(language)
    assert widget["contactCenter"]["phone"] == "1-800-375-5283"  # from the directory


def test_the_spanish_page_says_the_retention_in_spanish():
    page = render_page("es", 45)
    assert "durante 45 días" in page


@pytest.mark.parametrize(("cookie", "header", "expected"), [
    (None, None, "en"),
    (None, "es-MX,es;q=0.9,en;q=0.8", "es"),
    (None, "en-US,en;q=0.9,es;q=0.8", "en"),
    (None, "fr-FR,fr;q=0.9,es;q=0.5", "es"),  # the first language we have
    (None, "en;q=0.4, es;q=0.6", "es"),  # by quality, not by order
    (None, "es;q=0", "en"),  # refused
    (None, "fr", "en"),
    ("es", "en-US", "es"),  # chosen before on this page
    ("de", "es", "es"),  # a cookie we do not know is ignored
    (None, "es;q=abc, en", "en"),
])
def test_the_first_visit_takes_the_browsers_language_and_a_later_one_the_chosen(cookie, header,
                                                                                expected):
    assert i18n.negotiate(cookie, header) == expected


def test_the_widget_names_the_contact_center_from_the_directory(tmp_path, monkeypatch):
    """The name and number in the widget's messages come from the directory, in the page's
    language where the directory has that name (`name_es`), never from the catalog."""
    import yaml

    from rasa_project.directory import loader
    from rasa_project.web import app

    raw = yaml.safe_load(loader.DEFAULT_PATH.read_text(encoding="utf-8"))
    line = raw["phone_lines"]["contact_center"]
    line.update(name_es="Centro de Contacto de USCIS", phone="1-800-555-0100")
    changed = tmp_path / "contacts.yml"
    changed.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(app, "default_directory", lambda: loader.load_directory(changed))
    assert app.contact_center("es") == {"name": "Centro de Contacto de USCIS",
                                        "phone": "1-800-555-0100"}
    assert app.contact_center("en") == {"name": line["name"], "phone": "1-800-555-0100"}
    page = render_page("es", 30)
    assert '"contactCenter": {"name": "Centro de Contacto de USCIS", "phone": "1-800-555-0100"}' \
        in page
    for message in i18n.widget_messages("es").values():  # no contact fact in the catalog
        assert "1-800" not in message and "Centro de Contacto" not in message

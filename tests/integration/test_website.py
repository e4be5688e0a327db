"""The website in a real browser (Debian's Chromium driven by Playwright) against the real stack:
what customers see, click and type, on a desktop and on a 375-pixel phone.

Every page runs under the site's real Content-Security-Policy: axe-core is evaluated through the
DevTools protocol (not a script tag the policy would block), each page records any policy
violation and must end with none, and the chat must reach Rasa over its socket (not the REST
fallback a blocked socket would fall back to). Controls are reached with the Tab key.

The page is in English (/en/) and Spanish (/es/): the accessibility and keyboard checks run on
both, and the helpers find controls by their names in the page's own language (the message
catalog, rasa_project/web/i18n.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from ops.settings import ROOT
from rasa_project.conversation_record import read_events
from rasa_project.language import written_language
from rasa_project.web import i18n
from rasa_project.web.app import contact_center

CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "results" / "screenshots"
# Flags from the machine notes: no sandbox as root, and no background calls to closed networks.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
LANGUAGES = list(i18n.LANGUAGES)


@pytest.fixture()
def language() -> str:
    """The page's language; tests that run on both pages parametrize it."""
    return "en"


@pytest.fixture(scope="module")
def browser(stack):
    assert Path(CHROMIUM).exists(), "Chromium is missing: `make test` installs it with apt-get"
    assert AXE.exists(), "axe-core is missing: `make test` runs npm ci"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser, stack, language) -> Page:
    context = browser.new_context(viewport=DESKTOP)
    page = open_page(context, stack, language=language)
    yield page
    assert_no_csp_violations(page)
    context.close()


# Runs before the page's own scripts (added through the DevTools protocol, so the policy does not
# apply to it) and keeps every violation the policy reports.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (event) {
  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""


def open_page(context, stack, socket: bool = True, language: str | None = None) -> Page:
    """The page at `/` (the language the browser prefers), or at `/<language>/`."""
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    page.dialogs = []
    page.console_errors = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: message.type == "error"
            and page.console_errors.append(message.text))
    response = page.goto(stack.settings.public_url + (f"/{language}/" if language else "/"))
    assert "default-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator("body[data-ready=true]")).to_have_count(1)
    if language:
        expect(page.locator("html")).to_have_attribute("lang", language)
    if socket:  # under the real policy the chat reaches Rasa over its socket
        expect(page.locator("#composer[data-transport=socket]")).to_have_count(1)
    return page


def assert_no_csp_violations(page: Page) -> None:
    assert page.evaluate("() => window.__cspViolations") == []
    assert [m for m in page.console_errors if "Content Security Policy" in m] == []


def tab_to(page: Page, target, limit: int = 40) -> None:
    """Presses Tab until `target` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} cannot be reached with the Tab key")


def words(page: Page):
    """The page's texts in its own language, from the message catalog: `_("Send")`."""
    return i18n.gettext(page.evaluate("() => document.documentElement.lang"))


def accept_privacy(page: Page) -> None:
    _ = words(page)
    expect(page.get_by_role("region", name=_("Before you start: your privacy"))).to_be_visible()
    expect(page.get_by_text(_("Do not type Social Security numbers, passwords, or bank or card "
                              "numbers."))).to_be_visible()
    page.get_by_role("button", name=_("I understand")).click()


def ask(page: Page, text: str) -> None:
    _ = words(page)
    page.get_by_label(_("Your message")).fill(text)
    page.get_by_role("button", name=_("Send")).click()


def bot_messages(page: Page):
    return page.locator("#log .from-bot")


def axe_violations(page: Page) -> list[dict]:
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))  # Runtime.evaluate: not subject to CSP
    result = page.evaluate(
        "() => axe.run(document, "
        "{runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']})"
    )
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_ask_for_the_military_help_line_and_see_the_number(page):
    # The page, its settings and the chat socket all come through the one public port.
    expect(page.locator("#composer[data-transport=socket]")).to_have_count(1)
    accept_privacy(page)
    ask(page, "my husband is in the army, who do we call?")
    expect(bot_messages(page).last).to_contain_text("1-877-CIS-4MIL (1-877-247-4645)")
    link = bot_messages(page).last.get_by_role("link", name="1-877-CIS-4MIL")
    expect(link).to_have_attribute("href", "tel:+18772474645")  # vanity letters dialled as digits
    page.screenshot(path=str(SHOTS / "desktop-military.png"), full_page=True)


def test_quick_reply_button_sends_its_topic(page):
    accept_privacy(page)
    ask(page, "can I email the service center?")
    button = page.get_by_role("button", name="Check when I may email")
    expect(button).to_be_visible()
    button.click()
    expect(bot_messages(page).last).to_contain_text("Service Request reference number")
    expect(page.locator("#log .from-user").last).to_have_text("You said: Check when I may email")


def test_reload_keeps_the_conversation(page):
    accept_privacy(page)
    ask(page, "what is the fax number")
    expect(bot_messages(page).last).to_contain_text("does not have a general fax number")
    session = page.evaluate("() => localStorage.getItem('uscis-chat-session')")
    page.reload()
    expect(page.locator("body[data-ready=true]")).to_have_count(1)
    expect(page.locator("#log")).to_contain_text("what is the fax number")
    expect(page.locator("#log")).to_contain_text("does not have a general fax number")
    assert page.evaluate("() => localStorage.getItem('uscis-chat-session')") == session
    expect(page.get_by_role("region", name="Before you start: your privacy")).to_be_hidden()


def test_the_page_chats_under_an_id_the_server_issued(page, stack, monkeypatch):
    from rasa_project import conversation_ids

    monkeypatch.setenv("ASSISTANT_SECRET_KEY", stack.settings.secrets()["ASSISTANT_SECRET_KEY"])
    made_up = "chosen-by-the-browser-123"  # an old page, or someone fixing a victim's id
    page.evaluate(f"() => localStorage.setItem('uscis-chat-session', '{made_up}')")
    page.reload()
    expect(page.locator("body[data-ready=true]")).to_have_count(1)
    accept_privacy(page)
    ask(page, "what is the fax number")
    expect(bot_messages(page).last).to_contain_text("does not have a general fax number")
    session = page.evaluate("() => localStorage.getItem('uscis-chat-session')")
    assert session != made_up and conversation_ids.is_issued(session)


def test_markup_is_shown_as_text_and_runs_nothing(page):
    accept_privacy(page)
    markup = "<img src=x onerror=alert(1)>"
    ask(page, markup)
    expect(page.locator("#log .from-user").last).to_have_text("You said: " + markup)
    expect(bot_messages(page)).to_have_count(1)
    assert page.locator("#log img").count() == 0
    assert page.dialogs == []


# The customer's questions stay in English on both pages: the page's language changes the page,
# and the assistant answers in the language the customer writes (docs/spanish.md).
@pytest.mark.parametrize("language", LANGUAGES)
def test_keyboard_only(page):
    _ = words(page)
    expect(page.get_by_role("button", name=_("I understand"))).to_be_focused()  # the notice first
    page.keyboard.press("Enter")
    expect(page.get_by_role("region", name=_("Before you start: your privacy"))).to_be_hidden()
    tab_to(page, page.get_by_role("link", name=_("Skip to the chat")))
    page.keyboard.press("Enter")
    expect(page.get_by_label(_("Your message"))).to_be_focused()
    page.keyboard.type("can I email the service center?")
    page.keyboard.press("Enter")
    suggestions = page.get_by_role("group", name=_("Suggested answers"))
    button = suggestions.get_by_role("button", name="Check when I may email")
    expect(button).to_be_visible()
    tab_to(page, button)
    page.keyboard.press("Enter")
    expect(bot_messages(page).last).to_contain_text("Service Request reference number")


@pytest.mark.parametrize("language", LANGUAGES)
def test_phone_screen_fits_and_has_no_serious_accessibility_violations(browser, stack, language):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = open_page(context, stack, language=language)
    page.screenshot(path=str(SHOTS / f"phone-privacy-notice-{language}.png"), full_page=True)
    assert axe_violations(page) == []
    accept_privacy(page)
    ask(page, "I need to call USCIS")
    expect(bot_messages(page).last).to_contain_text("1-800-375-5283")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(SHOTS / f"phone-contact-center-{language}.png"), full_page=True)
    assert axe_violations(page) == []
    assert_no_csp_violations(page)
    context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_desktop_has_no_serious_accessibility_violations(page, language):
    assert axe_violations(page) == []
    accept_privacy(page)
    ask(page, "can I email the service center?")
    expect(page.get_by_role("button", name="Check when I may email")).to_be_visible()
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / f"desktop-buttons-{language}.png"), full_page=True)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unreachable_assistant_gets_a_clear_message_and_keeps_the_text(browser, stack,
                                                                          language):
    context = browser.new_context(viewport=DESKTOP)
    context.route_web_socket("**/socket.io/**", lambda socket: socket.close())  # no socket...
    context.route("**/webhooks/**", lambda route: route.abort())   # ...and REST is down too
    page = open_page(context, stack, socket=False, language=language)
    accept_privacy(page)
    ask(page, "what is the fax number")
    _ = words(page)
    expect(page.locator("#status")).to_have_text(_(
        "The assistant can't be reached right now. Your message was not sent; it is still in the "
        "box. Try again in a moment, or call the {name} at {phone}.").format(
            **contact_center(language)))
    expect(page.locator("#status")).to_contain_text("1-800-375-5283")
    expect(page.get_by_label(_("Your message"))).to_have_value("what is the fax number")
    context.close()


def _socket_handshake(stack, origin: str) -> int:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        f"{stack.settings.rasa_url}/socket.io/?EIO=4&transport=polling", headers={"Origin": origin})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_only_configured_origins_may_open_the_chat_socket(stack):
    assert _socket_handshake(stack, stack.settings.public_url) == 200
    assert _socket_handshake(stack, "http://evil.example") == 400


def test_rest_cors_allows_only_configured_origins(stack):
    import urllib.request

    def preflight(origin: str) -> str | None:
        request = urllib.request.Request(
            f"{stack.settings.rasa_url}/webhooks/rest/webhook", method="OPTIONS",
            headers={"Origin": origin, "Access-Control-Request-Method": "POST"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.headers.get("Access-Control-Allow-Origin")

    assert preflight(stack.settings.public_url) == stack.settings.public_url
    assert preflight("http://evil.example") is None


def busy_text(language: str) -> str:
    return i18n.gettext(language)(
        "We are busy right now. Please try again in a moment, or call the {name} at {phone}. "
        "Your message is still in the box.").format(**contact_center(language))


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_busy_reply_over_rest_is_shown_and_keeps_the_text(browser, stack, language):
    """Rasa's 503 (tested for real in test_overload.py) or a proxy's 429, as the widget meets it:
    the widget says so in the page's language, whatever the server's own text."""
    from rasa_project.messages import busy_message

    context = browser.new_context(viewport=DESKTOP)
    context.route_web_socket("**/socket.io/**", lambda socket: socket.close())  # REST only
    context.route("**/webhooks/**", lambda route: route.fulfill(
        status=503, headers={"Retry-After": "5"}, content_type="application/json",
        body=json.dumps([{"recipient_id": "x", "text": busy_message()}])))
    page = context.new_page()
    page.goto(stack.settings.web_url + f"/{language}/")
    expect(page.locator("body[data-ready=true]")).to_have_count(1)
    accept_privacy(page)
    ask(page, "what is the fax number")
    expect(page.locator("#status")).to_have_text(busy_text(language))
    expect(page.locator("#status")).to_contain_text("1-800-375-5283")
    expect(page.get_by_label(words(page)("Your message"))).to_have_value("what is the fax number")
    context.close()


def test_a_saturated_assistant_answers_the_widget_busy_and_keeps_the_text(page, stack):
    """For real, over the socket: every place of every Rasa replica is held by a message waiting
    for the frozen action servers, so the widget's message is turned away whichever replica the
    front door gives its socket."""
    import uuid
    from concurrent.futures import ThreadPoolExecutor

    import redis

    from rasa_extensions.load_shedding import max_in_flight
    from testing.conversation_runner import send
    from tests.integration.faults import frozen
    from tests.integration.test_overload import QUESTION, wait_for_locks

    accept_privacy(page)
    expect(page.locator("#composer[data-transport=socket]")).to_have_count(1)
    prefix = f"widget-busy-{uuid.uuid4().hex[:6]}-"
    client = redis.Redis.from_url(stack.settings.effective_redis_url)
    replicas = stack.settings.rasa_replica_urls
    places = max_in_flight() * len(replicas)
    with frozen(stack, "actions"), ThreadPoolExecutor(places) as pool:
        held = [pool.submit(send, url, f"{prefix}{i}-{n}", QUESTION, {})
                for n, url in enumerate(replicas) for i in range(max_in_flight())]
        wait_for_locks(client, prefix, places)
        ask(page, "how do I reach the military help line")
        expect(page.locator("#status")).to_have_text(busy_text("en"), timeout=20000)
        expect(page.get_by_label("Your message")).to_have_value(
            "how do I reach the military help line"
        )
    assert all(future.result() for future in held)


READ_TEXT = """() => {
  // Every piece of text a person reads (text and the names of controls), with its language.
  const pieces = [];
  const langOf = element => (element.closest('[lang]') || document.documentElement).lang;
  for (const element of document.querySelectorAll('title, body, body *')) {
    if (element.closest('script, style, #log')) { continue; }  // the chat: the assistant's words
    for (const name of ['aria-label', 'placeholder', 'title', 'alt']) {
      const value = (element.getAttribute(name) || '').trim();
      if (value) { pieces.push([langOf(element), value]); }
    }
    for (const node of element.childNodes) {
      const text = node.nodeType === Node.TEXT_NODE
        ? node.textContent.replace(/\\s+/g, ' ').trim() : '';
      if (text) { pieces.push([langOf(element), text]); }
    }
  }
  return pieces;
}"""


def read_text(page: Page) -> list[tuple[str, str]]:
    return [tuple(piece) for piece in page.evaluate(READ_TEXT)]


def switch_language_by_keyboard(page: Page, to: str) -> None:
    tab_to(page, page.get_by_role("link", name=i18n.LANGUAGES[to]))
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", to)
    expect(page.locator("body[data-ready=true]")).to_have_count(1)


def test_switching_language_by_keyboard_changes_the_page_and_is_remembered(browser, stack):
    context = browser.new_context(viewport=DESKTOP)
    page = open_page(context, stack, language="en")
    page.keyboard.press("Tab")  # from the notice's button on: the question box, empty
    page.get_by_label("Your message").press("Enter")
    expect(page.locator("#status")).to_have_text("Please type a question first.")
    english = {text for _lang, text in read_text(page)}

    switch_language_by_keyboard(page, "es")
    es = i18n.gettext("es")
    assert page.url == stack.settings.public_url + "/es/"
    expect(page.get_by_role("region", name=es("Before you start: your privacy"))).to_be_visible()
    expect(page.get_by_text(es("Do not type Social Security numbers, passwords, or bank or card "
                               "numbers."))).to_be_visible()
    expect(page.get_by_role("button", name=es("I understand"))).to_be_focused()
    switch = page.get_by_role("link", name="English")
    expect(switch).to_have_attribute("lang", "en")
    expect(switch).to_have_attribute("hreflang", "en")
    page.keyboard.press("Enter")  # accepts the notice; the question box has the focus
    page.keyboard.press("Enter")
    expect(page.locator("#status")).to_have_text(es("Please type a question first."))
    expect(page.get_by_label(es("Your message"))).to_be_focused()
    spanish = read_text(page)
    assert len(spanish) >= 15
    assert [text for lang, text in spanish if lang == "es" and text in english
            and text != "USCIS"] == []  # no English left
    assert [(lang, text) for lang, text in spanish if lang != "es"] == [("en", "English")]

    page.goto(stack.settings.public_url + "/")  # the cookie remembers the choice
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert page.url.endswith("/es/")
    switch_language_by_keyboard(page, "en")
    expect(page.get_by_label("Your message")).to_be_visible()
    expect(page.get_by_role("region", name="Before you start: your privacy")).to_be_hidden()
    assert_no_csp_violations(page)
    context.close()


@pytest.mark.parametrize(("locale", "expected"), [("es-MX", "es"), ("en-US", "en"),
                                                  ("fr-FR", "en")])
def test_the_first_visit_takes_the_browsers_language(browser, stack, locale, expected):
    context = browser.new_context(viewport=DESKTOP, locale=locale)  # its Accept-Language
    page = open_page(context, stack)
    assert page.url == f"{stack.settings.public_url}/{expected}/"
    expect(page.locator("html")).to_have_attribute("lang", expected)
    [cookie] = [c for c in context.cookies() if c["name"] == i18n.COOKIE]
    assert (cookie["value"], cookie["path"], cookie["httpOnly"], cookie["sameSite"]) == \
        (expected, "/", True, "Lax")
    assert_no_csp_violations(page)
    context.close()


def test_the_address_without_a_language_redirects_and_is_not_cached_for_everyone(stack):
    import urllib.error
    import urllib.request

    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(stack.settings.public_url + "/",
                                     headers={"Accept-Language": "es-US,es;q=0.9"})
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.build_opener(Stay).open(request, timeout=10)
    assert answer.value.code == 302
    assert answer.value.headers["Location"] == "/es/"  # relative: the host the customer used
    assert answer.value.headers["Vary"] == "Cookie, Accept-Language"
    assert answer.value.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("transport", ["socket", "rest"])
def test_every_message_carries_the_pages_language(browser, stack, transport):
    """The assistant gets the page's language with each message (it answers an ambiguous first
    message in it), over the socket and over the REST fallback alike."""
    import redis

    context = browser.new_context(viewport=DESKTOP)
    if transport == "rest":
        context.route_web_socket("**/socket.io/**", lambda socket: socket.close())
    page = open_page(context, stack, socket=transport == "socket", language="es")
    rest_bodies = []
    page.on("request", lambda request: "/webhooks/rest/" in request.url
            and rest_bodies.append(request.post_data_json))
    accept_privacy(page)
    ask(page, "what is the fax number")
    expect(bot_messages(page)).to_have_count(1, timeout=30000)
    ask(page, "12345")
    expect(bot_messages(page)).to_have_count(2, timeout=30000)
    sender = page.evaluate("() => localStorage.getItem('uscis-chat-session')")
    client = redis.Redis.from_url(stack.settings.effective_redis_url)
    events = []
    for _ in range(100):  # Rasa sends a turn's replies before it saves the turn
        stored = read_events(client, f"assistant:tracker:{sender}") or []
        events = [e for e in stored if e["event"] == "user"]
        if len(events) == 2:
            break
        page.wait_for_timeout(100)
    assert [e["metadata"].get("page_language") for e in events] == ["es", "es"]
    assert [body["metadata"] for body in rest_bodies] == \
        ([{"page_language": "es"}] * 2 if transport == "rest" else [])
    context.close()


@pytest.mark.parametrize("transport", ["socket", "rest"])
def test_a_reply_in_the_other_language_is_marked_with_its_own_lang(browser, stack, transport):
    """WCAG 3.1.2 (language of parts): a Spanish answer on the English page has lang="es", so a
    screen reader reads it in Spanish; an English answer there has none of its own, and the
    widget's "Assistant:" inside the Spanish one stays English. Kept across a reload."""
    context = browser.new_context(viewport=DESKTOP)
    if transport == "rest":
        context.route_web_socket("**/socket.io/**", lambda socket: socket.close())
    page = open_page(context, stack, socket=transport == "socket", language="en")
    accept_privacy(page)
    ask(page, "holaaa, eres humano?")
    expect(bot_messages(page).first).to_have_attribute("lang", "es", timeout=30000)
    spanish = bot_messages(page).first
    assert written_language(spanish.locator("p").inner_text()) == "es"
    expect(spanish.locator(".visually-hidden")).to_have_attribute("lang", "en")
    count = bot_messages(page).count()
    ask(page, "what is the fax number")
    expect(bot_messages(page)).to_have_count(count + 1, timeout=30000)
    english = bot_messages(page).last
    assert "fax" in english.inner_text().lower()
    assert english.get_attribute("lang") is None
    assert axe_violations(page) == []
    page.reload()
    expect(bot_messages(page).first).to_have_attribute("lang", "es")
    assert_no_csp_violations(page)
    context.close()

"""Acceptance, in Chromium with two browser contexts: a customer asks for a person, an agent
signs in, takes the conversation, they exchange messages both ways, the agent ends it, and the
assistant answers the customer's next question. Both pages keep the site's strict CSP."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from tests.integration.staff_web import PASSWORD, add_account
from tests.integration.test_website import accept_privacy, ask, bot_messages, browser  # noqa: F401

STAFFED = "2026-11-10T10:00:00-05:00"  # a Tuesday morning in New York: agents are on duty


def with_staffed_clock(ws: WebSocketRoute) -> None:
    """The customer's socket, with the test clock (metadata.now) added to each message, as the
    conversation tests do over REST: staffed hours then do not depend on when the test runs."""
    server = ws.connect_to_server()

    def to_server(message):
        if isinstance(message, str) and message.startswith('42["user_uttered"'):
            event, data = json.loads(message[2:])
            data["metadata"] = {"now": STAFFED}
            message = "42" + json.dumps([event, data])
        server.send(message)

    ws.on_message(to_server)


@pytest.fixture()
def customer(browser, stack) -> Page:  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    page.csp_errors = []
    page.on("console", lambda m: page.csp_errors.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.route_web_socket(re.compile(r".*/socket\.io/.*"), with_staffed_clock)
    page.goto(stack.settings.public_url + "/")
    expect(page.locator("body[data-ready=true]")).to_have_count(1)
    yield page
    context.close()


@pytest.fixture()
def agent(browser, stack) -> Page:  # noqa: F811
    add_account(stack.settings.effective_redis_url, "olga", "agent")
    context = browser.new_context()
    page = context.new_page()
    page.csp_errors = []
    page.on("console", lambda m: page.csp_errors.append(m.text)
            if "Content Security Policy" in m.text else None)
    yield page
    context.close()


def test_an_agent_takes_a_chat_and_gives_it_back_to_the_assistant(customer, agent, stack):
    accept_privacy(customer)
    expect(customer.locator("#composer[data-transport=socket]")).to_have_count(1)
    ask(customer, "can I talk to a real person please")
    customer.get_by_role("button", name="Yes, connect me with an agent").click()
    expect(bot_messages(customer).last).to_contain_text("in line for a USCIS agent")
    conversation = customer.evaluate("localStorage.getItem('uscis-chat-session')")

    agent.goto(stack.settings.web_url + "/staff/")
    expect(agent).to_have_url(re.compile(r"/staff/login$"))
    agent.get_by_label("Name").fill("olga")
    agent.get_by_label("Password").fill(PASSWORD)
    agent.get_by_role("button", name="Sign in").click()
    expect(agent.locator("body[data-ready=true]")).to_have_count(1)
    waiting = agent.locator(f'#queue li[data-id="{conversation}"]')
    waiting.get_by_role("button", name="Take this conversation").click()
    history = agent.locator("#history")
    expect(history).to_contain_text("can I talk to a real person please")

    agent.get_by_label("Your message to the customer").fill("Hello, this is Olga from USCIS.")
    agent.get_by_role("button", name="Send").click()
    from_agent = customer.locator("#log .from-agent")
    expect(from_agent).to_contain_text("Hello, this is Olga from USCIS.")
    expect(from_agent).to_contain_text("USCIS agent:")

    ask(customer, "My green card never arrived")
    expect(history).to_contain_text("Customer: My green card never arrived")
    expect(customer.get_by_text("can't be reached")).to_have_count(0)

    agent.get_by_role("button", name="End the chat and return the customer to the assistant")\
        .click()
    expect(bot_messages(customer).last).to_contain_text("back with the virtual assistant")
    ask(customer, "what is the fax number")
    expect(bot_messages(customer).filter(has_text="does not have a general fax number"))\
        .to_have_count(1)
    assert customer.csp_errors == [] and agent.csp_errors == []

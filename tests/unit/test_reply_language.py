"""Each reply says which language it is in (rasa_extensions/reply_language.py), checked through
Rasa's own pieces: its response action renders with our NLG, its event carries the language, and
the REST and socket.io outputs send it as `metadata.language`."""

from __future__ import annotations

import pytest
from rasa.core.actions.action import ActionBotResponse
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOOutput
from rasa.core.nlg.generator import NaturalLanguageGenerator
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from rasa_extensions.reply_language import (
    LanguageTaggedCollector,
    LanguageTaggedNLG,
    LanguageTaggedSocketIOOutput,
    tag_replies,
    variation_language,
)
from tests.unit.rendering import domain


def conversation_in(language: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker.from_events("reply-language", [], slots=domain().slots)
    tracker.update(SlotSet("language", language))
    return tracker


def nlg() -> LanguageTaggedNLG:
    """Built as Rasa builds it from endpoints.yml (the `type` is a class path)."""
    built = NaturalLanguageGenerator.create(
        EndpointConfig(type="rasa_extensions.reply_language.LanguageTaggedNLG"), None)
    assert type(built) is LanguageTaggedNLG
    built.responses = domain().responses  # what Agent.load_model does with the model's domain
    return built


def test_the_variation_names_its_language():
    assert variation_language({"text": "Hola", "condition": [
        {"type": "slot", "name": "language", "value": "es"}]}) == "es"
    assert variation_language({"text": "Hello"}) == "en"


async def sent(output, action: str, language: str) -> None:
    """What Rasa does for a response: the action's BotUttered, then the processor's send."""
    events = await ActionBotResponse(action).run(output, nlg(), conversation_in(language),
                                                 domain())
    for event in events:
        await output.send_response("reply-language", event.message())


@pytest.mark.parametrize("language, start", [("es", "¡Hola!"), ("en", "Hello!")])
async def test_rest_replies_carry_the_language_they_are_written_in(language, start):
    rasas = CollectingOutputChannel()
    message = tag_replies(UserMessage("hola", rasas, "reply-language"))
    await sent(message.output_channel, "utter_greet", language)
    assert rasas.messages[0]["text"].startswith(start)  # the list Rasa's handler answers with
    assert rasas.messages[0]["metadata"] == {"language": language}


async def test_buttons_and_their_text_carry_it_too():
    collector = LanguageTaggedCollector(CollectingOutputChannel())
    await sent(collector, "utter_offer_handoff", "es")
    [reply] = collector.messages
    assert reply["buttons"][0]["title"].startswith("Sí") and reply["metadata"]["language"] == "es"


class Emitted:
    """python-socketio's emit, recorded."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict]] = []

    async def emit(self, event: str, data: dict, room: str | None = None) -> None:
        self.events.append((event, data))


async def test_socket_replies_carry_it_as_each_message_is_emitted():
    sio = Emitted()
    message = tag_replies(UserMessage("hola", SocketIOOutput(sio, "bot_uttered"), "sid"))
    assert isinstance(message.output_channel, LanguageTaggedSocketIOOutput)
    await sent(message.output_channel, "utter_offer_handoff", "es")
    [(event, data)] = sio.events
    assert event == "bot_uttered" and data["metadata"] == {"language": "es"}
    assert data["quick_replies"][1]["payload"] == "/deny"


async def test_rasas_own_nlg_sends_no_language():
    """Without our NLG (RASA's default, as in `rasa test`), replies go out as Rasa sends them."""
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator

    collector = LanguageTaggedCollector(CollectingOutputChannel())
    events = await ActionBotResponse("utter_greet").run(
        collector, TemplatedNaturalLanguageGenerator(domain().responses), conversation_in("es"),
        domain())
    await collector.send_response("reply-language", events[0].message())
    assert "metadata" not in collector.messages[0]

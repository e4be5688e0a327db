"""Each reply carries the language it is written in, so that the website can mark it (WCAG 3.1.2,
language of parts): a Spanish answer on the English page is read with a Spanish voice.

Rasa already knows it. Every reply is rendered by the NLG from one variation of a domain response,
the Spanish ones conditioned on the `language` slot (the actions' replies too: they all name a
response). `LanguageTaggedNLG`, Rasa's own templated NLG named in endpoints.yml, adds the
language of the variation it rendered to the rendered response; Rasa keeps that in the BotUttered
event's metadata and hands it to the output channel with the message. Rasa's REST and socket.io
outputs drop such keys; the two below put it in the message as `metadata.language`, the place
the widget already reads `metadata.from` (who wrote an agent's message). No Rasa function is
replaced: a custom NLG class and output channels are Rasa's documented extension points.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOOutput
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain

from rasa_project.language import DEFAULT_LANGUAGE

KEY = "language"  # in the rendered response, the event's metadata and the message's metadata
SLOT = "language"


def variation_language(response: dict[str, Any]) -> str:
    """The language a rendered response variation is written in: the value its condition on the
    `language` slot names; the unconditioned variation is the default language, English."""
    for condition in response.get("condition") or []:
        if condition.get("type") == "slot" and condition.get("name") == SLOT:
            return str(condition.get("value"))
    return DEFAULT_LANGUAGE


class LanguageTaggedNLG(TemplatedNaturalLanguageGenerator):
    """Rasa's templated NLG; each rendered response also says which language it is in."""

    def __init__(self, endpoint_config: Any = None, domain: Domain | None = None) -> None:
        # Rasa builds it from endpoints.yml before the model is loaded, then gives it the
        # model's responses (Agent.load_model sets `responses` on any templated NLG).
        super().__init__((domain or Domain.empty()).responses)

    def generate_from_slots(self, utter_action: str, filled_slots: dict[str, Any],
                            output_channel: str, **kwargs: Any) -> dict[str, Any] | None:
        response = super().generate_from_slots(utter_action, filled_slots, output_channel,
                                               **kwargs)
        if response is not None:
            response[KEY] = variation_language(response)
        return response


def with_language(message: dict[str, Any], language: str | None) -> dict[str, Any]:
    """The message as the widget gets it, with `metadata.language` when the language is known."""
    if language is None:
        return message
    return {**message, "metadata": {**(message.get("metadata") or {}), KEY: language}}


def message_in(language: str, text: str, recipient_id: str | None = None) -> dict[str, Any]:
    """One of our own messages (busy, too long, kept for the agent...) in `language`, as the
    channel sends it: to `recipient_id` on REST, to the socket's room otherwise."""
    message = {"text": text} if recipient_id is None else {"recipient_id": recipient_id,
                                                            "text": text}
    return with_language(message, language)


class _Tagging:
    """Remembers the language of the reply being sent, for each message it is sent as."""

    _language: str | None = None

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self._language = message.get(KEY)
        try:
            await super().send_response(recipient_id, message)
        finally:
            self._language = None


class LanguageTaggedCollector(_Tagging, CollectingOutputChannel):
    """The REST channel's collector: the same list of messages Rasa's handler returns."""

    def __init__(self, collector: CollectingOutputChannel) -> None:
        super().__init__()
        self.messages = collector.messages

    async def _persist_message(self, message: dict[str, Any]) -> None:
        self.messages.append(with_language(message, self._language))


class LanguageTaggedSocketIOOutput(_Tagging, SocketIOOutput):
    """The socket.io output: each `bot_uttered` event carries the reply's language."""

    async def _send_message(self, socket_id: str, response: Any) -> None:
        await super()._send_message(socket_id, with_language(response, self._language))


def tagged(output: OutputChannel | None) -> OutputChannel | None:
    """Rasa's output channel of one message, as one that sends each reply's language."""
    if type(output) is CollectingOutputChannel:
        return LanguageTaggedCollector(output)
    if type(output) is SocketIOOutput:
        return LanguageTaggedSocketIOOutput(output.sio, output.bot_message_evt)
    return output  # another channel (a stream): left as Rasa made it


def tag_replies(message: UserMessage) -> UserMessage:
    message.output_channel = tagged(message.output_channel)
    return message

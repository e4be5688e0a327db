from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.abroad import country_in, utter_abroad
from actions.directory_facts import directory, facts, language
from actions.latest_message import now
from rasa_project.military import military_answer


def utter_military_help_line(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    answer = military_answer(directory(), now(tracker), language(tracker))
    dispatcher.utter_message(response=answer.response, **facts(tracker), **answer.variables)


class ActionMilitaryHelpLine(Action):
    """The Military Help Line, with whether it is open now and, after hours, its email."""

    def name(self) -> str:
        return "action_military_help_line"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        utter_military_help_line(dispatcher, tracker)
        # Stationed abroad: the Military Help Line is still theirs; the office abroad as well.
        country = country_in(tracker)
        if country is not None and not country.domestic:
            utter_abroad(dispatcher, country, tracker)
        return []

"""Sets the `language` slot from each customer message, before anything answers it.

A policy, not an action or an NLU component, because of when Rasa applies what it returns: the
events of every policy's prediction are applied to the tracker before the predicted action runs
(`MessageProcessor._run_action`), and the action's responses are rendered with that tracker. An
action that set the slot would be too late for its own utterances, and an entity would show up in
every message's parse data (and in every end-to-end test story). This policy never predicts an
action: its probabilities are all zero, so it never wins; only its `SlotSet` counts.

The choice itself is plain Python (rasa_project.language). Answers that are data (a name, a ZIP
code, a receipt number, a date, a confirmation code) keep the language unless the customer asks
for another one in so many words.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME, REQUESTED_SLOT
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_project.language import choose_language, load_models, requested_language

SLOT = "language"
PAGE_LANGUAGE_KEY = "page_language"  # sent by the website widget with each message
# Form questions whose answers are data, not sentences: they never choose a language.
DATA_SLOTS = frozenset({"customer_name", "identity_answer", "contact_info", "zip_code",
                        "appointment_slot", "booking_code", "receipt_number", "form_type",
                        "sr_reference", "sr_date", "emailed_date", "expedite_criterion",
                        "country_of_residence"})


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT,
                          is_trainable=True)
class LanguagePolicy(Policy):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": 0}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 execution_context: ExecutionContext, featurizer=None) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> LanguagePolicy:
        # lingua loads its models (about 2 s) once per process: at start-up, not during the
        # first customer's turn (nor while the busy reply of an overloaded process is chosen).
        load_models()
        return super().load(config, model_storage, resource, execution_context, **kwargs)

    def train(self, training_trackers: list[TrackerWithCachedStates], domain: Domain,
              **kwargs: Any) -> Resource:
        return self._resource  # nothing to learn

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: dict[str, Any] | None = None,
                                     **kwargs: Any) -> PolicyPrediction:
        events = []
        chosen = self._language_for_new_message(tracker, domain)
        if chosen is not None:
            events.append(SlotSet(SLOT, chosen))
        return self._prediction(self._default_predictions(domain), events=events)

    @staticmethod
    def _language_for_new_message(tracker: DialogueStateTracker, domain: Domain) -> str | None:
        """The language to set, when the customer's message has not been answered yet and it
        changes the slot; else None."""
        if SLOT not in {slot.name for slot in domain.slots}:
            return None
        for event in reversed(tracker.events):
            if isinstance(event, UserUttered):
                break
            if isinstance(event, ActionExecuted) and event.action_name != ACTION_LISTEN_NAME:
                return None  # the message is already being answered: chosen before
        else:
            return None  # no message yet
        message = tracker.latest_message
        users = 0  # the customer's messages in this session
        for event in reversed(tracker.events):
            if isinstance(event, SessionStarted):
                break
            users += isinstance(event, UserUttered)
        text = message.text or ""
        current = tracker.get_slot(SLOT)
        if tracker.active_loop_name and tracker.get_slot(REQUESTED_SLOT) in DATA_SLOTS:
            chosen = requested_language(text) or current
        else:
            page = (message.metadata or {}).get(PAGE_LANGUAGE_KEY)
            chosen = choose_language(text, current, page, first_message=users == 1)
        return chosen if chosen != current else None

"""Which language the assistant answers in, message by message (rasa_project/language.py and
the policy that sets the `language` slot before each answer, rasa_extensions/language_policy.py)."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_extensions.language_policy import LanguagePolicy
from rasa_project.language import choose_language, requested_language, written_language
from tests.unit.rendering import domain


@pytest.mark.parametrize("text, language", [
    ("¿puede contestar en español?", "es"),
    ("en español por favor", "es"),
    ("en espanol porfa", "es"),
    ("no hablo ingles", "es"),
    ("can you answer in Spanish", "es"),  # English words asking for Spanish
    ("do you speak spanish?", "es"),
    ("English please", "en"),
    ("¿puede contestar en inglés?", "en"),  # Spanish words asking for English
    ("I don't speak Spanish", "en"),
])
def test_a_request_for_a_language_names_it(text, language):
    assert requested_language(text) == language


@pytest.mark.parametrize("text", ["I need help with my Spanish passport",
                                  "necesito el numero de telefono", "what is the phone number"])
def test_other_messages_request_nothing(text):
    assert requested_language(text) is None


@pytest.mark.parametrize("text, language", [
    ("necesito el numero de telefono de uscis", "es"),
    ("¿dónde está mi tarjeta verde?", "es"),
    ("quiero cancelar mi cita", "es"),
    ("la green card", "es"),  # Spanglish: Spanish grammar, English nouns
    ("el work permit", "es"),
    ("mi esposo esta en el army", "es"),
    ("gracias", "es"),
    ("what is the phone number", "en"),
    ("I need to renew my green card", "en"),
    ("thanks", "en"),
    ("premium processing", "en"),
])
def test_the_written_language(text, language):
    assert written_language(text) == language


@pytest.mark.parametrize("text", ["ok", "OK", "si", "sí", "no", "yes", "EAC2190012345",
                                  "EAC 219 001 2345", "60601", "12/03/2026", "IP7K3M9Q2X",
                                  "Maria Lopez", "Ana de la Cruz", "Guatemala", "I-485",
                                  "ana@example.com", "/affirm", "qwrtpsdfghjklzxcvbnm",
                                  "y" * 2001, "aaaaaa", "yyy aaa ooo"])
def test_a_message_that_reads_the_same_in_both_languages_has_none(text):
    assert written_language(text) is None


def test_an_ambiguous_message_keeps_the_conversation_language():
    assert choose_language("ok", "es") == "es"
    assert choose_language("60601", "en") == "en"
    assert choose_language("Maria Lopez", "es", page_language="en") == "es"


def test_the_page_language_decides_only_an_ambiguous_first_message():
    assert choose_language("ok", "en", page_language="es", first_message=True) == "es"
    assert choose_language("ok", "en", page_language="es", first_message=False) == "en"
    assert choose_language("what is the phone number", "en", page_language="es",
                           first_message=True) == "en"


@pytest.mark.parametrize("text, language", [
    # letters held down, no accents, chat shorthand: Spanish
    ("holaaa", "es"), ("graciass", "es"), ("eres humano?", "es"), ("una persona porfa", "es"),
    ("xq no se mueve mi caso", "es"), ("tb hay fax?", "es"), ("grax", "es"),
    ("quiero hablar con un agent", "es"), ("mi caso esta pending", "es"),
    # and English
    ("thx", "en"), ("r u a bot", "en"), ("helloooo", "en"), ("agent plz", "en"),
    ("my case is pending forever", "en"),
    # a word both languages know as typed is not cut down ("all" is not "al", "loss" not "los")
    ("that's all", "en"), ("severe financial loss", "en"), ("hay tty para sordos?", "es"),
])
def test_short_and_informal_messages(text, language):
    assert written_language(text) == language


@pytest.mark.parametrize("text", ["siii", "nooo", "okk", "yup", "nope", "maria lopez", "👍", "?"])
def test_yes_no_and_names_typed_loosely_read_the_same_in_both(text):
    assert written_language(text) is None


def test_greetings_and_thanks_choose_a_first_message_but_never_switch_a_conversation():
    assert choose_language("holaaa", None, "en", first_message=True) == "es"
    assert choose_language("muchas grasias", "en") == "en"
    assert choose_language("thank uuu", "es") == "es"
    assert choose_language("hola, mi caso esta pending", "en") == "es"  # more than a greeting


def test_an_explicit_request_is_never_overruled():
    assert choose_language("english pls", "es") == "en"
    assert choose_language("espanol plis", "en", page_language="en") == "es"
    assert choose_language("gracias, in english please", "es") == "en"


def test_the_held_out_short_messages_stay_above_their_floor():
    """bench/language_short_set.yml in four contexts; 0.891 before the informal words and the
    courtesy rule, 0.997 after (docs/spanish.md)."""
    from bench.language_id import short_scores

    scores = short_scores()
    assert scores["messages"] >= 120
    assert scores["overall"] >= 0.98, scores["wrong"]
    assert min(scores["contexts"].values()) >= 0.97, scores["wrong"]


def test_the_language_id_set_stays_above_its_floor():
    """bench/language_id_set.yml, 150 short messages: 0.993 in issue 14, 1.000 now."""
    from bench.language_id import labelled, project

    items = labelled()
    right = sum((project(text) or "keep") == label for text, label in items)
    assert right / len(items) >= 0.99


# -- the policy ----------------------------------------------------------------------------------

def tracker_after(*messages: str | dict, slots: dict | None = None,
                  form: str | None = None) -> DialogueStateTracker:
    """A conversation whose last event is the customer's (unanswered) last message."""
    events = [ActionExecuted("action_listen")]
    for number, message in enumerate(messages):
        text, metadata = (message, {}) if isinstance(message, str) else message
        if number:
            events += [ActionExecuted("action_some_answer"), ActionExecuted("action_listen")]
        events.append(UserUttered(text, {"name": "inform", "confidence": 1.0}, metadata=metadata))
    tracker = DialogueStateTracker.from_events("lang", events[:-1], slots=domain().slots)
    if form:
        tracker.update(ActiveLoop(form))
    for name, value in (slots or {}).items():
        tracker.update(SlotSet(name, value))
    tracker.update(events[-1])
    return tracker


def language_set(tracker: DialogueStateTracker) -> list[str]:
    prediction = _policy().predict_action_probabilities(tracker, domain())
    assert max(prediction.probabilities) == 0.0  # never predicts an action of its own
    return [event.value for event in prediction.events if isinstance(event, SlotSet)
            and event.key == "language"]


def tmp_storage():
    import tempfile
    from pathlib import Path

    return Path(tempfile.mkdtemp(prefix="language-policy-"))


def _policy() -> LanguagePolicy:
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    return LanguagePolicy.create(LanguagePolicy.get_default_config(),
                                 LocalModelStorage(tmp_storage()),
                                 Resource("language_policy"),
                                 ExecutionContext(GraphSchema({}), "test"))


def test_a_spanish_message_sets_spanish_before_it_is_answered():
    assert language_set(tracker_after("necesito el numero de telefono de uscis")) == ["es"]


def test_once_the_message_is_being_answered_nothing_is_set_again():
    tracker = tracker_after("necesito el numero de telefono de uscis")
    tracker.update(ActionExecuted("action_answer_contact"))
    assert language_set(tracker) == []


def test_an_english_message_in_a_spanish_conversation_switches_back():
    assert language_set(tracker_after("hola", "what is the phone number",
                                      slots={"language": "es"})) == ["en"]


def test_ok_keeps_spanish_and_the_page_language_counts_only_at_the_start():
    assert language_set(tracker_after("hola", "ok", slots={"language": "es"})) == []
    assert language_set(tracker_after(("ok", {"page_language": "es"}))) == ["es"]
    assert language_set(tracker_after("hello", ("ok", {"page_language": "es"}))) == []


def test_a_data_answer_in_a_form_keeps_the_language_but_a_request_switches_it():
    in_form = dict(form="service_request_form")
    # Written in lower case with accents, the name would otherwise read as Spanish.
    assert language_set(tracker_after("open a service request", "josé martínez garcía",
                                      slots={"language": "en", "requested_slot": "customer_name"},
                                      **in_form)) == []
    assert language_set(tracker_after("open a service request", "en español por favor",
                                      slots={"requested_slot": "customer_name"},
                                      **in_form)) == ["es"]


def test_rasa_keeps_the_slot_of_a_policy_that_does_not_win():
    """What the design rests on, checked against Rasa's own ensemble: the winner's action, and
    the language policy's SlotSet among the events applied before that action runs."""
    from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
    from rasa.core.policies.policy import PolicyPrediction

    tracker = tracker_after("necesito el numero de telefono de uscis")
    probabilities = [0.0] * domain().num_actions
    probabilities[domain().index_for_action("action_answer_contact")] = 1.0
    rule = PolicyPrediction(probabilities, "RulePolicy", policy_priority=6)
    ours = _policy().predict_action_probabilities(tracker, domain())
    combined = DefaultPolicyPredictionEnsemble.__new__(DefaultPolicyPredictionEnsemble)
    final = combined.combine_predictions([rule, ours], tracker, domain())
    assert final.policy_name == "RulePolicy"
    assert domain().action_names_or_texts[final.max_confidence_index] == "action_answer_contact"
    assert SlotSet("language", "es") in final.events

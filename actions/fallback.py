from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import feedback
from actions.abroad import country_in, utter_abroad
from actions.directory_facts import facts, language
from actions.handoff import offer_handoff
from actions.latest_message import entity_texts
from actions.military import utter_military_help_line
from actions.recent_turns import latest_intents

# Button titles for the topics a low-confidence message may have meant. Only these intents are
# offered: small talk and out-of-scope are never a useful guess.
TOPIC_LABELS = {
    "ask_contact_center": "USCIS Contact Center phone number",
    "ask_tdd": "Phone line for the deaf or hard of hearing",
    "ask_military": "Military Help Line",
    "ask_premium_processing": "Premium Processing (Form I-907)",
    "ask_hague_adoption": "Hague adoptions",
    "ask_infopass": "Appointment at a field office",
    "ask_international": "Offices outside the United States",
    "ask_outreach": "Community outreach events",
    "ask_mailing_address": "Mailing addresses",
    "ask_email_service_center": "Emailing a service center",
    "ask_fax": "Sending a fax",
    "complaint": "Making a complaint",
    "request_human": "Talking with a person",
    "redirect_visa": "Visas (Department of State)",
    "redirect_passport": "U.S. passports",
    "redirect_i94": "I-94 and ports of entry (CBP)",
    "redirect_detention": "Detention or SEVP (ICE)",
    "redirect_immigration_court": "Immigration court",
    "redirect_social_security": "Social Security",
    "redirect_labor_certification": "Labor certification (PERM)",
    "redirect_taxes": "Taxes and ITIN (IRS)",
}
TOPIC_LABELS_ES = {
    "ask_contact_center": "Teléfono del Centro de Contacto de USCIS",
    "ask_tdd": "Línea para personas sordas o con problemas de audición",
    "ask_military": "Línea de Ayuda para Militares",
    "ask_premium_processing": "Procesamiento Prioritario (Formulario I-907)",
    "ask_hague_adoption": "Adopciones de La Haya",
    "ask_infopass": "Cita en una oficina local",
    "ask_international": "Oficinas fuera de Estados Unidos",
    "ask_outreach": "Eventos de alcance comunitario",
    "ask_mailing_address": "Direcciones postales",
    "ask_email_service_center": "Escribir a un centro de servicio",
    "ask_fax": "Enviar un fax",
    "complaint": "Presentar una queja",
    "request_human": "Hablar con una persona",
    "redirect_visa": "Visas (Departamento de Estado)",
    "redirect_passport": "Pasaportes de EE. UU.",
    "redirect_i94": "I-94 y puertos de entrada (CBP)",
    "redirect_detention": "Detención o SEVP (ICE)",
    "redirect_immigration_court": "Corte de inmigración",
    "redirect_social_security": "Seguro Social",
    "redirect_labor_certification": "Certificación laboral (PERM)",
    "redirect_taxes": "Impuestos e ITIN (IRS)",
}
MAX_SUGGESTIONS = 3
MIN_CONFIDENCE = 0.05


def not_understood_twice(tracker: Tracker) -> bool:
    """The latest two customer messages both fell below the confidence threshold (both are in
    the latest turns the action server is sent)."""
    return latest_intents(tracker)[-2:] == ["nlu_fallback", "nlu_fallback"]


def suggested_intents(intent_ranking: list[dict]) -> list[str]:
    ranked = [
        item["name"] for item in intent_ranking
        if item.get("name") in TOPIC_LABELS and item.get("confidence", 0) >= MIN_CONFIDENCE
    ]
    return ranked[:MAX_SUGGESTIONS]


class ActionSuggestTopics(Action):
    """Low confidence: offer the likeliest topics as buttons, never guess a phone line, and
    always leave the customer with the Contact Center number.

    A customer who mentions the military is no guess: they get the Military Help Line first.
    """

    def name(self) -> str:
        return "action_suggest_topics"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[Any]:
        feedback.count_quietly("fallback", tracker)
        intents = suggested_intents(tracker.latest_message.get("intent_ranking") or [])
        country = country_in(tracker)
        if country is not None and not country.domestic and not entity_texts(tracker, "military"):
            # "I'm in Manila, how do I reach USCIS": where they live decides the answer.
            utter_abroad(dispatcher, country, tracker)
            return []
        if entity_texts(tracker, "military"):
            utter_military_help_line(dispatcher, tracker)
            intents = [name for name in intents if name != "ask_military"]
        if not intents:
            dispatcher.utter_message(response="utter_suggest_contact_center", **facts(tracker))
            if not_understood_twice(tracker):
                offer_handoff(dispatcher, tracker)
            return []
        labels = TOPIC_LABELS_ES if language(tracker) == "es" else TOPIC_LABELS
        buttons = [{"title": labels[name], "payload": f"/{name}"} for name in intents]
        dispatcher.utter_message(response="utter_suggest_topics", buttons=buttons, **facts(tracker))
        if not_understood_twice(tracker):
            offer_handoff(dispatcher, tracker)
        return []

"""Dates, times, hours and Python-built text in Spanish (rasa_project/wording.py and its users)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from rasa_project.agencies import redirect_for
from rasa_project.directory.loader import load_directory
from rasa_project.infopass.slots import describe_slot
from rasa_project.messages import busy_message, message_language, no_answer_message
from rasa_project.military import military_answer
from rasa_project.service_requests.routing import office_name
from rasa_project.wording import long_date

CHICAGO = ZoneInfo("America/Chicago")


def test_dates_the_spanish_way():
    assert long_date(date(2026, 11, 2), "es") == "2 de noviembre de 2026"
    assert long_date(date(2026, 11, 2)) == "November 2, 2026"


def test_an_appointment_time_the_spanish_way():
    moment = datetime(2026, 12, 1, 9, 30, tzinfo=CHICAGO)
    assert describe_slot(moment, "es") == "martes, 1 de diciembre de 2026, 9:30 a. m. CST"
    assert describe_slot(moment) == "Tuesday, December 1, 9:30 AM CST"
    afternoon = datetime(2026, 12, 1, 14, 0, tzinfo=CHICAGO)
    assert describe_slot(afternoon, "es").endswith("2:00 p. m. CST")


def test_military_hours_in_spanish_open_closed_and_on_a_holiday():
    directory = load_directory()
    assert directory.facts("es")["military_help_line_hours"] == (
        "de lunes a viernes, de 8:00 a. m. a 4:30 p. m., hora del Centro, excepto los días "
        "feriados federales")
    open_now = military_answer(directory, datetime(2026, 12, 1, 10, 0, tzinfo=CHICAGO), "es")
    assert open_now.variables == {"closes_at": "4:30 p. m. CST"}
    evening = military_answer(directory, datetime(2026, 12, 1, 16, 31, tzinfo=CHICAGO), "es")
    assert evening.variables == {"closed_reason": "",
                                 "next_opening": "el miércoles 2 de diciembre a las 8:00 a. m. CST"}
    thanksgiving = military_answer(directory, datetime(2026, 11, 26, 11, 0, tzinfo=CHICAGO), "es")
    assert thanksgiving.variables["closed_reason"] == " por el Día de Acción de Gracias"
    assert thanksgiving.variables["next_opening"].startswith("el viernes 27 de noviembre")


def test_names_come_from_the_directory_in_spanish_and_facts_stay_the_same():
    directory = load_directory()
    english, spanish = directory.facts("en"), directory.facts("es")
    assert spanish["contact_center_name"] == "Centro de Contacto de USCIS"
    assert spanish["military_help_line_name"] == "Línea de Ayuda para Militares"
    assert spanish.keys() == english.keys()
    for key in english:
        if key.endswith(("_phone", "_email", "_days")):
            assert spanish[key] == english[key], key
    assert office_name(directory, "california", "es") == "Centro de Servicio de California"
    passport = redirect_for(directory, "passport", "es")
    assert passport.contact == "llame al 1-877-487-2778 o visite travel.state.gov"
    assert "pasaportes" in passport.topic


def test_the_channels_messages_follow_the_language_of_the_message():
    assert message_language("necesito el numero de telefono") == "es"
    assert message_language("ok", {"page_language": "es"}) == "es"
    assert message_language("ok") == "en"
    assert busy_message("es").startswith("En este momento")
    assert "1-800-375-5283" in busy_message("es") and "Centro de Contacto" in busy_message("es")
    assert no_answer_message("es").startswith("Disculpe")


def test_holidays_stay_named_in_english_for_english():
    answer = military_answer(load_directory(), datetime(2026, 11, 26, 17, 0, tzinfo=timezone.utc))
    assert answer.variables["closed_reason"] == " for Thanksgiving Day"

"""Plain logic of Service Requests: receipts, routing, dates, identity, email eligibility."""

from __future__ import annotations

from datetime import date

import pytest

from rasa_project.contact_details import (
    clean_free_text,
    normalise_email_or_phone,
    normalise_form_type,
    normalise_name,
)
from rasa_project.dates import parse_past_date
from rasa_project.directory import load_directory
from rasa_project.identity import hash_identity, identity_matches, normalise_identity
from rasa_project.receipts import ReceiptError, parse_receipt
from rasa_project.service_requests.eligibility import email_eligibility
from rasa_project.service_requests.routing import route, says_no_receipt
from rasa_project.service_requests.store import normalise_reference

TODAY = date(2026, 11, 29)  # a Sunday


@pytest.fixture(scope="module")
def directory():
    return load_directory()


@pytest.mark.parametrize("typed, number, office", [
    ("EAC2190012345", "EAC2190012345", "Vermont Service Center"),
    ("eac 21 900 12345", "EAC2190012345", "Vermont Service Center"),
    ("WAC-21-900-54321", "WAC2190054321", "California Service Center"),
    ("lin2212345678", "LIN2212345678", "Nebraska Service Center"),
    (" SRC 2290012345 ", "SRC2290012345", "Texas Service Center"),
    ("MSC2190012345", "MSC2190012345", "National Benefits Center"),
    ("IOE0912345678", "IOE0912345678", "USCIS online filing (ELIS)"),
])
def test_receipts_are_normalised_and_routed(directory, typed, number, office):
    receipt = parse_receipt(typed, directory)
    assert (receipt.number, receipt.office_name) == (number, office)


@pytest.mark.parametrize("typed, reason", [
    ("EAC219001234", "format"), ("EAC21900123456", "format"), ("12345678901234", "format"),
    ("", "format"), ("x" * 500, "format"), ("<b>EAC2190012345</b>", "format"),
    ("ABC2190012345", "prefix"), ("ZZZ 21 900 12345", "prefix"),
])
def test_bad_receipts_say_why(directory, typed, reason):
    with pytest.raises(ReceiptError) as error:
        parse_receipt(typed, directory)
    assert error.value.reason == reason


def test_mailboxes_only_for_the_four_service_centers(directory):
    assert parse_receipt("EAC2190012345", directory).has_mailbox
    assert not parse_receipt("MSC2190012345", directory).has_mailbox
    assert not parse_receipt("YSC2190012345", directory).has_mailbox


def test_field_and_asylum_offices_when_the_customer_says_so(directory):
    assert route(directory, "my case is at the field office").office_key == "field_office"
    assert route(directory, "asylum office").office_key == "asylum_office"
    assert route(directory, "SRC2290012345").office_key == "texas"
    assert says_no_receipt("I don't have one") and says_no_receipt("no")
    assert not says_no_receipt("EAC2190012345")


@pytest.mark.parametrize("typed, expected", [
    ("last Tuesday", date(2026, 11, 24)), ("3/14", date(2026, 3, 14)),
    ("two weeks ago", date(2026, 11, 15)), ("November 2", date(2026, 11, 2)),
    ("yesterday", date(2026, 11, 28)), ("11/02/2026", date(2026, 11, 2)),
    ("today", TODAY), ("ayer", date(2026, 11, 28)),
])
def test_dates_people_type(typed, expected):
    assert parse_past_date(typed, TODAY).value == expected


@pytest.mark.parametrize("typed", ["tomorrow", "12/25/2026", "next week", "March 3, 2027"])
def test_future_dates_are_refused(typed):
    assert parse_past_date(typed, TODAY).problem == "future"


@pytest.mark.parametrize("typed", ["", "banana", "x" * 200, "<script>alert(1)</script>"])
def test_unreadable_dates(typed):
    assert parse_past_date(typed, TODAY).problem == "unreadable"


def test_identity_answers_are_hashed_and_compared():
    assert normalise_identity("20529", TODAY) == "zip:20529"
    assert normalise_identity("20529-0001", TODAY) == "zip:20529"
    assert normalise_identity("05/01/1990", TODAY) == "dob:1990-05-01"
    assert normalise_identity("May 1 1990", TODAY) == "dob:1990-05-01"
    assert normalise_identity("tomorrow", TODAY) is None
    assert normalise_identity("hello", TODAY) is None
    stored = hash_identity("zip:20529")
    assert "20529" not in stored
    assert identity_matches("zip:20529", stored)
    assert not identity_matches("zip:20530", stored)
    assert not identity_matches(None, stored)


@pytest.mark.parametrize("typed, expected", [
    ("SR26000042", "SR26000042"), ("sr-26-000042", "SR26000042"), ("SR 26 000042", "SR26000042"),
    ("*", None), ("SR*", None), ("SR2600004?", None), ("[SR26000042]", None), ("SR26", None),
    ("x" * 500, None), ("", None),
])
def test_reference_numbers_are_validated_before_any_lookup(typed, expected):
    assert normalise_reference(typed) == expected


@pytest.mark.parametrize("office, email", [
    ("california", "csc-ncsc-followup@dhs.gov"), ("vermont", "vsc.ncscfollowup@dhs.gov"),
    ("nebraska", "ncscfollowup.nsc@dhs.gov"), ("texas", "tsc.ncscfollowup@dhs.gov"),
])
def test_email_eligibility_for_each_service_center(directory, office, email):
    # Made on November 10: the 15 full days are November 11 to 25; email from November 26.
    made = date(2026, 11, 10)
    early = email_eligibility(directory, office, made, date(2026, 11, 25))
    assert not early.may_email_now and early.may_email_from == date(2026, 11, 26)
    assert early.service_center_email == email
    on_time = email_eligibility(directory, office, made, date(2026, 11, 26))
    assert on_time.may_email_now
    # Emailed on November 26: the 21 full days are November 27 to December 17.
    emailed = email_eligibility(directory, office, made, date(2026, 12, 17), date(2026, 11, 26))
    assert (
        emailed.headquarters_from == date(2026, 12, 18) and not emailed.may_email_headquarters_now
    )
    later = email_eligibility(directory, office, made, date(2026, 12, 18), date(2026, 11, 26))
    assert later.may_email_headquarters_now


def test_offices_without_a_mailbox_go_through_the_contact_center(directory):
    for office in ("national_benefits_center", "potomac", "field_office", "asylum_office"):
        result = email_eligibility(directory, office, date(2026, 10, 1), TODAY)
        assert not result.has_mailbox and not result.may_email_now
        assert result.service_center_email is None
    assert email_eligibility(directory, "national_benefits_center", date(2026, 10, 1),
                             TODAY).office_name == "National Benefits Center"


def test_contact_details():
    assert normalise_email_or_phone("(202) 555-0143") == "202-555-0143"
    assert normalise_email_or_phone("Maria@Example.com") == "maria@example.com"
    assert normalise_email_or_phone("call me") is None
    assert normalise_name("José María López-García") == "José María López-García"
    assert normalise_name("<img src=x onerror=alert(1)>") is None
    assert normalise_form_type("form i485") == "I-485"
    assert clean_free_text("!" * 50) is None
    assert clean_free_text("a" * 301) is None

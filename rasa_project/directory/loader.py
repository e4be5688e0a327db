"""Loads contacts.yml and refuses to start on anything malformed.

A wrong phone number is worse than no answer, so the loader checks shapes strictly and names the
exact entry that is wrong.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from rasa_project.hours import describe_hours

DEFAULT_PATH = Path(__file__).with_name("contacts.yml")

PHONE = re.compile(r"^1-[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{4}( \(1-\d{3}-\d{3}-\d{4}\))?$")
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
PREFIX = re.compile(r"^[A-Z]{3}$")
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
REQUIRED_SECTIONS = (
    "sources",
    "phone_lines",
    "hours",
    "service_centers",
    "other_offices",
    "email_rules",
    "web_pages",
    "international",
    "rules",
    "agencies",
)
REQUIRED_PHONE_LINES = (
    "contact_center",
    "contact_center_tdd",
    "military_help_line",
    "premium_processing",
    "hague_adoptions",
)


class DirectoryError(ValueError):
    """The directory file cannot be trusted; start-up must stop."""


@dataclass(frozen=True)
class Directory:
    """The validated directory. `raw` keeps the file's structure for lookups by key."""

    raw: Mapping[str, Any]
    path: Path

    def phone_line(self, key: str) -> Mapping[str, str]:
        return self.raw["phone_lines"][key]

    def hours(self, key: str) -> Mapping[str, Any]:
        return self.raw["hours"][key]

    def agency(self, key: str) -> Mapping[str, Any]:
        return self.raw["agencies"][key]

    @property
    def agencies(self) -> Mapping[str, Mapping[str, Any]]:
        return self.raw["agencies"]

    @property
    def service_centers(self) -> Mapping[str, Mapping[str, Any]]:
        return self.raw["service_centers"]

    @property
    def email_rules(self) -> Mapping[str, Any]:
        return self.raw["email_rules"]

    def office_for_prefix(self, prefix: str) -> tuple[str, Mapping[str, Any]] | None:
        """(key, office) for a receipt-number prefix, service centers and other offices alike."""
        for section in ("service_centers", "other_offices"):
            for key, office in self.raw[section].items():
                if prefix.upper() in office["receipt_prefixes"]:
                    return key, office
        return None

    def receipt_prefixes(self) -> frozenset[str]:
        return frozenset(
            prefix
            for section in ("service_centers", "other_offices")
            for office in self.raw[section].values()
            for prefix in office["receipt_prefixes"]
        )

    def facts(self, language: str = "en") -> dict[str, str]:
        """Flat `section_key_field` variables for filling response templates, with the names
        in `language` where the entry has one (`name_es`, ...; the English name otherwise)."""
        flat: dict[str, str] = {}
        for key, line in self.raw["phone_lines"].items():
            flat[f"{key}_name"] = worded(line, "name", language)
            flat[f"{key}_phone"] = line["phone"]
        for key, page in self.raw["web_pages"].items():
            flat[f"{key}_page"] = worded(page, "name", language)
        for key, hours in self.raw["hours"].items():
            flat[f"{key}_hours"] = describe_hours(hours, language)
            flat[f"{key}_after_hours_email"] = hours.get("after_hours_email", "")
        for key, center in self.raw["service_centers"].items():
            flat[f"{key}_email"] = center["email"]
        rules = self.raw["email_rules"]
        flat["service_center_wait_days"] = str(rules["service_center_wait_days"])
        flat["headquarters_wait_days"] = str(rules["headquarters_wait_days"])
        flat["headquarters_name"] = worded(rules, "headquarters_name", language)
        flat["headquarters_email"] = rules["headquarters_email"]
        flat["canada_email"] = self.raw["international"]["canada_email"]
        flat["canada_office"] = worded(self.raw["international"], "canada_office", language)
        return flat


def worded(entry: Mapping[str, Any], field: str, language: str) -> str:
    """`field` in `language` (the entry's `<field>_<language>`), else the English one: only
    wording is translated, every contact fact stays once in the directory."""
    return entry.get(f"{field}_{language}") or entry[field]


def _fail(where: str, problem: str) -> DirectoryError:
    return DirectoryError(f"contact directory: {where}: {problem}")


def _require_mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping) or not value:
        raise _fail(where, "must be a non-empty mapping")
    return value


def _require_text(entry: Mapping[str, Any], field: str, where: str, pattern=None) -> str:
    value = entry.get(field)
    if not isinstance(value, str) or not value.strip():
        raise _fail(f"{where}.{field}", "is missing or empty")
    if pattern is not None and not pattern.match(value):
        raise _fail(f"{where}.{field}", f"{value!r} is not well formed")
    return value


def _require_source(entry: Mapping[str, Any], where: str, sources: Mapping[str, Any]) -> None:
    source = _require_text(entry, "source", where)
    if not any(name in source for name in sources):
        raise _fail(f"{where}.source", f"{source!r} names none of the sources {sorted(sources)}")


def _check_offices(section: Mapping[str, Any], name: str, sources, seen: set[str], email: bool):
    for key, office in _require_mapping(section, name).items():
        where = f"{name}.{key}"
        office = _require_mapping(office, where)
        _require_text(office, "name", where)
        if email:
            _require_text(office, "email", where, EMAIL)
        prefixes = office.get("receipt_prefixes")
        if not isinstance(prefixes, list) or not prefixes:
            raise _fail(f"{where}.receipt_prefixes", "must be a non-empty list")
        for prefix in prefixes:
            if not isinstance(prefix, str) or not PREFIX.match(prefix):
                raise _fail(f"{where}.receipt_prefixes", f"{prefix!r} is not three capital letters")
            if prefix in seen:
                raise _fail(f"{where}.receipt_prefixes", f"{prefix} belongs to two offices")
            seen.add(prefix)
        _require_source(office, where, sources)


def _check_hours(hours: Mapping[str, Any], sources) -> None:
    for key, entry in _require_mapping(hours, "hours").items():
        where = f"hours.{key}"
        entry = _require_mapping(entry, where)
        _require_text(entry, "timezone", where)
        try:
            from zoneinfo import ZoneInfo

            ZoneInfo(entry["timezone"])
        except Exception as error:  # ZoneInfoNotFoundError, ValueError
            raise _fail(f"{where}.timezone", f"unknown time zone ({error})") from error
        opens = _require_text(entry, "opens", where, CLOCK)
        closes = _require_text(entry, "closes", where, CLOCK)
        if opens >= closes:
            raise _fail(where, "opens must be before closes")
        days = entry.get("days")
        if not isinstance(days, list) or not days or any(d not in WEEKDAYS for d in days):
            raise _fail(f"{where}.days", f"must be a list drawn from {WEEKDAYS}")
        if "after_hours_email" in entry:
            _require_text(entry, "after_hours_email", where, EMAIL)
        _require_source(entry, where, sources)


def validate(raw: Any) -> Mapping[str, Any]:
    top = _require_mapping(raw, "file")
    for section in REQUIRED_SECTIONS:
        if section not in top:
            raise _fail(section, "section is missing")
    sources = _require_mapping(top["sources"], "sources")

    lines = _require_mapping(top["phone_lines"], "phone_lines")
    for key in REQUIRED_PHONE_LINES:
        if key not in lines:
            raise _fail(f"phone_lines.{key}", "is missing")
    for key, line in lines.items():
        where = f"phone_lines.{key}"
        line = _require_mapping(line, where)
        _require_text(line, "name", where)
        _require_text(line, "phone", where, PHONE)
        _require_source(line, where, sources)

    _check_hours(top["hours"], sources)
    prefixes: set[str] = set()
    _check_offices(top["service_centers"], "service_centers", sources, prefixes, email=True)
    _check_offices(top["other_offices"], "other_offices", sources, prefixes, email=False)

    rules = _require_mapping(top["email_rules"], "email_rules")
    for field in ("service_center_wait_days", "headquarters_wait_days"):
        if not isinstance(rules.get(field), int) or rules[field] <= 0:
            raise _fail(f"email_rules.{field}", "must be a positive whole number of days")
    _require_text(rules, "headquarters_email", "email_rules", EMAIL)
    _require_text(rules, "headquarters_name", "email_rules")
    _require_source(rules, "email_rules", sources)

    for key, page in _require_mapping(top["web_pages"], "web_pages").items():
        _require_text(_require_mapping(page, f"web_pages.{key}"), "name", f"web_pages.{key}")
        _require_source(page, f"web_pages.{key}", sources)

    international = _require_mapping(top["international"], "international")
    _require_text(international, "canada_email", "international", EMAIL)
    _require_source(international, "international", sources)
    offices = international.get("offices")
    if not isinstance(offices, list) or not offices:
        raise _fail("international.offices", "must be a non-empty list")
    for index, office in enumerate(offices):
        _require_text(_require_mapping(office, "office"), "city", f"international.offices[{index}]")
        _require_text(office, "country", f"international.offices[{index}]")
        _require_text(office, "country_code", f"international.offices[{index}]", COUNTRY_CODE)

    for key, rule in _require_mapping(top["rules"], "rules").items():
        _require_source(_require_mapping(rule, f"rules.{key}"), f"rules.{key}", sources)

    for key, agency in _require_mapping(top["agencies"], "agencies").items():
        where = f"agencies.{key}"
        agency = _require_mapping(agency, where)
        for field in ("topic", "agency", "web"):
            _require_text(agency, field, where)
        if "phone" in agency:
            _require_text(agency, "phone", where, PHONE)
        keywords = agency.get("keywords")
        if not isinstance(keywords, list) or not all(isinstance(k, str) and k for k in keywords):
            raise _fail(f"{where}.keywords", "must be a list of words")
        _require_source(agency, where, sources)
    return top


def load_directory(path: str | os.PathLike | None = None) -> Directory:
    """Read and validate the directory; raises DirectoryError with the faulty entry named."""
    path = Path(path or os.environ.get("CONTACT_DIRECTORY", DEFAULT_PATH))
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DirectoryError(f"contact directory: cannot read {path}: {error}") from error
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DirectoryError(f"contact directory: {path} is not valid YAML: {error}") from error
    return Directory(raw=validate(raw), path=path)


@lru_cache(maxsize=1)
def default_directory() -> Directory:
    return load_directory()

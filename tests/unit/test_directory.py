"""The contact directory loader: the real file loads, and every kind of damage stops start-up."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from rasa_project.directory import DEFAULT_PATH, DirectoryError, load_directory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def raw() -> dict:
    return yaml.safe_load(DEFAULT_PATH.read_text())


def write(tmp_path: Path, data) -> Path:
    path = tmp_path / "contacts.yml"
    path.write_text(yaml.safe_dump(data) if not isinstance(data, str) else data)
    return path


def test_the_real_directory_holds_the_chapter_numbers():
    directory = load_directory()
    assert directory.phone_line("contact_center")["phone"] == "1-800-375-5283"
    assert directory.phone_line("contact_center_tdd")["phone"] == "1-800-767-1833"
    assert directory.phone_line("military_help_line")["phone"].endswith("(1-877-247-4645)")
    assert directory.phone_line("premium_processing")["phone"] == "1-866-315-5718"
    assert directory.phone_line("hague_adoptions")["phone"] == "1-877-424-8374"
    assert directory.hours("military_help_line")["after_hours_email"] == "militaryinfo.nsc@dhs.gov"
    assert directory.email_rules["headquarters_email"] == "SCOPSSCATA@dhs.gov"


def test_every_receipt_prefix_of_the_brief_maps_to_its_office():
    directory = load_directory()
    expected = {
        "EAC": "Vermont Service Center", "VSC": "Vermont Service Center",
        "WAC": "California Service Center", "CSC": "California Service Center",
        "LIN": "Nebraska Service Center", "NSC": "Nebraska Service Center",
        "SRC": "Texas Service Center", "TSC": "Texas Service Center",
        "MSC": "National Benefits Center", "NBC": "National Benefits Center",
        "YSC": "Potomac Service Center", "IOE": "USCIS online filing (ELIS)",
    }
    assert directory.receipt_prefixes() == frozenset(expected)
    for prefix, office in expected.items():
        assert directory.office_for_prefix(prefix.lower())[1]["name"] == office
    assert directory.office_for_prefix("XYZ") is None


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda d: d.pop("phone_lines"), r"phone_lines: section is missing"),
        (
            lambda d: d["phone_lines"].pop("contact_center"),
            r"phone_lines.contact_center: is missing",
        ),
        (
            lambda d: d["phone_lines"]["contact_center"].update(phone="800 375 5283"),
            r"phone_lines.contact_center.phone: '800 375 5283' is not well formed",
        ),
        (
            lambda d: d["phone_lines"]["hague_adoptions"].pop("source"),
            r"phone_lines.hague_adoptions.source: is missing",
        ),
        (
            lambda d: d["phone_lines"]["hague_adoptions"].update(source="a blog post"),
            r"names none of the sources",
        ),
        (
            lambda d: d["service_centers"]["texas"].update(email="tsc at dhs"),
            r"service_centers.texas.email: 'tsc at dhs' is not well formed",
        ),
        (
            lambda d: d["other_offices"]["potomac"].update(receipt_prefixes=["EAC"]),
            r"EAC belongs to two offices",
        ),
        (
            lambda d: d["service_centers"]["vermont"].update(receipt_prefixes=["E1C"]),
            r"is not three capital letters",
        ),
        (
            lambda d: d["hours"]["military_help_line"].update(timezone="Mars/Olympus"),
            r"hours.military_help_line.timezone: unknown time zone",
        ),
        (
            lambda d: d["hours"]["military_help_line"].update(opens="17:00"),
            r"opens must be before closes",
        ),
        (lambda d: d["hours"]["military_help_line"].update(days=["monday"]), r"days: must be"),
        (
            lambda d: d["email_rules"].update(service_center_wait_days="fifteen"),
            r"service_center_wait_days: must be a positive whole number",
        ),
        (lambda d: d["agencies"]["passport"].update(phone="call them"), r"agencies.passport.phone"),
        (lambda d: d["international"].update(offices=[]), r"international.offices"),
    ],
)
def test_damaged_directory_stops_start_up_naming_the_entry(tmp_path, raw, damage, message):
    broken = copy.deepcopy(raw)
    damage(broken)
    with pytest.raises(DirectoryError, match=message):
        load_directory(write(tmp_path, broken))


def test_invalid_yaml_and_missing_file_are_clear(tmp_path):
    with pytest.raises(DirectoryError, match="is not valid YAML"):
        load_directory(write(tmp_path, "phone_lines: [unclosed"))
    with pytest.raises(DirectoryError, match="cannot read"):
        load_directory(tmp_path / "nowhere.yml")
    with pytest.raises(DirectoryError, match="file: must be a non-empty mapping"):
        load_directory(write(tmp_path, "just text"))


def test_the_action_server_refuses_to_start_on_a_malformed_directory(tmp_path, raw):
    import subprocess
    import sys

    raw["phone_lines"]["contact_center"]["phone"] = "call us"
    env = {"CONTACT_DIRECTORY": str(write(tmp_path, raw)), "PYTHONPATH": str(ROOT), "PATH": ""}
    result = subprocess.run([sys.executable, "-c", "import actions"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "phone_lines.contact_center.phone: 'call us' is not well formed" in result.stderr


def test_no_contact_fact_is_typed_outside_the_directory():
    directory = load_directory()
    facts = set()
    for value in directory.facts().values():
        facts.update(re.findall(r"1-[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{4}", value))
        facts.update(re.findall(r"[\w.-]+@[\w.-]+", value))
    for agency in directory.agencies.values():
        facts.update(filter(None, [agency.get("phone")]))
    assert len(facts) > 15
    sources = [*ROOT.glob("domain/*.yml"), ROOT / "config.yml", *ROOT.glob("data/rules/*.yml"),
               *ROOT.glob("data/stories/*.yml"), *ROOT.glob("actions/**/*.py"),
               *ROOT.glob("rasa_project/**/*.py"), *ROOT.glob("rasa_project/**/*.html"),
               *ROOT.glob("rasa_project/**/*.js")]
    for path in sources:
        text = path.read_text(errors="replace")
        for fact in facts:
            assert fact not in text, f"{fact} is typed in {path.relative_to(ROOT)}"

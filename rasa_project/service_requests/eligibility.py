"""When and where a customer may email a service center (chapter D.2), computed from dates.

After a Service Request made through the Contact Center, the customer may email the service
center where the case is pending once `service_center_wait_days` full days pass with no response
(a request made on November 1 waits through November 16, so the email is allowed from November
17); after that email, the Office of Service Center Operations once `headquarters_wait_days` full
days pass. Offices without
a follow-up mailbox are followed up through the Contact Center.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rasa_project.directory import Directory
from rasa_project.service_requests.routing import office_name


@dataclass(frozen=True)
class EmailEligibility:
    office_name: str
    has_mailbox: bool
    service_center_email: str | None
    may_email_from: date | None  # first day the service center may be emailed
    may_email_now: bool
    headquarters_from: date | None  # first day headquarters may be emailed, once emailed
    may_email_headquarters_now: bool


def email_eligibility(directory: Directory, office_key: str, requested_on: date, today: date,
                      emailed_on: date | None = None) -> EmailEligibility:
    rules = directory.email_rules
    center = directory.service_centers.get(office_key)
    if center is None:
        return EmailEligibility(office_name(directory, office_key), False, None, None, False,
                                None, False)
    # The day after the last full waiting day: "no response within 15 days" is known only then.
    may_email_from = requested_on + timedelta(days=rules["service_center_wait_days"] + 1)
    headquarters_from = (
        emailed_on + timedelta(days=rules["headquarters_wait_days"] + 1) if emailed_on else None
    )
    return EmailEligibility(
        office_name=center["name"],
        has_mailbox=True,
        service_center_email=center["email"],
        may_email_from=may_email_from,
        may_email_now=today >= may_email_from,
        headquarters_from=headquarters_from,
        may_email_headquarters_now=bool(headquarters_from and today >= headquarters_from),
    )


"""What a question about emailing a service center is really about, from the customer's words
(chapter D.2): they have no Service Request yet, their email to the service center went
unanswered (the 21-day escalation), or they ask the rule itself (the 15-day wait).

Plain patterns, not the classifier: these are the turns of one intent that each need another
answer, and their wording is narrow enough to read directly."""

from __future__ import annotations

import re

_NEGATION = (
    r"(?:no|without|never|didn'?t|did\s+not|dont|don'?t|do\s+not|haven'?t|have\s+not|hasn'?t"
    r"|skipped|not)"
)
# "no response to my service request" is about an answer, not about having no request.
_NOT_AN_ANSWER = r"(?:(?!respon|answer|repl|news|word|update|contact)\w+\W+){0,3}?"
_REQUEST_OR_CALL = (
    r"(?:service\s+request|request|reference(?:\s+number)?|sr\b|call(?:ed|ing)?\b|phoned?\b"
    r"|contact\s+cent(?:er|re)|phone\s+call)"
)
NO_REQUEST = re.compile(rf"\b{_NEGATION}\W+{_NOT_AN_ANSWER}{_REQUEST_OR_CALL}", re.I)

EMAILED = re.compile(
    r"\b(?:e-?mailed|wrote|written|sent\s+(?:an?\s+|my\s+|the\s+)?(?:e-?mail|message)"
    r"|my\s+(?:follow[- ]?up\s+)?e-?mail|since\s+i\s+e-?mail"
    r"|(?:repl\w*|respon\w*|answer\w*|ignor\w*)\s+(?:to\s+|on\s+|for\s+)?(?:my\s+|the\s+|our\s+)?e-?mail"
    r"|e-?mail\s+(?:got|was|has|had|is)\s+(?:no|not|never|ignored|unanswered)|e-?mail\s+went"
    r"|headquarters|escalat\w*|above\s+the\s+service\s+cent\w*|scops\w*"
    r"|office\s+of\s+service\s+center\s+operations)\b", re.I)
EMAIL = re.compile(r"\be-?mail", re.I)
NO_RESPONSE = re.compile(r"\b(?:no|not|never|nobody|no\s+one|nothing)\b\W*(?:\w+\W+){0,2}?"
                         r"(?:respon\w*|repl\w*|answer\w*|heard|contact\w*)", re.I)
REQUEST_OR_CALL = re.compile(_REQUEST_OR_CALL, re.I)


def email_question_kind(text: str) -> str:
    """"no_request", "unanswered" or "rule"."""
    text = " ".join((text or "").split())[:1000]
    if NO_REQUEST.search(text):
        return "no_request"
    if EMAILED.search(text):
        return "unanswered"
    if EMAIL.search(text) and NO_RESPONSE.search(text) and not REQUEST_OR_CALL.search(text):
        return "unanswered"
    return "rule"


def is_button_payload(text: str) -> bool:
    """A button press ("/check_email_eligibility") is the customer asking to act."""
    return (text or "").lstrip().startswith("/")

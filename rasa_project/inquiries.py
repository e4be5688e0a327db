"""What a question about emailing a service center is really about (chapter D.2), read from what
the customer says of their own situation, not from the wording of known messages:

- "no_request": they say they made no Service Request (never called, have no reference number):
  they are told to make one first;
- "unanswered": they say they already wrote to the service center and had no answer, or ask who
  is above it: the 21-day escalation to the Office of Service Center Operations;
- "rule": anything else, including "nobody answered my Service Request, may I email?": the
  15-day rule itself.

Each situation is a few kinds of words near each other (word classes below, misspellings
included), read in a window of words, so that a new phrasing of the same situation is read the
same way."""

from __future__ import annotations

import difflib
import re

# -- word classes (one word each, after normalise()) --------------------------------------------
NEGATIONS = frozenset(
    """no not never without nothing none zero
    didnt dont havent hasnt hadnt wasnt werent isnt cant couldnt wont skip skipped""".split()
)
# What makes a Service Request: the call, the request itself, its reference number.
REQUEST_WORDS = frozenset(
    """request requests sr reference ref called call calling phoned phone
    rang contactcenter callcenter""".split()
)
ANSWER_WORDS = frozenset(
    """respond responded response responses reply replied replies answer
    answered answers heard back news word update contacted""".split()
)
# The email itself ("message" and "mail" count only beside a writing verb).
EMAIL_WORDS = frozenset("email emails mail message followup".split())
# Having written: a verb that says it in the past; "sent" and "mailed" only beside an email word.
WROTE = frozenset("emailed wrote written messaged".split())
SENT = frozenset("sent mailed".split())
# Where an email goes: "I wrote to the Vermont center".
CENTER_WORDS = frozenset("center centre csc vsc nsc tsc them".split())
SILENCE = frozenset("ignored ignore ignoring unanswered silence silent nothing".split())
# Asking who is above the service center.
ESCALATION = re.compile(
    r"\b(?:escalat\w*|headquarters|hq|above|higher\s+up|supervisor\w*|scops\w*"
    r"|office\s+of\s+service\s+cent\w+\s+operations)\b"
)
KNOWN_WORDS = (
    NEGATIONS | REQUEST_WORDS | ANSWER_WORDS | EMAIL_WORDS | WROTE | SENT | CENTER_WORDS | SILENCE
)
WINDOW = 4  # words between the parts of one statement ("never got any reply to my email")


def normalise(text: str) -> list[str]:
    """Lower-case words without apostrophes; "e-mail" and "follow up" as one word each."""
    text = (text or "").lower()[:1000].replace("'", "").replace("\u2019", "")
    text = re.sub(r"\be[\s-]?mail", "email", text)
    text = re.sub(r"\bfollow[\s-]?up", "followup", text)
    text = re.sub(r"\bno\s+one\b", "nobody", text)
    text = re.sub(r"\b(contact|call)\s+cent(?:er|re)", r"\1center", text)
    # "since I email them": a past email in the present tense second-language writers use.
    text = re.sub(r"\b(since|after)\s+(i|we)\s+email\b", r"\1 \2 emailed", text)
    return [_spelled(word) for word in re.findall(r"[a-z0-9]+", text)]


# Misspellings ("emial", "ansewr", "repley") are read as the word they are closest to, among
# the words these classes hinge on; a word a class already knows is left as it is.
_MISSPELLABLE = (
    "email",
    "answer",
    "answered",
    "reply",
    "replied",
    "respond",
    "responded",
    "response",
    "request",
    "reference",
    "ignored",
    "unanswered",
)


def _spelled(word: str) -> str:
    if len(word) < 4 or word in KNOWN_WORDS:
        return word
    close = difflib.get_close_matches(word, _MISSPELLABLE, n=1, cutoff=0.8)
    return close[0] if close else word


def _near(words: list[str], first: frozenset, then: frozenset, window: int = WINDOW) -> list[int]:
    """Positions of a `first` word followed within `window` words by a `then` word."""
    return [
        i
        for i, word in enumerate(words)
        if word in first and any(w in then for w in words[i + 1 : i + 1 + window])
    ]


def says_no_request(words: list[str]) -> bool:
    """ "I never called", "no reference number", "without a Service Request" (but "no response
    to my request" is about an answer, not about having no request)."""
    for i in _near(words, NEGATIONS, REQUEST_WORDS):
        between = words[i + 1 : i + 1 + WINDOW]
        upto = next(j for j, w in enumerate(between) if w in REQUEST_WORDS)
        if not any(w in ANSWER_WORDS for w in between[:upto]):
            return True
    return False


def says_emailed(words: list[str]) -> bool:
    """They already wrote: "I emailed", "wrote to the center", "sent an email", "the email I
    sent", "my email"."""
    for i, word in enumerate(words):
        nearby = words[max(0, i - WINDOW) : i] + words[i + 1 : i + 1 + WINDOW + 2]
        if word == "emailed" or (word in WROTE and (EMAIL_WORDS | CENTER_WORDS) & set(nearby)):
            return True
        if word in SENT and EMAIL_WORDS & set(nearby):
            return True
        if word in ("my", "our") and i + 1 < len(words) and words[i + 1] in EMAIL_WORDS:
            return True
    return False


def says_no_answer(words: list[str]) -> bool:
    return bool(_near(words, NEGATIONS | {"nobody"}, ANSWER_WORDS)) or bool(SILENCE & set(words))


def email_question_kind(text: str) -> str:
    """ "no_request", "unanswered" or "rule"."""
    words = normalise(text)
    if says_no_request(words):
        return "no_request"
    if ESCALATION.search(" ".join(words)):
        return "unanswered"
    emailed = says_emailed(words)
    silence = says_no_answer(words)
    if emailed and (silence or not REQUEST_WORDS & set(words)):
        return "unanswered"
    # "no answer to my email" without a verb of writing: the silence follows an email word.
    if silence and not REQUEST_WORDS & set(words) and EMAIL_WORDS & set(words):
        return "unanswered"
    return "rule"


# What an expedite question speaks of: speed, urgency, or one of the grounds (typos included).
SPEED_OR_URGENCY = re.compile(
    r"\b(?:fast\w*|quick\w*|soon\w*|speed\w*|hurr\w*|rush\w*|urgen\w*|emergen\w*|accelerat\w*"
    r"|priorit\w*|asap|front|ahead|dying|sick|ill|hospi\w*|cancer|surgery|funeral|los[es]|loss"
    r"|error|mistake|nonprofit|non-profit|government)\b",
    re.I,
)


def asks_for_speed(text: str) -> bool:
    """Whether a message speaks of getting a case decided faster at all (a long story about
    moving abroad, with a pending case in it, does not); "expedite" however misspelled."""
    text = (text or "")[:1000]
    return bool(SPEED_OR_URGENCY.search(text)) or any(
        difflib.SequenceMatcher(None, word, "expedite").ratio() >= 0.7
        for word in re.findall(r"[a-z]{5,}", text.lower())
    )


def is_button_payload(text: str) -> bool:
    """A button press ("/check_email_eligibility") is the customer asking to act."""
    return (text or "").lstrip().startswith("/")

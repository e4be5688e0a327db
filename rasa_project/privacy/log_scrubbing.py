"""Personal data out of the logs, whoever logs it: every log record of the process is cleaned when
it is made (a logging record factory, so handlers added later are covered too).

On error paths Rasa logs the message text ("rest.message.received.failure", text=...), and when an
action raises, the action server answers with the whole conversation in the body of its 500, which
Rasa's traceback then prints. Here:
- a line that holds a conversation (JSON with "events") loses the JSON;
- values of message-text fields (text=..., "text": "...") and of personal slots are replaced;
- whatever looks like an email, phone, date, ZIP or receipt number is masked (personal_data.py);
- tracebacks are formatted and cleaned the same way.
"""

from __future__ import annotations

import logging
import re
import traceback

from rasa_project.privacy.personal_data import PERSONAL_SLOTS, personal_spans

REMOVED = "[removed]"
CONVERSATION = re.compile(r"""["']events["']\s*:""")
TEXT_FIELDS = "text|user_text|message|user_message|response_text|parse_data_text|slot_values"
QUOTED_FIELD = re.compile(rf"""(["'](?:{TEXT_FIELDS})["']\s*:\s*)(["'])((?:\\.|(?!\2).)*)\2""")
KEY_VALUE_FIELD = re.compile(rf"""(\b(?:{TEXT_FIELDS})=)(?:(["'])((?:\\.|(?!\2).)*)\2|[^\s,)]*)""")
# A personal slot's value as Rasa's debug lines print it: "customer_name: Ana Perez",
# "'customer_name': 'Ana Perez'", "SlotSet(key: customer_name, value: Ana Perez)".
SLOT_VALUE = re.compile(
    rf"""(\b(?:{"|".join(sorted(PERSONAL_SLOTS))})['"]?(?:\s*[:=]\s*|, value: ))"""
    r"""(['"]?)[^\n,'"})]*\2"""
)

_installed_factory = None


def scrub(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        if CONVERSATION.search(line):
            line = re.sub(r"\{.*\}", "{" + REMOVED + " conversation}", line)
        line = QUOTED_FIELD.sub(lambda m: f"{m.group(1)}{m.group(2)}{REMOVED}{m.group(2)}", line)
        line = KEY_VALUE_FIELD.sub(lambda m: f"{m.group(1)}{REMOVED}", line)
        line = SLOT_VALUE.sub(lambda m: f"{m.group(1)}{REMOVED}", line)
        for start, end in reversed(personal_spans(line)):
            if start and line[start - 1] == ":":
                continue  # host:port, a clock time: not a customer's
            line = line[:start] + REMOVED + line[end:]
        lines.append(line)
    return "\n".join(lines)


def scrub_record(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # a record whose arguments do not fit its format: keep the format only
        message = str(record.msg)
    record.msg, record.args = scrub(message), ()
    if record.exc_info and record.exc_info[0] is not None:
        record.exc_text = scrub("".join(traceback.format_exception(*record.exc_info)).rstrip())
        record.exc_info = None
    elif record.exc_text:
        record.exc_text = scrub(record.exc_text)
    if record.stack_info:
        record.stack_info = scrub(record.stack_info)
    return record


def install() -> None:
    """Cleans every record this process makes from now on (once; safe to call again)."""
    global _installed_factory
    current = logging.getLogRecordFactory()
    if current is _installed_factory:
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        return scrub_record(current(*args, **kwargs))

    _installed_factory = factory
    logging.setLogRecordFactory(factory)

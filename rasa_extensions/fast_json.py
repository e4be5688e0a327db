"""JSON text written by orjson (the same values as `json.dumps`, several times faster), for the
conversations the Rasa server sends to the action server and to Redis on every turn."""

from __future__ import annotations

import json
from typing import Any

import orjson

# NumPy numbers: the classifier's confidences are numpy.float64 (a float to `json`); keys that
# are not strings are written as `json` writes them.
OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS


def to_json(value: Any) -> str:
    try:
        return orjson.dumps(value, option=OPTIONS).decode()
    except TypeError:  # orjson.JSONEncodeError: a type orjson does not know; `json` decides
        return json.dumps(value)

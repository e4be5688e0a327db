"""orjson writes what `json.dumps` writes (as JSON values); what it cannot write goes to `json`."""

from __future__ import annotations

import json

import numpy
import pytest

from rasa_extensions.fast_json import to_json


def test_the_values_rasa_sends_are_written_by_orjson():
    value = {1: "a", "b": (1, 2.5), "c": numpy.float64(0.8123456789), "d": numpy.float32(0.5),
             "é": "</script> ünïcode", "e": None, "f": [True, {}]}
    text = to_json(value)
    assert text.startswith('{"1":"a","b":[1,2.5]')  # orjson's compact writing
    assert json.loads(text) == json.loads(json.dumps(value, default=float))


def test_what_orjson_cannot_write_goes_to_json():
    assert to_json({"n": 2 ** 70}) == '{"n": 1180591620717411303424}'  # beyond 64 bits

    class Unknown:
        pass

    with pytest.raises(TypeError):
        to_json({"a": Unknown()})  # refused by both, as before

"""`Domain.is_empty`, answered once per domain.

Rasa asks it for every message (before warning about unknown intents) and answers by turning the
whole domain, and a freshly built empty one, into dictionaries: 5 % of the Rasa server's CPU under
load. A loaded domain does not change, so the answer is kept with it.
"""

from __future__ import annotations

from rasa.shared.core.domain import Domain

RASA_IS_EMPTY = Domain.is_empty


def domain_is_empty(self: Domain) -> bool:
    if "_is_empty" not in self.__dict__:
        self.__dict__["_is_empty"] = RASA_IS_EMPTY(self)
    return self.__dict__["_is_empty"]

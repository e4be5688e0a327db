"""Rasa's logistic regression intent classifier, made safe for messages without features.

Rasa 3.6's `LogisticRegressionClassifier` hands scikit-learn a matrix with no columns when a
message has no tokens (an empty message, only spaces), and the whole turn fails with a
ValueError. Such a message gets no intent here (confidence 0), which the FallbackClassifier
after it turns into `nlu_fallback`, and an active form still receives it as an answer to check.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message


def has_features(message: Message) -> bool:
    # Featurizers describe tokens: no token, no feature. (Cheaper than combining the features.)
    return bool(message.get(TOKENS_NAMES[TEXT]))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class EmptySafeLogisticRegressionClassifier(LogisticRegressionClassifier):
    def process(self, messages: list[Message]) -> list[Message]:
        featured = [message for message in messages if has_features(message)]
        if featured:
            super().process(featured)
        for message in messages:
            if not has_features(message):
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        return messages

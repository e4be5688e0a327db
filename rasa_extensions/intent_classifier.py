"""Rasa's logistic regression intent classifier, safe for messages without words and quicker.

- Rasa 3.6's `LogisticRegressionClassifier` hands scikit-learn a matrix with no columns when a
  message has no tokens (an empty message, only spaces), and the whole turn fails with a
  ValueError. Such a message gets no intent here (confidence 0), which the FallbackClassifier
  after it turns into `nlu_fallback`, and an active form still receives it as an answer to check.
- Rasa builds the classifier's input by combining the sequence and the sentence features of
  every featurizer (deep copies and a dozen sparse concatenations) and then uses only the
  sentence ones, on every message. The same columns, in the same
  order, are built here from the sentence features alone, as one sparse matrix directly.
- scikit-learn multiplies the message by `coef_.T`; with `coef_` stored row by row that
  transpose is not contiguous and scipy copies the whole weight matrix (intents x vocabulary)
  for every message. The weights are kept column by column instead: the same numbers, the
  same products, no copy.
"""

from __future__ import annotations

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import coo_matrix, csr_matrix


def has_features(message: Message) -> bool:
    # Featurizers describe tokens: no token, no feature.
    return bool(message.get(TOKENS_NAMES[TEXT]))


def sentence_parts(message: Message) -> list[coo_matrix]:
    """The message's text sentence features (one row each), sparse ones first, each kind in
    pipeline order."""
    sentence = [f for f in message.features
                if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE]
    return ([f.features if isinstance(f.features, coo_matrix) else coo_matrix(f.features)
             for f in sentence if f.is_sparse()]
            + [coo_matrix(f.features) for f in sentence if f.is_dense()])


def sentence_matrix(messages: list[Message]) -> csr_matrix:
    """One row per message: its parts side by side, entries in the order a sparse `hstack`
    then `vstack` would leave them."""
    data, columns, row_ends, width = [], [], [0], 0
    for message in messages:
        width = entries = 0
        for part in sentence_parts(message):
            data.append(part.data)
            columns.append(part.col + width)
            width += part.shape[1]
            entries += part.nnz
        row_ends.append(row_ends[-1] + entries)
    if not data:
        return csr_matrix((len(messages), width))
    return csr_matrix((np.concatenate(data), np.concatenate(columns), np.array(row_ends)),
                      shape=(len(messages), width))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class EmptySafeLogisticRegressionClassifier(LogisticRegressionClassifier):
    def _create_X(self, messages: list[Message]) -> csr_matrix:
        return sentence_matrix(messages)

    def process(self, messages: list[Message]) -> list[Message]:
        if not self.clf.coef_.flags.f_contiguous:
            self.clf.coef_ = np.asfortranarray(self.clf.coef_)
        featured = [message for message in messages if has_features(message)]
        if featured:
            super().process(featured)
        for message in messages:
            if not has_features(message):
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        return messages

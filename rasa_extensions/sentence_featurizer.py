"""Rasa's count-vectors featurizer, giving only what the intent classifier reads.

Rasa's `CountVectorsFeaturizer` counts every message twice: token by token (sequence features,
for DIET's entity tagging and transformer) and as a whole (sentence features). This assistant
finds entities with rules and classifies intents with logistic regression on the sentence
features alone, so the token-by-token counts were computed and thrown away on every message,
about half of the featurizer's work. The sentence features
are Rasa's, unchanged (same vocabulary, same columns, same counts).
"""

from __future__ import annotations

import scipy.sparse
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class SentenceCountVectorsFeaturizer(CountVectorsFeaturizer):
    def _create_features(
        self, attribute: str, all_tokens: list[list[str]]
    ) -> tuple[list[None], list[scipy.sparse.spmatrix | None]]:
        if not self.vectorizers.get(attribute):
            return [None], [None]
        sentence_features: list[scipy.sparse.spmatrix | None] = []
        for tokens in all_tokens:
            if not tokens or attribute not in DENSE_FEATURIZABLE_ATTRIBUTES:
                sentence_features.append(None)
                continue
            sentence = self.vectorizers[attribute].transform([" ".join(tokens)])
            sentence.sort_indices()
            sentence_features.append(sentence.tocoo())
        return [None] * len(all_tokens), sentence_features

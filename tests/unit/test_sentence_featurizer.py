"""The trained assistant's count-vectors featurizers give Rasa's sentence features and skip the
token-by-token ones nothing reads."""

from __future__ import annotations

from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.shared.nlu.constants import TEXT

from rasa_extensions.sentence_featurizer import SentenceCountVectorsFeaturizer

TOKENS = [["what", "is", "the", "uscis", "phone", "number"], ["EAC2190012345"], ["über", "?"],
          ["zzqx"], []]


def featurizers(agent) -> list[SentenceCountVectorsFeaturizer]:
    nodes = agent.processor.graph_runner._instantiated_nodes.values()
    return [node._component for node in nodes
            if isinstance(node._component, SentenceCountVectorsFeaturizer)]


def test_both_featurizers_are_the_sentence_only_kind(agent):
    assert len(featurizers(agent)) == 2  # words, and character n-grams


def test_sentence_features_are_rasas_and_no_sequence_features(agent):
    for featurizer in featurizers(agent):
        sequence, sentence = featurizer._create_features(TEXT, TOKENS)
        _, rasas = CountVectorsFeaturizer._create_features(featurizer, TEXT, TOKENS)
        assert sequence == [None] * len(TOKENS)
        for ours, theirs in zip(sentence, rasas, strict=True):
            if theirs is None:
                assert ours is None
            else:
                assert (ours != theirs).nnz == 0 and ours.shape == theirs.shape
                assert ours.format == theirs.format == "coo"
        assert sentence[0].nnz > 0


"""The trained assistant's intent classifier on messages Rasa's own one fails on."""

from __future__ import annotations

import asyncio

import pytest


def parse(agent, text: str) -> dict:
    return asyncio.run(agent.parse_message(text))


@pytest.mark.parametrize("text", ["", "   "])
def test_a_message_without_words_goes_to_the_fallback(agent, text):
    result = parse(agent, text)
    assert result["intent"]["name"] == "nlu_fallback"


def test_a_normal_message_is_still_classified(agent):
    result = parse(agent, "what is the uscis phone number")
    assert result["intent"]["name"] == "ask_contact_center"
    assert result["intent_ranking"][0]["name"] == "ask_contact_center"


def test_classifier_input_has_the_columns_rasa_builds():
    import numpy as np
    import scipy.sparse
    from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
    from rasa.shared.nlu.training_data.features import Features
    from rasa.shared.nlu.training_data.message import Message

    from rasa_extensions.intent_classifier import EmptySafeLogisticRegressionClassifier

    rng = np.random.default_rng(7)

    def sparse(rows, cols):
        return scipy.sparse.random(rows, cols, density=0.4, format="coo", random_state=7)

    messages = []
    for tokens in (3, 5):
        message = Message(data={"text": "x"})
        for origin, width in (("regex", 4), ("words", 9), ("chars", 6)):
            message.add_features(Features(sparse(tokens, width), "sequence", "text", origin))
            message.add_features(Features(sparse(1, width), "sentence", "text", origin))
        message.add_features(Features(rng.random((1, 3)), "sentence", "text", "dense"))
        message.add_features(Features(sparse(1, 2), "sentence", "intent", "other"))
        messages.append(message)

    ours = EmptySafeLogisticRegressionClassifier._create_X(None, messages)
    rasas = LogisticRegressionClassifier._create_X(None, messages)
    assert ours.shape == rasas.shape == (2, 4 + 9 + 6 + 3)
    np.testing.assert_array_equal(ours.toarray(), rasas.toarray())


def test_weights_kept_column_by_column_give_the_same_probabilities(agent):
    import numpy as np
    import scipy.sparse

    from rasa_extensions.intent_classifier import EmptySafeLogisticRegressionClassifier

    parse(agent, "book an appointment")  # the first message arranges the weights
    nodes = agent.processor.graph_runner._instantiated_nodes.values()
    classifier = next(node._component for node in nodes
                      if isinstance(node._component, EmptySafeLogisticRegressionClassifier))
    clf = classifier.clf
    assert clf.coef_.flags.f_contiguous
    X = scipy.sparse.random(20, clf.coef_.shape[1], density=0.01, format="csr", random_state=3)
    ours = clf.predict_proba(X)
    arranged = clf.coef_
    try:
        clf.coef_ = np.ascontiguousarray(arranged)  # as scikit-learn trained it
        np.testing.assert_array_equal(ours, clf.predict_proba(X))
    finally:
        clf.coef_ = arranged

"""river's online models in a StreamSampler, through river's scikit-learn
compatibility layer (the optional extra ``river``)."""

import pickle

import numpy as np
import pytest
from sklearn.datasets import make_classification

from skactive import StreamSampler

compat = pytest.importorskip("river.compat")
from river import linear_model, preprocessing  # noqa: E402


def _river_model():
    return compat.River2SKLClassifier(
        preprocessing.StandardScaler() | linear_model.LogisticRegression())


def _replay(sampler, X, y, batch=200):
    """Decide and update over mini-batches; the labels asked for."""
    asked = []
    for start in range(0, X.shape[0], batch):
        X_batch, y_batch = X[start:start + batch], y[start:start + batch]
        decided = sampler.decide(X_batch)
        sampler.update(X_batch[decided], y_batch[decided])
        asked.append(start + np.flatnonzero(decided))
    return np.concatenate(asked)


def test_a_river_model_learns_from_the_labels_the_sampler_asks_for():
    X, y = make_classification(n_samples=2100, random_state=0)
    sampler = StreamSampler(_river_model(), strategy="variable_uncertainty",
                            budget=0.1, random_state=0).fit(X[:100], y[:100])
    asked = _replay(sampler, X[100:], y[100:])
    # The budget holds with a river model as with a scikit-learn one, and
    # the model learned from what it was given.
    assert abs(asked.size / 2000 - 0.1) < 0.03
    assert sampler.estimator_.score(X, y) > 0.8


def test_a_river_model_pickles_mid_stream_and_goes_on_identically():
    X, y = make_classification(n_samples=1300, random_state=1)
    sampler = StreamSampler(_river_model(), strategy="split", budget=0.2,
                            random_state=0).fit(X[:100], y[:100])
    _replay(sampler, X[100:700], y[100:700])
    copy = pickle.loads(pickle.dumps(sampler))
    np.testing.assert_array_equal(_replay(sampler, X[700:], y[700:]),
                                  _replay(copy, X[700:], y[700:]))

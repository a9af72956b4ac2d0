import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_digits


class LookupClassifier(ClassifierMixin, BaseEstimator):
    """A "trained" classifier whose probabilities are given: row ``i`` of the
    pool is the integer ``X[i, 0]``, and its probabilities are ``proba[X[i, 0]]``.
    It lets a test feed exact (or broken) probabilities to a sampler."""

    def __init__(self, proba):
        self.proba = proba

    def fit(self, X, y):
        self.classes_ = np.arange(np.asarray(self.proba).shape[1])
        return self

    def predict_proba(self, X):
        return np.asarray(self.proba)[np.asarray(X)[:, 0].astype(int)]


@pytest.fixture(scope="session")
def digits():
    X, y = load_digits(return_X_y=True)
    return X / 16.0, y

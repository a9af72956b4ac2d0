"""Confidence drop (Vlachos, 2008)."""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral

from ..utils._sklearn_compat import Interval
from ._criterion import StoppingCriterion, _predict_proba
from ._rules import confidence_dropped


class ConfidenceDrop(StoppingCriterion):
    """Stop when the model's confidence on the stop set has passed its peak.

    Vlachos (2008): the mean confidence (highest class probability) of the
    model on a separate unlabeled set rises while labels teach it, then
    falls once the samples left to label are the hard ones; stop when it has
    fallen for ``patience`` consecutive rounds. The confidence may rise
    again later; the stop stays (``stopped_at_``). The model needs
    ``predict_proba``.

    Parameters
    ----------
    patience : int, default=1
        Consecutive drops that stop, at least 1.

    Attributes
    ----------
    history_ : list of float
        The mean confidence of each round.

    stopped_at_ : int or None
        The round at which the confidence had first dropped ``patience``
        rounds in a row, or None.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactive.labeling import ConfidenceDrop
    >>> X, y = load_iris(return_X_y=True)
    >>> criterion = ConfidenceDrop()
    >>> criterion.update(LogisticRegression(C=10).fit(X, y), X, 150)
    False
    >>> criterion.update(LogisticRegression(C=0.01).fit(X, y), X, 160)
    True
    """

    _parameter_constraints: dict = {
        "patience": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, patience=1):
        self.patience = patience

    def measure(self, estimator, X_stop, n_labeled):
        P = _predict_proba(self, estimator, X_stop)
        return float(P.max(axis=1).mean())

    def should_stop(self, history):
        return confidence_dropped(history, self.patience)

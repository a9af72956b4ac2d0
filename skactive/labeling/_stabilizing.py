"""Stabilizing predictions (Bloodgood & Vijay-Shanker, 2009)."""

# SPDX-License-Identifier: BSD-3-Clause

from ._criterion import StoppingCriterion
from ._rules import agreement, stabilized


class StabilizingPredictions(StoppingCriterion):
    """Stop when consecutive models agree on the stop set.

    Each round, Cohen's kappa between the predictions of this round's model
    and the previous one's on the stop set (a fixed sample of unlabeled data:
    no labels needed); stop when the mean over the last ``window`` rounds
    reaches ``threshold`` (Bloodgood & Vijay-Shanker, 2009, whose defaults
    these are).

    Parameters
    ----------
    window : int, default=3
        Rounds averaged.

    threshold : float, default=0.99
        Mean kappa that stops.

    Attributes
    ----------
    history_ : list of float
        Kappa of each round with the one before (NaN at the first round).

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactive.labeling import StabilizingPredictions
    >>> X, y = load_iris(return_X_y=True)
    >>> criterion = StabilizingPredictions(window=1)
    >>> model = LogisticRegression(max_iter=500).fit(X[::5], y[::5])
    >>> criterion.update(model, X, n_labeled=30)  # no previous model yet
    False
    >>> criterion.update(model, X, n_labeled=40)  # the same predictions
    True
    """

    def __init__(self, window=3, threshold=0.99):
        self.window = window
        self.threshold = threshold

    def measure(self, estimator, X_stop, n_labeled):
        current = estimator.predict(X_stop)
        previous, self.predictions_ = getattr(self, "predictions_", None), current
        return float("nan") if previous is None else agreement(previous, current)

    def should_stop(self, history):
        return stabilized(history[1:], self.window, self.threshold)

"""Overall and max uncertainty (Zhu, Wang & Hovy, 2008)."""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Real

from ..utils._sklearn_compat import Interval, StrOptions
from ._criterion import StoppingCriterion, _predict_proba
from ._rules import normalized_entropy


class UncertaintyThreshold(StoppingCriterion):
    """Stop when the model is sure enough about the unlabeled data.

    Zhu, Wang & Hovy (2008): *overall uncertainty* stops when the mean
    uncertainty of the stop set falls below ``threshold``; *max uncertainty*
    when even the most uncertain sample does. Uncertainty is the entropy of
    the predicted probabilities divided by its maximum, so that it lies in
    [0, 1] whatever the number of classes. The thresholds depend on the task
    (Zhu et al. tune them); the defaults are a starting point. The model
    needs ``predict_proba``.

    Parameters
    ----------
    aggregation : {"mean", "max"}, default="mean"
        Overall uncertainty (the mean) or max uncertainty.

    threshold : float, default=0.1
        Uncertainty below which to stop, in (0, 1].

    Attributes
    ----------
    history_ : list of float
        The mean (or max) normalised entropy of each round.

    stopped_at_ : int or None
        The round at which the uncertainty first fell below ``threshold``,
        or None.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactive.labeling import UncertaintyThreshold
    >>> X, y = load_iris(return_X_y=True)
    >>> model = LogisticRegression(max_iter=500).fit(X, y)
    >>> UncertaintyThreshold(threshold=0.3).update(model, X, n_labeled=150)
    True
    """

    _parameter_constraints: dict = {
        "aggregation": [StrOptions({"mean", "max"})],
        "threshold": [Interval(Real, 0, 1, closed="right")],
    }

    def __init__(self, aggregation="mean", threshold=0.1):
        self.aggregation = aggregation
        self.threshold = threshold

    def measure(self, estimator, X_stop, n_labeled):
        uncertainty = normalized_entropy(_predict_proba(self, estimator, X_stop))
        return float(uncertainty.mean() if self.aggregation == "mean"
                     else uncertainty.max())

    def should_stop(self, history):
        return history[-1] < self.threshold

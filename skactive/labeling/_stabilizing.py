"""Stabilizing predictions (Bloodgood & Vijay-Shanker, 2009)."""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

from ..utils._sklearn_compat import Interval, StrOptions
from ._criterion import StoppingCriterion, _model_name, _predicts_values
from ._rules import agreement, concordance, stabilized


class StabilizingPredictions(StoppingCriterion):
    """Stop when consecutive models agree on the stop set.

    Each round, the agreement between the predictions of this round's model
    and the previous one's on the stop set (a fixed sample of unlabeled data:
    no labels needed); stop when the mean over the last ``window`` rounds
    reaches ``threshold``. For a classifier the agreement is Cohen's kappa
    (Bloodgood & Vijay-Shanker, 2009, whose defaults these are); for a
    regressor, Lin's concordance correlation (:func:`concordance`), its
    counterpart for continuous predictions: unlike Pearson's correlation it
    counts predictions all shifted or stretched as a change, and unlike a
    relative change it needs no scale and no non-zero predictions.

    The default threshold serves both. For regressors it was measured on
    diabetes (``LinearRegression``, 20 to 270 labels) and
    ``make_friedman1(n_samples=1000, noise=1.0)`` (gradient boosting, 20 to
    520 labels), random and iGS sampling, 10 labels a round, 10 repeats:
    0.99 stopped at 95 to 196 labels, saving 62 to 65% of the budget, for
    0.03 to 0.06 of R² lost against the full budget; 0.995 saved 36 to 59%
    for 0.02 to 0.045 lost; 0.999 lost less than 0.01 but saved at most 26%
    and never stopped on Friedman #1. Raise it when the last points of R²
    are worth more labels.

    Parameters
    ----------
    window : int, default=3
        Rounds averaged, at least 1.

    threshold : float, default=0.99
        Mean agreement that stops, in (0, 1].

    statistic : {"auto", "kappa", "concordance"}, default="auto"
        The agreement measured: Cohen's kappa between predicted classes, or
        the concordance correlation between predicted values. "auto" takes
        the concordance for a regressor (``estimator_type`` "regressor",
        even when it predicts whole numbers), the kappa for a classifier
        and, for a model that declares neither, the concordance when its
        predictions are continuous (``type_of_target``).

    Attributes
    ----------
    history_ : list of float
        Agreement of each round with the one before (NaN at the first round).

    statistic_ : {"kappa", "concordance"}
        The agreement measured, chosen at the first round.

    stopped_at_ : int or None
        The round at which the mean agreement first reached ``threshold``,
        or None.

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
    >>> criterion.statistic_, criterion.stopped_at_
    ('kappa', 1)
    """

    _parameter_constraints: dict = {
        "window": [Interval(Integral, 1, None, closed="left")],
        "threshold": [Interval(Real, 0, 1, closed="right")],
        "statistic": [StrOptions({"auto", "kappa", "concordance"})],
    }

    def __init__(self, window=3, threshold=0.99, statistic="auto"):
        self.window = window
        self.threshold = threshold
        self.statistic = statistic

    def measure(self, estimator, X_stop, n_labeled):
        current = estimator.predict(X_stop)
        statistic = getattr(self, "statistic_", None) or self._statistic(
            estimator, current)
        previous = getattr(self, "predictions_", None)
        value = float("nan") if previous is None else (
            agreement if statistic == "kappa" else concordance)(previous, current)
        self.statistic_, self.predictions_ = statistic, current
        return value

    def _statistic(self, estimator, predictions):
        continuous = _predicts_values(estimator, predictions)
        if self.statistic == "auto":
            return "concordance" if continuous else "kappa"
        if self.statistic == "kappa" and continuous:
            raise ValueError(
                f"{_model_name(estimator)} predicts continuous values, for "
                "which Cohen's kappa is undefined: pass statistic='concordance' "
                "(or 'auto')."
            )
        return self.statistic

    def should_stop(self, history):
        return stabilized(history[1:], self.window, self.threshold)

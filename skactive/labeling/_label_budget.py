"""A labeling budget."""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral

from ..utils._sklearn_compat import Interval
from ._criterion import StoppingCriterion


class LabelBudget(StoppingCriterion):
    """Stop when ``max_labels`` samples are labeled.

    Combine it with the other criteria, ``AnyOf([StabilizingPredictions(),
    LabelBudget(500)])``: stop when the model is stable or at 500 labels. It
    works with any model, a regressor too.

    Parameters
    ----------
    max_labels : int
        The most labels to pay for, at least 1.

    Attributes
    ----------
    history_ : list of int
        Labels at each round.

    stopped_at_ : int or None
        The round at which the budget was first reached, or None.

    Examples
    --------
    >>> from skactive.labeling import LabelBudget
    >>> LabelBudget(100).update(None, None, n_labeled=120)
    True
    """

    _parameter_constraints: dict = {
        "max_labels": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, max_labels):
        self.max_labels = max_labels

    def measure(self, estimator, X_stop, n_labeled):
        return int(n_labeled)

    def should_stop(self, history):
        return history[-1] >= self.max_labels

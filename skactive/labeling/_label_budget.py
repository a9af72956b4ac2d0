"""A labeling budget."""

# SPDX-License-Identifier: BSD-3-Clause

from ._criterion import StoppingCriterion


class LabelBudget(StoppingCriterion):
    """Stop when ``max_labels`` samples are labeled.

    Combine it with the other criteria, ``AnyOf([StabilizingPredictions(),
    LabelBudget(500)])``: stop when the model is stable or at 500 labels.

    Parameters
    ----------
    max_labels : int
        The most labels to pay for.

    Attributes
    ----------
    history_ : list of int
        Labels at each round.

    Examples
    --------
    >>> from skactive.labeling import LabelBudget
    >>> LabelBudget(100).update(None, None, n_labeled=120)
    True
    """

    def __init__(self, max_labels):
        self.max_labels = max_labels

    def measure(self, estimator, X_stop, n_labeled):
        return int(n_labeled)

    def should_stop(self, history):
        return history[-1] >= self.max_labels

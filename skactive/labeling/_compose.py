"""Criteria combined: stop when any, or all, of them say stop."""

# SPDX-License-Identifier: BSD-3-Clause

from sklearn.base import clone

from ._criterion import StoppingCriterion


class AnyOf(StoppingCriterion):
    """Stop when any of ``criteria`` says stop (or all, with ``require_all``).

    Every criterion is updated every round, so each keeps its own history.

    Parameters
    ----------
    criteria : list of StoppingCriterion
        The criteria (cloned at the first update).

    require_all : bool, default=False
        Stop only when all say stop.

    Attributes
    ----------
    criteria_ : list of StoppingCriterion
        The fitted clones, with their histories.

    history_ : list of list of bool
        What each criterion said at each round.

    Examples
    --------
    >>> from skactive.labeling import AnyOf, LabelBudget
    >>> either = AnyOf([LabelBudget(100), LabelBudget(50)])
    >>> either.update(None, None, n_labeled=60)
    True
    >>> AnyOf([LabelBudget(100), LabelBudget(50)], require_all=True).update(
    ...     None, None, n_labeled=60)
    False
    """

    def __init__(self, criteria, require_all=False):
        self.criteria = criteria
        self.require_all = require_all

    def measure(self, estimator, X_stop, n_labeled):
        if not hasattr(self, "criteria_"):
            if not self.criteria:
                raise ValueError("criteria is empty: pass at least one criterion.")
            self.criteria_ = [clone(c) for c in self.criteria]
        return [c.update(estimator, X_stop, n_labeled) for c in self.criteria_]

    def should_stop(self, history):
        said = history[-1]
        return all(said) if self.require_all else any(said)

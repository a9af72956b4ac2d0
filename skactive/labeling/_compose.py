"""Criteria combined: stop when any of them says stop, or when all do."""

# SPDX-License-Identifier: BSD-3-Clause

from sklearn.base import clone

from ._criterion import StoppingCriterion


class _Combination(StoppingCriterion):
    """Criteria updated together every round, each keeping its own history;
    subclasses say how their answers combine."""

    def __init__(self, criteria):
        self.criteria = criteria

    def measure(self, estimator, X_stop, n_labeled):
        if not hasattr(self, "criteria_"):
            if not self.criteria:
                raise ValueError("criteria is empty: pass at least one criterion.")
            self.criteria_ = [clone(c) for c in self.criteria]
        return [c.update(estimator, X_stop, n_labeled) for c in self.criteria_]


class AnyOf(_Combination):
    """Stop when any of ``criteria`` says stop.

    Every criterion is updated every round, so each keeps its own history.

    Parameters
    ----------
    criteria : list of StoppingCriterion
        The criteria (cloned at the first update).

    Attributes
    ----------
    criteria_ : list of StoppingCriterion
        The fitted clones, with their histories.

    history_ : list of list of bool
        What each criterion said at each round.

    See Also
    --------
    AllOf : Stop when all of them say stop.

    Examples
    --------
    >>> from skactive.labeling import AnyOf, LabelBudget
    >>> either = AnyOf([LabelBudget(100), LabelBudget(50)])
    >>> either.update(None, None, n_labeled=60)
    True
    """

    def should_stop(self, history):
        return any(history[-1])


class AllOf(_Combination):
    """Stop when all of ``criteria`` say stop, in the same round.

    Every criterion is updated every round, so each keeps its own history.

    Parameters
    ----------
    criteria : list of StoppingCriterion
        The criteria (cloned at the first update).

    Attributes
    ----------
    criteria_ : list of StoppingCriterion
        The fitted clones, with their histories.

    history_ : list of list of bool
        What each criterion said at each round.

    See Also
    --------
    AnyOf : Stop when any of them says stop.

    Examples
    --------
    >>> from skactive.labeling import AllOf, LabelBudget
    >>> both = AllOf([LabelBudget(100), LabelBudget(50)])
    >>> both.update(None, None, n_labeled=60)
    False
    >>> both.update(None, None, n_labeled=100)
    True
    """

    def should_stop(self, history):
        return all(history[-1])

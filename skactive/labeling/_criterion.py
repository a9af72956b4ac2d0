"""Base class of the stopping criteria."""

# SPDX-License-Identifier: BSD-3-Clause

from abc import ABCMeta, abstractmethod

from sklearn.base import BaseEstimator


class StoppingCriterion(BaseEstimator, metaclass=ABCMeta):
    """Looks at each round's model and stop set and says stop or go.

    Call :meth:`update` once per round, after the model is fitted on the
    labels of that round: it records the round's statistic in
    ``history_`` and returns whether to stop. :func:`~sklearn.base.clone`
    gives a fresh criterion (parameters only, no history). Subclasses
    implement ``_statistic`` (the number tracked each round) and ``_stop``
    (the decision from ``history_``).

    Examples
    --------
    >>> from skactive.labeling import LabelBudget, StoppingCriterion
    >>> isinstance(LabelBudget(100), StoppingCriterion)
    True
    """

    def update(self, estimator, X_stop, n_labeled):
        """Record this round and say whether to stop.

        Parameters
        ----------
        estimator : fitted estimator
            The model of this round.

        X_stop : array-like
            The stop set: a fixed sample of the unlabeled data, the same at
            every round.

        n_labeled : int
            Number of labeled samples this round.

        Returns
        -------
        stop : bool
            True when the criterion says labeling more no longer pays.
        """
        if not hasattr(self, "history_"):
            self.history_ = []
        value = self._statistic(estimator, X_stop, n_labeled)
        self.history_.append(value)
        return bool(self._stop())

    @abstractmethod
    def _statistic(self, estimator, X_stop, n_labeled):
        """The number this criterion tracks, for this round."""

    @abstractmethod
    def _stop(self):
        """Whether ``history_`` says stop."""

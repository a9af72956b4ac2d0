"""Base class of the stopping criteria."""

# SPDX-License-Identifier: BSD-3-Clause

from abc import ABCMeta, abstractmethod

from sklearn.base import BaseEstimator


class StoppingCriterion(BaseEstimator, metaclass=ABCMeta):
    """Base class of the stopping criteria, for writing your own.

    A criterion looks at each round's model and stop set and says stop or
    go. Call :meth:`update` once per round, after the model is fitted on the
    labels of that round: it records the round's statistic in ``history_``
    and returns whether to stop. :func:`~sklearn.base.clone` gives a fresh
    criterion (parameters only, no history).

    To write a criterion, subclass it and override two methods
    (:meth:`update` calls them; do not override it):

    - :meth:`measure` computes the number the criterion tracks, from this
      round's model, the stop set and the number of labels; it may keep what
      the next round needs (the previous predictions) in attributes ending
      in ``_``;
    - :meth:`should_stop` decides from the statistics of every round so far.

    ``__init__`` only stores the parameters, as for any scikit-learn
    estimator. See :ref:`extending`.

    Attributes
    ----------
    history_ : list
        The statistic of each round, as :meth:`measure` returned it.

    Examples
    --------
    >>> from skactive.labeling import StoppingCriterion
    >>> class FewLabels(StoppingCriterion):
    ...     def __init__(self, max_labels=100):
    ...         self.max_labels = max_labels
    ...     def measure(self, estimator, X_stop, n_labeled):
    ...         return n_labeled
    ...     def should_stop(self, history):
    ...         return history[-1] >= self.max_labels
    >>> criterion = FewLabels(max_labels=50)
    >>> criterion.update(None, None, n_labeled=30)
    False
    >>> criterion.update(None, None, n_labeled=60), criterion.history_
    (True, [30, 60])
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
        self.history_.append(self.measure(estimator, X_stop, n_labeled))
        return bool(self.should_stop(list(self.history_)))

    @abstractmethod
    def measure(self, estimator, X_stop, n_labeled):
        """The statistic this criterion tracks, for this round.

        Override it in a subclass; :meth:`update` calls it once per round
        and appends the result to ``history_``.

        Parameters
        ----------
        estimator : fitted estimator
            The model of this round.

        X_stop : array-like
            The stop set, the same at every round.

        n_labeled : int
            Number of labeled samples this round.

        Returns
        -------
        statistic : object
            The round's statistic, usually a float.
        """

    @abstractmethod
    def should_stop(self, history):
        """Whether the statistics so far say stop.

        Override it in a subclass; :meth:`update` calls it after
        :meth:`measure`.

        Parameters
        ----------
        history : list
            The statistic of each round so far, this round's last.

        Returns
        -------
        stop : bool
            True to stop.
        """

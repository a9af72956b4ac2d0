"""Base class of the stopping criteria."""

# SPDX-License-Identifier: BSD-3-Clause

from abc import ABCMeta, abstractmethod

from sklearn.base import BaseEstimator
from sklearn.utils import get_tags
from sklearn.utils.multiclass import type_of_target

from ..utils._sklearn_compat import _num_samples


class StoppingCriterion(BaseEstimator, metaclass=ABCMeta):
    """Base class of the stopping criteria, for writing your own.

    A criterion looks at each round's model and stop set and says stop or
    go. Call :meth:`update` once per round, after the model is fitted on the
    labels of that round: it records the round's statistic in ``history_``
    and returns whether to stop. A stop, once reached, stays reached:
    ``stopped_at_`` keeps the round it was first reached and :meth:`update`
    returns True from then on, while ``history_`` goes on recording.
    :func:`~sklearn.base.clone` gives a fresh criterion (parameters only, no
    history).

    To write a criterion, subclass it and override two methods
    (:meth:`update` calls them; do not override it):

    - :meth:`measure` computes the number the criterion tracks, from this
      round's model, the stop set and the number of labels; it may keep what
      the next round needs (the previous predictions) in attributes ending
      in ``_``;
    - :meth:`should_stop` decides from the statistics of every round so far.

    ``__init__`` only stores the parameters, as for any scikit-learn
    estimator; :meth:`update` validates them against
    ``_parameter_constraints`` (scikit-learn's, as at ``fit``) if the
    subclass declares it. See :ref:`extending`.

    Attributes
    ----------
    history_ : list
        The statistic of each round, as :meth:`measure` returned it.

    stopped_at_ : int or None
        The round (0 for the first call of :meth:`update`) at which the
        criterion first said stop, or None.

    n_stop_samples_ : int or None
        The size of the stop set, which must stay the same at every round
        (None when no stop set is passed).

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
    >>> criterion.update(None, None, n_labeled=20), criterion.stopped_at_
    (True, 1)
    """

    _parameter_constraints: dict = {}

    def update(self, estimator, X_stop, n_labeled):
        """Record this round and say whether to stop.

        Parameters
        ----------
        estimator : fitted estimator
            The model of this round.

        X_stop : array-like
            The stop set: a fixed sample of the unlabeled data, the same at
            every round (a stop set of another size is an error).

        n_labeled : int
            Number of labeled samples this round.

        Returns
        -------
        stop : bool
            True when the criterion says labeling more no longer pays, at
            this round or an earlier one.
        """
        self._validate_params()
        n_stop = None if X_stop is None else _num_samples(X_stop)
        first = not hasattr(self, "history_")
        if not first:
            self._check_stop_set(n_stop)
        statistic = self.measure(estimator, X_stop, n_labeled)
        if first:
            self.history_, self.stopped_at_, self.n_stop_samples_ = [], None, n_stop
        self.history_.append(statistic)
        # A state saved before stopped_at_ existed has none.
        if getattr(self, "stopped_at_", None) is None:
            stop = bool(self.should_stop(list(self.history_)))
            self.stopped_at_ = len(self.history_) - 1 if stop else None
        return self.stopped_at_ is not None

    def _check_stop_set(self, n_stop):
        expected = getattr(self, "n_stop_samples_", None)
        if None not in (n_stop, expected) and n_stop != expected:
            raise ValueError(
                f"The stop set must stay fixed: {type(self).__name__} got "
                f"{expected} samples at the first round, {n_stop} now. Pass the "
                "same stop set at every round, or clone the criterion to "
                "start anew."
            )

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


def _estimator_type(estimator):
    """The model's estimator type ("classifier", "regressor", ...), or None
    for a model without scikit-learn tags."""
    try:
        return get_tags(estimator).estimator_type
    except AttributeError:
        return None


def _predicts_values(estimator, predictions):
    """Whether the model predicts continuous values rather than classes:
    a regressor does, whatever its predictions look like; a model that
    declares no type, if its predictions are continuous."""
    kind = _estimator_type(estimator)
    if kind in ("classifier", "regressor"):
        return kind == "regressor"
    return type_of_target(predictions).startswith("continuous")


def _model_name(estimator):
    """The model's class name, and its last step's for a pipeline."""
    name = type(estimator).__name__
    steps = getattr(estimator, "steps", None)
    if isinstance(steps, list) and steps:
        name += f" (ending in {type(steps[-1][1]).__name__})"
    return name


def _works_with(estimator):
    """The criteria of skactive that work with a model without
    predict_proba, for error messages."""
    if _estimator_type(estimator) == "regressor":
        return "StabilizingPredictions or LabelBudget"
    return "StabilizingPredictions, ClassificationChange or LabelBudget"


def _predict_proba(criterion, estimator, X_stop):
    """The model's class probabilities on the stop set, or a clear error
    naming the criteria that work without them."""
    if not hasattr(estimator, "predict_proba"):
        raise TypeError(
            f"{type(criterion).__name__} needs class probabilities, but "
            f"{_model_name(estimator)} has no predict_proba. With this model "
            f"use {_works_with(estimator)}."
        )
    return estimator.predict_proba(X_stop)

"""Stopping rules as pure functions of arrays: the statistics each round
produces, and the decisions taken from their history."""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from sklearn.metrics import cohen_kappa_score

from ..acquisition import entropy
from ..utils._sklearn_compat import Interval, validate_params


@validate_params(
    {"previous": ["array-like"], "current": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def agreement(previous, current):
    """Cohen's kappa between two rounds' predictions on the stop set.

    Two identical constant predictions (kappa undefined) count as full
    agreement, 1.0.

    Parameters
    ----------
    previous : array-like of shape (n_samples,)
        The previous round's predicted labels.

    current : array-like of shape (n_samples,)
        This round's predicted labels, on the same samples.

    Returns
    -------
    kappa : float
        Cohen's kappa, 1.0 for identical predictions.

    Examples
    --------
    >>> from skactive.labeling import agreement
    >>> agreement([0, 1, 1, 0], [0, 1, 1, 0])
    1.0
    >>> agreement([0, 1, 1, 0], [0, 1, 0, 0])
    0.5
    """
    previous, current = _same_stop_set(previous, current)
    if np.array_equal(previous, current):
        return 1.0
    return float(cohen_kappa_score(previous, current))


@validate_params(
    {"previous": ["array-like"], "current": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def concordance(previous, current):
    """Lin's concordance correlation between two rounds' predicted values.

    The agreement of two regressors' predictions on the stop set, the
    counterpart of Cohen's kappa (:func:`agreement`) for continuous
    predictions: ``2 cov(a, b) / (var(a) + var(b) + (mean(a) - mean(b))**2)``
    (Lin, 1989). It is Pearson's correlation shrunk by how far the two
    disagree in mean and scale, so it is 1 only for identical predictions,
    where the correlation is also 1 for predictions all shifted or
    stretched. Two identical constant predictions count as 1.0.

    Parameters
    ----------
    previous : array-like of shape (n_samples,)
        The previous round's predicted values.

    current : array-like of shape (n_samples,)
        This round's predicted values, on the same samples.

    Returns
    -------
    concordance : float
        In [-1, 1]; 1.0 for identical predictions.

    Examples
    --------
    >>> from skactive.labeling import concordance
    >>> concordance([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
    1.0
    >>> concordance([1.0, 2.0, 3.0], [3.0, 4.0, 5.0])  # correlation 1
    0.25
    """
    a, b = _same_stop_set(previous, current)
    a, b = a.astype(float), b.astype(float)
    if np.array_equal(a, b):
        return 1.0
    covariance = np.mean((a - a.mean()) * (b - b.mean()))
    return float(2 * covariance / (a.var() + b.var() + (a.mean() - b.mean()) ** 2))


def _same_stop_set(previous, current):
    """The two rounds' predictions as arrays, refused unless they have the
    same length."""
    previous, current = np.asarray(previous), np.asarray(current)
    if len(previous) != len(current):
        raise ValueError(
            "previous and current must be predictions on the same stop set, "
            f"but they have {len(previous)} and {len(current)} samples: pass "
            "the same stop set at every round."
        )
    return previous, current


@validate_params(
    {"kappas": ["array-like"], "window": [Interval(Integral, 1, None, closed="left")],
     "threshold": [Real]},
    prefer_skip_nested_validation=True,
)
def stabilized(kappas, window=3, threshold=0.99):
    """Whether the mean kappa of the last ``window`` rounds reached ``threshold``.

    The stabilizing predictions rule of Bloodgood & Vijay-Shanker (2009).

    Parameters
    ----------
    kappas : array-like of shape (n_rounds,)
        The agreement (:func:`agreement`) of each round with the one before.

    window : int, default=3
        Rounds averaged.

    threshold : float, default=0.99
        Mean kappa that stops.

    Returns
    -------
    stop : bool
        False until ``window`` rounds are recorded.

    Examples
    --------
    >>> from skactive.labeling import stabilized
    >>> stabilized([0.5, 1.0, 1.0, 1.0], window=3)
    True
    >>> stabilized([1.0, 1.0], window=3)
    False
    """
    kappas = np.asarray(kappas, dtype=float)
    return bool(kappas.size >= window and kappas[-window:].mean() >= threshold)


@validate_params({"P": ["array-like"]}, prefer_skip_nested_validation=True)
def normalized_entropy(P):
    """Entropy of each row of class probabilities divided by its maximum.

    The maximum is log2 of the number of classes, so the result lies in
    [0, 1] whatever the number of classes.

    Parameters
    ----------
    P : array-like of shape (n_samples, n_classes)
        Predicted class probabilities, at least two classes.

    Returns
    -------
    uncertainty : ndarray of shape (n_samples,)
        0 for a sure prediction, 1 for uniform probabilities.

    Examples
    --------
    >>> from skactive.labeling import normalized_entropy
    >>> normalized_entropy([[0.25, 0.25, 0.25, 0.25], [1.0, 0.0, 0.0, 0.0]])
    array([1., 0.])
    """
    P = np.asarray(P, dtype=float)
    return entropy(P) / np.log2(P.shape[1])


@validate_params(
    {"previous": ["array-like"], "current": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def n_changed(previous, current):
    """How many predictions on the stop set changed between two rounds.

    Parameters
    ----------
    previous : array-like of shape (n_samples,)
        The previous round's predicted labels.

    current : array-like of shape (n_samples,)
        This round's predicted labels, on the same samples.

    Returns
    -------
    n_changed : int
        Number of samples whose predicted label changed.

    Examples
    --------
    >>> from skactive.labeling import n_changed
    >>> n_changed([0, 1, 1, 0], [0, 1, 0, 1])
    2
    """
    previous, current = _same_stop_set(previous, current)
    return int(np.sum(previous != current))


@validate_params(
    {"confidences": ["array-like"],
     "patience": [Interval(Integral, 1, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def confidence_dropped(confidences, patience=1):
    """Whether the mean confidence has fallen ``patience`` rounds in a row.

    The confidence drop rule of Vlachos (2008): the mean confidence of the
    model on the stop set has passed its peak.

    Parameters
    ----------
    confidences : array-like of shape (n_rounds,)
        The mean confidence on the stop set of each round.

    patience : int, default=1
        Consecutive drops that stop.

    Returns
    -------
    stop : bool
        False until ``patience + 1`` rounds are recorded.

    Examples
    --------
    >>> from skactive.labeling import confidence_dropped
    >>> confidence_dropped([0.7, 0.8, 0.75], patience=1)
    True
    >>> confidence_dropped([0.7, 0.8, 0.75], patience=2)
    False
    """
    confidences = np.asarray(confidences, dtype=float)
    if confidences.size < patience + 1:
        return False
    return bool(np.all(np.diff(confidences[-patience - 1:]) < 0))

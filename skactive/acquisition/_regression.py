"""Acquisition for regression: the spread of a committee's predictions, and
greedy sampling in the input space, the output space or both (GSx, GSy, iGS).
"""

# SPDX-License-Identifier: BSD-3-Clause

from collections.abc import Iterable, Iterator
from numbers import Integral

import numpy as np
from sklearn.utils import check_array, check_random_state

from ..utils._selection import nearest_target_squared
from ..utils._sklearn_compat import Interval, validate_params
from ._diversity import _check_squared, _lazy_greedy, _Space


def _rows(Y):
    """The members' prediction vectors of ``Y``, one after the other."""
    if not isinstance(Y, Iterator):
        Y = np.asarray(Y, dtype=float)
        if Y.ndim != 2 or 0 in Y.shape:
            raise ValueError(
                f"Y must have shape (n_members, n_samples), got {Y.shape}. Stack "
                "the members' predict outputs with np.stack, or pass an iterator "
                "of them."
            )
    for predictions in Y:
        yield check_array(predictions, ensure_2d=False, dtype=np.float64,
                          input_name="Y")


@validate_params({"Y": ["array-like", Iterable]}, prefer_skip_nested_validation=True)
def prediction_variance(Y):
    """Variance of a committee's predictions for each sample.

    .. math:: V(x) = \\frac{1}{M} \\sum_m \\left(f_m(x) - \\bar f(x)\\right)^2

    Query by committee for regression (RayChaudhuri & Hamey, 1995; Burbidge
    et al., 2007): members that disagree mark the samples worth labeling.
    Its square root is the predictive standard deviation of an ensemble
    (the spread of a forest's trees). Computed with Welford's running
    update, one member at a time: memory is two vectors whatever the size
    of the committee, and there is no cancellation when predictions are
    large and close.

    Parameters
    ----------
    Y : array-like of shape (n_members, n_samples) or iterator
        Each member's predictions, or an iterator of (n_samples,) arrays.

    Returns
    -------
    variance : ndarray of shape (n_samples,)
        Population variance (``ddof=0``) over the members; non-negative,
        higher means more disagreement.

    Examples
    --------
    >>> from skactive.acquisition import prediction_variance
    >>> prediction_variance([[1.0, 2.0, 5.0], [3.0, 2.0, 1.0]])
    array([1., 0., 4.])
    """
    mean = m2 = None
    n_members = 0
    for predictions in _rows(Y):
        if mean is None:
            mean = np.zeros_like(predictions)
            m2 = np.zeros_like(predictions)
        elif predictions.shape != mean.shape:
            raise ValueError(
                f"Member {n_members} predicts {predictions.shape[0]} samples, "
                f"member 0 {mean.shape[0]}: every member must predict every sample."
            )
        n_members += 1
        delta = predictions - mean
        mean += delta / n_members
        m2 += delta * (predictions - mean)
    if n_members == 0:
        raise ValueError("Y holds no member; a committee needs at least one.")
    return np.maximum(m2 / n_members, 0, out=m2)


@validate_params(
    {"n_select": [Interval(Integral, 1, None, closed="left")],
     "X": ["array-like", "sparse matrix", None],
     "squared_distances": ["array-like", None],
     "predictions": ["array-like", None],
     "y_labeled": ["array-like", None],
     "random_state": ["random_state"]},
    prefer_skip_nested_validation=True,
)
def greedy_sampling(n_select, *, X=None, squared_distances=None, predictions=None,
                    y_labeled=None, random_state=None):
    """Greedy sampling for regression: GSx, GSy or iGS (Wu, Lin & Huang, 2019).

    Each pick is the pool sample with the largest distance to the labeled
    samples and to the picks before it, measured

    - in the input space (GSx, Yu & Kim, 2010): pass ``X`` and
      ``squared_distances``, the squared distance of each pool sample to its
      nearest labeled sample; this is the core-set greedy
      (:func:`k_center_greedy`);
    - in the output space (GSy): pass the model's ``predictions`` for the
      pool and the labeled targets ``y_labeled``; the distance of a sample is
      :math:`\\min_l |f(x) - y_l|`, and a pick adds its prediction to the
      targets;
    - in both (iGS, Wu et al.'s best): pass all four; the score is the
      product of the two distances.

    Batch mode, exact: every pick updates the minimum distances (lazily,
    block by block), memory O(n_samples).

    Parameters
    ----------
    n_select : int
        Number of samples to pick.

    X : {array-like, sparse matrix} of shape (n_samples, n_features), default=None
        The pool in the input space (features or embeddings).

    squared_distances : array-like of shape (n_samples,), default=None
        Squared distance of each pool sample to its nearest labeled sample
        in the input space; required with ``X``.

    predictions : array-like of shape (n_samples,), default=None
        The model's predictions for the pool.

    y_labeled : array-like of shape (n_labeled,), default=None
        The labeled targets; required with ``predictions``.

    random_state : int, RandomState instance or None, default=None
        Exact ties go to a random permutation of the pool drawn from it.

    Returns
    -------
    indices : ndarray of shape (n_select,)
        The picks, in the order they were made.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.acquisition import greedy_sampling
    >>> predictions = np.array([0.0, 1.0, 2.5, 3.0, 9.0])
    >>> greedy_sampling(2, predictions=predictions, y_labeled=[0.0, 3.0])  # GSy
    array([4, 1])
    """
    spaces = []
    if X is not None:
        if squared_distances is None:
            raise ValueError("Pass squared_distances, the squared distance of each "
                             "pool sample to the labeled ones, with X.")
        X = check_array(X, accept_sparse="csr", dtype=[np.float64, np.float32],
                        input_name="X")
        spaces.append(_Space(X, n_select, _check_squared(
            squared_distances, X.shape[0], "squared_distances")))
    if predictions is not None:
        if y_labeled is None:
            raise ValueError("Pass y_labeled, the labeled targets, with predictions.")
        predictions = check_array(predictions, ensure_2d=False, dtype=np.float64,
                                  input_name="predictions")
        targets = np.sort(check_array(y_labeled, ensure_2d=False, dtype=np.float64,
                                      input_name="y_labeled"))
        if predictions.ndim != 1 or targets.ndim != 1:
            raise ValueError("predictions and y_labeled must be 1-D: one target "
                             "per sample (multi-output regression is not "
                             "supported).")
        spaces.append(_Space(predictions.reshape(-1, 1), n_select,
                             nearest_target_squared(predictions, targets)))
    if not spaces:
        raise ValueError("Pass X and squared_distances (GSx), predictions and "
                         "y_labeled (GSy), or all four (iGS).")
    n_samples = spaces[0].min_sq.shape[0]
    if any(space.min_sq.shape[0] != n_samples for space in spaces):
        raise ValueError("X and predictions must describe the same pool samples.")
    if n_select > n_samples:
        raise ValueError(f"n_select={n_select} is larger than the pool "
                         f"({n_samples} samples).")
    priority = check_random_state(random_state).permutation(n_samples)
    return _lazy_greedy(spaces, n_select, priority)

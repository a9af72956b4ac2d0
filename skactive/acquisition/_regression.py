"""Acquisition for regression: the spread of a committee's predictions, and
greedy sampling in the input space, the output space or both (GSx, GSy, iGS).
"""

# SPDX-License-Identifier: BSD-3-Clause

from collections.abc import Iterable, Iterator
from numbers import Integral

import numpy as np
from sklearn.utils import check_array

from ..utils._selection import (
    nearest_squared_distances,
    nearest_target_squared,
    paired_distances,
    scaled_for_distances,
)
from ..utils._sklearn_compat import Interval, validate_params
from ._diversity import (
    _check_squared,
    _lazy_greedy,
    _ProductSpace,
    _Space,
    _tie_priority,
)


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
    large and close. Predictions beyond about 1e150 are divided by a power
    of two, sample by sample, so the running sums never overflow; a
    variance beyond the float range is ``inf`` (1e308 and -1e308: 1e616).

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
    mean = m2 = scale = None
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
        if predictions.size and max(predictions.max(), -predictions.min()) > _SAFE:
            scale = _rescale(predictions, mean, m2, scale)
        if scale is not None:
            predictions = predictions / scale
        n_members += 1
        delta = predictions - mean
        mean += delta / n_members
        m2 += delta * (predictions - mean)
    if n_members == 0:
        raise ValueError("Y holds no member; a committee needs at least one.")
    m2 /= n_members
    if scale is not None:
        with np.errstate(over="ignore"):  # inf: beyond the float range
            m2 *= scale
            m2 *= scale
    return np.maximum(m2, 0, out=m2)


# Predictions (per sample, after scaling) up to which Welford's running sums
# cannot overflow: squares of differences stay below 2**1002.
_SAFE = 2.0**500


def _rescale(predictions, mean, m2, scale):
    """The per-sample power of two that brings ``predictions`` within
    ``_SAFE``, at least ``scale``; the running ``mean`` and ``m2`` are
    brought to it in place (exact: powers of two)."""
    current = np.ones_like(mean) if scale is None else scale
    needed = np.exp2(np.ceil(np.log2(np.maximum(np.abs(predictions), _SAFE) / _SAFE)))
    new = np.maximum(current, needed)
    ratio = current / new
    mean *= ratio
    m2 *= ratio
    m2 *= ratio
    return new


@validate_params(
    {"n_select": [Interval(Integral, 1, None, closed="left")],
     "X": ["array-like", "sparse matrix", None],
     "squared_distances": ["array-like", None],
     "X_labeled": ["array-like", "sparse matrix", None],
     "predictions": ["array-like", None],
     "y_labeled": ["array-like", None],
     "random_state": ["random_state"]},
    prefer_skip_nested_validation=True,
)
def greedy_sampling(n_select, *, X=None, squared_distances=None, X_labeled=None,
                    predictions=None, y_labeled=None, random_state=None):
    """Greedy sampling for regression: GSx, GSy or iGS (Wu, Lin & Huang, 2019).

    Each pick is the pool sample with the largest distance to the labeled
    samples and to the picks before it, a minimum over those samples
    :math:`m` of

    - the input distance :math:`\\lVert x - x_m \\rVert` (GSx, Yu & Kim,
      2010): pass ``X`` and either ``X_labeled`` or ``squared_distances``,
      the squared distance of each pool sample to its nearest labeled
      sample; this is the core-set greedy (:func:`k_center_greedy`);
    - the output distance :math:`|f(x) - y_m|` (GSy): pass the model's
      ``predictions`` for the pool and the labeled targets ``y_labeled``;
    - their product :math:`\\lVert x - x_m \\rVert \\, |f(x) - y_m|` (iGS,
      Wu et al.'s Algorithm 3 and their best): pass ``X``, ``X_labeled``,
      ``predictions`` and ``y_labeled``. The minimum of the products, which
      pairs each sample's input and output distances, is not the product of
      the two minima.

    An earlier pick :math:`m` has no label yet: its target :math:`y_m` is
    its prediction :math:`f(x_m)`.

    Batch mode, exact: every pick updates the minimum distances (lazily,
    block by block: they only shrink, so a block's stale maximum bounds it),
    memory O(n_samples). Values so large that squared distances would
    overflow (a pool row at 1e200) are divided by a power of two first, the
    inputs and the outputs each by their own, which keeps every order.

    Parameters
    ----------
    n_select : int
        Number of samples to pick.

    X : {array-like, sparse matrix} of shape (n_samples, n_features), default=None
        The pool in the input space (features or embeddings).

    squared_distances : array-like of shape (n_samples,), default=None
        GSx only: squared distance of each pool sample to its nearest
        labeled sample in the input space, instead of ``X_labeled``.

    X_labeled : {array-like, sparse matrix} of shape (n_labeled, n_features), \
            default=None
        The labeled samples in the input space; required for iGS, in the
        order of ``y_labeled``.

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
    >>> X = np.array([[0.0], [1.0], [2.5], [3.0], [9.0]])
    >>> greedy_sampling(2, X=X, X_labeled=[[0.0], [3.0]], predictions=predictions,
    ...                 y_labeled=[0.0, 3.0])  # iGS
    array([4, 1])
    """
    X, squared_distances, X_labeled = _check_inputs(X, squared_distances,
                                                    X_labeled, predictions)
    predictions, y_labeled = _check_outputs(predictions, y_labeled)
    n_samples = (X if X is not None else predictions).shape[0]
    if X is not None and predictions is not None:
        if predictions.shape[0] != n_samples or y_labeled.shape[0] != \
                X_labeled.shape[0]:
            raise ValueError(
                f"X and predictions must describe the same pool samples, and "
                f"X_labeled and y_labeled the same labeled ones; got "
                f"{n_samples} and {predictions.shape[0]} pool rows, "
                f"{X_labeled.shape[0]} and {y_labeled.shape[0]} labeled rows."
            )
    if n_select > n_samples:
        raise ValueError(f"n_select={n_select} is larger than the pool "
                         f"({n_samples} samples).")
    if X is None:
        space = _Space(predictions.reshape(-1, 1), n_select,
                       nearest_target_squared(predictions, np.sort(y_labeled)))
    elif predictions is None:
        if squared_distances is None:
            squared_distances = nearest_squared_distances(X, reference=X_labeled)
        space = _Space(X, n_select, squared_distances)
    else:
        space = _ProductSpace(
            [_Space(X, n_select), _Space(predictions.reshape(-1, 1), n_select)],
            paired_distances(X, predictions, X_labeled=X_labeled,
                             y_labeled=y_labeled))
    return _lazy_greedy(space, n_select, _tie_priority(random_state, n_samples))


def _check_inputs(X, squared_distances, X_labeled, predictions):
    """The input space of greedy sampling, checked: ``X``, and what gives its
    distances to the labeled samples."""
    if X is None:
        if predictions is None:
            raise ValueError("Pass X and X_labeled (GSx), predictions and "
                             "y_labeled (GSy), or all four (iGS).")
        return None, None, None
    X = check_array(X, accept_sparse="csr", dtype=[np.float64, np.float32],
                    input_name="X")
    if predictions is not None and squared_distances is not None:
        raise ValueError(
            "iGS takes X_labeled, not squared_distances: its distance pairs the "
            "input and the output distance of each labeled sample, which the "
            "nearest distances alone do not give."
        )
    if X_labeled is not None:
        X_labeled = check_array(X_labeled, accept_sparse="csr",
                                dtype=[np.float64, np.float32], input_name="X_labeled")
        if X_labeled.shape[1] != X.shape[1]:
            raise ValueError(f"X_labeled has {X_labeled.shape[1]} features, X has "
                             f"{X.shape[1]}: both must be in the same input space.")
    elif squared_distances is None:
        raise ValueError("Pass X_labeled, the labeled samples' inputs, with X "
                         "(or, for GSx, their squared_distances).")
    scale, (X, X_labeled) = scaled_for_distances(X, X_labeled)
    if squared_distances is not None:
        squared_distances = _check_squared(squared_distances, X.shape[0],
                                           "squared_distances") / scale / scale
    return X, squared_distances, X_labeled


def _check_outputs(predictions, y_labeled):
    """The model's 1-D predictions and the labeled targets, checked."""
    if predictions is None:
        return None, None
    if y_labeled is None:
        raise ValueError("Pass y_labeled, the labeled targets, with predictions.")
    predictions = check_array(predictions, ensure_2d=False, dtype=np.float64,
                              input_name="predictions")
    y_labeled = check_array(y_labeled, ensure_2d=False, dtype=np.float64,
                            input_name="y_labeled")
    if predictions.ndim != 1 or y_labeled.ndim != 1:
        raise ValueError("predictions and y_labeled must be 1-D: one target "
                         "per sample (multi-output regression is not "
                         "supported).")
    return scaled_for_distances(predictions, y_labeled)[1]

"""Uncertainty acquisition functions on a matrix of class probabilities.

Every function takes ``P`` of shape (n_samples, n_classes), one row of
predicted class probabilities per sample, and returns one value per row: the
formula of Encord Active's documentation on acquisition functions,
untransformed. They check ``P`` and then work through it in
row blocks that fit in cache, so the extra memory is O(n_samples) whatever the
number of classes.
"""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from scipy.special import entr
from sklearn.utils import check_array

from ..utils._sklearn_compat import validate_params
from ..utils._validation import check_cost_matrix

# Rows of one block: about 512 KiB of float64 per block, whatever n_classes.
_BLOCK_ELEMENTS = 2**16
# Up to this many classes, the top two of a row come from a running maximum.
_FEW_CLASSES = 16
_ROW_SUM_ATOL = {np.dtype(np.float64): 1e-6, np.dtype(np.float32): 1e-4}


def _blocks(P):
    """Yield row slices of ``P`` after checking each block holds probabilities.

    Checking block by block keeps the check in the same pass over memory as
    the computation that follows it. Row sums go through a matrix-vector
    product, which also carries any NaN or infinity into the sums.
    """
    n_samples, n_classes = P.shape
    step = max(1, _BLOCK_ELEMENTS // n_classes)
    atol = _ROW_SUM_ATOL[P.dtype]
    ones = np.ones(n_classes, dtype=P.dtype)
    for start in range(0, n_samples, step):
        rows = slice(start, min(start + step, n_samples))
        block = P[rows]
        row_sums = block @ ones
        if not np.isfinite(row_sums).all():
            raise ValueError(
                "P contains NaN or infinity. Class probabilities must be finite: "
                "check the model that produced them."
            )
        deviation = np.abs(row_sums - 1)
        worst = deviation.argmax()
        # Rows that sum to 1 with no negative entry have no entry above 1.
        if block.min() < 0 or (deviation[worst] > atol and block.max() > 1):
            raise ValueError(
                f"P has values outside [0, 1] (min {block.min():.3g}, max "
                f"{block.max():.3g}). Pass class probabilities such as the output "
                "of predict_proba, not decision_function scores or logits."
            )
        if deviation[worst] > atol:
            raise ValueError(
                f"The rows of P must sum to 1, but row {start + worst} sums to "
                f"{row_sums[worst]:.6g}. Pass one probability per class for each "
                "sample (normalise the rows, or use predict_proba)."
            )
        yield rows


def _top_two(block):
    """Highest and second highest value of each row of ``block``.

    A running maximum over the columns for a few classes, where it is several
    times faster than :func:`numpy.partition` on short rows; the partition
    otherwise. Neither sorts.
    """
    if block.shape[1] > _FEW_CLASSES:
        top_two = np.partition(block, -2, axis=1)[:, -2:]
        return top_two[:, 1], top_two[:, 0]
    first = np.maximum(block[:, 0], block[:, 1])
    second = np.minimum(block[:, 0], block[:, 1])
    smaller = np.empty_like(first)
    for c in range(2, block.shape[1]):
        column = block[:, c]
        np.minimum(first, column, out=smaller)
        np.maximum(second, smaller, out=second)
        np.maximum(first, column, out=first)
    return first, second


def _check_probabilities(P):
    """Return ``P`` as a 2-D float array with at least two class columns."""
    P = check_array(P, dtype=[np.float64, np.float32], input_name="P",
                    ensure_all_finite=False)
    if P.shape[1] < 2:
        raise ValueError(
            f"P has {P.shape[1]} column; acquisition functions need one "
            "probability column per class, at least two. For a binary problem "
            "pass both columns of predict_proba, e.g. np.column_stack([1 - p, p])."
        )
    return P


def _row_blocks(P, kernel):
    """Check ``P``, then ``kernel(block, out=...)`` over its row blocks: one
    value per row, written in place into the result."""
    P = _check_probabilities(P)
    out = np.empty(P.shape[0], dtype=P.dtype)
    for rows in _blocks(P):
        kernel(P[rows], out[rows])
    return out


@validate_params({"P": ["array-like"]}, prefer_skip_nested_validation=True)
def entropy(P):
    """Shannon entropy of each row of class probabilities, in bits.

    .. math:: H(p) = -\\sum_c p_c \\log_2 p_c

    with :math:`0 \\log 0 = 0`, computed through :func:`scipy.special.entr`.

    Parameters
    ----------
    P : array-like of shape (n_samples, n_classes)
        Predicted class probabilities: values in [0, 1], rows summing to 1.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        In ``[0, log2(n_classes)]``. Higher means more uncertain: 0 for a
        one-hot row, ``log2(n_classes)`` for the uniform row. Same dtype as
        ``P`` when ``P`` is float32, float64 otherwise.

    Examples
    --------
    >>> from skactive.acquisition import entropy
    >>> entropy([[0.5, 0.5], [1.0, 0.0], [0.25, 0.75]])
    array([1.        , 0.        , 0.81127812])
    """
    out = _row_blocks(P, lambda block, out: np.sum(entr(block), axis=1, out=out))
    out /= np.log(2).astype(out.dtype)
    return out


@validate_params({"P": ["array-like"]}, prefer_skip_nested_validation=True)
def least_confidence(P):
    """One minus the highest class probability of each row.

    .. math:: LC(p) = 1 - \\max_c p_c

    Parameters
    ----------
    P : array-like of shape (n_samples, n_classes)
        Predicted class probabilities: values in [0, 1], rows summing to 1.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        In ``[0, 1 - 1/n_classes]``. Higher means more uncertain.

    Examples
    --------
    >>> from skactive.acquisition import least_confidence
    >>> least_confidence([[0.5, 0.5], [0.9, 0.1], [0.2, 0.8]])
    array([0.5, 0.1, 0.2])
    """
    return _row_blocks(P, lambda block, out: np.subtract(1, block.max(axis=1),
                                                         out=out))


@validate_params({"P": ["array-like"]}, prefer_skip_nested_validation=True)
def margin(P):
    """Gap between the two highest class probabilities of each row.

    .. math:: M(p) = p_{(1)} - p_{(2)}

    where :math:`p_{(1)} \\geq p_{(2)}` are the highest and second highest
    probabilities of the row, found in one pass over the row (no sort).

    Parameters
    ----------
    P : array-like of shape (n_samples, n_classes)
        Predicted class probabilities: values in [0, 1], rows summing to 1.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        In ``[0, 1]``. **Lower** means more uncertain: 0 when the two top
        classes tie, 1 for a one-hot row.

    Examples
    --------
    >>> from skactive.acquisition import margin
    >>> margin([[0.5, 0.5, 0.0], [0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
    array([0. , 0.5, 0.3])
    """
    return _row_blocks(P, lambda block, out: np.subtract(*_top_two(block), out=out))


@validate_params({"P": ["array-like"]}, prefer_skip_nested_validation=True)
def ratio(P):
    """Ratio of the second highest to the highest class probability of each row.

    .. math:: R(p) = p_{(2)} / p_{(1)}

    Parameters
    ----------
    P : array-like of shape (n_samples, n_classes)
        Predicted class probabilities: values in [0, 1], rows summing to 1.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        In ``[0, 1]``. Higher means more uncertain: 1 when the two top classes
        tie, 0 for a one-hot row.

    Examples
    --------
    >>> from skactive.acquisition import ratio
    >>> ratio([[0.5, 0.5, 0.0], [0.8, 0.2, 0.0], [0.1, 0.3, 0.6]])
    array([1.  , 0.25, 0.5 ])
    """
    return _row_blocks(P, lambda block, out: np.divide(*_top_two(block)[::-1],
                                                       out=out))


@validate_params({"P": ["array-like"]}, prefer_skip_nested_validation=True)
def probability_variance(P):
    """Population variance of the class probabilities of each row.

    .. math:: V(p) = \\frac{1}{C} \\sum_c (p_c - 1/C)^2

    where ``C`` is the number of classes (the mean of a row is ``1/C``).

    Parameters
    ----------
    P : array-like of shape (n_samples, n_classes)
        Predicted class probabilities: values in [0, 1], rows summing to 1.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        In ``[0, (C - 1) / C**2]``. **Lower** means more uncertain: 0 for the
        uniform row, ``(C - 1) / C**2`` for a one-hot row.

    See Also
    --------
    prediction_variance : The variance of a committee's predictions (query by
        committee for regression), another idea.

    Examples
    --------
    >>> from skactive.acquisition import probability_variance
    >>> probability_variance([[0.5, 0.5], [1.0, 0.0], [0.2, 0.8]])
    array([0.  , 0.25, 0.09])
    """
    return _row_blocks(P, lambda block, out: np.var(block, axis=1, out=out))


@validate_params({"decision": ["array-like"]}, prefer_skip_nested_validation=True)
def decision_margin(decision):
    """Confidence gap of each row of decision-function values.

    For models without class probabilities. With one column (a binary
    classifier's ``decision_function``) it is :math:`|f(x)|`, the distance to
    the decision boundary; with one column per class it is the gap between
    the two highest values, :math:`f_{(1)} - f_{(2)}`.

    Parameters
    ----------
    decision : array-like of shape (n_samples,) or (n_samples, n_classes)
        Output of a classifier's ``decision_function``.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        Non-negative. **Lower** means more uncertain.

    Examples
    --------
    >>> from skactive.acquisition import decision_margin
    >>> decision_margin([-2.0, 0.5, 0.0])
    array([2. , 0.5, 0. ])
    >>> decision_margin([[1.0, -1.0, 0.5], [0.2, 0.1, -3.0]])
    array([0.5, 0.1])
    """
    decision = check_array(decision, dtype=[np.float64, np.float32],
                           ensure_2d=False, input_name="decision")
    if decision.ndim == 1 or decision.shape[1] == 1:
        return np.abs(decision.reshape(-1))
    top_two = np.partition(decision, -2, axis=1)[:, -2:]
    return top_two[:, 1] - top_two[:, 0]


@validate_params({"P": ["array-like"], "cost_matrix": ["array-like"]},
                 prefer_skip_nested_validation=True)
def expected_cost(P, cost_matrix):
    """Expected cost of the Bayes decision for each row of class probabilities.

    .. math:: EC(p) = \\min_j \\sum_i p_i C_{ij}

    where :math:`C_{ij}` is the cost of predicting class :math:`j` when the
    truth is :math:`i` (Margineantu, 2005): the cost the model expects to pay
    on the sample if it decides as well as it can. With the 0/1 cost
    (:math:`C = 1 - I`) it is least confidence, :math:`1 - p_{(1)}`.

    Parameters
    ----------
    P : array-like of shape (n_samples, n_classes)
        Predicted class probabilities: values in [0, 1], rows summing to 1.

    cost_matrix : array-like of shape (n_classes, n_classes)
        Non-negative finite costs, rows the true class and columns the
        prediction, in the order of the columns of ``P``. ``P`` carries no
        class labels, so a DataFrame is read by position here too;
        :class:`~skactive.UncertaintySampler` reads one by its labels.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        Non-negative; higher means a dearer expected mistake.

    Examples
    --------
    >>> from skactive.acquisition import expected_cost
    >>> C = [[0.0, 1.0], [10.0, 0.0]]  # missing class 1 costs ten times more
    >>> expected_cost([[0.5, 0.5], [0.95, 0.05], [0.99, 0.01]], C)
    array([0.5, 0.5, 0.1])
    """
    P = _check_probabilities(P)
    C = check_cost_matrix(cost_matrix, P.shape[1])
    out = np.empty(P.shape[0], dtype=np.float64)
    for rows in _blocks(P):
        out[rows] = (P[rows] @ C).min(axis=1)
    return out

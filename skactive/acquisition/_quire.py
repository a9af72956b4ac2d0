"""QUIRE (Huang, Jin & Zhou, 2010): querying informative and representative
examples, in closed form.

With the kernel matrix ``K`` over the labeled set ``L`` and the pool ``U``,
and ``M = K + alpha I`` (the paper's ``lambda``), the paper scores a
candidate ``s`` by the quadratic form ``y^T M^{-1} y`` of the labels of all
samples, minimised over real labels of the rest of the pool ``U' = U \\ {s}``
(representativeness) and maximised over the candidate's own label
``y_s = +-1`` (informativeness)::

    J(s) = L_ss - L_sU' L_U'U'^{-1} L_U's
           + 2 | L_sL y_L - L_sU' L_U'U'^{-1} L_U'L y_L |,   L = M^{-1},

and queries ``argmin_s J(s)``. The Schur complement of ``L`` on ``U'`` is
the inverse of ``M`` restricted to ``A = L + {s}``; with the block inverse
of ``M_AA`` this is, exactly,

    J(s) = (1 + 2 |f(s)|) / (k(s, s) + alpha - q(s)),

with ``f(s) = k_sL (K_LL + alpha I)^{-1} y_L`` (the kernel ridge
regression's prediction at ``s``) and ``q(s) = k_sL (K_LL + alpha I)^{-1}
k_Ls`` (how much the labeled samples explain ``s``). One Cholesky
factorization of ``K_LL + alpha I`` serves every candidate: O(n_L^3 / 3 +
n_L^2 n_U) instead of one inverse of an ``n_U x n_U`` matrix per candidate.
"""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Real

import numpy as np
from scipy.linalg import cho_factor, solve_triangular
from sklearn.utils import check_array

from ..utils._sklearn_compat import Interval, validate_params


def _check_kernels(kernel_labeled, kernel_cross, y_labeled):
    kernel_labeled = check_array(kernel_labeled, dtype=np.float64,
                                 ensure_min_samples=0, ensure_min_features=0,
                                 input_name="kernel_labeled")
    kernel_cross = check_array(kernel_cross, dtype=np.float64, ensure_min_features=0,
                               input_name="kernel_cross")
    y_labeled = np.asarray(y_labeled, dtype=np.float64)
    n_labeled = kernel_labeled.shape[0]
    if kernel_labeled.shape != (n_labeled, n_labeled):
        raise ValueError(f"kernel_labeled has shape {kernel_labeled.shape}: it must "
                         "be square, the kernel between the labeled samples.")
    if kernel_cross.shape[1] != n_labeled or y_labeled.shape != (n_labeled,):
        raise ValueError(
            f"kernel_cross has shape {kernel_cross.shape} and y_labeled shape "
            f"{y_labeled.shape}; expected (n_pool, {n_labeled}) and ({n_labeled},): "
            "one column and one label per labeled sample.")
    if not np.isin(y_labeled, (-1.0, 1.0)).all():
        raise ValueError("y_labeled must hold -1 and +1 only: QUIRE is for binary "
                         "labels (encode the two classes as -1 and +1).")
    return kernel_labeled, kernel_cross, y_labeled


@validate_params(
    {"kernel_labeled": ["array-like"], "kernel_cross": ["array-like"],
     "y_labeled": ["array-like"], "alpha": [Interval(Real, 0, None, closed="neither")]},
    prefer_skip_nested_validation=True,
)
def quire_terms(kernel_labeled, kernel_cross, y_labeled, *, alpha=1.0):
    """The two terms of QUIRE's closed form: prediction and explained variance.

    For each pool sample ``s``, with ``B = K_LL + alpha I``::

        f(s) = k_sL B^{-1} y_L,      q(s) = k_sL B^{-1} k_Ls,

    the kernel ridge regression's prediction at ``s`` and the part of
    ``k(s, s)`` that the labeled samples explain (a Gaussian process's
    variance reduction). One Cholesky factorization of ``B``.

    Parameters
    ----------
    kernel_labeled : array-like of shape (n_labeled, n_labeled)
        The kernel between the labeled samples, ``K_LL``.

    kernel_cross : array-like of shape (n_pool, n_labeled)
        The kernel between the pool and the labeled samples, ``K_UL``.

    y_labeled : array-like of shape (n_labeled,)
        The labels, -1 or +1.

    alpha : float, default=1.0
        The regularization, the paper's ``lambda``; positive.

    Returns
    -------
    predictions : ndarray of shape (n_pool,)
        ``f(s)`` for each pool sample.

    explained : ndarray of shape (n_pool,)
        ``q(s)`` for each pool sample, between 0 and ``k(s, s)``.

    Examples
    --------
    >>> from skactive.acquisition import quire_terms
    >>> f, q = quire_terms([[1.0]], [[0.5], [0.0]], [1.0], alpha=1.0)
    >>> f, q
    (array([0.25, 0.  ]), array([0.125, 0.   ]))
    """
    kernel_labeled, kernel_cross, y_labeled = _check_kernels(
        kernel_labeled, kernel_cross, y_labeled)
    n_labeled = kernel_labeled.shape[0]
    if n_labeled == 0:
        n_pool = kernel_cross.shape[0]
        return np.zeros(n_pool), np.zeros(n_pool)
    factor, _ = cho_factor(kernel_labeled + alpha * np.eye(n_labeled), lower=True)
    projected = solve_triangular(factor, kernel_cross.T, lower=True)
    weights = solve_triangular(factor, y_labeled, lower=True)
    return projected.T @ weights, np.einsum("lu,lu->u", projected, projected)


@validate_params(
    {"kernel_labeled": ["array-like"], "kernel_cross": ["array-like"],
     "kernel_diagonal": ["array-like"], "y_labeled": ["array-like"],
     "alpha": [Interval(Real, 0, None, closed="neither")]},
    prefer_skip_nested_validation=True,
)
def quire_objective(kernel_labeled, kernel_cross, kernel_diagonal, y_labeled, *,
                    alpha=1.0):
    """QUIRE's objective for each pool sample (Huang, Jin & Zhou, 2010); lower first.

    The paper's min-max criterion, with the labels of the rest of the pool
    relaxed to real values, in closed form::

        J(s) = (1 + 2 |f(s)|) / (k(s, s) + alpha - q(s)),

    with ``f`` and ``q`` from :func:`quire_terms`. It equals the paper's
    ``L_ss - L_sU' L_U'U'^{-1} L_U's + 2 |(L_sL - L_sU' L_U'U'^{-1}
    L_U'L) y_L|`` with ``L = (K + alpha I)^{-1}`` over the labeled samples
    and the whole pool (see the module's notes): low when ``s`` is
    uncertain (``f(s)`` near 0) and poorly explained by the labeled samples.

    Parameters
    ----------
    kernel_labeled : array-like of shape (n_labeled, n_labeled)
        The kernel between the labeled samples.

    kernel_cross : array-like of shape (n_pool, n_labeled)
        The kernel between the pool and the labeled samples.

    kernel_diagonal : array-like of shape (n_pool,)
        ``k(s, s)`` for each pool sample (1 for an RBF kernel).

    y_labeled : array-like of shape (n_labeled,)
        The labels, -1 or +1.

    alpha : float, default=1.0
        The regularization, the paper's ``lambda``; positive.

    Returns
    -------
    objective : ndarray of shape (n_pool,)
        ``J(s)``; QUIRE queries the lowest.

    Examples
    --------
    >>> from skactive.acquisition import quire_objective
    >>> quire_objective([[1.0]], [[0.5], [0.0]], [1.0, 1.0], [1.0])
    array([0.8, 0.5])
    """
    predictions, explained = quire_terms(kernel_labeled, kernel_cross, y_labeled,
                                         alpha=alpha)
    kernel_diagonal = np.asarray(kernel_diagonal, dtype=np.float64)
    if kernel_diagonal.shape != predictions.shape:
        raise ValueError(f"kernel_diagonal has shape {kernel_diagonal.shape}, "
                         f"expected ({predictions.shape[0]},): k(s, s) per pool "
                         "sample.")
    return (1.0 + 2.0 * np.abs(predictions)) / (kernel_diagonal + alpha - explained)


@validate_params(
    {"predictions": ["array-like"], "explained": ["array-like"],
     "kernel_diagonal": ["array-like"],
     "alpha": [Interval(Real, 0, None, closed="neither")]},
    prefer_skip_nested_validation=True,
)
def quire_log_scores(predictions, explained, kernel_diagonal, *, alpha=1.0):
    """QUIRE's ranking on a log scale, higher first: ``-log((1 + alpha) J(s))``.

    The same order as :func:`quire_objective` (reversed), computed without
    losing the small differences: with an RBF kernel far from the labeled
    samples ``f`` and ``q`` are tiny (``exp(-gamma d^2)``) and ``1 + 2|f|``
    rounds to 1, but ::

        log((1 + alpha) J) = log1p(2 |f|) - log1p(-q / (k + alpha))
                             - log((k + alpha) / (1 + alpha))

    keeps them (the last term is exactly 0 when ``k(s, s) = 1``). A sample
    no labeled sample explains scores 0 under such a kernel; others score
    below.

    Parameters
    ----------
    predictions, explained : array-like of shape (n_pool,)
        ``f`` and ``q`` of :func:`quire_terms`.

    kernel_diagonal : array-like of shape (n_pool,)
        ``k(s, s)`` for each pool sample.

    alpha : float, default=1.0
        The regularization, the paper's ``lambda``; positive.

    Returns
    -------
    scores : ndarray of shape (n_pool,)
        ``-log((1 + alpha) J(s))``.

    Examples
    --------
    >>> from skactive.acquisition import quire_log_scores
    >>> quire_log_scores([1e-20, 0.0], [0.0, 0.0], [1.0, 1.0])
    array([-2.e-20,  0.e+00])
    """
    predictions = np.asarray(predictions, dtype=np.float64)
    explained = np.asarray(explained, dtype=np.float64)
    denominator = np.asarray(kernel_diagonal, dtype=np.float64) + alpha
    if not predictions.shape == explained.shape == denominator.shape:
        raise ValueError(
            f"predictions, explained and kernel_diagonal have shapes "
            f"{predictions.shape}, {explained.shape} and {denominator.shape}: "
            "pass one value per pool sample in each.")
    return (np.log(denominator / (1.0 + alpha)) + np.log1p(-explained / denominator)
            - np.log1p(2.0 * np.abs(predictions)))

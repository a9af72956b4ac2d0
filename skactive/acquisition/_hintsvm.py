"""HintSVM (Li, Ferng & Lin, 2012): a support vector machine over the labeled
samples and some unlabeled "hint" samples that it keeps near its boundary.

The primal problem, with the labeled samples :math:`(x_i, y_i)`,
:math:`y_i \\in \\{-1, +1\\}`, and the hints :math:`h_j`::

    min  1/2 ||w||^2 + Cl sum_i xi_i + Ch sum_j (zeta_j + zeta*_j)
    s.t. y_i (w . phi(x_i) + b) >= 1 - xi_i,
         w . phi(h_j) + b <= epsilon + zeta_j,
         -(w . phi(h_j) + b) <= epsilon + zeta*_j,  all slacks >= 0:

a soft-margin SVM on the labeled samples and an epsilon-insensitive
regression of the hints to the value 0, the boundary. Its dual, in the
variables ``x = (alpha, beta, beta*)``, is the quadratic program that
:func:`hintsvm_qp` writes out and :func:`solve_hintsvm` solves with
Clarabel; the model is ``f(z) = sum_k coef_k K(z_k, z) + intercept`` over
the labeled samples then the hints (:func:`hintsvm_decision`).
"""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Real

import numpy as np
import scipy.sparse as sp
from sklearn.utils import check_array

from ..utils._sklearn_compat import Interval, validate_params

_POSITIVE = Interval(Real, 0, None, closed="neither")


def _check_problem(kernel, y):
    kernel = check_array(kernel, dtype=np.float64, input_name="kernel")
    y = np.asarray(y, dtype=np.float64)
    if y.ndim != 1 or not np.isin(y, (-1.0, 1.0)).all():
        raise ValueError("y must be a 1d array of labels -1 and +1, the labeled "
                         "samples' classes.")
    n = kernel.shape[0]
    if kernel.shape[1] != n or y.shape[0] > n:
        raise ValueError(
            f"kernel has shape {kernel.shape}: it must be the square kernel "
            f"matrix of the {y.shape[0]} labeled samples followed by the hints.")
    return kernel, y


@validate_params(
    {"kernel": ["array-like"], "y": ["array-like"], "Cl": [_POSITIVE],
     "Ch": [_POSITIVE], "epsilon": [Interval(Real, 0, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def hintsvm_qp(kernel, y, *, Cl=0.1, Ch=0.1, epsilon=0.1):
    """The dual quadratic program of HintSVM, written out.

    With ``n_labeled = len(y)`` labeled samples and ``n_hints`` hints, the
    variables are ``x = (alpha, beta, beta*)`` (``n_labeled + 2 n_hints``)
    and the coefficients of the model ``coef = D x``: ``y_i alpha_i`` for a
    labeled sample, ``beta*_j - beta_j`` for a hint. The program is::

        min  1/2 x' P x + q' x   s.t.  a' x = 0,  0 <= x <= upper,

    with ``P = D' K D``, ``q = (-1, ..., -1, epsilon, ..., epsilon)``,
    ``a = D' 1`` (that is, ``sum(coef) = 0``) and ``upper`` equal to ``Cl``
    for the labeled samples and ``Ch`` for the hints.

    Parameters
    ----------
    kernel : array-like of shape (n_labeled + n_hints, n_labeled + n_hints)
        Kernel matrix of the labeled samples followed by the hints.

    y : array-like of shape (n_labeled,)
        Labels of the labeled samples, -1 or +1.

    Cl : float, default=0.1
        Weight of the labeled samples' hinge losses.

    Ch : float, default=0.1
        Weight of the hints' epsilon-insensitive losses.

    epsilon : float, default=0.1
        Width of the band around the boundary in which a hint costs nothing.

    Returns
    -------
    P : ndarray of shape (n_variables, n_variables)
    q : ndarray of shape (n_variables,)
    a : ndarray of shape (n_variables,)
    upper : ndarray of shape (n_variables,)
    D : ndarray of shape (n_labeled + n_hints, n_variables)
        Maps a solution ``x`` to the model's coefficients, ``coef = D @ x``.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.acquisition import hintsvm_qp
    >>> X = np.array([[-1.0], [1.0], [0.2]])   # two labeled samples, one hint
    >>> P, q, a, upper, D = hintsvm_qp(X @ X.T, [-1, 1], Cl=1.0, Ch=0.5)
    >>> P.shape, q.tolist(), a.tolist(), upper.tolist()
    ((4, 4), [-1.0, -1.0, 0.1, 0.1], [-1.0, 1.0, -1.0, 1.0], [1.0, 1.0, 0.5, 0.5])
    """
    kernel, y = _check_problem(kernel, y)
    n_labeled, n_hints = y.shape[0], kernel.shape[0] - y.shape[0]
    D = np.zeros((n_labeled + n_hints, n_labeled + 2 * n_hints))
    D[:n_labeled, :n_labeled] = np.diag(y)
    D[n_labeled:, n_labeled:n_labeled + n_hints] = -np.eye(n_hints)
    D[n_labeled:, n_labeled + n_hints:] = np.eye(n_hints)
    P = D.T @ kernel @ D
    q = np.concatenate([-np.ones(n_labeled), np.full(2 * n_hints, float(epsilon))])
    upper = np.concatenate([np.full(n_labeled, float(Cl)),
                            np.full(2 * n_hints, float(Ch))])
    return P, q, D.sum(axis=0), upper, D


def _clarabel():
    try:
        import clarabel
    except ImportError as exc:  # pragma: no cover - the qp extra is installed in CI
        raise ImportError(
            "HintSVM solves a quadratic program with Clarabel, which is not "
            'installed: pip install "skactive[qp]"') from exc
    return clarabel


@validate_params(
    {"kernel": ["array-like"], "y": ["array-like"], "Cl": [_POSITIVE],
     "Ch": [_POSITIVE], "epsilon": [Interval(Real, 0, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def solve_hintsvm(kernel, y, *, Cl=0.1, Ch=0.1, epsilon=0.1):
    """Solve HintSVM's dual problem (:func:`hintsvm_qp`) with Clarabel.

    Parameters
    ----------
    kernel : array-like of shape (n_labeled + n_hints, n_labeled + n_hints)
        Kernel matrix of the labeled samples followed by the hints.

    y : array-like of shape (n_labeled,)
        Labels of the labeled samples, -1 or +1.

    Cl, Ch, epsilon : float, default=0.1
        See :func:`hintsvm_qp`.

    Returns
    -------
    coef : ndarray of shape (n_labeled + n_hints,)
        The model's coefficients: ``y_i alpha_i`` for the labeled samples,
        ``beta*_j - beta_j`` for the hints; they sum to zero.

    intercept : float
        The model's ``b``: the multiplier of the constraint ``sum(coef) = 0``.

    Raises
    ------
    RuntimeError
        When Clarabel does not report the problem solved.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.acquisition import solve_hintsvm
    >>> X = np.array([[-1.0], [1.0], [0.2]])
    >>> coef, intercept = solve_hintsvm(X @ X.T, [-1, 1], Cl=1.0, Ch=1.0)
    >>> coef.round(3).tolist(), round(intercept, 3)
    ([-0.097, 1.0, -0.903], -0.083)

    The hint at 0.2 draws the boundary towards it, to the edge of its
    epsilon band:

    >>> from skactive.acquisition import hintsvm_decision
    >>> hintsvm_decision(X @ X.T, coef, intercept).round(3)
    array([-1.   ,  0.833,  0.1  ])
    """
    P, q, a, upper, D = hintsvm_qp(kernel, y, Cl=Cl, Ch=Ch, epsilon=epsilon)
    clarabel = _clarabel()
    n = q.shape[0]
    eye = sp.identity(n, format="csc")
    A = sp.vstack([sp.csc_matrix(a[None, :]), -eye, eye], format="csc")
    b = np.concatenate([[0.0], np.zeros(n), upper])
    cones = [clarabel.ZeroConeT(1), clarabel.NonnegativeConeT(2 * n)]
    settings = clarabel.DefaultSettings()
    settings.verbose = False
    P = sp.triu(sp.csc_matrix((P + P.T) / 2), format="csc")
    solution = clarabel.DefaultSolver(P, q, A, b, cones, settings).solve()
    if solution.status != clarabel.SolverStatus.Solved:
        raise RuntimeError(
            f"Clarabel did not solve HintSVM's quadratic program (status "
            f"{solution.status}). Check the kernel matrix for NaN or huge "
            "values, or scale the features.")
    x = np.clip(np.asarray(solution.x), 0.0, upper)
    return D @ x, float(solution.z[0])


@validate_params(
    {"kernel": ["array-like"], "coef": ["array-like"], "intercept": [Real]},
    prefer_skip_nested_validation=True,
)
def hintsvm_decision(kernel, coef, intercept):
    """HintSVM's decision values ``f(z) = sum_k coef_k K(z_k, z) + intercept``.

    HintSVM labels next the pool sample closest to the boundary, the
    smallest ``|f|``.

    Parameters
    ----------
    kernel : array-like of shape (n_samples, n_labeled + n_hints)
        Kernel between the samples and the labeled samples followed by the
        hints.

    coef : array-like of shape (n_labeled + n_hints,)
        From :func:`solve_hintsvm`.

    intercept : float
        From :func:`solve_hintsvm`.

    Returns
    -------
    decision : ndarray of shape (n_samples,)

    Examples
    --------
    >>> from skactive.acquisition import hintsvm_decision
    >>> hintsvm_decision([[1.0, -1.0], [0.5, 0.5]], [1.0, -1.0], 0.5)
    array([2.5, 0.5])
    """
    kernel = check_array(kernel, dtype=np.float64, input_name="kernel")
    coef = np.asarray(coef, dtype=np.float64)
    if coef.shape != (kernel.shape[1],):
        raise ValueError(
            f"coef has shape {coef.shape}, but the kernel has {kernel.shape[1]} "
            "columns: one coefficient per labeled sample and hint.")
    return kernel @ coef + intercept

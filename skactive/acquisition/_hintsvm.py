"""HintSVM (Li, Ferng & Lin, 2012): a support vector machine over the labeled
samples and some unlabeled "hint" samples that it keeps near its boundary.

The primal problem, with the labeled samples :math:`(x_i, y_i)`,
:math:`y_i \\in \\{-1, +1\\}`, and the hints :math:`h_j`::

    min  1/2 ||w||^2 + Cl sum_i xi_i + Ch sum_j (zeta_j + zeta*_j)
    s.t. y_i (w . phi(x_i) + b) >= 1 - xi_i,
         w . phi(h_j) + b <= epsilon + zeta_j,
         -(w . phi(h_j) + b) <= epsilon + zeta*_j,  all slacks >= 0:

a soft-margin SVM on the labeled samples and an epsilon-insensitive
regression of the hints to the value 0, the boundary. Its dual is the
quadratic program that :func:`hintsvm_qp` writes out and
:func:`solve_hintsvm` solves with Clarabel; the model is
``f(z) = sum_k coef_k K(z_k, z) + intercept`` over the labeled samples then
the hints (:func:`hintsvm_decision`).
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
    """The dual quadratic program of HintSVM, in the model's coefficients.

    The dual's variables are ``alpha_i`` in ``[0, Cl]`` for a labeled
    sample and ``beta_j, beta*_j`` in ``[0, Ch]`` for a hint (the
    multipliers of its two band constraints); it reads::

        min  1/2 coef' K coef - sum_i alpha_i + epsilon sum_j (beta_j + beta*_j)
        s.t. sum(coef) = 0,

    with the model's coefficients ``coef_i = y_i alpha_i`` and ``coef_j =
    beta*_j - beta_j``. At an optimum a hint's two multipliers are not both
    positive, so ``beta_j + beta*_j = |coef_j|``: the program is written in
    ``v = (coef, t)``, ``t_j >= |coef_j|`` (half as many quadratic
    variables as in ``(alpha, beta, beta*)``)::

        min  1/2 v' P v + q' v   s.t.  a' v = 0,  G v <= h,

    ``P = [[K, 0], [0, 0]]``, ``q = (-y, 0, epsilon)``, ``a = (1, 0)``,
    and the rows of ``G v <= h``: ``0 <= y_i coef_i <= Cl``, ``coef_j <=
    t_j``, ``-coef_j <= t_j`` and ``t_j <= Ch``.

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
        Half-width of the band around the boundary in which a hint costs
        nothing.

    Returns
    -------
    P : ndarray of shape (n_variables, n_variables)
        The quadratic term; ``n_variables = n_labeled + 2 n_hints``: the
        coefficients, then ``t``.

    q : ndarray of shape (n_variables,)
        The linear term.

    a : ndarray of shape (n_variables,)
        The equality constraint ``a' v = 0``.

    G : sparse matrix of shape (2 n_labeled + 3 n_hints, n_variables)
        The inequality constraints ``G v <= h``, CSC.

    h : ndarray of shape (2 n_labeled + 3 n_hints,)
        Their right-hand side.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.acquisition import hintsvm_qp
    >>> X = np.array([[-1.0], [1.0], [0.2]])   # two labeled samples, one hint
    >>> P, q, a, G, h = hintsvm_qp(X @ X.T, [-1, 1], Cl=1.0, Ch=0.5)
    >>> P.shape, q.tolist(), a.tolist()
    ((4, 4), [1.0, -1.0, 0.0, 0.1], [1.0, 1.0, 1.0, 0.0])
    >>> G.toarray()
    array([[ 1.,  0.,  0.,  0.],
           [ 0., -1.,  0.,  0.],
           [-1.,  0.,  0.,  0.],
           [ 0.,  1.,  0.,  0.],
           [ 0.,  0.,  1., -1.],
           [ 0.,  0., -1., -1.],
           [ 0.,  0.,  0.,  1.]])
    >>> h.tolist()
    [0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.5]
    """
    kernel, y = _check_problem(kernel, y)
    n_labeled, n_hints = y.shape[0], kernel.shape[0] - y.shape[0]
    n = n_labeled + n_hints
    P = np.zeros((n + n_hints, n + n_hints))
    P[:n, :n] = kernel
    q = np.concatenate([-y, np.zeros(n_hints), np.full(n_hints, float(epsilon))])
    a = np.concatenate([np.ones(n), np.zeros(n_hints)])
    G = _constraint_matrix(y, n_hints)
    h = np.concatenate([np.zeros(n_labeled), np.full(n_labeled, float(Cl)),
                        np.zeros(2 * n_hints), np.full(n_hints, float(Ch))])
    return P, q, a, G, h


def _constraint_matrix(y, n_hints):
    """``G`` of :func:`hintsvm_qp`, built from its nonzeros."""
    n_labeled = y.shape[0]
    n = n_labeled + n_hints
    labeled, hint = np.arange(n_labeled), np.arange(n_hints)
    rows = np.concatenate([labeled, n_labeled + labeled,  # the boxes of y_i coef_i
                           2 * n_labeled + hint, 2 * n_labeled + hint,  # coef_j <= t_j
                           2 * n_labeled + n_hints + hint,  # -coef_j <= t_j
                           2 * n_labeled + n_hints + hint,
                           2 * n_labeled + 2 * n_hints + hint])  # t_j <= Ch
    cols = np.concatenate([labeled, labeled, n_labeled + hint, n + hint,
                           n_labeled + hint, n + hint, n + hint])
    ones = np.ones(n_hints)
    values = np.concatenate([-y, y, ones, -ones, -ones, -ones, ones])
    return sp.csc_matrix((values, (rows, cols)),
                         shape=(2 * n_labeled + 3 * n_hints, n + n_hints))


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
    P, q, a, G, h = hintsvm_qp(kernel, y, Cl=Cl, Ch=Ch, epsilon=epsilon)
    clarabel = _clarabel()
    A = sp.vstack([sp.csc_matrix(a[None, :]), G], format="csc")
    b = np.concatenate([[0.0], h])
    cones = [clarabel.ZeroConeT(1), clarabel.NonnegativeConeT(h.shape[0])]
    settings = clarabel.DefaultSettings()
    settings.verbose = False
    P = sp.csc_matrix(np.triu(P))  # the kernel is symmetric
    solution = clarabel.DefaultSolver(P, q, A, b, cones, settings).solve()
    if solution.status != clarabel.SolverStatus.Solved:
        raise RuntimeError(
            f"Clarabel did not solve HintSVM's quadratic program (status "
            f"{solution.status}). Check the kernel matrix for NaN or huge "
            "values, or scale the features.")
    n = kernel.shape[0] if hasattr(kernel, "shape") else len(kernel)
    return np.asarray(solution.x)[:n], float(solution.z[0])


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
        ``f`` of each sample, positive on the side of the labels +1.

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

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
box-constrained quadratic program with one equality that :func:`hintsvm_qp`
writes out, the form of libsvm's solver; :func:`solve_hintsvm` solves it
with PIQP's dense interior-point solver; the model is
``f(z) = sum_k coef_k K(z_k, z) + intercept`` over the labeled samples then
the hints (:func:`hintsvm_decision`).
"""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Real

import numpy as np
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


def _samples_of_variables(n_labeled, n_hints):
    """The sample (labeled, then hints) each dual variable belongs to."""
    hints = np.arange(n_labeled, n_labeled + n_hints)
    return np.concatenate([np.arange(n_labeled), hints, hints])


@validate_params(
    {"kernel": ["array-like"], "y": ["array-like"], "Cl": [_POSITIVE],
     "Ch": [_POSITIVE], "epsilon": [Interval(Real, 0, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def hintsvm_qp(kernel, y, *, Cl=0.1, Ch=0.1, epsilon=0.1):
    """The dual quadratic program of HintSVM, with one sign per variable.

    The dual's variables ``u`` are ``alpha_i`` for a labeled sample, in
    ``[0, Cl]``, then ``beta_j`` and ``beta*_j`` for a hint, in ``[0, Ch]``
    (the multipliers of its two band constraints). Each has a sign ``a_v``
    (``y_i`` for ``alpha_i``, -1 for ``beta_j``, +1 for ``beta*_j``), and
    the model's coefficient of a sample is the signed sum of its variables:
    ``coef_i = y_i alpha_i`` and ``coef_j = beta*_j - beta_j``. The program
    reads::

        min  1/2 u' P u + q' u   s.t.  a' u = 0,  0 <= u <= upper,

    ``P_vw = a_v a_w K(z_v, z_w)`` (``z_v`` the sample of variable ``v``),
    ``q = -1`` for the labeled samples' variables and ``epsilon`` for the
    hints', and ``a' u = sum(coef)``: the form of libsvm's solver, the
    labeled samples as in a support vector classifier and the hints as in an
    epsilon-insensitive regression to 0.

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
    P : ndarray of shape (n_labeled + 2 n_hints, n_labeled + 2 n_hints)
        The quadratic term.

    q : ndarray of shape (n_labeled + 2 n_hints,)
        The linear term.

    a : ndarray of shape (n_labeled + 2 n_hints,)
        The variables' signs: the equality constraint ``a' u = 0``.

    upper : ndarray of shape (n_labeled + 2 n_hints,)
        The upper bounds, ``Cl`` then ``Ch``; the lower bounds are 0.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.acquisition import hintsvm_qp
    >>> X = np.array([[-1.0], [1.0], [0.2]])   # two labeled samples, one hint
    >>> P, q, a, upper = hintsvm_qp(X @ X.T, [-1, 1], Cl=1.0, Ch=0.5)
    >>> P
    array([[ 1.  ,  1.  , -0.2 ,  0.2 ],
           [ 1.  ,  1.  , -0.2 ,  0.2 ],
           [-0.2 , -0.2 ,  0.04, -0.04],
           [ 0.2 ,  0.2 , -0.04,  0.04]])
    >>> q.tolist(), a.tolist(), upper.tolist()
    ([-1.0, -1.0, 0.1, 0.1], [-1.0, 1.0, -1.0, 1.0], [1.0, 1.0, 0.5, 0.5])
    """
    kernel, y = _check_problem(kernel, y)
    n_labeled, n_hints = y.shape[0], kernel.shape[0] - y.shape[0]
    samples = _samples_of_variables(n_labeled, n_hints)
    a = np.concatenate([y, -np.ones(n_hints), np.ones(n_hints)])
    P = kernel[np.ix_(samples, samples)]
    P *= a[:, None]
    P *= a[None, :]
    q = np.concatenate([-np.ones(n_labeled), np.full(2 * n_hints, float(epsilon))])
    upper = np.concatenate([np.full(n_labeled, float(Cl)),
                            np.full(2 * n_hints, float(Ch))])
    return P, q, a, upper


def _piqp():
    try:
        import piqp
    except ImportError as exc:  # pragma: no cover - the qp extra is installed in CI
        raise ImportError(
            "HintSVM solves a quadratic program with PIQP, which is not "
            'installed: pip install "skactive[qp]"') from exc
    return piqp


@validate_params(
    {"kernel": ["array-like"], "y": ["array-like"], "Cl": [_POSITIVE],
     "Ch": [_POSITIVE], "epsilon": [Interval(Real, 0, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def solve_hintsvm(kernel, y, *, Cl=0.1, Ch=0.1, epsilon=0.1):
    """Solve HintSVM's dual problem (:func:`hintsvm_qp`) with PIQP.

    PIQP (Schwan, Jiang, Kuhn & Jones, 2023) is a proximal interior-point
    solver; its dense backend factors the kernel block with LAPACK-style
    dense Cholesky, several times faster here than a sparse solver, and it
    takes the bounds ``0 <= u <= upper`` as bounds, not as rows.

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
        When PIQP does not report the problem solved.

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
    P, q, a, upper = hintsvm_qp(kernel, y, Cl=Cl, Ch=Ch, epsilon=epsilon)
    piqp = _piqp()
    solver = piqp.DenseSolver()
    solver.settings.verbose = False
    # P is symmetric: its transpose is the Fortran-ordered array PIQP reads.
    solver.setup(P.T, q, A=a[None, :], b=np.zeros(1), x_l=np.zeros_like(upper),
                 x_u=upper)
    status = solver.solve()
    if status != piqp.PIQP_SOLVED:
        raise RuntimeError(
            f"PIQP did not solve HintSVM's quadratic program (status "
            f"{status}). Check the kernel matrix for NaN or huge values, or "
            "scale the features.")
    n_labeled = np.shape(y)[0]
    n = P.shape[0] - (P.shape[0] - n_labeled) // 2
    coef = np.bincount(_samples_of_variables(n_labeled, n - n_labeled),
                       weights=a * solver.result.x, minlength=n)
    return coef, float(solver.result.y[0])


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

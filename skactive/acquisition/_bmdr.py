"""Discriminative and representative batches by quadratic programming: BMDR
(Wang & Ye, 2013) and its self-paced extension SPAL (Tang & Huang, 2019).

Both choose a batch of ``b`` pool samples by relaxing the choice to weights
``alpha`` in ``[0, 1]`` that sum to ``b`` and minimizing, over them, the
worst-case squared loss of a kernel least-squares model ``f`` on the batch
(small ``|f|``: uncertain samples) plus ``beta`` times the maximum mean
discrepancy (MMD) between the labeled samples with the batch and the rest of
the pool (representative samples). For a fixed ``f`` that is a quadratic
program (:func:`bmdr_qp_terms` builds it, :func:`solve_selection_qp` solves
it with Clarabel); for a fixed batch, ``f`` is refitted with the batch's
worst-case labels (:func:`worst_case_kernel_least_squares`); the two steps
alternate. SPAL weighs each pool sample's loss by a self-paced easiness
``v`` (:func:`self_paced_weights`), so that hard samples wait until the
model is ready for them.
"""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
import scipy.linalg
import scipy.sparse as sp
from sklearn.utils import check_array

from ..utils._sklearn_compat import Interval, validate_params

_QP_EXTRA = 'pip install "skactive[qp]"'


def _clarabel():
    try:
        import clarabel
    except ImportError as error:  # pragma: no cover - the extra is installed in CI
        raise ImportError(
            "BMDR and SPAL solve quadratic programs with Clarabel, which is not "
            f"installed: {_QP_EXTRA}") from error
    return clarabel


def _solve(P, q, A, b, cones, what):
    """Clarabel on ``min 1/2 x'Px + q'x, Ax + s = b, s in cones``: (x, z)."""
    clarabel = _clarabel()
    settings = clarabel.DefaultSettings()
    settings.verbose = False
    solver = clarabel.DefaultSolver(sp.triu(sp.csc_matrix(P), format="csc"), q,
                                    sp.csc_matrix(A), b, cones, settings)
    solution = solver.solve()
    status = str(solution.status)
    if status not in ("Solved", "AlmostSolved"):
        raise RuntimeError(
            f"Clarabel did not solve {what} (status {status}): check the inputs "
            "for NaN or infinite values, or loosen the parameters (a larger "
            "gamma makes the model's problem better conditioned).")
    return np.asarray(solution.x), np.asarray(solution.z)


@validate_params({"decision": ["array-like"]}, prefer_skip_nested_validation=True)
def worst_case_loss(decision):
    """Squared loss of ``f`` under the worse of the labels ±1, less its constant.

    ``max_{y = ±1} (y - f)^2 = (1 + |f|)^2 = f^2 + 2 |f| + 1``; BMDR and SPAL
    use ``f^2 + 2 |f|`` (the constant does not change their choice). Small
    for samples near the decision boundary ``f = 0``.

    Parameters
    ----------
    decision : array-like of shape (n_samples,)
        Decision values ``f(x)`` of a binary model with labels ±1.

    Returns
    -------
    loss : ndarray of shape (n_samples,)
        ``f^2 + 2 |f|``.

    Examples
    --------
    >>> from skactive.acquisition import worst_case_loss
    >>> worst_case_loss([0.0, 0.5, -1.0])
    array([0.  , 1.25, 3.  ])
    """
    decision = np.asarray(decision, dtype=np.float64)
    return decision ** 2 + 2.0 * np.abs(decision)


@validate_params(
    {"kernel_pool_labeled": ["array-like"], "kernel_pool": ["array-like"],
     "decision": ["array-like"],
     "batch_size": [Interval(Integral, 1, None, closed="left")],
     "beta": [Interval(Real, 0, None, closed="left")],
     "easiness": ["array-like", None]},
    prefer_skip_nested_validation=True,
)
def bmdr_qp_terms(kernel_pool_labeled, kernel_pool, decision, *, batch_size, beta,
                  easiness=None):
    """The quadratic and linear terms of BMDR's (and SPAL's) selection problem.

    With ``n_l`` labeled and ``n_u`` pool samples (``n = n_l + n_u``), a batch
    of ``b`` given by weights ``alpha`` (``alpha_i = 1``: pool sample ``i`` is
    in the batch) has squared MMD, between the labeled samples with the batch
    and the rest of the pool, equal up to a constant and the factor
    ``(n / ((n_l + b)(n_u - b)))^2`` to ``alpha' K_UU alpha + 2 k' alpha`` with
    ``k = ((n_u - b) K_UL 1 - (n_l + b) K_UU 1) / n``. Adding the worst-case
    losses ``a`` of the model on the batch (weighted by SPAL's easiness
    ``v``), the problem is::

        min_alpha 1/2 alpha' P alpha + q' alpha,
        P = beta / 2 K_UU,  q = beta / 2 k + v * a,

    that is ``v * a`` plus ``beta / 4`` times the MMD's expansion. The
    quadratic term is ALiPy's (so that ``beta`` weighs it as there); ALiPy's
    linear term is ``beta k``, twice the expansion's.

    Parameters
    ----------
    kernel_pool_labeled : array-like of shape (n_pool, n_labeled)
        ``K_UL``, the kernel between pool and labeled samples.

    kernel_pool : array-like of shape (n_pool, n_pool)
        ``K_UU``, the kernel of the pool.

    decision : array-like of shape (n_pool,)
        The model's decision values ``f`` on the pool.

    batch_size : int
        ``b``, the size of the batch.

    beta : float
        Weight of the MMD term (SPAL's ``mu``).

    easiness : array-like of shape (n_pool,), default=None
        SPAL's self-paced weights ``v``; None for BMDR (all ones).

    Returns
    -------
    P : ndarray of shape (n_pool, n_pool)
        The quadratic term.

    q : ndarray of shape (n_pool,)
        The linear term.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.acquisition import bmdr_qp_terms
    >>> P, q = bmdr_qp_terms(np.zeros((2, 1)), np.eye(2), [0.0, 1.0],
    ...                      batch_size=1, beta=2.0)
    >>> P
    array([[1., 0.],
           [0., 1.]])
    >>> q  # 2 / 2 * (-(1 + 1) / 3 * 1) + loss: the uncertain one costs less
    array([-0.66666667,  2.33333333])
    """
    K_UL = check_array(kernel_pool_labeled, dtype=np.float64,
                       input_name="kernel_pool_labeled")
    K_UU = check_array(kernel_pool, dtype=np.float64, input_name="kernel_pool")
    decision = np.asarray(decision, dtype=np.float64)
    n_pool, n_labeled = K_UL.shape
    if K_UU.shape != (n_pool, n_pool) or decision.shape != (n_pool,):
        raise ValueError(
            f"kernel_pool_labeled has shape {K_UL.shape}, kernel_pool "
            f"{K_UU.shape} and decision {decision.shape}: pass K_UL (n_pool, "
            "n_labeled), K_UU (n_pool, n_pool) and one decision value per pool "
            "sample.")
    loss = worst_case_loss(decision)
    if easiness is not None:
        loss = loss * np.asarray(easiness, dtype=np.float64)
    n = n_labeled + n_pool
    k = ((n_pool - batch_size) * K_UL.sum(axis=1)
         - (n_labeled + batch_size) * K_UU.sum(axis=1)) / n
    return 0.5 * beta * K_UU, 0.5 * beta * k + loss


@validate_params(
    {"P": ["array-like"], "q": ["array-like"],
     "batch_size": [Interval(Integral, 1, None, closed="left")],
     "weights": ["array-like", None]},
    prefer_skip_nested_validation=True,
)
def solve_selection_qp(P, q, *, batch_size, weights=None):
    """The relaxed batch: ``min 1/2 a'Pa + q'a`` over ``0 <= a <= 1``, ``w'a = b``.

    Solved by Clarabel (``pip install "skactive[qp]"``). ``weights`` ``w``
    are SPAL's easiness (BMDR: all ones); when they sum to less than ``b``
    no such ``a`` exists, and the sum constraint is dropped (as ALiPy does).

    Parameters
    ----------
    P : array-like of shape (n_pool, n_pool)
        Positive semi-definite quadratic term.

    q : array-like of shape (n_pool,)
        Linear term.

    batch_size : int
        ``b``; at most ``n_pool``.

    weights : array-like of shape (n_pool,), default=None
        Non-negative ``w``; None for all ones.

    Returns
    -------
    alpha : ndarray of shape (n_pool,)
        The solution, clipped to ``[0, 1]`` and rounded to 8 decimals (the
        solver's accuracy), so that samples in symmetric positions tie
        exactly.

    Raises
    ------
    RuntimeError
        When Clarabel does not report the problem solved.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.acquisition import solve_selection_qp
    >>> solve_selection_qp(np.eye(3), [0.0, 0.5, 2.0], batch_size=1).round(4)
    array([0.75, 0.25, 0.  ])
    """
    P = check_array(P, dtype=np.float64, input_name="P")
    q = np.asarray(q, dtype=np.float64)
    n = q.shape[0]
    if P.shape != (n, n) or q.ndim != 1 or batch_size > n:
        raise ValueError(
            f"P has shape {P.shape}, q {q.shape} and batch_size is {batch_size}: "
            "pass a square P, one q per pool sample and a batch no larger than "
            "the pool.")
    weights = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    if weights.shape != (n,) or np.any(weights < 0):
        raise ValueError(f"weights must be {n} non-negative numbers, one per sample.")
    clarabel = _clarabel()
    box = sp.vstack([-sp.identity(n), sp.identity(n)])
    rows, right = [box], [np.zeros(n), np.ones(n)]
    cones = [clarabel.NonnegativeConeT(2 * n)]
    if weights.sum() >= batch_size:
        rows.insert(0, sp.csr_matrix(weights[None, :]))
        right.insert(0, [float(batch_size)])
        cones.insert(0, clarabel.ZeroConeT(1))
    alpha, _ = _solve(P, q, sp.vstack(rows), np.concatenate(right), cones,
                      "the batch selection problem")
    return np.round(np.clip(alpha, 0.0, 1.0), 8)


@validate_params(
    {"losses": ["array-like"], "pace": [Interval(Real, 0, None, closed="neither")]},
    prefer_skip_nested_validation=True,
)
def self_paced_weights(losses, pace):
    """SPAL's easiness: ``v = max(0, 1 - loss / lambda)``.

    The minimizer over ``v`` in ``[0, 1]`` of ``v * loss + lambda (v^2 / 2 -
    v)``, the linear soft self-paced regularizer of Jiang et al. (2014) that
    Tang & Huang (2019) use: samples whose loss reaches the pace ``lambda``
    get no weight (too hard for now); as ``lambda`` grows, they come in.

    Parameters
    ----------
    losses : array-like of shape (n_samples,)
        Non-negative losses (SPAL: the selection weight times the worst-case
        loss).

    pace : float
        ``lambda`` > 0.

    Returns
    -------
    weights : ndarray of shape (n_samples,)
        In ``[0, 1]``.

    Examples
    --------
    >>> from skactive.acquisition import self_paced_weights
    >>> self_paced_weights([0.0, 0.05, 0.2], pace=0.1)
    array([1. , 0.5, 0. ])
    """
    losses = np.asarray(losses, dtype=np.float64)
    return np.maximum(0.0, 1.0 - losses / pace)


def _solve_psd(H, R):
    """``H^-1 R`` for a symmetric positive semi-definite ``H`` (least squares
    when it is singular)."""
    try:
        return scipy.linalg.solve(H, R, assume_a="pos")
    except (np.linalg.LinAlgError, scipy.linalg.LinAlgError):
        return scipy.linalg.lstsq(H, R)[0]


@validate_params(
    {"kernel_labeled": ["array-like"], "y": ["array-like"],
     "kernel_labeled_weighted": ["array-like"], "weights": ["array-like"],
     "gamma": [Interval(Real, 0, None, closed="neither")]},
    prefer_skip_nested_validation=True,
)
def worst_case_kernel_least_squares(kernel_labeled, y, kernel_labeled_weighted,
                                    weights, *, gamma):
    """Kernel least squares with the worst-case loss on weighted unlabeled samples.

    The model step of BMDR and SPAL: ``f = sum_j tau_j k(x_j, .)`` over the
    labeled samples (as in ALiPy, which Lu et al. ran) minimizes::

        ||y - K_LL tau||^2 + gamma tau' K_LL tau + sum_j m_j (f_j^2 + 2 |f_j|),

    ``f_j = k_j' tau`` on the weighted samples (BMDR: the batch, weights 1;
    SPAL: every pool sample, weights ``alpha_j v_j``). With ``H = K_LL^2 +
    gamma K_LL + C M C'`` (``C`` the kernel columns ``k_j``), the optimum is
    ``tau = H^-1 (K_LL y - C M s)`` with ``s_j`` a subgradient of ``|f_j|``;
    ``s`` solves the dual, a box-constrained quadratic program in one
    variable per weighted sample (solved by Clarabel)::

        min_{-1 <= s <= 1} (K_LL y - C M s)' H^-1 (K_LL y - C M s).

    Parameters
    ----------
    kernel_labeled : array-like of shape (n_labeled, n_labeled)
        ``K_LL``.

    y : array-like of shape (n_labeled,)
        Labels, ±1.

    kernel_labeled_weighted : array-like of shape (n_labeled, n_weighted)
        ``C``, the kernel between the labeled and the weighted samples.

    weights : array-like of shape (n_weighted,)
        ``m``, non-negative.

    gamma : float
        Weight of the RKHS norm ``tau' K_LL tau``.

    Returns
    -------
    tau : ndarray of shape (n_labeled,)
        The coefficients of ``f``.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.acquisition import worst_case_kernel_least_squares
    >>> K = np.eye(2); y = [1.0, -1.0]
    >>> worst_case_kernel_least_squares(K, y, np.zeros((2, 0)), [], gamma=1.0)
    array([ 0.5, -0.5])
    >>> # An unlabeled sample close to the first labeled one pulls f to 0 there.
    >>> worst_case_kernel_least_squares(K, y, [[0.9], [0.0]], [1.0],
    ...                                 gamma=1.0).round(4)
    array([ 0.0356, -0.5   ])
    """
    K = check_array(kernel_labeled, dtype=np.float64, input_name="kernel_labeled")
    C = check_array(kernel_labeled_weighted, dtype=np.float64, ensure_min_features=0,
                    input_name="kernel_labeled_weighted")
    y = np.asarray(y, dtype=np.float64)
    m = np.asarray(weights, dtype=np.float64)
    n = K.shape[0]
    if K.shape != (n, n) or y.shape != (n,) or C.shape != (n, m.shape[0]):
        raise ValueError(
            f"kernel_labeled has shape {K.shape}, y {y.shape}, "
            f"kernel_labeled_weighted {C.shape} and weights {m.shape}: pass K_LL, "
            "one label per labeled sample and one kernel column per weight.")
    if np.any(m < 0):
        raise ValueError("weights must be non-negative.")
    r = K @ y
    CM = C * m
    H = K @ K + gamma * K + CM @ C.T
    if m.shape[0] == 0:
        return _solve_psd(H, r)
    G = _solve_psd(H, np.column_stack([CM, r]))  # H^-1 [C M, r]
    quadratic = CM.T @ G[:, :-1]
    linear = -CM.T @ G[:, -1]
    clarabel = _clarabel()
    k = m.shape[0]
    box = sp.vstack([-sp.identity(k), sp.identity(k)])
    s, _ = _solve(quadratic + quadratic.T, 2.0 * linear, box, np.ones(2 * k),
                  [clarabel.NonnegativeConeT(2 * k)], "the model's dual problem")
    return G[:, -1] - G[:, :-1] @ np.clip(s, -1.0, 1.0)

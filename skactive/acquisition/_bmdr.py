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
import scipy.optimize
import scipy.sparse as sp
import scipy.sparse.linalg
from sklearn.utils import check_array

from ..utils._sklearn_compat import Interval, validate_params

_QP_EXTRA = 'pip install "skactive[qp]"'
_KKT_TOL = 1e-7  # reduced costs below this (times max(1, |q|)) join the working set


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
    q = bmdr_linear_term(K_UL.sum(axis=1), K_UU.sum(axis=1), decision,
                         n_labeled=n_labeled, batch_size=batch_size, beta=beta,
                         easiness=easiness)
    return 0.5 * beta * K_UU, q


@validate_params(
    {"sums_labeled": ["array-like"], "sums_pool": ["array-like"],
     "decision": ["array-like"],
     "n_labeled": [Interval(Integral, 0, None, closed="left")],
     "batch_size": [Interval(Integral, 1, None, closed="left")],
     "beta": [Interval(Real, 0, None, closed="left")],
     "easiness": ["array-like", None]},
    prefer_skip_nested_validation=True,
)
def bmdr_linear_term(sums_labeled, sums_pool, decision, *, n_labeled, batch_size,
                     beta, easiness=None):
    """The linear term ``q`` of :func:`bmdr_qp_terms` from the kernels' row sums.

    ``q`` needs the kernels only through ``K_UL 1`` and ``K_UU 1``, which
    can be summed by blocks of rows, so that the pool's kernel is never held
    whole (the quadratic term ``beta / 2 K_UU`` is then given by its columns
    to :func:`solve_selection_qp_working_set`).

    Parameters
    ----------
    sums_labeled : array-like of shape (n_pool,)
        ``K_UL 1``, each pool sample's kernel summed over the labeled ones.

    sums_pool : array-like of shape (n_pool,)
        ``K_UU 1``, each pool sample's kernel summed over the pool.

    decision : array-like of shape (n_pool,)
        The model's decision values on the pool.

    n_labeled : int
        The number of labeled samples.

    batch_size : int
        ``b``.

    beta : float
        Weight of the MMD term.

    easiness : array-like of shape (n_pool,), default=None
        SPAL's self-paced weights; None for BMDR.

    Returns
    -------
    q : ndarray of shape (n_pool,)
        The second output of :func:`bmdr_qp_terms`.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.acquisition import bmdr_linear_term
    >>> bmdr_linear_term([0.0, 0.0], [1.0, 1.0], [0.0, 1.0], n_labeled=1,
    ...                  batch_size=1, beta=2.0)
    array([-0.66666667,  2.33333333])
    """
    sums_labeled = np.asarray(sums_labeled, dtype=np.float64)
    sums_pool = np.asarray(sums_pool, dtype=np.float64)
    decision = np.asarray(decision, dtype=np.float64)
    loss = worst_case_loss(decision)
    if easiness is not None:
        loss = loss * np.asarray(easiness, dtype=np.float64)
    n_pool = sums_pool.shape[0]
    k = ((n_pool - batch_size) * sums_labeled
         - (n_labeled + batch_size) * sums_pool) / (n_labeled + n_pool)
    return 0.5 * beta * k + loss


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
    weights = _check_weights(weights, n)
    alpha, _ = _box_sum_qp(P, q, batch_size, weights, weights.sum() >= batch_size)
    return np.round(np.clip(alpha, 0.0, 1.0), 8)


def _check_weights(weights, n):
    weights = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    if weights.shape != (n,) or np.any(weights < 0):
        raise ValueError(f"weights must be {n} non-negative numbers, one per sample.")
    return weights


def _box_sum_qp(P, q, batch_size, weights, with_sum):
    """Clarabel on the selection QP: ``(alpha, nu)``, ``nu`` the multiplier
    of ``w'alpha = b`` (0 without the constraint), so that at the optimum
    ``P alpha + q - nu w`` is >= 0 where ``alpha = 0``, <= 0 where ``alpha =
    1`` and 0 in between."""
    clarabel = _clarabel()
    n = q.shape[0]
    box = sp.vstack([-sp.identity(n), sp.identity(n)])
    rows, right = [box], [np.zeros(n), np.ones(n)]
    cones = [clarabel.NonnegativeConeT(2 * n)]
    if with_sum:
        rows.insert(0, sp.csr_matrix(weights[None, :]))
        right.insert(0, [float(batch_size)])
        cones.insert(0, clarabel.ZeroConeT(1))
    alpha, z = _solve(P, q, sp.vstack(rows), np.concatenate(right), cones,
                      "the batch selection problem")
    return alpha, (-z[0] if with_sum else 0.0)


@validate_params(
    {"kernel_columns": [callable, "array-like"], "q": ["array-like"],
     "batch_size": [Interval(Integral, 1, None, closed="left")],
     "weights": ["array-like", None], "start": [tuple, None]},
    prefer_skip_nested_validation=True,
)
def solve_selection_qp_working_set(kernel_columns, q, *, batch_size, weights=None,
                                   start=None):
    """:func:`solve_selection_qp` with ``P`` given by its columns, on a working set.

    Solves the problem restricted to a working set ``S`` (the other weights
    held at 0), then adds every sample outside ``S`` whose reduced cost
    ``(P alpha + q)_i - nu w_i`` is not positive (to a tolerance relative
    to ``|q|``): a sample that could lower the objective, or tie. When none
    is left, the KKT conditions of the whole problem hold, so ``alpha`` is
    its solution (unique when ``P`` is positive definite), up to the
    solver's tolerance. Only the ``n x |S|`` columns ``kernel_columns(idx)
    = P[:, idx]`` are ever formed. Each restricted problem is solved
    exactly by a primal-dual active-set method (Cholesky factors of the
    free weights' block), or by Clarabel when a block is singular or the
    method does not settle. When ``P`` is held whole anyway, pass it
    instead of its columns: the active sets then run on the whole
    problem, starting with the first working set's samples free, and no
    column is copied.

    Parameters
    ----------
    kernel_columns : callable or array-like of shape (n_pool, n_pool)
        ``kernel_columns(idx)`` returns ``P[:, idx]``, shape ``(n_pool,
        len(idx))``; or ``P`` itself.

    q : array-like of shape (n_pool,)
        Linear term.

    batch_size : int
        ``b``; at most ``n_pool``.

    weights : array-like of shape (n_pool,), default=None
        Non-negative ``w``; None for all ones.

    start : tuple, default=None
        ``(alpha, S)`` returned by a previous call on a similar problem:
        warm-starts the working set and the active sets. It changes the
        path; the solution only where there are several (``P`` singular,
        as when two samples are the same).

    Returns
    -------
    alpha : ndarray of shape (n_pool,)
        The solution, as :func:`solve_selection_qp` returns it.

    working_set : ndarray of int
        The final ``S``.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.acquisition import solve_selection_qp_working_set
    >>> P = np.eye(3)
    >>> alpha, S = solve_selection_qp_working_set(lambda idx: P[:, idx],
    ...                                           [0.0, 0.5, 2.0], batch_size=1)
    >>> alpha.round(4)
    array([0.75, 0.25, 0.  ])
    """
    columns = kernel_columns
    q = np.asarray(q, dtype=np.float64)
    n = q.shape[0]
    weights = _check_weights(weights, n)
    if batch_size > n:
        raise ValueError(f"batch_size is {batch_size}, more than the {n} samples.")
    with_sum = weights.sum() >= batch_size
    tol = _KKT_TOL * max(1.0, float(np.abs(q).max()))
    guess = np.zeros(n, dtype=np.int8)  # the active sets' first guess: free
    if start is not None:  # the previous solution's bounds
        guess = np.where(start[0] <= 0, -1, np.where(start[0] >= 1, 1, 0))
        start = start[1]
    if not callable(columns):  # P itself: active sets on the whole pool
        P = check_array(columns, dtype=np.float64, input_name="kernel_columns")
        if P.shape != (n, n):
            raise ValueError(f"P has shape {P.shape}; pass one row and one column "
                             f"per sample of q ({n}).")
        if start is None:  # free: the first working set's samples; the rest at 0
            guess[:] = -1
            guess[_initial_working_set(q, weights, batch_size, with_sum, None)] = 0
        args = (P, q, batch_size, weights, with_sum)
        solved = _active_set_qp(*args, tol=tol, state=guess)
        alpha, _ = _box_sum_qp(*args) if solved is None else solved
        return np.round(np.clip(alpha, 0.0, 1.0), 8), np.arange(n)
    working = _initial_working_set(q, weights, batch_size, with_sum, start)
    block = columns(working)
    while True:
        args = (block[working], q[working], batch_size, weights[working], with_sum)
        solved = _active_set_qp(*args, tol=tol, state=guess[working])
        alpha_s, nu = _box_sum_qp(*args) if solved is None else solved
        reduced = block @ alpha_s + q - nu * weights
        reduced[working] = np.inf
        entering = np.flatnonzero(reduced < tol)
        if entering.size == 0:
            break
        guess[working] = np.where(alpha_s <= 0, -1, np.where(alpha_s >= 1, 1, 0))
        guess[entering] = 0
        working = np.concatenate([working, entering])
        block = np.hstack([block, columns(entering)])
    alpha = np.zeros(n)
    alpha[working] = alpha_s
    return np.round(np.clip(alpha, 0.0, 1.0), 8), working


def _active_set_qp(P, q, batch_size, weights, with_sum, *, tol, max_iter=50,
                   state=None):
    """The selection QP by a primal-dual active-set method: ``(alpha, nu)``
    satisfying its KKT conditions (to rounding), or None when it did not
    converge or a system was singular (the caller then runs Clarabel).

    Each step guesses which weights sit at 0, at 1 or in between, solves
    the equality-constrained problem of the free ones exactly (a Cholesky
    factor of ``P_FF``), and moves each sample by the sign of its reduced
    cost ``r = P alpha + q - nu w`` (at 0: ``r >= 0``; at 1: ``r <= 0``);
    when no sample moves, the KKT conditions hold. ``state`` is a first
    guess (-1: at 0, 0: free, 1: at 1; all free by default).
    """
    n = q.shape[0]
    if state is None:  # -1: at 0, 0: free, 1: at 1
        state = np.zeros(n, dtype=np.int8)
    for iteration in range(max_iter):
        step = _free_solve(P, q, batch_size, weights, with_sum, state)
        if step is None and iteration == 0 and np.any(state):
            state = np.zeros(n, dtype=np.int8)  # a bad guess: start all free
            step = _free_solve(P, q, batch_size, weights, with_sum, state)
        if step is None:
            return None
        alpha, nu = step
        reduced = P @ alpha + q - nu * weights
        moved = np.where(alpha - reduced / np.diag(P).max() <= 0, -1,
                         np.where(alpha - reduced / np.diag(P).max() >= 1, 1, 0))
        if np.array_equal(moved, state):
            break
        state = moved.astype(np.int8)
    else:
        return None
    if _kkt_residual(alpha, reduced) > tol:
        return None
    return alpha, nu


def _kkt_residual(alpha, reduced):
    """The largest violation of the box QP's KKT conditions."""
    return max(np.max(np.abs(np.clip(alpha, 0, 1) - alpha), initial=0.0),
               np.max(-reduced[alpha <= 0], initial=0.0),
               np.max(reduced[alpha >= 1], initial=0.0),
               np.max(np.abs(reduced[(alpha > 0) & (alpha < 1)]), initial=0.0))


def _free_solve(P, q, batch_size, weights, with_sum, state):
    """``alpha`` with the bound samples fixed and the free ones optimal for
    a multiplier ``nu`` of the sum; None when ``P_FF`` is singular or the
    sum cannot be met."""
    free = state == 0
    alpha = (state == 1).astype(np.float64)
    gradient = P @ alpha + q
    if not free.any():
        if with_sum and abs(weights @ alpha - batch_size) > 1e-9 * batch_size:
            return None
        at_one = (state == 1) & (weights > 0)
        nu = float(np.max(gradient[at_one] / weights[at_one])) if with_sum and \
            at_one.any() else 0.0
        return alpha, nu
    solve = _block_solver(P, free)
    if solve is None:
        return None
    try:
        base = solve(-gradient[free])
        direction = solve(weights[free]) if with_sum else None
    except np.linalg.LinAlgError:
        return None
    nu = 0.0
    if with_sum:
        curvature = weights[free] @ direction
        if curvature <= 1e-12 * max(1.0, weights[free].max()):
            return None
        nu = (batch_size - weights @ alpha - weights[free] @ base) / curvature
        base = base + nu * direction
    alpha[free] = base
    return alpha, nu


def _block_solver(P, free, direct=400):
    """``rhs -> P_FF^-1 rhs`` for the positive definite block of ``P`` on
    the ``free`` samples (a boolean mask): a Cholesky factor of the block,
    or, for a block larger than ``direct`` (``|F|^3`` work), conjugate
    gradients to rounding (``|F|^2`` per iteration, few when the block is
    well conditioned, as a kernel near the identity is), the factor again
    when they stall. When three quarters of the samples or more are free,
    the gradients multiply by ``P`` itself, its bound samples' entries
    zeroed, rather than by a copy of the block: the copy would cost more
    than the products. None when the block is singular."""
    n, size = free.shape[0], int(np.count_nonzero(free))
    block = []

    def factored():
        if not block:
            block.append(P[np.ix_(free, free)])
        try:
            factor = scipy.linalg.cho_factor(block[0])
        except (np.linalg.LinAlgError, scipy.linalg.LinAlgError):
            return None
        return lambda rhs: scipy.linalg.cho_solve(factor, rhs)

    if size <= direct:
        return factored()
    if 4 * size >= 3 * n:
        def product(v):
            full = np.zeros(n)
            full[free] = np.ravel(v)
            return (P @ full)[free]

        operator = scipy.sparse.linalg.LinearOperator((size, size), matvec=product,
                                                      dtype=np.float64)
    else:
        block.append(P[np.ix_(free, free)])
        operator = block[0]
    fallback = []

    def iterative(rhs):
        if not fallback:
            # a singular block breaks the gradients down: the factor decides
            with np.errstate(divide="ignore", invalid="ignore"):
                x, info = scipy.sparse.linalg.cg(operator, rhs, rtol=1e-13,
                                                 atol=0.0, maxiter=100)
            if info == 0 and np.all(np.isfinite(x)):
                return x
            fallback.append(factored())
        if fallback[0] is None:
            raise np.linalg.LinAlgError("singular block")
        return fallback[0](rhs)

    return iterative


def _initial_working_set(q, weights, batch_size, with_sum, start):
    """The samples of ``start`` and the smallest ``q``, and enough weight
    for ``w'alpha = b`` to be feasible."""
    size = min(q.shape[0], max(4 * batch_size, 32))
    chosen = np.zeros(q.shape[0], dtype=bool)
    chosen[np.argsort(q, kind="stable")[:size]] = True
    if start is not None:
        chosen[start] = True
    if with_sum:
        heaviest = np.argsort(-weights, kind="stable")
        enough = np.searchsorted(np.cumsum(weights[heaviest]), batch_size) + 1
        chosen[heaviest[:enough]] = True
    return np.flatnonzero(chosen)


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
     "gamma": [Interval(Real, 0, None, closed="neither")],
     "factors": [tuple, None]},
    prefer_skip_nested_validation=True,
)
def worst_case_kernel_least_squares(kernel_labeled, y, kernel_labeled_weighted,
                                    weights, *, gamma, factors=None):
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

    factors : tuple, default=None
        ``(scipy.linalg.cho_factor(K_LL + gamma I),
        scipy.linalg.cho_factor(K_LL))``, made once and reused across calls:
        then no ``n_labeled^3`` work is done here. The step is a Woodbury
        update with the weighted samples' columns; with more weighted
        samples than labeled ones (where the dual's matrix is singular),
        ``H`` is formed and factored instead. Either way the dual's
        solution is usually the signs of ``f`` on the weighted samples:
        found by a few sign steps and checked by its KKT conditions, else
        solved by active sets (Woodbury) or as a box-constrained least
        squares by BVLS. None solves ``H`` and the dual with Clarabel.

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
    >>> import scipy.linalg
    >>> factors = (scipy.linalg.cho_factor(K + np.eye(2)), scipy.linalg.cho_factor(K))
    >>> worst_case_kernel_least_squares(K, y, [[0.9], [0.0]], [1.0], gamma=1.0,
    ...                                 factors=factors).round(4)
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
    if factors is not None and m.shape[0] > n:
        tau = _worst_case_kls_many(K, y, C, m, gamma)
        if tau is not None:
            return tau
    elif factors is not None:
        coef = scipy.linalg.cho_solve(factors[0], y)
        return _worst_case_kls_factored(factors[0], factors[1], coef, C, m)
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


def _cholesky(matrix):
    """A Cholesky factor (for ``scipy.linalg.cho_solve``), or None when the
    matrix is not numerically positive definite."""
    try:
        return scipy.linalg.cho_factor(matrix)
    except (np.linalg.LinAlgError, scipy.linalg.LinAlgError):
        return None


def _worst_case_kls_factored(ridge, kernel, coef, C, m):
    """:func:`worst_case_kernel_least_squares` from Cholesky factors of
    ``K_LL + gamma I`` (``ridge``) and ``K_LL`` (``kernel``), and ``coef =
    (K_LL + gamma I)^-1 y``: no ``n_L^3`` work per call.

    ``H = A + B B'`` with ``A = K_LL (K_LL + gamma I)`` and ``B = C M^1/2``;
    by Woodbury, with ``W = A^-1 B`` and ``S = I + B'W``: ``H^-1 K_LL y =
    coef - W S^-1 B' coef`` and ``H^-1 C M s = W S^-1 M^1/2 s``. The dual's
    solution is first sought among sign vectors (:func:`_sign_steps`);
    else its terms ``M^1/2 (S - I) S^-1 M^1/2`` and ``-M B' H^-1 K_LL y``
    are formed and it is solved by :func:`_dual_signs`.
    """
    if m.shape[0] == 0:
        return coef.copy()
    root = np.sqrt(m)
    B = C * root
    W = scipy.linalg.cho_solve(ridge, scipy.linalg.cho_solve(kernel, B))
    S = np.eye(m.shape[0]) + B.T @ W
    S_factor = scipy.linalg.cho_factor(S)
    fitted = coef - W @ scipy.linalg.cho_solve(S_factor, B.T @ coef)  # H^-1 K_LL y
    tau = _sign_steps(
        lambda signs: fitted - W @ scipy.linalg.cho_solve(S_factor, root * signs),
        C, C.T @ fitted)
    if tau is not None:
        return tau
    solved = scipy.linalg.cho_solve(S_factor, np.eye(m.shape[0]))  # S^-1
    toward = W @ solved * root                            # H^-1 C M
    quadratic = root[:, None] * (S - np.eye(m.shape[0])) @ solved * root
    quadratic = 0.5 * (quadratic + quadratic.T)
    linear = -root * (B.T @ fitted)
    s = _dual_signs(quadratic, linear)
    return fitted - toward @ s


def _sign_steps(tau_of, C, decision, max_steps=20):
    """The model step's ``tau`` when its dual's solution is a sign vector,
    else None.

    The dual, ``min_{-1 <= s <= 1} (K_LL y - C M s)' H^-1 (K_LL y - C M
    s)``, has gradient ``-2 m_j f_j`` in ``s_j``, ``f = C' tau(s)`` and
    ``tau(s) = H^-1 (K_LL y - C M s)``; so ``s`` is optimal when ``s_j f_j
    >= 0`` for every weighted sample (``s_j = sign(f_j)``, or ``f_j = 0``),
    as is usual when no weighted sample sits on the boundary. Starting
    from the signs of ``decision``, ``s <- sign(f)`` at most ``max_steps``
    times, each checked by that condition (to rounding)."""
    signs = np.where(decision < 0, -1.0, 1.0)
    for _ in range(max_steps):
        tau = tau_of(signs)
        f = C.T @ tau
        if np.all(signs * f >= -1e-12 * max(1.0, float(np.abs(f).max()))):
            return tau  # the dual's KKT conditions hold
        signs = np.where(f < 0, -1.0, np.where(f > 0, 1.0, signs))
    return None


def _dual_signs(quadratic, linear):
    """``argmin_{-1 <= s <= 1} s'Qs + 2 l's``: by active sets on ``t = (s +
    1) / 2`` in ``[0, 1]``, Clarabel when that fails."""
    k = linear.shape[0]
    scale = max(1.0, float(np.abs(linear).max()))
    solved = _active_set_qp(8.0 * quadratic, 4.0 * (linear - quadratic.sum(axis=1)),
                            0, np.zeros(k), False, tol=1e-9 * scale)
    if solved is not None:
        return 2.0 * solved[0] - 1.0
    clarabel = _clarabel()
    box = sp.vstack([-sp.identity(k), sp.identity(k)])
    s, _ = _solve(2.0 * quadratic, 2.0 * linear, box, np.ones(2 * k),
                  [clarabel.NonnegativeConeT(2 * k)], "the model's dual problem")
    return np.clip(s, -1.0, 1.0)


def _worst_case_kls_many(K, y, C, m, gamma):
    """:func:`worst_case_kernel_least_squares` for many weighted samples
    (more than labeled ones, where its dual's matrix is singular): with ``H =
    R R'`` (formed here, ``n_L^2 (n_L + n_w)``), ``tau = H^-1 (K_LL y - C M
    s)`` for ``s`` solving the dual, the box-constrained least squares
    ``min_{-1 <= s <= 1} ||R^-1 (K_LL y - C M s)||^2``: among sign vectors
    first (:func:`_sign_steps`, ``n_L n_w`` per step; usually enough), else
    by BVLS (an exact active-set method, a least squares per step). None
    when ``H`` is singular."""
    CM = C * m
    R = _cholesky(K @ K + gamma * K + CM @ C.T)
    if R is None:
        return None
    r = K @ y
    tau = _sign_steps(lambda signs: scipy.linalg.cho_solve(R, r - CM @ signs), C,
                      C.T @ scipy.linalg.cho_solve(R, r))
    if tau is not None:
        return tau
    lower = R[0].T if not R[1] else R[0]
    F = scipy.linalg.solve_triangular(lower, np.column_stack([CM, r]), lower=True)
    s = scipy.optimize.lsq_linear(F[:, :-1], F[:, -1], bounds=(-1.0, 1.0),
                                  method="bvls", tol=1e-12).x
    return scipy.linalg.cho_solve(R, r - CM @ s)

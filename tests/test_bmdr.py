"""BMDR and SPAL: their QPs against a second solver and the KKT conditions,
the model step against a direct minimization, the samplers' contract."""

from functools import partial

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.linalg import cho_factor
from scipy.optimize import minimize
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.metrics.pairwise import rbf_kernel
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from skactive import BMDRSampler, SPALSampler
from skactive.acquisition import (
    bmdr_linear_term,
    bmdr_qp_terms,
    self_paced_weights,
    solve_selection_qp,
    solve_selection_qp_working_set,
    worst_case_kernel_least_squares,
    worst_case_loss,
)
from skactive.acquisition._bmdr import (
    _active_set_qp,
    _block_solver,
    _worst_case_kls_many,
)
from skactive.utils.estimator_checks import (
    check_select_returns_distinct_indices,
    parametrize_with_sampler_checks,
)

from .test_inputs import INPUTS


def _problem(seed, n_labeled=5, n_pool=7):
    X, y = make_classification(n_samples=n_labeled + n_pool, n_features=3,
                               n_informative=2, n_redundant=0, random_state=seed)
    return X[:n_labeled], np.where(y[:n_labeled] == 1, 1.0, -1.0), X[n_labeled:]


def test_qp_terms_are_the_mmd_written_out():
    X_l, _, X_u = _problem(0)
    K_UL, K_UU = rbf_kernel(X_u, X_l, gamma=0.5), rbf_kernel(X_u, gamma=0.5)
    decision = np.linspace(-1, 1, X_u.shape[0])
    beta, b = 3.0, 2
    P, q = bmdr_qp_terms(K_UL, K_UU, decision, batch_size=b, beta=beta)
    n_l, n_u = X_l.shape[0], X_u.shape[0]
    K = rbf_kernel(np.vstack([X_l, X_u]), gamma=0.5)
    n, offsets = n_l + n_u, []
    scale = (n / ((n_l + b) * (n_u - b))) ** 2
    for batch in ([0, 1], [2, 5], [3, 6], [4, 0]):  # the MMD of 0/1 batches
        alpha = np.zeros(n_u)
        alpha[batch] = 1.0
        left = np.concatenate([np.ones(n_l), alpha]) / (n_l + b)
        right = np.concatenate([np.zeros(n_l), 1 - alpha]) / (n_u - b)
        mmd = (left - right) @ K @ (left - right)
        objective = 0.5 * alpha @ P @ alpha + q @ alpha
        # objective = beta / 4 (mmd / scale + a constant) + losses
        offsets.append(objective - worst_case_loss(decision) @ alpha
                       - beta / 4 * mmd / scale)
    assert_allclose(offsets, offsets[0], atol=1e-10)


def _kkt_violation(P, q, alpha, weights, b):
    """Largest violation of the KKT conditions of the selection QP."""
    g = P @ alpha + q
    free = (alpha > 1e-6) & (alpha < 1 - 1e-6) & (weights > 0)
    nu = np.median(g[free] / weights[free])
    at_zero, at_one = alpha <= 1e-6, alpha >= 1 - 1e-6
    return max(np.max(np.maximum(0, nu * weights - g)[at_zero], initial=0),
               np.max(np.maximum(0, g - nu * weights)[at_one], initial=0),
               np.max(np.abs(g - nu * weights)[free]),
               abs(weights @ alpha - b))


@pytest.mark.parametrize("weighted", [False, True])
def test_selection_qp_against_kkt_and_slsqp(weighted):
    X_l, y, X_u = _problem(1)
    K_UL, K_UU = rbf_kernel(X_u, X_l), rbf_kernel(X_u)
    weights = np.linspace(0.3, 1.0, X_u.shape[0]) if weighted else np.ones(X_u.shape[0])
    P, q = bmdr_qp_terms(K_UL, K_UU, K_UL @ y / 3, batch_size=2, beta=5.0,
                         easiness=weights)
    alpha = solve_selection_qp(P, q, batch_size=2, weights=weights)
    assert _kkt_violation(P, q, alpha, weights, 2) < 1e-6
    reference = minimize(lambda a: 0.5 * a @ P @ a + q @ a, np.full(7, 2 / 7),
                         jac=lambda a: P @ a + q, method="SLSQP",
                         bounds=[(0, 1)] * 7, options={"ftol": 1e-12},
                         constraints={"type": "eq", "fun": lambda a: weights @ a - 2})
    assert_allclose(alpha, reference.x, atol=1e-4)


def test_selection_qp_drops_an_infeasible_sum():
    alpha = solve_selection_qp(np.eye(2), [-1.0, 1.0], batch_size=1,
                               weights=[0.2, 0.3])
    assert_allclose(alpha, [1.0, 0.0], atol=1e-4)


@pytest.mark.parametrize("weighted", [False, True])
def test_working_set_gives_the_full_qp(weighted):
    # The working set (active sets on kernel columns) against the dense
    # Clarabel QP over the whole pool: same weights, same pick.
    X_l, y, X_u = _problem(6, n_labeled=4, n_pool=40)
    K_UL, K_UU = rbf_kernel(X_u, X_l, gamma=0.3), rbf_kernel(X_u, gamma=0.3)
    n_u = X_u.shape[0]
    weights = np.linspace(0.2, 1.0, n_u) if weighted else None
    for beta, b in ((1000.0, 1), (5.0, 3)):
        P, q = bmdr_qp_terms(K_UL, K_UU, K_UL @ y / 2, batch_size=b, beta=beta,
                             easiness=weights)
        assert_allclose(bmdr_linear_term(K_UL.sum(1), K_UU.sum(1), K_UL @ y / 2,
                                         n_labeled=4, batch_size=b, beta=beta,
                                         easiness=weights), q, atol=1e-12)
        full = solve_selection_qp(P, q, batch_size=b, weights=weights)
        alpha, working = solve_selection_qp_working_set(partial(np.take, P, axis=1), q,
                                                  batch_size=b, weights=weights)
        assert_allclose(alpha, full, atol=1e-5)
        assert np.argmax(alpha) == np.argmax(full)
        if beta == 5.0:  # the losses pick a few: the working set stays small
            assert working.size < n_u
        # P itself (held whole), from no start and from another problem's
        # solution: the same weights
        w = np.ones(n_u) if weights is None else weights
        whole, everyone = solve_selection_qp_working_set(P, q, batch_size=b,
                                                         weights=weights)
        assert _kkt_violation(P, q, whole, w, b) < 1e-7 * np.abs(q).max()
        assert_allclose(whole, full, atol=1e-5)
        assert_array_equal(everyone, np.arange(n_u))
        other = solve_selection_qp_working_set(P, q[::-1].copy(), batch_size=b,
                                               weights=weights)
        for quadratic in (P, partial(np.take, P, axis=1)):
            started, _ = solve_selection_qp_working_set(
                quadratic, q, batch_size=b, weights=weights, start=other)
            assert _kkt_violation(P, q, started, w, b) < 1e-7 * np.abs(q).max()
            assert_allclose(started, full, atol=1e-5)
    with pytest.raises(ValueError, match="P has shape"):
        solve_selection_qp_working_set(np.eye(3), q, batch_size=1)


def test_active_set_meets_the_kkt_conditions():
    rng = np.random.RandomState(0)
    F = rng.randn(9, 9)
    P, q, w = F @ F.T + np.eye(9), 3 * rng.randn(9), rng.uniform(0.1, 1, 9)
    alpha, nu = _active_set_qp(P, q, 2, w, True, tol=1e-9)
    assert _kkt_violation(P, q, alpha, w, 2) < 1e-9
    assert_allclose(alpha, solve_selection_qp(P, q, batch_size=2, weights=w),
                    atol=1e-6)
    # A singular block (duplicated samples) is left to Clarabel: None.
    assert _active_set_qp(np.ones((2, 2)), np.zeros(2), 1, np.ones(2), True,
                          tol=1e-9) is None


def test_block_solver_iterative_and_direct():
    # Large blocks go to conjugate gradients, to rounding, on a copy of the
    # block or (most samples free) on P itself; a singular block that
    # stalls them falls back to the factor, which refuses it.
    rng = np.random.RandomState(1)
    F = rng.randn(40, 40)
    P = np.eye(40) + 0.01 * F @ F.T
    for n_free in (40, 36, 12):  # all, most (P itself), a few (a copy)
        free = np.zeros(40, dtype=bool)
        free[rng.permutation(40)[:n_free]] = True
        rhs = rng.randn(n_free)
        exact = np.linalg.solve(P[np.ix_(free, free)], rhs)
        for direct in (2, 400):
            assert_allclose(_block_solver(P, free, direct=direct)(rhs), exact,
                            rtol=1e-10)
    singular, everyone = np.ones((30, 30)), np.ones(30, dtype=bool)
    assert _block_solver(singular, everyone) is None
    for n_free in (30, 10):
        free = np.arange(30) < n_free
        with pytest.raises(np.linalg.LinAlgError, match="singular"):
            _block_solver(singular, free, direct=2)(rng.randn(n_free))


@pytest.mark.parametrize("n_weighted", [1, 3, 12])
def test_fast_model_steps_against_the_reference(n_weighted):
    # Woodbury on Cholesky factors (few weighted samples) and BVLS (more
    # than labeled ones) against worst_case_kernel_least_squares.
    rng = np.random.RandomState(n_weighted)
    X, U = rng.randn(8, 3), rng.randn(n_weighted, 3)
    y, m = np.sign(rng.randn(8)), rng.uniform(0.1, 1, n_weighted)
    K, C = rbf_kernel(X, gamma=0.5), rbf_kernel(X, U, gamma=0.5)
    reference = C.T @ worst_case_kernel_least_squares(K, y, C, m, gamma=0.1)
    factors = (cho_factor(K + 0.1 * np.eye(8)), cho_factor(K))
    fast = worst_case_kernel_least_squares(K, y, C, m, gamma=0.1, factors=factors)
    assert_allclose(C.T @ fast, reference, atol=1e-6)
    assert_allclose(C.T @ _worst_case_kls_many(K, y, C, m, 0.1), reference,
                    atol=1e-6)


@pytest.mark.parametrize("path", ["woodbury", "many"])
@pytest.mark.parametrize("heavy", [False, True])
def test_model_step_by_signs_or_its_dual_solver(path, heavy, monkeypatch):
    # Light weights leave every weighted f_j != 0: the dual's solution is
    # the signs of f, found without its solver. Heavy weights on samples
    # next to labeled ones pull f to 0 there: the signs do not settle and
    # the solver runs (active sets on the Woodbury path, with fewer
    # weighted samples than labeled ones; BVLS with more). Both give the
    # reference's model.
    import scipy.optimize

    import skactive.acquisition._bmdr as bmdr_module

    woodbury = path == "woodbury"
    n_labeled, n_weighted, near, seed, heaviest = {
        "woodbury": (8, 4, 2, 5, 5), "many": (4, 9, 3, 3, 1)}[path]
    solver = {"woodbury": (bmdr_module, "_dual_signs"),
              "many": (scipy.optimize, "lsq_linear")}[path]
    calls, original = [], getattr(*solver)
    monkeypatch.setattr(*solver, lambda *a, **k: calls.append(1) or original(*a, **k))
    rng = np.random.RandomState(seed)
    X, U = rng.randn(n_labeled, 2), rng.randn(n_weighted, 2)
    U[:near] = X[:near] + 0.01 * rng.randn(near, 2)
    y = np.sign(rng.randn(n_labeled))
    m = rng.uniform(heaviest, 20, n_weighted) if heavy else rng.uniform(0.01, 0.1,
                                                                        n_weighted)
    K, C = rbf_kernel(X, gamma=0.5), rbf_kernel(X, U, gamma=0.5)
    if woodbury:
        factors = (cho_factor(K + 0.1 * np.eye(n_labeled)), cho_factor(K))
        tau = worst_case_kernel_least_squares(K, y, C, m, gamma=0.1, factors=factors)
    else:
        tau = _worst_case_kls_many(K, y, C, m, 0.1)
    assert len(calls) == heavy
    reference = worst_case_kernel_least_squares(K, y, C, m, gamma=0.1)
    assert_allclose(C.T @ tau, C.T @ reference, atol=1e-7)
    if not heavy:
        assert np.all(np.abs(C.T @ tau) > 1e-6)


def test_model_step_against_a_direct_minimization():
    X_l, y, X_u = _problem(2)
    K, C = rbf_kernel(X_l), rbf_kernel(X_l, X_u[:3])
    m, gamma = np.array([1.0, 0.5, 0.2]), 0.1
    tau = worst_case_kernel_least_squares(K, y, C, m, gamma=gamma)

    def objective(t):
        f = C.T @ t
        return (np.sum((y - K @ t) ** 2) + gamma * t @ K @ t
                + m @ (f ** 2 + 2 * np.abs(f)))

    reference = minimize(objective, np.linalg.solve(K + gamma * np.eye(5), y),
                         method="Powell", options={"xtol": 1e-10, "ftol": 1e-14,
                                                   "maxiter": 100000})
    assert objective(tau) <= reference.fun + 1e-8
    # Optimality: 0 is a subgradient, with s_j = sign(f_j) where f_j != 0 and
    # some s_j in [-1, 1] where f_j = 0.
    f = C.T @ tau
    zero = np.abs(f) < 1e-7
    smooth = 2 * K @ (K @ tau - y) + 2 * gamma * K @ tau + 2 * C @ (m * f)
    residual = smooth + 2 * C[:, ~zero] @ (m[~zero] * np.sign(f[~zero]))
    s, *_ = np.linalg.lstsq(2 * C[:, zero] * m[zero], -residual, rcond=None)
    assert zero.any() and np.all(np.abs(s) <= 1 + 1e-6)
    assert_allclose(2 * C[:, zero] * m[zero] @ s, -residual, atol=1e-6)
    # Without weighted samples: kernel ridge regression in closed form.
    assert_allclose(worst_case_kernel_least_squares(K, y, C[:, :0], [], gamma=gamma),
                    np.linalg.solve(K + gamma * np.eye(5), y), atol=1e-8)


def test_self_paced_weights_minimize_the_regularized_loss():
    losses, pace = np.array([0.0, 0.03, 0.09, 0.5]), 0.1
    grid = np.linspace(0, 1, 100001)
    brute = [grid[np.argmin(grid * loss + pace * (grid ** 2 / 2 - grid))]
             for loss in losses]
    assert_allclose(self_paced_weights(losses, pace), brute, atol=1e-5)


def test_bmdr_pick_is_the_argmax_of_its_last_qp():
    X_l, y, X_u = _problem(3, n_pool=9)
    sampler = BMDRSampler(gamma_kernel=0.5, beta=10.0, random_state=0).fit(X_l, y)
    scores = sampler.score_samples(X_u)
    assert sampler.select(X_u)[0] == np.argmax(scores)
    assert_allclose(scores.sum(), 1.0, atol=1e-6)


def test_bmdr_with_a_huge_beta_is_pure_mmd():
    # beta dominates the losses: the pick minimizes the MMD alone.
    X_l, y, X_u = _problem(4, n_pool=8)
    pick = BMDRSampler(beta=1e6, gamma_kernel=0.5).fit(X_l, y).select(X_u)[0]
    K = rbf_kernel(np.vstack([X_l, X_u]), gamma=0.5)
    n_l, n_u = 5, 8

    def mmd(i):
        chosen = np.zeros(n_u)
        chosen[i] = 1
        d = (np.concatenate([np.ones(n_l), chosen]) / (n_l + 1)
             - np.concatenate([np.zeros(n_l), 1 - chosen]) / (n_u - 1))
        return d @ K @ d

    assert pick == np.argmin([mmd(i) for i in range(n_u)])


def test_ties_are_broken_by_the_seed():
    X_l = np.array([[-1.0, 0.0], [1.0, 0.0]])
    X_u = np.array([[0.0, 5.0], [0.0, -5.0], [0.0, 5.0], [0.0, -5.0]])
    picks = {int(BMDRSampler(random_state=seed).fit(X_l, [0, 1]).select(X_u)[0])
             for seed in range(8)}
    assert len(picks) > 1
    sampler = BMDRSampler(random_state=3).fit(X_l, [0, 1])
    assert_array_equal(sampler.select(X_u, 2), sampler.select(X_u, 2))


def test_spal_pace_and_easiness():
    X_l, y, X_u = _problem(5, n_pool=9)
    sampler = SPALSampler(gamma_kernel=0.5, lambda_pace=0.0, random_state=0)
    assert sampler.fit(X_l, y).pace_ == 0.1
    assert SPALSampler(lambda_pace=0.02).fit(X_l, y).pace_ == pytest.approx(0.2)
    scores = sampler.score_samples(X_u)
    assert np.all(scores >= 0) and sampler.select(X_u)[0] == np.argmax(scores)


@pytest.mark.parametrize("Sampler", [BMDRSampler, SPALSampler])
def test_refuses_bad_inputs(Sampler):
    X, y = make_classification(n_samples=30, n_classes=3, n_informative=3,
                               random_state=0)
    with pytest.raises(ValueError, match="binary classification"):
        Sampler().fit(X, y)
    with pytest.raises(ValueError, match="gamma"):
        Sampler(gamma=-1.0).fit(X, y % 2)
    with pytest.raises(ValueError, match="P has shape"):
        solve_selection_qp(np.eye(2), [1.0, 2.0, 3.0], batch_size=1)
    with pytest.raises(ValueError, match="non-negative"):
        solve_selection_qp(np.eye(2), [1.0, 2.0], batch_size=1, weights=[-1, 1])
    with pytest.raises(ValueError, match="kernel_pool_labeled has shape"):
        bmdr_qp_terms(np.eye(2), np.eye(3), [0.0, 0.0], batch_size=1, beta=1.0)


def test_clarabel_failure_is_a_clear_error():
    with pytest.raises(RuntimeError, match="Clarabel did not solve"):
        solve_selection_qp(np.eye(2), [np.nan, 1.0], batch_size=1)


SAMPLERS = [BMDRSampler(gamma_kernel=0.1, random_state=0),
            SPALSampler(gamma_kernel=0.1, random_state=0)]
POOL_WEIGHTS = ("the weights solve one problem over the whole pool, so they "
                "change with the pool, by design")


BINARY_ONLY = ("the check fits on three or more classes; the method is binary "
               "and refuses them with a clear error (test_refuses_bad_inputs)")
MULTICLASS_CHECKS = (
    "check_dict_unchanged", "check_dont_overwrite_parameters", "check_dtype_object",
    "check_estimator_sparse_array", "check_estimator_sparse_matrix",
    "check_estimator_sparse_tag", "check_estimators_fit_returns_self",
    "check_estimators_overwrite_params", "check_f_contiguous_array_estimator",
    "check_fit2d_predict1d", "check_fit_score_takes_y",
    "check_methods_sample_order_invariance", "check_n_features_in_after_fitting",
    "check_positive_only_tag_during_fit", "check_readonly_memmap_input")


@parametrize_with_checks(SAMPLERS, expected_failed_checks=lambda e: {
    "check_methods_subset_invariance": POOL_WEIGHTS,
    **dict.fromkeys(MULTICLASS_CHECKS, BINARY_ONLY)})
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


_X, _y = make_classification(n_samples=36, n_features=4, random_state=0)


@parametrize_with_sampler_checks(SAMPLERS, _X[:12], _y[:12], _X[12:])
def test_sampler_contract(sampler, check):
    check(sampler)


@pytest.mark.parametrize("input_name", list(INPUTS))
@pytest.mark.parametrize("Sampler", [BMDRSampler, SPALSampler])
def test_every_input(Sampler, input_name):
    make, prep = INPUTS[input_name]
    X, y = make(12, 0)
    X_pool, _ = make(10, 1)
    y = np.asarray(y) % 2
    transformer = None if prep is None else make_pipeline(prep(), StandardScaler(
        with_mean=input_name not in ("csr", "text")))
    sampler = Sampler(transformer, gamma_kernel=0.1, random_state=0)
    check_select_returns_distinct_indices(sampler, X, y, X_pool)


@pytest.mark.parametrize("Sampler", [BMDRSampler, SPALSampler])
def test_refits_on_more_labels_extend_the_kernel_exactly(Sampler):
    # An experiment's fits: the last labeled rows plus new picks, in any
    # order; then fewer rows, and changed values. Each fit of one kept
    # sampler gives what a fresh sampler gives.
    X, y = make_classification(n_samples=60, n_features=4, random_state=0)
    rng = np.random.default_rng(0)
    kept = Sampler(gamma_kernel=0.5, random_state=0)
    fits = [rng.permutation(n) for n in (10, 11, 14, 20)] + [np.arange(12)]
    changed = X.copy()
    changed[0] += 1.0
    for rows, data in [(r, X) for r in fits] + [(np.arange(20), changed)]:
        pool = np.setdiff1d(np.arange(60), rows)
        kept.fit(data[rows], y[rows])
        fresh = clone(kept).fit(data[rows], y[rows])
        assert_allclose(kept.coef_, fresh.coef_, rtol=1e-9, atol=1e-12)
        assert_allclose(kept.score_samples(data[pool]),
                        fresh.score_samples(data[pool]), rtol=1e-6, atol=1e-9)
        assert_array_equal(kept.select(data[pool], batch_size=2),
                           fresh.select(data[pool], batch_size=2))
    # the growing fits were extensions: the kernel kept the first fit's rows
    assert kept._labeled_kernel.rows.shape[0] == 20


def test_extended_factors_are_the_fresh_ones():
    from skactive._samplers.bmdr import _LabeledKernel

    X, _ = make_classification(n_samples=30, n_features=4, random_state=1)
    y = np.where(np.arange(30) % 2, 1.0, -1.0)
    grown = _LabeledKernel()
    grown.fit(X[:12], y[:12], 0.5, 0.1)
    order = grown.fit(X[::-1], y[::-1], 0.5, 0.1)  # the 12 first rows kept first
    assert_array_equal(X[::-1][order][:12], X[:12])
    assert_array_equal(grown.y_signed, y[::-1][order])
    K = rbf_kernel(X[::-1][order], gamma=0.5)
    assert_allclose(grown.K, K)
    for (U, lower), A in [(grown.ridge, K + 0.1 * np.eye(30)), (grown.kernel, K)]:
        assert not lower and U.flags.f_contiguous  # LAPACK reads it as it is
        assert_allclose(U.T @ U, A, atol=1e-10)
        assert_allclose(U, np.triu(U))
    # a repeated sample makes K singular (its factor None, or rounding's)
    with_twin = np.vstack([X, X[:1]])
    grown.fit(with_twin, np.append(y, y[0]), 0.5, 0.1)
    assert grown.rows.shape[0] == 31
    assert_allclose(grown.ridge[0].T @ grown.ridge[0],
                    rbf_kernel(grown.rows, gamma=0.5) + 0.1 * np.eye(31), atol=1e-10)
    # fewer rows: factored afresh, in the order given
    assert_array_equal(grown.fit(X[:5], y[:5], 0.5, 0.1), np.arange(5))


@pytest.mark.parametrize("Sampler", [BMDRSampler, SPALSampler])
def test_pool_kernel_whole_or_by_columns(Sampler):
    # The pool's kernel held whole (within working_memory) or by blocks of
    # rows and columns on demand (a tiny working_memory): the same scores,
    # the same pick; twice the same call, the same result.
    from sklearn import config_context

    X, y = make_classification(n_samples=240, n_features=5, random_state=3)
    sampler = Sampler(gamma_kernel=0.2, random_state=0).fit(X[:10], y[:10])
    whole = sampler.score_samples(X[10:])
    assert_array_equal(sampler.score_samples(X[10:]), whole)
    with config_context(working_memory=0.01):
        by_columns = sampler.score_samples(X[10:])
        pick = sampler.select(X[10:], batch_size=1)
    assert_allclose(by_columns, whole, atol=1e-7)
    assert_array_equal(pick, sampler.select(X[10:], batch_size=1))

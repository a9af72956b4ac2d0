"""HintSVM against a second solver and the KKT conditions: the dual written
out with dense matrices and solved by scipy's SLSQP, and the sampler's pick
against argmin |f| computed by hand."""

import sys

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.optimize import minimize
from sklearn.datasets import make_classification
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from skactive import HintSVMSampler
from skactive.acquisition import hintsvm_decision, hintsvm_qp, solve_hintsvm
from skactive.exceptions import SingleClassWarning
from skactive.utils.estimator_checks import (
    check_n_jobs_and_chunks_invariance,
    check_select_returns_distinct_indices,
    parametrize_with_sampler_checks,
)

from .test_inputs import INPUTS

GAMMA = 0.5


def rbf(A, B, gamma=GAMMA):
    return np.exp(-gamma * ((A[:, None, :] - B[None, :, :]) ** 2).sum(axis=2))


def tiny(n_labeled=6, n_pool=9, seed=0):
    X, y = make_classification(n_samples=n_labeled + n_pool, n_features=2,
                               n_informative=2, n_redundant=0, flip_y=0.1,
                               n_clusters_per_class=1, random_state=seed)
    y[:2] = [0, 1]  # both classes labeled
    return X[:n_labeled], y[:n_labeled], X[n_labeled:]


def slsqp_dual(K, y, Cl, Ch, epsilon):
    """The dual in (alpha, beta, beta*), from the paper's Lagrangian, by SLSQP."""
    n_l, n_h = len(y), K.shape[0] - len(y)

    def coefficients(x):
        alpha, beta, beta_star = x[:n_l], x[n_l:n_l + n_h], x[n_l + n_h:]
        return np.concatenate([y * alpha, beta_star - beta])

    def objective(x):
        c = coefficients(x)
        return 0.5 * c @ K @ c - x[:n_l].sum() + epsilon * x[n_l:].sum()

    upper = [Cl] * n_l + [Ch] * (2 * n_h)
    balanced = {"type": "eq", "fun": lambda x: coefficients(x).sum()}
    result = minimize(objective, np.zeros(n_l + 2 * n_h), method="SLSQP",
                      bounds=[(0, u) for u in upper], constraints=balanced,
                      options={"ftol": 1e-12, "maxiter": 500})
    assert result.success
    return coefficients(result.x), result.fun


def intercept_from_kkt(K, y, c, Cl, Ch, epsilon, tol=1e-5):
    """b from a free support vector: y f = 1 on a free labeled one, f = -+eps
    on a free hint."""
    n_l = len(y)
    Kc = K @ c
    for i in range(n_l):
        if tol < abs(c[i]) < Cl - tol:
            return y[i] - Kc[i]
    for j in range(n_l, K.shape[0]):
        if tol < abs(c[j]) < Ch - tol:
            return -np.sign(c[j]) * epsilon - Kc[j]
    raise AssertionError("no free support vector in the test problem")


def test_qp_is_the_dual_written_out():
    K = rbf(*[np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0], [0.5, 0.5]])] * 2)
    y = np.array([1.0, -1.0])
    P, q, a, upper = hintsvm_qp(K, y, Cl=2.0, Ch=0.5, epsilon=0.2)
    # u = (alpha_1, alpha_2, beta_1, beta_2, beta*_1, beta*_2), each variable
    # the multiplier of one constraint of the primal, signed as its sample's
    # coefficient: coef = (alpha_1, -alpha_2, beta*_1 - beta_1, beta*_2 - beta_2).
    to_coef = np.array([[1, 0, 0, 0, 0, 0],
                        [0, -1, 0, 0, 0, 0],
                        [0, 0, -1, 0, 1, 0],
                        [0, 0, 0, -1, 0, 1]], dtype=float)
    assert_allclose(P, to_coef.T @ K @ to_coef)  # 1/2 u'Pu = 1/2 coef'K coef
    assert_allclose(q, [-1, -1, 0.2, 0.2, 0.2, 0.2])
    assert_allclose(a, to_coef.sum(axis=0))  # a'u = sum(coef)
    assert_allclose(upper, [2, 2, 0.5, 0.5, 0.5, 0.5])


@pytest.mark.parametrize("Cl, Ch, epsilon", [(1.0, 1.0, 0.1), (0.1, 10.0, 0.0)])
def test_solution_satisfies_kkt_and_matches_slsqp(Cl, Ch, epsilon):
    X, y01, X_pool = tiny()
    y = np.where(y01 == 1, 1.0, -1.0)
    Z = np.vstack([X, X_pool[:4]])
    K = rbf(Z, Z)
    coef, intercept = solve_hintsvm(K, y, Cl=Cl, Ch=Ch, epsilon=epsilon)
    reference, value = slsqp_dual(K, y, Cl, Ch, epsilon)
    assert_allclose(coef, reference, atol=1e-4)
    n_l = len(y)
    ours = 0.5 * coef @ K @ coef - np.abs(coef[:n_l]).sum() \
        + epsilon * np.abs(coef[n_l:]).sum()
    assert ours <= value + 1e-7
    # KKT: feasibility, then complementary slackness on f.
    tol = 1e-5
    alpha = y * coef[:n_l]
    assert (alpha >= -tol).all() and (alpha <= Cl + tol).all()
    assert (np.abs(coef[n_l:]) <= Ch + tol).all()
    assert abs(coef.sum()) < 1e-7
    f = hintsvm_decision(K, coef, intercept)
    margin = y * f[:n_l]
    assert (margin[alpha < tol] >= 1 - 1e-4).all()
    assert (margin[alpha > Cl - tol] <= 1 + 1e-4).all()
    free = (alpha > tol) & (alpha < Cl - tol)
    assert_allclose(margin[free], 1, atol=1e-4)
    hint_coef, hint_f = coef[n_l:], f[n_l:]
    assert (np.abs(hint_f[np.abs(hint_coef) < tol]) <= epsilon + 1e-4).all()
    free = (np.abs(hint_coef) > tol) & (np.abs(hint_coef) < Ch - tol)
    assert_allclose(hint_f[free], -np.sign(hint_coef[free]) * epsilon, atol=1e-4)
    active = np.abs(hint_coef) > tol  # outside the band, or on its edge
    assert (-np.sign(hint_coef[active]) * hint_f[active] >= epsilon - 1e-4).all()


def test_sampler_picks_argmin_abs_f_computed_by_hand():
    X, y, X_pool = tiny(n_labeled=6, n_pool=12, seed=3)
    sampler = HintSVMSampler(Cl=1.0, Ch=1.0, hint_ratio=0.25, kernel="rbf",
                             gamma=GAMMA, random_state=7).fit(X, y)
    hints = np.sort(np.random.RandomState(7).choice(12, 3, replace=False))
    y_signed = np.where(y == sampler.classes_[1], 1.0, -1.0)
    Z = np.vstack([X, X_pool[hints]])
    K = rbf(Z, Z)
    coef, _ = slsqp_dual(K, y_signed, 1.0, 1.0, 0.1)
    b = intercept_from_kkt(K, y_signed, coef, 1.0, 1.0, 0.1)
    f = rbf(X_pool, Z) @ coef + b
    assert_allclose(sampler.decision_function(X_pool), f, atol=1e-4)
    order = np.argsort(np.abs(f))
    assert np.abs(f)[order[1]] - np.abs(f)[order[0]] > 1e-3  # a clear winner
    assert sampler.select(X_pool)[0] == order[0]
    assert_allclose(sampler.score_samples(X_pool), -np.abs(f), atol=1e-4)


def test_hints_follow_the_seed():
    X, y, X_pool = tiny(n_pool=30)
    scores = [HintSVMSampler(kernel="rbf", random_state=seed).fit(X, y)
              .score_samples(X_pool) for seed in (0, 0, 1)]
    assert_array_equal(scores[0], scores[1])
    assert not np.allclose(scores[0], scores[2])
    # No hints: a plain soft-margin SVM, the same for every seed.
    plain = [HintSVMSampler(hint_ratio=0.0, random_state=seed).fit(X, y)
             .score_samples(X_pool) for seed in (0, 1)]
    assert_allclose(plain[0], plain[1])


def test_exact_ties_are_broken_by_the_seed():
    X = np.array([[-1.0], [1.0]])
    pool = np.array([[0.0], [0.0], [0.0], [3.0]])  # three on the boundary
    picks = {int(HintSVMSampler(hint_ratio=0.0, random_state=seed).fit(X, [0, 1])
                 .select(pool)[0]) for seed in range(12)}
    assert picks == {0, 1, 2}


def test_pipeline_last_step_and_transformer_agree():
    X, y, X_pool = tiny(n_pool=20)
    pipe = make_pipeline(StandardScaler(), HintSVMSampler(random_state=0))
    sampler = HintSVMSampler(StandardScaler(), random_state=0)
    assert_allclose(pipe.fit(X, y).score(X_pool),
                    sampler.fit(X, y).score_samples(X_pool))


def test_bad_inputs():
    X, y, X_pool = tiny()
    with pytest.raises(ValueError, match="binary classification, but y holds 3"):
        HintSVMSampler().fit(X, np.arange(len(y)) % 3)
    with pytest.raises(ValueError, match="Cl"):
        HintSVMSampler(Cl=0.0).fit(X, y)
    with pytest.raises(ValueError, match="hint_ratio"):
        HintSVMSampler(hint_ratio=1.5).fit(X, y)
    with pytest.raises(ValueError, match="labels -1 and \\+1"):
        solve_hintsvm(np.eye(3), [0, 1])
    with pytest.raises(ValueError, match="square kernel matrix"):
        hintsvm_qp(np.ones((3, 2)), [1, -1])
    with pytest.raises(ValueError, match="one coefficient per"):
        hintsvm_decision(np.ones((2, 3)), [1.0, 2.0], 0.0)


def test_single_class_ranks_at_random():
    X, _, X_pool = tiny()
    with pytest.warns(SingleClassWarning):
        sampler = HintSVMSampler(random_state=0).fit(X, np.zeros(len(X)))
    assert sorted(sampler.select(X_pool, 9)) == list(range(9))
    with pytest.raises(ValueError, match="single class"):
        sampler.decision_function(X_pool)


def test_solver_failure_and_missing_solver_are_clear(monkeypatch):
    import piqp

    K, y = np.eye(4) + 0.5, [1, -1]
    dense_solver = piqp.DenseSolver

    def one_iteration():
        solver = dense_solver()
        solver.settings.max_iter = 1
        return solver

    monkeypatch.setattr(piqp, "DenseSolver", one_iteration)
    with pytest.raises(RuntimeError, match="did not solve.*MAX_ITER"):
        solve_hintsvm(K, y)
    monkeypatch.setitem(sys.modules, "piqp", None)
    with pytest.raises(ImportError, match=r'pip install "skactive\[qp\]"'):
        solve_hintsvm(K, y)


# The sampler contract, every input form (two classes: HintSVM is binary).

X_CHECK, Y_CHECK = make_classification(n_samples=70, n_features=4, random_state=0)
SAMPLERS = [HintSVMSampler(random_state=0),
            HintSVMSampler(StandardScaler(), kernel="rbf", Cl=1.0, Ch=1.0,
                           random_state=0)]
POOL_HINTS = ("the hints are drawn from the pool by position, so a sample's "
              "score changes with the rest of the pool and its order, by design")


@parametrize_with_checks(SAMPLERS[:1], expected_failed_checks=lambda _: {
    "check_methods_subset_invariance": POOL_HINTS,
    "check_methods_sample_order_invariance": POOL_HINTS})
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@parametrize_with_sampler_checks(SAMPLERS[1:], X_CHECK[:20], Y_CHECK[:20], X_CHECK[20:])
def test_sampler_contract(sampler, check):
    check(sampler)


@pytest.mark.parametrize("input_name", list(INPUTS))
def test_every_input(input_name):
    make, prep = INPUTS[input_name]
    X, y = make(15, 0)
    X_pool, _ = make(12, 1)
    sampler = HintSVMSampler(None if prep is None else prep(), kernel="rbf",
                             random_state=0)
    check_select_returns_distinct_indices(sampler, X, y % 2, X_pool)
    check_n_jobs_and_chunks_invariance(sampler, X, y % 2, X_pool)

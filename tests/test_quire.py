"""QUIRE (Huang, Jin & Zhou, 2010): the closed form and the sampler against
the paper's criterion written out with dense inverses, one candidate at a
time, on tiny problems."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_classification
from sklearn.kernel_ridge import KernelRidge
from sklearn.metrics.pairwise import linear_kernel, rbf_kernel
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from skactive import QUIRESampler
from skactive.acquisition import quire_log_scores, quire_objective, quire_terms
from skactive.experiment import run_experiment
from skactive.utils._sklearn_compat import InvalidParameterError
from skactive.utils.estimator_checks import (
    check_n_jobs_and_chunks_invariance,
    check_select_returns_distinct_indices,
    parametrize_with_sampler_checks,
)

from .test_inputs import INPUTS, embedder

# --- the paper's criterion, with L = (K + lambda I)^-1 over all samples ----


def paper_objective(K, labeled, y_labeled, lam):
    """J(s) = L_ss - L_sU' L_U'U'^-1 L_U's + 2 |L_sL y_L - L_sU' L_U'U'^-1
    L_U'L y_L| for each unlabeled s, one inverse per candidate."""
    n = K.shape[0]
    L = np.linalg.inv(K + lam * np.eye(n))
    unlabeled = [i for i in range(n) if i not in labeled]
    values = []
    for s in unlabeled:
        rest = [u for u in unlabeled if u != s]
        inverse = np.linalg.inv(L[np.ix_(rest, rest)])
        first = L[s, s] - L[s, rest] @ inverse @ L[rest, s]
        second = L[s, labeled] @ y_labeled - L[s, rest] @ inverse @ L[
            np.ix_(rest, labeled)] @ y_labeled
        values.append(first + 2 * abs(second))
    return np.array(values), unlabeled


def _problem(seed, n=12, n_labeled=4):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, 3))
    y = np.where(rng.rand(n_labeled) < 0.5, -1.0, 1.0)
    return X, list(range(n_labeled)), y


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("kernel, lam", [("rbf", 1.0), ("linear", 0.3)])
def test_objective_equals_the_papers_formula(seed, kernel, lam):
    X, labeled, y = _problem(seed)
    K = rbf_kernel(X, gamma=0.5) if kernel == "rbf" else linear_kernel(X)
    expected, unlabeled = paper_objective(K, labeled, y, lam)
    objective = quire_objective(K[np.ix_(labeled, labeled)],
                                K[np.ix_(unlabeled, labeled)],
                                np.diag(K)[unlabeled], y, alpha=lam)
    assert_allclose(objective, expected, rtol=1e-9)
    # The sampler ranks by it: scores -log((1 + lambda) J), the pick argmin J.
    sampler = QUIRESampler(kernel=kernel, gamma=0.5, alpha=lam, random_state=0)
    sampler.fit(X[labeled], np.where(y > 0, "yes", "no"))
    assert_allclose(sampler.score_samples(X[unlabeled]),
                    -np.log((1 + lam) * expected), rtol=1e-9, atol=1e-12)
    assert sampler.select(X[unlabeled])[0] == np.argmin(expected)


def test_terms_are_kernel_ridge_predictions_and_explained_variance():
    X, labeled, y = _problem(0)
    K = rbf_kernel(X, gamma=0.5)
    K_LL, K_UL = K[:4, :4], K[4:, :4]
    f, q = quire_terms(K_LL, K_UL, y, alpha=0.5)
    ridge = KernelRidge(alpha=0.5, kernel="precomputed").fit(K_LL, y)
    assert_allclose(f, ridge.predict(K_UL), rtol=1e-10)
    assert_allclose(q, np.diag(K_UL @ np.linalg.inv(K_LL + 0.5 * np.eye(4)) @ K_UL.T),
                    rtol=1e-10)


def test_log_scores_keep_differences_that_the_objective_rounds_away():
    # Far from the labeled samples, 1 + 2|f| rounds to 1.
    f = np.array([3e-20, 1e-20, 0.0])
    q = np.array([0.0, 0.0, 5e-21])
    objective = (1 + 2 * np.abs(f)) / (2.0 - q)
    assert np.unique(objective).size == 1
    scores = quire_log_scores(f, q, np.ones(3), alpha=1.0)
    assert_allclose(scores, [-6e-20, -2e-20, -2.5e-21], rtol=1e-12)


def test_the_sign_of_the_labels_does_not_matter():
    X, labeled, y = _problem(1)
    a = QUIRESampler(gamma=0.5).fit(X[:4], y).score_samples(X[4:])
    b = QUIRESampler(gamma=0.5).fit(X[:4], -y).score_samples(X[4:])
    assert_allclose(a, b, rtol=1e-12)


# --- kept between rounds ---------------------------------------------------


def _fresh(sampler, X_labeled, y_labeled, X_pool):
    from sklearn.base import clone
    return clone(sampler).fit(X_labeled, y_labeled).score_samples(X_pool)


@pytest.mark.parametrize("batch_size", [1, 3])
def test_rounds_of_the_loop_equal_fresh_computations(batch_size):
    # Down to 4 pool samples: the dead columns are dropped on the way.
    X, y = make_classification(n_samples=40, n_features=4, random_state=0)
    labeled = np.zeros(40, dtype=bool)
    labeled[[0, 1, 5, 9]] = True
    sampler = QUIRESampler(gamma=0.3, random_state=0)
    for _ in range(32 // batch_size):
        known, pool = np.flatnonzero(labeled), np.flatnonzero(~labeled)
        sampler.fit(X[known], y[known])
        scores = sampler.score_samples(X[pool])
        assert_allclose(scores, _fresh(sampler, X[known], y[known], X[pool]),
                        rtol=1e-9, atol=1e-12)
        labeled[pool[sampler.select(X[pool], batch_size)]] = True
    assert sampler._state.factor is None  # the appends were taken


def test_other_sequences_of_calls_are_computed_afresh():
    X, y = make_classification(n_samples=40, n_features=4, random_state=1)
    sampler = QUIRESampler(gamma=0.3).fit(X[:5], y[:5])
    sampler.score_samples(X[10:])
    # A pool with new rows, a labeled set that lost a row, new parameters.
    assert_allclose(sampler.score_samples(X[5:30]),
                    _fresh(sampler, X[:5], y[:5], X[5:30]), rtol=1e-9)
    sampler.fit(X[1:7], y[1:7])
    assert_allclose(sampler.score_samples(X[10:]),
                    _fresh(sampler, X[1:7], y[1:7], X[10:]), rtol=1e-9)
    sampler.set_params(gamma=1.0).fit(X[1:8], y[1:8])
    assert_allclose(sampler.score_samples(X[10:]),
                    _fresh(sampler, X[1:8], y[1:8], X[10:]), rtol=1e-9)
    # The same row labeled twice, with the other label: a new row, not a match.
    X_twice, y_twice = np.vstack([X[1:8], X[9:10]]), np.append(y[1:8], 1 - y[8])
    sampler.fit(X_twice, y_twice)
    assert_allclose(sampler.score_samples(X[10:]),
                    _fresh(sampler, X_twice, y_twice, X[10:]), rtol=1e-9)


def test_run_experiment_picks_as_fresh_samplers_would():
    X, y = make_classification(n_samples=50, n_features=4, random_state=2)

    class Fresh(QUIRESampler):
        def fit(self, X, y):
            self.__dict__.pop("_state", None)
            return super().fit(X, y)

    import __main__
    __main__.Fresh = Fresh
    kwargs = dict(test_size=0.3, initial_size=4, budget=20, n_repeats=1,
                  random_state=0)
    from sklearn.linear_model import LogisticRegression
    kept = run_experiment(LogisticRegression(), {"q": QUIRESampler(gamma=0.3)},
                          X, y, **kwargs)
    fresh = run_experiment(LogisticRegression(), {"q": Fresh(gamma=0.3)}, X, y,
                           **kwargs)
    assert_array_equal(kept.aubc_per_repeat()["q"], fresh.aubc_per_repeat()["q"])


# --- ties, seeds, inputs ---------------------------------------------------


def test_exact_ties_are_broken_by_the_seed():
    X, y = make_classification(n_samples=30, n_features=4, random_state=3)
    pool = np.repeat(X[20:21], 8, axis=0)  # eight identical candidates
    batches = {tuple(QUIRESampler(random_state=seed).fit(X[:10], y[:10])
                     .select(pool, 3)) for seed in range(6)}
    assert len(batches) > 1
    sampler = QUIRESampler(random_state=0).fit(X[:10], y[:10])
    assert_array_equal(sampler.select(pool, 3), sampler.select(pool, 3))


def test_callable_kernel_equals_the_named_one():
    X, y = make_classification(n_samples=30, n_features=4, random_state=4)
    named = QUIRESampler(gamma=0.2).fit(X[:8], y[:8]).score_samples(X[8:])
    given = QUIRESampler(kernel=lambda A, B: rbf_kernel(A, B, gamma=0.2)).fit(
        X[:8], y[:8]).score_samples(X[8:])
    assert_allclose(given, named, rtol=1e-12)


def test_as_the_last_step_of_a_pipeline():
    X, y = make_classification(n_samples=30, n_features=4, random_state=5)
    pipe = make_pipeline(StandardScaler(), QUIRESampler(gamma=0.2)).fit(X[:8], y[:8])
    direct = QUIRESampler(StandardScaler(), gamma=0.2).fit(X[:8], y[:8])
    assert_allclose(pipe.score_samples(X[8:]), direct.score_samples(X[8:]))


@pytest.mark.parametrize("input_name", list(INPUTS))
def test_every_input(input_name):
    make, prep = INPUTS[input_name]
    X, y = make(15, 0)
    X_pool, _ = make(12, 1)
    y = (np.asarray(y) == 1).astype(int)  # binary
    sampler = QUIRESampler(embedder(prep), gamma=0.5)
    check_select_returns_distinct_indices(sampler, X, y, X_pool)
    check_n_jobs_and_chunks_invariance(sampler, X, y, X_pool)


def test_bad_inputs():
    X, y = make_classification(n_samples=30, n_features=4, n_informative=3,
                               n_redundant=0, n_classes=3, random_state=0)
    with pytest.raises(ValueError, match="binary classification.*3 classes"):
        QUIRESampler().fit(X, y)
    with pytest.raises(ValueError, match="1d array|one class label per sample"):
        QUIRESampler().fit(X[:4], np.eye(4, 2))
    with pytest.raises(InvalidParameterError, match="alpha"):
        QUIRESampler(alpha=0.0).fit(X[:4], y[:4] % 2)
    with pytest.raises(InvalidParameterError, match="kernel"):
        QUIRESampler(kernel="sigmoid").fit(X[:4], y[:4] % 2)
    with pytest.raises(ValueError, match=r"kernel returned shape \(1, 1\)"):
        QUIRESampler(kernel=lambda A, B: np.ones((1, 1))).fit(X[:4], y[:4] % 2)
    with pytest.raises(ValueError, match="-1 and \\+1"):
        quire_objective([[1.0]], [[0.5]], [1.0], [0.0])
    with pytest.raises(ValueError, match="square"):
        quire_terms([[1.0, 0.0]], [[0.5]], [1.0])
    with pytest.raises(ValueError, match="one column and one label"):
        quire_terms([[1.0]], [[0.5, 0.1]], [1.0])
    with pytest.raises(ValueError, match="kernel_diagonal"):
        quire_objective([[1.0]], [[0.5]], [1.0, 1.0], [1.0])
    with pytest.raises(ValueError, match="one value per pool sample"):
        quire_log_scores([0.1], [0.1, 0.2], [1.0])


# --- the estimator and sampler checks --------------------------------------

X_CHECK, Y_CHECK = make_classification(n_samples=150, n_features=4, random_state=0)
SAMPLERS = [QUIRESampler(gamma=0.5, random_state=0),
            QUIRESampler(StandardScaler(), kernel="linear", random_state=0)]


@parametrize_with_checks(SAMPLERS)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@parametrize_with_sampler_checks(SAMPLERS, X_CHECK[:30], Y_CHECK[:30], X_CHECK[30:])
def test_sampler_contract(sampler, check):
    check(sampler)

"""Information density, graph density and DWUS: the functions against their
formulas written out with dense matrices, and the sampler."""

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from scipy.optimize import minimize
from scipy.stats import multivariate_normal
from sklearn.cluster import KMeans
from sklearn.datasets import make_classification
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.utils.estimator_checks import parametrize_with_checks

import skactive._samplers.density as density_module
from skactive import DensitySampler
from skactive.acquisition import (
    cluster_label_probabilities,
    density_weighted_uncertainty,
    entropy,
    graph_density,
    graph_density_selection,
    information_density,
    margin,
    mean_similarity,
    pre_clustering,
)
from skactive.exceptions import SingleClassWarning
from skactive.utils._sklearn_compat import InvalidParameterError
from skactive.utils.estimator_checks import (
    check_n_jobs_and_chunks_invariance,
    check_select_returns_distinct_indices,
    parametrize_with_sampler_checks,
)

from .test_inputs import INPUTS, model


def data(n=40, seed=0, n_features=3):
    X, y = make_classification(n_samples=n, n_features=n_features, n_informative=2,
                               n_redundant=0, random_state=seed)
    return X, y


# --- information density ------------------------------------------------------


def brute_mean_similarity(X, R, metric, gamma):
    out = np.empty(len(X))
    for i, x in enumerate(X):
        if metric == "rbf":
            sims = [np.exp(-gamma * np.sum((x - r) ** 2)) for r in R]
        else:
            sims = [x @ r / np.linalg.norm(x) / np.linalg.norm(r) for r in R]
        out[i] = np.mean(sims)
    return out


@pytest.mark.parametrize("metric", ["rbf", "cosine"])
@pytest.mark.parametrize("chunk_size", [None, 1, 7])
def test_mean_similarity_is_the_mean_over_the_pool(metric, chunk_size):
    X, _ = data(25)
    R = X[::2] + 0.3
    gamma = 1 / 3
    assert_allclose(mean_similarity(X, R, metric=metric, chunk_size=chunk_size),
                    brute_mean_similarity(X, R, metric, gamma))
    # Against the pool itself by default, each sample counting itself.
    assert_allclose(mean_similarity(X, metric=metric, gamma=0.5, chunk_size=chunk_size),
                    brute_mean_similarity(X, X, metric, 0.5))


def test_mean_similarity_of_sparse_equals_dense():
    X, _ = data(20)
    X[np.abs(X) < 0.7] = 0
    assert_allclose(mean_similarity(sp.csr_matrix(X), chunk_size=3), mean_similarity(X))


def test_information_density_is_uncertainty_times_density_to_beta():
    X, _ = data(15)
    P = LogisticRegression().fit(*data(30, 1)).predict_proba(X)
    u, s = entropy(P), mean_similarity(X)
    for beta in (0.0, 1.0, 2.5):
        expected = [u[i] * s[i] ** beta for i in range(len(X))]
        assert_allclose(information_density(u, s, beta=beta), expected)


def test_information_density_puts_an_uncertain_outlier_after_dense_samples():
    X = np.array([[0.0, 0.0], [0.1, 0.0], [0.0, 0.1], [9.0, 9.0]])
    uncertainty = np.array([0.5, 0.6, 0.55, 0.7])  # the outlier most uncertain
    scores = information_density(uncertainty, mean_similarity(X, gamma=1.0))
    assert np.argmax(uncertainty) == 3
    assert np.argmax(scores) == 1


# --- graph density --------------------------------------------------------------


def brute_graph(X, k, gamma):
    """Google's construction, written out: manhattan kNN, symmetric edges."""
    n = len(X)
    D = np.abs(X[:, None, :] - X[None, :, :]).sum(axis=2)
    A = np.zeros((n, n), dtype=bool)
    for i in range(n):
        order = [j for j in np.argsort(D[i], kind="stable") if j != i][:k]
        A[i, order] = True
    A = A | A.T
    W = np.where(A, np.exp(-gamma * D), 0.0)
    density = W.sum(axis=1) / A.sum(axis=1)
    return density, A


def brute_selection(density, A, n_select, selected=()):
    d = density.copy()
    taken = list(selected)
    for i in selected:
        d[A[i]] -= d[i]
    picks = []
    for _ in range(n_select):
        masked = np.where(np.isin(np.arange(len(d)), taken), -np.inf, d)
        i = int(np.argmax(masked))
        d[A[i]] -= d[i]
        picks.append(i)
        taken.append(i)
    return picks


@pytest.mark.parametrize("seed", range(4))
def test_graph_density_is_googles_construction(seed):
    X, _ = data(30, seed)
    density, graph = graph_density(X, n_neighbors=4)
    expected, A = brute_graph(X, 4, 1 / 3)
    assert_allclose(density, expected)
    assert_array_equal(graph.toarray() > 0, A)
    assert_allclose(graph.toarray(), graph.toarray().T)


@pytest.mark.parametrize("seed", range(4))
def test_graph_density_selection_down_weights_neighbourhoods(seed):
    X, _ = data(30, seed)
    density, graph = graph_density(X, n_neighbors=4)
    _, A = brute_graph(X, 4, 1 / 3)
    assert_array_equal(graph_density_selection(density, graph, 8, random_state=0),
                       brute_selection(density, A, 8))
    assert_array_equal(
        graph_density_selection(density, graph, 5, selected=[3, 7], random_state=0),
        brute_selection(density, A, 5, selected=[3, 7]))


def test_graph_density_ties_follow_the_seed():
    X = np.array([[0.0], [1.0], [10.0], [11.0], [20.0], [21.0]])
    density, graph = graph_density(X, n_neighbors=1)
    firsts = {int(graph_density_selection(density, graph, 1, random_state=s)[0])
              for s in range(80)}
    assert firsts == set(range(6))  # all tied: the seed decides
    a = graph_density_selection(density, graph, 3, random_state=5)
    assert_array_equal(a, graph_density_selection(density, graph, 3, random_state=5))
    assert len({int(i) // 2 for i in a}) == 3  # one per pair: neighbours are reduced


def test_graph_density_of_sparse_equals_dense():
    X, _ = data(20)
    X[np.abs(X) < 0.7] = 0
    dense_d, dense_g = graph_density(X, n_neighbors=3)
    sparse_d, sparse_g = graph_density(sp.csr_matrix(X), n_neighbors=3)
    assert_allclose(sparse_d, dense_d)
    assert_allclose(sparse_g.toarray(), dense_g.toarray())


# --- DWUS -------------------------------------------------------------------------


def libact_pre_clustering(X, centers, sigma, max_iter):
    """libact's DWUS set-up written out: EM on the priors, then the density."""
    n, K = len(X), len(centers)
    dis = np.stack([np.exp(-((X - c) ** 2).sum(axis=1) / 2 / sigma) for c in centers],
                   axis=1)
    P_k = np.ones(K) / K
    for _ in range(max_iter):
        temp = dis * P_k
        P_k_x = temp / temp.sum(axis=1, keepdims=True)
        P_k = P_k_x.sum(axis=0) / n
    p_x_k = np.stack([multivariate_normal.pdf(X, mean=c, cov=np.ones(X.shape[1])
                                              * np.sqrt(sigma)) for c in centers],
                     axis=1)
    return P_k_x, p_x_k @ P_k


@pytest.mark.parametrize("sigma", [0.1, 1.0, 3.0])
def test_pre_clustering_is_libacts_model(sigma):
    X, _ = data(40, 0)
    centers = KMeans(4, random_state=0, n_init=1).fit(X).cluster_centers_
    posteriors, log_density = pre_clustering(X, centers, sigma=sigma, max_iter=30)
    expected_posteriors, expected_density = libact_pre_clustering(X, centers, sigma, 30)
    assert_allclose(posteriors, expected_posteriors, atol=1e-12)
    assert_allclose(np.exp(log_density), expected_density, rtol=1e-10)


def test_pre_clustering_keeps_far_samples_finite():
    centers = np.array([[0.0, 0.0], [1.0, 1.0]])
    posteriors, log_density = pre_clustering([[300.0, 0.0], [0.0, 0.1]], centers)
    assert np.isfinite(posteriors).all() and np.isfinite(log_density).all()
    assert_allclose(posteriors.sum(axis=1), 1.0)
    assert log_density[0] < log_density[1]


def libact_likelihood(w, posteriors, y, centers, C):
    w = w.reshape(-1, 1)
    s = 1 / (1 + np.exp(-(y.reshape(-1, 1) @ (centers @ w[:-1] + w[-1]).T)))
    return (C / 2 * w[:-1].T @ w[:-1] - np.log((posteriors * s).sum(axis=1)).sum()
            ).item()


@pytest.mark.parametrize("C", [0.1, 1.0])
def test_cluster_label_probabilities_minimise_libacts_likelihood(C):
    X, y = data(40, 2)
    centers = KMeans(3, random_state=0, n_init=1).fit(X).cluster_centers_
    posteriors, _ = pre_clustering(X, centers, sigma=1.0)
    signed = np.where(y == 1, 1.0, -1.0)
    ours = cluster_label_probabilities(posteriors, signed, centers, C=C)
    # A second optimiser, derivative-free, on the likelihood written out.
    result = minimize(libact_likelihood, np.zeros(4),
                      args=(posteriors, signed, centers, C), method="Nelder-Mead",
                      options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000})
    expected = 1 / (1 + np.exp(-(centers @ result.x[:-1] + result.x[-1])))
    assert_allclose(ours, expected, atol=1e-4)


def test_multiclass_dwus_is_one_minus_the_largest_normalised_probability():
    posteriors = np.array([[0.2, 0.8], [0.9, 0.1]])
    probabilities = np.array([[0.1, 0.5, 0.6], [0.7, 0.2, 0.2]])
    P = posteriors @ probabilities
    P = P / P.sum(axis=1, keepdims=True)
    assert_allclose(density_weighted_uncertainty(posteriors, [1.0, 3.0], probabilities),
                    (1 - P.max(axis=1)) * [1.0, 3.0])
    X, y = data(40, 0)
    y = np.arange(40) % 3
    sampler = DensitySampler(strategy="dwus", random_state=0).fit(X[:20], y[:20])
    assert sampler.select(X[20:], 4).shape == (4,)


def test_density_weighted_uncertainty_is_expected_error_times_density():
    posteriors = np.array([[0.2, 0.8], [0.9, 0.1], [0.5, 0.5]])
    density = np.array([1.0, 0.5, 2.0])
    probabilities = np.array([0.1, 0.7])
    p = posteriors @ probabilities
    expected = [min(p[i], 1 - p[i]) * density[i] for i in range(3)]
    assert_allclose(density_weighted_uncertainty(posteriors, density, probabilities),
                    expected)


# --- the sampler ---------------------------------------------------------------------


def test_information_density_sampler_matches_the_functions():
    X, y = data(30, 0)
    X_pool, _ = data(50, 1)
    estimator = LogisticRegression().fit(X, y)
    sampler = DensitySampler(LogisticRegression(), uncertainty="margin", beta=2,
                             chunk_size=7).fit(X, y)
    expected = information_density(1 - margin(estimator.predict_proba(X_pool)),
                                   mean_similarity(X_pool), beta=2)
    assert_allclose(sampler.score_samples(X_pool), expected)
    assert_array_equal(sampler.select(X_pool, 3), np.argsort(-expected)[:3])


def test_graph_density_sampler_counts_the_labeled_as_earlier_picks():
    X, _ = data(10, 0)
    X_pool, _ = data(30, 1)
    sampler = DensitySampler(strategy="graph_density", n_neighbors=4,
                             random_state=0).fit(X)
    joined = np.vstack([X, X_pool])
    order = np.lexsort(joined.T[::-1])  # the graph is built on the rows sorted
    labeled = np.argsort(order)[:10]  # where the labeled rows went, in order
    density, graph = graph_density(joined[order], n_neighbors=4)
    expected = order[graph_density_selection(density, graph, 5, selected=labeled,
                                             random_state=0)] - 10
    assert_array_equal(sampler.select(X_pool, 5), expected)
    _, A = brute_graph(joined[order], 4, 1 / 3)
    brute = brute_selection(density, A, 5, list(labeled))
    assert_array_equal(expected, order[np.array(brute)] - 10)
    # The scores are the densities after the labeled picks, in the pool's order.
    after = density.copy()
    for index in labeled:
        after[A[index]] -= after[index]
    assert_allclose(sampler.score_samples(X_pool), after[np.argsort(order)][10:])
    assert int(np.argmax(sampler.score_samples(X_pool))) == expected[0]


def test_graph_is_built_once_for_the_same_rows(monkeypatch):
    X, _ = data(10, 0)
    X_pool, _ = data(30, 1)
    builds = []
    monkeypatch.setattr(density_module, "graph_density",
                        lambda *a, **k: builds.append(1) or graph_density(*a, **k))
    sampler = DensitySampler(strategy="graph_density", n_neighbors=4, random_state=0)
    pick = sampler.fit(X).select(X_pool, 1)
    moved, rest = np.vstack([X, X_pool[pick]]), np.delete(X_pool, pick, axis=0)
    kept = sampler.fit(moved).select(rest, 3)
    assert builds == [1]
    fresh = DensitySampler(strategy="graph_density", n_neighbors=4, random_state=0)
    assert_array_equal(fresh.fit(moved).select(rest, 3), kept)
    sampler.set_params(n_neighbors=3).fit(moved).select(rest, 3)
    assert len(builds) == 3


def test_dwus_sampler_matches_the_functions_and_libacts_ranking():
    X, y = data(20, 0)
    X_pool, _ = data(60, 1)
    sampler = DensitySampler(strategy="dwus", n_clusters=3, sigma=1.0,
                             random_state=0).fit(X, y)
    joined = np.vstack([X, X_pool])
    ordered = joined[np.lexsort(joined.T[::-1])]
    centers = KMeans(3, random_state=0).fit(ordered).cluster_centers_
    P_k_x, p_x = libact_pre_clustering(joined, centers, 1.0, 100)
    probabilities = cluster_label_probabilities(P_k_x[:20], np.where(y == 1, 1., -1.),
                                                centers)
    libact_scores = density_weighted_uncertainty(P_k_x[20:], p_x[20:], probabilities)
    scores = sampler.score_samples(X_pool)
    assert_allclose(scores, libact_scores / p_x[20:].max(), rtol=1e-6)
    assert_array_equal(sampler.select(X_pool, 5), np.argsort(-libact_scores)[:5])


def test_dwus_clusters_the_same_rows_whichever_are_labeled(monkeypatch):
    # libact's DWUS clusters once; here the pre-clustering of a round is
    # computed on the rows sorted and kept for the next round's rows.
    X, y = data(60, 0)
    fresh = DensitySampler(strategy="dwus", n_clusters=4, random_state=0)
    before = fresh.fit(X[:20], y[:20]).score_samples(X[20:])
    kept = DensitySampler(strategy="dwus", n_clusters=4, random_state=0)
    kept.fit(X[1:21], y[1:21]).score_samples(np.vstack([X[:1], X[21:]]))
    calls = []
    monkeypatch.setattr(density_module, "pre_clustering",
                        lambda *a, **k: calls.append(1) or pre_clustering(*a, **k))
    after = kept.fit(X[:20], y[:20]).score_samples(X[20:])
    assert calls == []  # the same 60 rows: nothing recomputed
    assert_array_equal(after, before)
    kept.fit(X[:20], y[:20]).score_samples(X[20:59])  # one row fewer
    assert calls == [1]
    kept.set_params(sigma=0.2).fit(X[:20], y[:20]).score_samples(X[20:59])
    assert calls == [1, 1]


def test_pipelines_and_frozen_models():
    X, y = data(30, 0)
    X_pool, _ = data(40, 1)
    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    sampler = DensitySampler(pipe, StandardScaler()).fit(X, y)
    frozen = DensitySampler(FrozenEstimator(pipe.fit(X, y)), StandardScaler())
    assert_allclose(frozen.fit(X, y).score_samples(X_pool),
                    sampler.score_samples(X_pool))


def test_one_labeled_class_warns_and_ranks_at_random():
    X, _ = data(30, 0)
    with pytest.warns(SingleClassWarning):
        sampler = DensitySampler(LogisticRegression(), random_state=0).fit(
            X[:5], np.zeros(5))
    assert_array_equal(sampler.select(X, 4), sampler.select(X, 4))


@pytest.mark.parametrize("params, fit_y, error, match", [
    (dict(), True, ValueError, "pass estimator="),
    (dict(estimator=LogisticRegression(), strategy="dwus"), True, ValueError,
     "leave estimator=None"),
    (dict(strategy="dwus"), False, ValueError, "requires y to be passed"),
    (dict(strategy="dwus"), "continuous", ValueError, "one class label"),
    (dict(estimator=LinearSVC()), True, InvalidParameterError, "predict_proba"),
    (dict(strategy="closest"), True, InvalidParameterError, "strategy"),
    (dict(strategy="graph_density", n_neighbors=0), False, InvalidParameterError,
     "n_neighbors"),
    (dict(strategy="dwus", sigma=0), True, InvalidParameterError, "sigma"),
])
def test_bad_parameters_are_refused_clearly(params, fit_y, error, match):
    X, y = data(30, 0)
    if fit_y == "continuous":
        y = np.linspace(0, 1, 30)
    with pytest.raises(error, match=match):
        DensitySampler(**params).fit(X, y if fit_y else None)


def test_bad_function_inputs_are_refused_clearly():
    with pytest.raises(ValueError, match="negative"):
        information_density([0.5, 0.2], [0.3, -0.1])
    with pytest.raises(ValueError, match="one value of each"):
        information_density([0.5, 0.2], [0.3])
    with pytest.raises(ValueError, match="same feature space"):
        mean_similarity([[1.0, 2.0]], [[1.0]])
    with pytest.raises(ValueError, match="not yet selected"):
        density, graph = graph_density([[0.0], [1.0], [2.0]], n_neighbors=1)
        graph_density_selection(density, graph, 3, selected=[0])
    with pytest.raises(ValueError, match="-1 and \\+1"):
        cluster_label_probabilities([[1.0]], [0], [[0.0]])
    with pytest.raises(ValueError, match="centers have 1 features"):
        pre_clustering([[0.0, 1.0]], [[0.0]])


def test_cosine_density_of_opposite_features_is_refused():
    X, y = data(30, 0)
    sampler = DensitySampler(LogisticRegression(), metric="cosine").fit(X, y)
    pool = np.array([[1.0, 1.0, 0.0]] + [[-1.0, -1.0, 0.1]] * 5)
    with pytest.raises(ValueError, match="metric='rbf'"):
        sampler.score_samples(pool)


SAMPLERS = [
    DensitySampler(LogisticRegression(), random_state=0),
    DensitySampler(LogisticRegression(), StandardScaler(), uncertainty="margin",
                   beta=2.0),
    DensitySampler(strategy="graph_density", n_neighbors=3, random_state=0),
    DensitySampler(strategy="dwus", random_state=0),
]

POOL_DENSITY = (
    "a sample's density is measured against the pool it is scored in, so its "
    "score changes with the rest of the pool, by design"
)


def _expected_failed_checks(estimator):
    return {"check_methods_subset_invariance": POOL_DENSITY}


@parametrize_with_checks(SAMPLERS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@parametrize_with_sampler_checks(SAMPLERS)
def test_sampler_contract(sampler, check):
    check(sampler)


@pytest.mark.parametrize("strategy", ["information_density", "graph_density", "dwus"])
@pytest.mark.parametrize("input_name", list(INPUTS))
def test_every_input_form(input_name, strategy):
    make, prep = INPUTS[input_name]
    X, y = make(30, 0)
    X_pool, _ = make(60, 1)
    y = np.asarray(y) % 2  # DWUS is binary
    estimator = model(prep) if strategy == "information_density" else None
    sampler = DensitySampler(estimator, None if prep is None else prep(),
                             strategy=strategy, random_state=0)
    check_select_returns_distinct_indices(sampler, X, y, X_pool)
    check_n_jobs_and_chunks_invariance(sampler, X, y, X_pool)


def test_command_line_runs_the_three_strategies(tmp_path):
    pytest.importorskip("matplotlib")
    from skactive.cli import main

    from .test_cli import SMALL

    out = tmp_path / "out"
    assert main(["demo", "--dataset", "iris", "--strategies",
                 "information_density,graph_density,dwus", "--output", str(out),
                 *SMALL]) == 0
    summary = (out / "summary.csv").read_text()
    for name in ("information_density", "graph_density", "dwus"):
        assert name in summary


def test_graph_density_scores_are_the_densities_after_the_labeled_picks():
    X, _ = data(10, 0)
    X_pool, _ = data(30, 1)
    joined = np.vstack([X, X_pool])
    density, _ = brute_graph(joined, 4, 1 / 3)
    _, A = brute_graph(joined, 4, 1 / 3)
    for i in range(10):
        density[A[i]] -= density[i]
    sampler = DensitySampler(strategy="graph_density", n_neighbors=4).fit(X)
    scores = sampler.score_samples(X_pool)
    assert_allclose(scores, density[10:])
    assert sampler.select(X_pool, 1)[0] == np.argmax(scores)

"""ProbCover: the greedy against a brute force on small graphs, the purity
heuristic on a hand-built example, and DiversitySampler(strategy="probcover")."""

import itertools

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_array_equal
from sklearn.datasets import make_blobs
from sklearn.decomposition import PCA
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import pairwise_distances
from sklearn.utils.estimator_checks import parametrize_with_checks

from skactive import DiversitySampler
from skactive.acquisition import (
    ball_purity,
    coverage_graph,
    max_coverage,
    probcover,
    purity_radius,
)
from skactive.utils._sklearn_compat import InvalidParameterError
from skactive.utils.estimator_checks import (
    check_n_jobs_and_chunks_invariance,
    check_select_returns_distinct_indices,
    parametrize_with_sampler_checks,
)

from .test_common import SETS_N_CLUSTERS
from .test_inputs import INPUTS, embedder


def _brute_force_greedy(adjacency, n_select, covered):
    """Each pick: the vertex whose row covers the most uncovered vertices,
    counted from scratch; ties to the lowest index."""
    covered = covered.copy()
    picks = []
    for _ in range(n_select):
        gains = [(-1 if i in picks else int((adjacency[i] & ~covered).sum()))
                 for i in range(adjacency.shape[0])]
        best = max(gains)
        pick = [i for i, g in enumerate(gains) if g == best][0]
        picks.append(pick)
        covered |= adjacency[pick]
    return picks


def _ties_in_index_order(n):
    """A RandomState whose permutation is the identity: ties to the lowest index."""

    class Identity(np.random.RandomState):
        def permutation(self, x):
            return np.arange(x)

    return Identity(0)


@pytest.mark.parametrize("seed", range(8))
def test_greedy_equals_a_brute_force_on_small_graphs(seed):
    rng = np.random.RandomState(seed)
    X = rng.uniform(size=(25, 2))
    radius = 0.2
    adjacency = pairwise_distances(X) <= radius
    covered = rng.rand(25) < 0.2
    picks = max_coverage(sp.csr_matrix(adjacency), 10, covered=covered,
                         random_state=_ties_in_index_order(25))
    assert picks.tolist() == _brute_force_greedy(adjacency, 10, covered)
    # The coverage graph is the same adjacency, and probcover runs the greedy on it.
    assert_array_equal(coverage_graph(X, radius).toarray().astype(bool), adjacency)
    assert_array_equal(probcover(X, 10, radius, random_state=_ties_in_index_order(25)),
                       _brute_force_greedy(adjacency, 10, np.zeros(25, dtype=bool)))


def test_greedy_coverage_is_within_its_guarantee_of_the_best():
    rng = np.random.RandomState(0)
    X = rng.uniform(size=(14, 2))
    adjacency = pairwise_distances(X) <= 0.3
    picks = max_coverage(sp.csr_matrix(adjacency), 3, random_state=0)
    greedy = adjacency[picks].any(axis=0).sum()
    best = max(adjacency[list(c)].any(axis=0).sum()
               for c in itertools.combinations(range(14), 3))
    assert greedy >= (1 - 1 / np.e) * best


def test_purity_heuristic_on_a_hand_built_example():
    # Two groups on a line; the nearest points of different labels are 4 and 6.
    X = np.array([[0.0], [1.0], [2.0], [4.0], [6.0], [7.0], [8.0], [20.0]])
    labels = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    # Distance of each point to the nearest point of the other label:
    # 6, 5, 4, 2 | 2, 3, 4, 12.
    assert ball_purity(X, labels, 1.9) == 1.0
    assert ball_purity(X, labels, 2.0) == 0.75  # 4 and 6 see each other
    assert ball_purity(X, labels, 3.0) == 0.625
    # purity 1: just below 2; 0.75 (6 of 8 pure): just below 3; 0.5: below 4 and
    # 4 is tied (2 and 8), so 4 points keep r > delta only below 4.
    assert purity_radius(X, labels, purity=1.0) == np.nextafter(2.0, 0)
    assert purity_radius(X, labels, purity=0.75) == np.nextafter(3.0, 0)
    assert purity_radius(X, labels, purity=0.5) == np.nextafter(4.0, 0)
    for purity in (1.0, 0.75, 0.5):
        radius = purity_radius(X, labels, purity=purity)
        assert ball_purity(X, labels, radius) >= purity
        assert ball_purity(X, labels, np.nextafter(radius, np.inf)) < purity


@pytest.mark.parametrize("call, error, match", [
    (lambda: purity_radius([[0.0], [1.0]], [0, 0]), ValueError,
     "same label.*n_clusters >= 2"),
    (lambda: purity_radius([[0.0], [0.0], [1.0]], [0, 1, 1], purity=1.0),
     ValueError, "identical samples carry different labels"),
    (lambda: ball_purity([[0.0], [1.0]], [0, 1, 1], 1.0), ValueError,
     "one label per sample"),
    (lambda: purity_radius([[0.0], [1.0]], [0, 1], purity=0.0),
     InvalidParameterError, "purity"),
    (lambda: max_coverage(sp.csr_matrix(np.ones((2, 3))), 1), ValueError,
     "square"),
    (lambda: max_coverage(sp.eye(3), 4), ValueError, "n_select=4 is larger"),
    (lambda: max_coverage(sp.eye(3), 1, covered=[0, 1, 0]), ValueError,
     "boolean mask"),
    (lambda: probcover([[0.0], [1.0]], 1, 0.5, X_labeled=[[0.0, 1.0]]),
     ValueError, "X_labeled has 2 features but X has 1"),
    (lambda: DiversitySampler(strategy="coreset", delta=1.0).fit([[0.0]]),
     ValueError, "delta=1.0 sets the balls.*'coreset'"),
    (lambda: DiversitySampler(strategy="probcover", delta=1.0, purity=0.9).fit(
        [[0.0]]), ValueError, "purity=0.9 serves the choice of the radius"),
    (lambda: DiversitySampler(strategy="probcover", delta=-1.0).fit([[0.0]]),
     InvalidParameterError, "delta"),
])
def test_bad_inputs_are_refused_clearly(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_the_sampler_is_probcover_on_its_embeddings():
    X, _ = make_blobs(n_samples=300, centers=5, n_features=6, random_state=0)
    pca = FrozenEstimator(PCA(n_components=3, random_state=0).fit(X))
    embeddings = pca.transform(X)
    sampler = DiversitySampler(pca, strategy="probcover", delta=1.5,
                               random_state=0).fit(X[:20])
    expected = probcover(embeddings[20:], 8, 1.5, X_labeled=embeddings[:20],
                         random_state=0)
    assert_array_equal(sampler.select(X[20:], 8), expected)
    scores = sampler.score_samples(X[20:])
    assert scores.argmax() == expected[0]
    # With no delta, the radius is the purity radius of k-means pseudo-labels.
    cold = DiversitySampler(strategy="probcover", n_clusters=5, random_state=0)
    cold.fit(embeddings[:0])
    picks = cold.select(embeddings, 5)
    labels = cold._cluster(embeddings, 5)[0]
    radius = purity_radius(embeddings, labels)
    assert_array_equal(picks, probcover(embeddings, 5, radius, random_state=0))
    # At the lowest budgets ProbCover finds every blob.
    assert np.unique(labels[picks]).size == 5


def test_the_coverage_graph_stores_only_its_edges():
    X, _ = make_blobs(n_samples=500, centers=10, n_features=8, cluster_std=3.0,
                      random_state=0)
    sampler = DiversitySampler(strategy="probcover", n_clusters=10, random_state=0)
    sampler.fit(X[:0])
    radius = purity_radius(X, sampler._cluster(X, 10)[0])
    graph = coverage_graph(X, radius)
    assert sp.issparse(graph)
    assert graph.nnz == (pairwise_distances(X) <= radius).sum()
    assert graph.nnz < 0.1 * X.shape[0] ** 2  # overlapping clusters: small balls


SAMPLERS = [
    DiversitySampler(strategy="probcover", random_state=0),
    DiversitySampler(strategy="probcover", delta=1.0, random_state=0),
    DiversitySampler(PCA(n_components=1), strategy="probcover", metric="cosine",
                     n_clusters=3, random_state=0),
]
POOL_SCORES = (
    "a score is the number of uncovered pool samples in the sample's ball, and "
    "the radius comes from k-means on the pool: scores depend on the pool, by "
    "design"
)
UNUSED_N_CLUSTERS = (
    "the check sets n_clusters=1 on any estimator that has the attribute; with "
    "delta given, n_clusters is unused and refused rather than ignored"
)
COLD_START = "fitting on zero labeled samples is the documented cold start"


def _expected_failed_checks(estimator):
    expected = {"check_methods_subset_invariance": POOL_SCORES}
    if estimator.delta is None:  # k-means of a reordered pool may differ
        expected["check_methods_sample_order_invariance"] = POOL_SCORES
    if estimator.delta is not None:
        expected.update(dict.fromkeys(SETS_N_CLUSTERS, UNUSED_N_CLUSTERS))
    if estimator.transformer is None:
        expected["check_estimators_empty_data_messages"] = COLD_START
    return expected


@parametrize_with_checks(SAMPLERS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@parametrize_with_sampler_checks(SAMPLERS)
def test_sampler_contract(sampler, check):
    check(sampler)


@pytest.mark.parametrize("input_name", list(INPUTS))
@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
def test_every_input_form(input_name, metric):
    make, prep = INPUTS[input_name]
    X, y = make(30, 0)
    X_pool, _ = make(60, 1)
    sampler = DiversitySampler(embedder(prep), strategy="probcover", metric=metric,
                               n_clusters=3, random_state=0)
    check_select_returns_distinct_indices(sampler, X, y, X_pool)
    check_n_jobs_and_chunks_invariance(sampler, X, y, X_pool)


def test_command_line_runs_badge_and_probcover(tmp_path, capsys):
    from skactive.cli import main

    data = tmp_path / "data.csv"
    rng = np.random.RandomState(0)
    lines = ["a,b,c,label"] + [
        f"{i % 3 + rng.normal(scale=0.5):.3f},{rng.normal():.3f},"
        f"{(i % 3) * 2 + rng.normal():.3f},{'abc'[i % 3]}" for i in range(90)]
    data.write_text("\n".join(lines) + "\n")
    assert main(["run", "--data", str(data), "--target", "label", "--strategies",
                 "badge,probcover,random", "--batch-size", "5", "--rounds", "3",
                 "--repeats", "2", "--n-jobs", "1", "--no-progress",
                 "--output", str(tmp_path / "out")]) == 0
    summary = (tmp_path / "out" / "summary.csv").read_text()
    assert "badge" in summary and "probcover" in summary

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.datasets import make_blobs
from sklearn.decomposition import PCA
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import BayesianRidge, LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import InvalidParameterError

import skactive.acquisition._greedy as greedy
from skactive import (
    CommitteeSampler,
    DiversitySampler,
    GreedySampler,
    HybridSampler,
    UncertaintySampler,
)
from skactive.acquisition import (
    closest_to_centers,
    composable_k_center_greedy,
    k_center_greedy,
    round_robin,
    round_robin_quotas,
    typicality,
)


def brute_force_k_center(pool, reference, k, random_state):
    """k-center greedy from its definition: distances by np.linalg.norm, the
    farthest sample each time, exact ties to the highest priority (the
    negated random permutation)."""
    priority = -check_random_state(random_state).permutation(len(pool))

    def farthest(values):
        tied = np.flatnonzero(values == values.max())
        return tied[np.argmax(priority[tied])]

    def distance_to(point):
        return np.linalg.norm(pool - point, axis=1)

    picks = []
    if reference is None:
        picks.append(farthest(-distance_to(pool.mean(axis=0))))
        nearest = distance_to(pool[picks[0]])
    else:
        nearest = np.min([distance_to(r) for r in reference], axis=0)
    while len(picks) < k:
        candidates = nearest.copy()
        candidates[picks] = -np.inf
        picks.append(farthest(candidates))
        nearest = np.minimum(nearest, distance_to(pool[picks[-1]]))
    return np.array(picks)


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of 7 rows catching up 3 centers at a time: exercises the lazy
    bookkeeping of k_center_greedy on small data."""
    monkeypatch.setattr(greedy, "_BLOCK_ROWS", 7)
    monkeypatch.setattr(greedy, "_CENTERS", 3)


@pytest.fixture
def blobs():
    X, y = make_blobs(n_samples=300, centers=[[0, 0], [10, 0], [0, 10], [10, 10],
                                              [5, 20]],
                      cluster_std=1.0, random_state=0)
    return X, y


def test_round_robin_hand_computed():
    # Cluster 0 (3 members) comes before cluster 1 (2 members) in each round.
    labels = [1, 0, 0, 1, 0]
    distances = [0.5, 0.3, 0.1, 0.4, 0.2]
    assert_array_equal(round_robin(labels, distances), [2, 3, 4, 0, 1])
    with pytest.raises(ValueError, match="of one length"):
        round_robin([0, 1], [0.1])


def test_kmeans_takes_one_per_blob_each_round_closest_first(blobs):
    X, y = blobs
    sampler = DiversitySampler(n_clusters=5, random_state=0).fit(X[:0])
    order = sampler.select(X, batch_size=len(X))
    blob_of = y[order]
    for round_ in range(len(X) // 5 // 2):  # while every blob still has members
        assert sorted(blob_of[5 * round_:5 * round_ + 5]) == [0, 1, 2, 3, 4]
    for blob in range(5):
        members = order[blob_of == blob]
        centroid = X[y == blob].mean(axis=0)
        distances = np.linalg.norm(X[members] - centroid, axis=1)
        assert (np.diff(distances) >= 0).all()
    # Scores give the same order, higher first.
    assert_array_equal(np.argsort(-sampler.score_samples(X)), order)


def test_n_clusters_from_labels_or_default(blobs):
    X, y = blobs
    assert DiversitySampler().fit(X, y).n_clusters_ == 5
    assert DiversitySampler().fit(X).n_clusters_ == 10
    assert DiversitySampler(n_clusters=3).fit(X, y).n_clusters_ == 3


def test_fewer_samples_than_clusters_warns(blobs):
    X, _ = blobs
    sampler = DiversitySampler(n_clusters=10, random_state=0).fit(X)
    with pytest.warns(UserWarning, match="fewer than the 10 clusters"):
        picked = sampler.select(X[:4], batch_size=4)
    assert sorted(picked) == [0, 1, 2, 3]


def test_minibatch_clusterer_for_large_pools(blobs):
    X, y = blobs
    sampler = DiversitySampler(
        clusterer=MiniBatchKMeans(batch_size=64, n_init=3), n_clusters=5,
        random_state=0,
    ).fit(X)
    assert sorted(y[sampler.select(X, batch_size=5)]) == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_coreset_equals_brute_force(small_blocks, seed):
    rng = np.random.RandomState(seed)
    pool, reference = rng.randn(60, 3), rng.randn(5, 3)
    sampler = DiversitySampler(strategy="coreset", random_state=seed).fit(reference)
    expected = brute_force_k_center(pool, reference, 25, seed)
    assert_array_equal(sampler.select(pool, batch_size=25), expected)
    nearest = np.min([np.linalg.norm(pool - r, axis=1) for r in reference], axis=0)
    assert_allclose(sampler.score_samples(pool), nearest)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_coreset_tie_rule_equals_brute_force(small_blocks, seed):
    # Integer grid points: squared distances are exact, so ties are exact.
    grid = np.array([[i, j] for i in range(6) for j in range(6)], dtype=float)
    reference = np.array([[0.0, 0.0], [5.0, 5.0]])
    sampler = DiversitySampler(strategy="coreset", random_state=seed).fit(reference)
    expected = brute_force_k_center(grid, reference, 20, seed)
    assert_array_equal(sampler.select(grid, batch_size=20), expected)
    # The tie rule depends on the seed: another seed breaks ties otherwise.
    others = {tuple(brute_force_k_center(grid, reference, 20, s)) for s in range(5)}
    assert len(others) > 1


@pytest.mark.parametrize("seed", [0, 1])
def test_coreset_cold_start(small_blocks, seed):
    grid = np.array([[i, j] for i in range(5) for j in range(5)], dtype=float)
    sampler = DiversitySampler(strategy="coreset", random_state=seed).fit(grid[:0])
    assert sampler.reference_ is None
    picked = sampler.select(grid, batch_size=10)
    assert_array_equal(picked, brute_force_k_center(grid, None, 10, seed))
    assert picked[0] == 12  # the centre of the grid
    assert np.argmax(sampler.score_samples(grid)) == 12


def _squared_to(pool, reference):
    return np.min([((pool - r) ** 2).sum(axis=1) for r in reference], axis=0)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("n_reference", [0, 4])
def test_composable_k_center_greedy_equals_brute_force(small_blocks, seed,
                                                       n_reference):
    # Each block's brute-force greedy (all of a block smaller than the
    # batch), then the brute-force greedy among the union of their picks.
    rng = np.random.RandomState(seed)
    pool, reference = rng.randn(70, 3), rng.randn(n_reference, 3)
    bounds = [0, 30, 36, 70]  # the middle block is smaller than the batch
    blocks = [pool[a:b] for a, b in zip(bounds, bounds[1:])]
    expected_reference = reference if n_reference else None
    candidates = np.concatenate([
        a + brute_force_k_center(block, expected_reference, min(8, len(block)), seed)
        for a, block in zip(bounds, blocks)])
    expected = candidates[brute_force_k_center(pool[candidates], expected_reference,
                                               8, seed)]
    squared = [_squared_to(b, reference) for b in blocks] if n_reference else None
    got = composable_k_center_greedy(blocks, 8, squared_distances=squared,
                                     random_state=seed)
    assert_array_equal(got, expected)


def test_composable_k_center_greedy_refuses_a_batch_larger_than_the_pool():
    with pytest.raises(ValueError, match="n_select=5 is larger than the pool"):
        composable_k_center_greedy([np.zeros((2, 1)), np.ones((2, 1))], 5)


@pytest.mark.parametrize("n_reference", [0, 30])
def test_a_dask_core_set_is_the_composable_core_set_of_its_blocks(blobs,
                                                                 n_reference):
    da = pytest.importorskip("dask.array")
    dask = pytest.importorskip("dask")
    X = blobs[0]
    reference, pool = X[:n_reference], X[n_reference:]
    sampler = DiversitySampler(strategy="coreset", random_state=0).fit(reference)
    blocks = [pool[:100], pool[100:200], pool[200:]]
    squared = [_squared_to(b, reference) for b in blocks] if n_reference else None
    expected = composable_k_center_greedy(blocks, 12, squared_distances=squared,
                                          random_state=0)
    with dask.config.set(scheduler="synchronous"):
        got = sampler.select(da.from_array(pool, chunks=(100, 2)), 12)
    assert_array_equal(got, expected)


@given(counts=st.lists(st.integers(0, 6), min_size=1, max_size=6),
       batch_size=st.integers(0, 40))
@settings(max_examples=60, deadline=None)
def test_round_robin_quotas_count_the_first_batch_of_the_round_robin(counts,
                                                                     batch_size):
    counts = np.asarray(counts)
    labels = np.repeat(np.arange(counts.shape[0]), counts)
    order = np.argsort(-counts, kind="stable")
    if labels.shape[0] == 0:
        assert_array_equal(round_robin_quotas(counts, batch_size), 0)
        return
    first = round_robin(labels, np.zeros(labels.shape[0]),
                        cluster_order=order[order <= labels.max()])[:batch_size]
    expected = np.bincount(labels[first], minlength=counts.shape[0])
    assert_array_equal(round_robin_quotas(counts, batch_size), expected)
    # Another order of the clusters: the first clusters of the order give
    # one more member in the last, partial round.
    reverse = order[::-1]
    first = round_robin(labels, np.zeros(labels.shape[0]),
                        cluster_order=reverse[reverse <= labels.max()])[:batch_size]
    assert_array_equal(round_robin_quotas(counts, batch_size, cluster_order=reverse),
                       np.bincount(labels[first], minlength=counts.shape[0]))


def test_k_center_greedy_function_checks_its_input():
    X = np.arange(8.0).reshape(4, 2)
    with pytest.raises(ValueError, match="n_select must be an integer between 1"):
        k_center_greedy(X, 5)
    with pytest.raises(ValueError, match="one value per sample"):
        k_center_greedy(X, 2, squared_distances=np.ones(3))


def test_cosine_ignores_the_length_of_embeddings():
    rng = np.random.RandomState(0)
    pool, reference = rng.randn(50, 4), rng.randn(6, 4)
    scaled = pool * rng.uniform(0.1, 10, size=(50, 1))
    sampler = DiversitySampler(strategy="coreset", metric="cosine").fit(reference)
    assert_allclose(sampler.score_samples(scaled), sampler.score_samples(pool))
    unit = pool / np.linalg.norm(pool, axis=1, keepdims=True)
    unit_ref = reference / np.linalg.norm(reference, axis=1, keepdims=True)
    expected = 1 - (unit @ unit_ref.T).max(axis=1)
    assert_allclose(sampler.score_samples(pool), expected, atol=1e-12)
    assert_array_equal(sampler.select(scaled, 10), sampler.select(pool, 10))


def test_pipeline_transformer_and_frozen_transformer(digits):
    X, y = digits
    pipe = make_pipeline(StandardScaler(), PCA(n_components=8, random_state=0))
    sampler = DiversitySampler(pipe, strategy="coreset").fit(X[:100], y[:100])
    embed = pipe.fit(X[:100]).transform
    nearest = np.min([np.linalg.norm(embed(X[100:]) - r, axis=1)
                      for r in embed(X[:100])], axis=0)
    assert_allclose(sampler.score_samples(X[100:]), nearest, atol=1e-8)

    frozen = FrozenEstimator(PCA(n_components=8, random_state=0).fit(X))
    cold = DiversitySampler(frozen, strategy="coreset", random_state=0).fit(X[:0])
    assert cold.reference_ is None
    # The frozen PCA's embeddings, from the most central one outwards.
    expected = brute_force_k_center(frozen.transform(X), None, 3, 0)
    assert_array_equal(cold.select(X, batch_size=3), expected)
    with pytest.raises(ValueError, match="Cannot fit the transformer on 0 samples"):
        DiversitySampler(PCA(n_components=2), strategy="coreset").fit(X[:0])




def test_bad_input(digits):
    X, y = digits
    with pytest.raises(InvalidParameterError, match="'transformer' parameter"):
        DiversitySampler(StandardScaler().fit).fit(X)

    class NoTransform:
        def fit(self, X, y=None):
            return self

    with pytest.raises(InvalidParameterError, match="'transformer' parameter"):
        DiversitySampler(NoTransform()).fit(X)
    with pytest.raises(InvalidParameterError, match="'n_clusters' parameter"):
        DiversitySampler(n_clusters=0).fit(X)
    nan_maker = FunctionTransformer(lambda Z: Z * np.nan)
    with pytest.raises(ValueError, match="NaN or infinite embeddings"):
        DiversitySampler(nan_maker, strategy="coreset").fit(X[:10])
    X_nan = X.copy()
    X_nan[3, 3] = np.nan
    sampler = DiversitySampler(strategy="coreset").fit(X[:10])
    with pytest.raises(ValueError, match="Input X contains NaN"):
        sampler.score(X_nan)
    with pytest.raises(ValueError, match="X has 5 features, but DiversitySampler "
                                         "is expecting 64 features"):
        sampler.select(X[:, :5], batch_size=2)
    with pytest.raises(ValueError, match=r"batch_size=1798 is larger than the pool "
                                         r"\(1797 samples\)"):
        sampler.select(X, batch_size=1798)
    with pytest.raises(ValueError, match="batch_size must be at least 1"):
        DiversitySampler().fit(X).select(X, batch_size=0)


def test_coreset_batch_of_j_is_the_first_j_of_the_batch_of_k(blobs):
    X, _ = blobs
    sampler = DiversitySampler(strategy="coreset", random_state=0).fit(X[:20])
    full = sampler.select(X[20:], 15)
    for j in (1, 2, 7, 14):
        assert_array_equal(sampler.select(X[20:], j), full[:j])


# --- huge values (issue 21 item 18) ------------------------------------------

# Squared distances between rows this large overflow float64 (2**1200).
HUGE = 2.0**600


@pytest.mark.parametrize("strategy", ["coreset", "kmeans", "typiclust"])
def test_huge_values_give_the_batch_of_the_problem_at_ordinary_scale(blobs,
                                                                       strategy):
    # Multiplying every embedding by a power of two scales every distance by
    # it: same batch, scores scaled (positions for k-means).
    X, _ = blobs
    reference, pool = X[:20], X[20:]

    def run(factor):
        sampler = DiversitySampler(strategy=strategy, random_state=0,
                                   n_clusters=None if strategy == "coreset" else 5)
        sampler.fit(reference * factor)
        return sampler.select(pool * factor, 8), sampler.score_samples(pool * factor)

    picks, scores = run(1.0)
    huge_picks, huge_scores = run(HUGE)
    assert_array_equal(huge_picks, picks)
    expected = {"coreset": scores * HUGE, "kmeans": scores,
                "typiclust": scores / HUGE}[strategy]
    assert_allclose(huge_scores, expected, rtol=1e-12)


def test_a_row_at_1e200_is_the_farthest_and_leaves_the_others_in_order(blobs):
    X, _ = blobs
    reference, pool = X[:20], X[20:].copy()
    pool[7] = 1e200
    sampler = DiversitySampler(strategy="coreset", random_state=0).fit(reference)
    picks = sampler.select(pool, 6)
    assert picks[0] == 7
    # Every other sample is about 1e200 from it: the rest of the batch is the
    # greedy on the other samples.
    rest = brute_force_k_center(np.delete(pool, 7, axis=0), reference, 5, 0)
    assert_array_equal(picks[1:], rest + (rest >= 7))
    scores = sampler.score_samples(pool)
    assert_allclose(scores[7], np.sqrt(2) * 1e200, rtol=1e-12)
    assert_allclose(np.delete(scores, 7), DiversitySampler(strategy="coreset").fit(
        reference).score_samples(np.delete(pool, 7, axis=0)), rtol=1e-12)


@pytest.mark.parametrize("strategy", ["kmeans", "typiclust"])
def test_kmeans_refuses_values_it_cannot_resolve(blobs, strategy):
    # k-means subtracts the mean: next to 1e200 the other samples become one
    # number, and the batch would come from one cluster.
    X, _ = blobs
    pool = X.copy()
    pool[7] = 1e200
    sampler = DiversitySampler(strategy=strategy, random_state=0,
                               n_clusters=None if strategy == "coreset" else 5)
    with pytest.raises(ValueError, match="up to 1e\\+200 in absolute value, span "
                                         "more orders of magnitude than float64"):
        sampler.fit(X[:3]).select(pool, 5)


def test_cosine_embeds_a_row_at_1e200_by_its_direction():
    sampler = DiversitySampler(strategy="coreset", metric="cosine").fit(np.eye(2))
    assert_allclose(sampler.embed([[1e200, 1e200], [3.0, 4.0]]),
                    [[np.sqrt(0.5), np.sqrt(0.5)], [0.6, 0.8]])


def test_diversity_functions_are_unchanged_by_huge_values(blobs):
    X, y = blobs
    centers = np.array([X[y == c].mean(axis=0) for c in range(5)])
    priority = np.linspace(0, 1, len(X))
    assert_array_equal(k_center_greedy(X * HUGE, 10), k_center_greedy(X, 10))
    assert_allclose(typicality(X * HUGE, labels=y), typicality(X, labels=y) / HUGE,
                    rtol=1e-12)
    assert_array_equal(closest_to_centers(X * HUGE, y, centers * HUGE, priority),
                       closest_to_centers(X, y, centers, priority))
    # A squared distance beyond the float range is inf: the farthest sample.
    squared = np.ones(len(X))
    squared[3] = np.inf
    assert k_center_greedy(X, 2, squared_distances=squared)[0] == 3


@pytest.mark.parametrize("make", [
    lambda: DiversitySampler(),
    lambda: HybridSampler(UncertaintySampler(LogisticRegression())),
    lambda: UncertaintySampler(LogisticRegression()),
    lambda: CommitteeSampler([LogisticRegression(), LogisticRegression(C=0.1)]),
    lambda: UncertaintySampler(BayesianRidge(), strategy="std"),
    lambda: GreedySampler(Ridge()),
])
def test_a_target_with_nan_is_named_y(make):
    # Issue 21 item 21: it said "Input contains NaN." without naming y.
    X = np.arange(20.0).reshape(10, 2)
    y = np.array([0, 1] * 5, dtype=float)
    y[3] = np.nan
    with pytest.raises(ValueError, match="Input y contains NaN"):
        make().fit(X, y)


def brute_typicality(E, K=20):
    out = np.empty(len(E))
    for i in range(len(E)):
        others = np.sort([np.linalg.norm(E[i] - E[j]) for j in range(len(E)) if j != i])
        kk = min(K, len(E) - 1)
        out[i] = 0.0 if kk < 1 else 1 / np.mean(others[:kk])
    return out


def test_typicality_equals_brute_force():
    E = np.random.RandomState(0).randn(40, 3)
    np.testing.assert_allclose(typicality(E), brute_typicality(E))
    np.testing.assert_allclose(typicality(E, n_neighbors=5), brute_typicality(E, 5))
    assert_array_equal(typicality(E[:1]), [0.0])


@pytest.mark.parametrize("n_reference", [0, 12])
def test_typiclust_equals_brute_force(digits, n_reference):
    X, _ = digits
    pool = X[150:450] / 16
    reference = X[:n_reference] / 16
    k = 7
    sampler = DiversitySampler(strategy="typiclust", random_state=0).fit(reference)
    picked = sampler.select(pool, batch_size=k)

    stacked = np.vstack([reference, pool])
    labels = KMeans(n_clusters=n_reference + k, random_state=0).fit(stacked).labels_
    covered = set(labels[:n_reference])
    labels = labels[n_reference:]
    uncovered = [c for c in range(n_reference + k) if c not in covered
                 and np.any(labels == c)]
    uncovered.sort(key=lambda c: (-np.sum(labels == c), c))
    expected = []
    for c in uncovered[:k]:
        members = np.flatnonzero(labels == c)
        expected.append(members[np.argmax(brute_typicality(pool[members]))])
    assert_array_equal(picked, expected)
    assert not set(labels[picked]) & covered


@pytest.mark.parametrize("params, match", [
    (dict(n_clusters=3), "n_clusters=3 sets the k-means clusters of 'kmeans' and "
                         "'typiclust'; strategy='coreset'"),
    (dict(clusterer=KMeans()), r"clusterer=KMeans\(\) is the k-means of 'kmeans' "
                               "and 'typiclust'; strategy='coreset'"),
])
def test_coreset_refuses_the_clustering_parameters_it_would_ignore(digits, params,
                                                                   match):
    X, _ = digits
    with pytest.raises(ValueError, match=match):
        DiversitySampler(strategy="coreset", **params).fit(X[:20])

import warnings

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.linear_model import LogisticRegression
from sklearn.utils._param_validation import InvalidParameterError

from skactive import DiversitySampler, HybridSampler, UncertaintySampler


@pytest.fixture
def data(digits):
    X, y = digits
    return X[:150], y[:150], X[150:750]


def uncertainty_scores(X, y, pool):
    scores = UncertaintySampler(LogisticRegression()).fit(X, y).score(pool)
    assert np.unique(scores).size == scores.size  # tie-free: stable sort = top-k
    return scores


def brute_weighted_kmeans(X, y, pool, k, beta, seed):
    scores = uncertainty_scores(X, y, pool)
    candidates = np.argsort(-scores, kind="stable")[:int(np.ceil(beta * k))]
    E = pool[candidates]
    weights = scores[candidates] - scores.min()
    kmeans = KMeans(n_clusters=k, random_state=seed).fit(E, sample_weight=weights)
    picks = []
    for c, center in enumerate(kmeans.cluster_centers_):
        members = np.flatnonzero(kmeans.labels_ == c)
        distance = [np.linalg.norm(E[i] - center) for i in members]
        picks.append(members[int(np.argmin(distance))])
    picks = sorted(picks, key=lambda i: -scores[candidates[i]])
    return candidates[picks]


def brute_cluster_margin(X, y, pool, k, beta, n_clusters):
    scores = uncertainty_scores(X, y, pool)
    candidates = np.argsort(-scores, kind="stable")[:int(np.ceil(beta * k))]
    labels = AgglomerativeClustering(n_clusters=n_clusters, linkage="average").fit(
        pool[candidates]).labels_
    queues = {c: sorted(np.flatnonzero(labels == c),
                        key=lambda i: -scores[candidates[i]])
              for c in range(n_clusters)}
    order = sorted(queues, key=lambda c: (len(queues[c]), c))
    picks, round_ = [], 0
    while len(picks) < k:
        for c in order:
            if round_ < len(queues[c]) and len(picks) < k:
                picks.append(queues[c][round_])
        round_ += 1
    return candidates[picks]


@pytest.mark.parametrize("k, beta", [(5, 4), (10, 3.5), (8, 1)])
def test_weighted_kmeans_equals_brute_force(data, k, beta):
    X, y, pool = data
    sampler = HybridSampler(UncertaintySampler(LogisticRegression()), beta=beta,
                            random_state=0).fit(X, y)
    assert_array_equal(sampler.select(pool, k),
                       brute_weighted_kmeans(X, y, pool, k, beta, 0))


@pytest.mark.parametrize("k, beta, n_clusters", [(6, 5, None), (10, 3, 4)])
def test_cluster_margin_equals_brute_force(data, k, beta, n_clusters):
    X, y, pool = data
    sampler = HybridSampler(UncertaintySampler(LogisticRegression()),
                            strategy="cluster_margin", beta=beta,
                            n_clusters=n_clusters).fit(X, y)
    expected = brute_cluster_margin(X, y, pool, k, beta, n_clusters or k)
    assert_array_equal(sampler.select(pool, k), expected)


def test_hybrid_avoids_near_duplicates(data):
    X, y, pool = data
    copies = np.repeat(pool[:60], 10, axis=0)  # every sample ten times
    uncertainty = UncertaintySampler(LogisticRegression()).fit(X, y)
    top = uncertainty.select(copies, batch_size=10)
    hybrid = HybridSampler(UncertaintySampler(LogisticRegression()),
                           random_state=0).fit(X, y).select(copies, batch_size=10)
    assert np.unique(copies[top], axis=0).shape[0] < 10  # duplicates picked
    assert np.unique(copies[hybrid], axis=0).shape[0] == 10


@pytest.mark.parametrize("strategy", ["weighted_kmeans", "cluster_margin"])
def test_full_batch_even_when_candidates_coincide(data, strategy):
    X, y, pool = data
    copies = np.repeat(pool[:3], 20, axis=0)  # three distinct points
    sampler = HybridSampler(UncertaintySampler(LogisticRegression()),
                            strategy=strategy, random_state=0).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # KMeans: fewer distinct clusters
        picked = sampler.select(copies, batch_size=8)
    assert np.unique(picked).size == 8
    # The least informative point weighs 0 in weighted k-means; the others
    # are both reached.
    assert np.unique(copies[picked], axis=0).shape[0] >= 2



def test_bad_parameters(data):
    X, y, pool = data
    uncertainty = UncertaintySampler(LogisticRegression())
    with pytest.raises(InvalidParameterError, match="'beta' parameter"):
        HybridSampler(uncertainty, beta=0.5).fit(X, y)
    with pytest.raises(InvalidParameterError, match="'diversity' parameter"):
        HybridSampler(uncertainty, diversity=LogisticRegression()).fit(X, y)
    sampler = HybridSampler(uncertainty).fit(X, y)
    with pytest.raises(ValueError, match="larger than the pool"):
        sampler.select(pool[:5], batch_size=6)
    with pytest.raises(ValueError, match="pool X is empty"):
        sampler.select(pool[:0], batch_size=1)


@pytest.mark.parametrize("strategy, params, match", [
    ("weighted_kmeans", dict(n_clusters=4),
     "n_clusters=4 sets the clusters of strategy='cluster_margin'; "
     "strategy='weighted_kmeans' makes one cluster per sample of the batch"),
    ("cluster_margin", dict(clusterer=KMeans()),
     "clusterer=KMeans\\(\\) is the k-means of strategy='weighted_kmeans'; "
     "strategy='cluster_margin' clusters by average linkage"),
])
def test_a_parameter_the_strategy_ignores_is_refused(data, strategy, params, match):
    X, y, _ = data
    sampler = HybridSampler(UncertaintySampler(LogisticRegression()),
                            strategy=strategy, **params)
    with pytest.raises(ValueError, match=match):
        sampler.fit(X, y)


@pytest.mark.parametrize("strategy", ["weighted_kmeans", "cluster_margin"])
def test_huge_values_give_the_batch_of_the_problem_at_ordinary_scale(data, strategy):
    # Issue 21 item 18: every embedding times 2**600 (squared distances
    # overflow float64), scored by a core-set distance (scaled by 2**600 too):
    # the same batch.
    X, _, pool = data

    def batch(factor):
        sampler = HybridSampler(DiversitySampler(strategy="coreset"),
                                strategy=strategy, beta=4, random_state=0)
        return sampler.fit(X[:30] * factor).select(pool * factor, 8)

    assert_array_equal(batch(2.0**600), batch(1.0))


def test_a_candidate_at_1e200(data):
    # Average linkage compares distances: the sample at 1e200 is a cluster of
    # its own, the smallest, visited first. k-means subtracts the mean, next
    # to which the other candidates become one number: refused, clearly.
    X, y, pool = data
    pool = pool[:100] / 16
    pool[7] = 1e200

    def sampler(strategy):
        return HybridSampler(UncertaintySampler(LogisticRegression()),
                             strategy=strategy, beta=20, random_state=0).fit(
            X / 16, y)

    assert sampler("cluster_margin").select(pool, 5)[0] == 7
    with pytest.raises(ValueError, match="span more orders of magnitude"):
        sampler("weighted_kmeans").select(pool, 5)

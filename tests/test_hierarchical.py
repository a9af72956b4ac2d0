"""Hierarchical sampling (Dasgupta & Hsu, 2008): the bounds, admissibility,
pruning and draws against the paper's rules written out node by node."""

import itertools

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.cluster import AgglomerativeClustering
from sklearn.datasets import make_blobs
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from skactive import HierarchicalSampler
from skactive.acquisition import (
    admissible_labels,
    hierarchical_probabilities,
    hierarchical_pruning,
    hierarchical_sampling,
    label_proportion_bounds,
)
from skactive.utils._sklearn_compat import InvalidParameterError
from skactive.utils.estimator_checks import (
    check_n_jobs_and_chunks_invariance,
    check_select_returns_distinct_indices,
    parametrize_with_sampler_checks,
)

from .test_inputs import INPUTS, embedder

# --- the paper's rules, one node at a time, with plain Python -------------


def _bounds(counts):
    n = sum(counts)
    if n == 0:
        return [0.0] * len(counts), [1.0] * len(counts)
    lower, upper = [], []
    for c in counts:
        p = c / n
        delta = 1 / n + np.sqrt(p * (1 - p) / n)
        lower.append(max(p - delta, 0.0))
        upper.append(min(p + delta, 1.0))
    return lower, upper


def _admissible(lower, upper, beta):
    return [1 - lower[c] < beta * min([1 - upper[o] for o in range(len(upper))
                                       if o != c], default=np.inf)
            for c in range(len(lower))]


def _leaves(children, n, v):
    return [v] if v < n else (_leaves(children, n, children[v - n][0])
                              + _leaves(children, n, children[v - n][1]))


def _brute_pruning(children, labels, beta, n_classes):
    """Recursive best admissible pruning: a node's score is its adjusted
    error, or its children's size-weighted scores when it has an admissible
    label and that is lower."""
    n = len(labels)

    def node(v):
        leaves = _leaves(children, n, v)
        counts = [sum(labels[i] == c for i in leaves) for c in range(n_classes)]
        lower, upper = _bounds(counts)
        adm = _admissible(lower, upper, beta)
        total = sum(counts)
        p = [c / total if total else 1 / n_classes for c in counts]
        error = [1 - p[c] if adm[c] else 1.0 for c in range(n_classes)]
        best = int(np.argmin(error))
        return leaves, counts, lower, adm, error[best], best

    def solve(v):
        leaves, _, _, adm, score, _ = node(v)
        if v >= n and any(adm):
            a, b = children[v - n]
            score_a, prune_a = solve(a)
            score_b, prune_b = solve(b)
            below = (len(_leaves(children, n, a)) * score_a
                     + len(_leaves(children, n, b)) * score_b) / len(leaves)
            if below < score:
                return below, prune_a + prune_b
        return score, [v]

    return sorted(solve(2 * n - 2)[1]), node


def _random_tree(n, seed):
    X = np.random.RandomState(seed).normal(size=(n, 2))
    return AgglomerativeClustering(n_clusters=1, compute_full_tree=True).fit(
        X).children_


# --- the functions -------------------------------------------------------


def test_bounds_follow_the_formula():
    counts = np.array([[3, 1], [0, 0], [5, 0], [1, 1]])
    lower, upper = label_proportion_bounds(counts)
    for row, lo, up in zip(counts, lower, upper):
        expected_lo, expected_up = _bounds(list(row))
        assert_allclose(lo, expected_lo)
        assert_allclose(up, expected_up)


@pytest.mark.parametrize("beta", [1.0, 2.0, 4.0])
def test_admissibility_follows_the_rule(beta):
    rng = np.random.RandomState(0)
    counts = rng.randint(0, 6, size=(30, 3))
    lower, upper = label_proportion_bounds(counts)
    expected = [_admissible(list(lo), list(up), beta) for lo, up in zip(lower, upper)]
    assert_array_equal(admissible_labels(lower, upper, beta=beta), expected)


def test_a_single_class_is_always_admissible():
    assert admissible_labels([[0.0]], [[1.0]]).all()


def _balanced(n_leaves):
    return [[2 * i, 2 * i + 1] for i in range(n_leaves - 1)]


def test_pruning_on_a_small_tree_by_hand():
    children = _balanced(16)
    # Root: 10 of class 0 and 6 of class 1 make class 0 admissible (error
    # 6/16); its halves are pure (0) and 2 + 6 (class 1 admissible, 2/8):
    # splitting gives (8 * 0 + 8 * 0.25) / 16 = 0.125 < 0.375.
    pruning, labels = hierarchical_pruning(children, [0] * 10 + [1] * 6)
    assert_array_equal(pruning, [28, 29])
    assert_array_equal(labels, [0, 1])


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("beta", [1.0, 2.0, 4.0])
def test_pruning_equals_the_recursive_definition(seed, beta):
    rng = np.random.RandomState(seed)
    n = 40
    children = _random_tree(n, seed)
    labels = np.where(rng.rand(n) < 0.6, rng.randint(0, 3, n), -1)
    pruning, pruning_labels = hierarchical_pruning(children, labels, beta=beta,
                                                   n_classes=3)
    expected, node = _brute_pruning(children, labels, beta, 3)
    assert_array_equal(pruning, expected)
    covered = sorted(itertools.chain.from_iterable(
        _leaves(children, n, v) for v in pruning))
    assert covered == list(range(n))
    for v, label in zip(pruning, pruning_labels):
        _, _, _, adm, _, best = node(v)
        if any(adm):
            assert label == best


@pytest.mark.parametrize("seed", range(4))
def test_probabilities_follow_the_weights(seed):
    rng = np.random.RandomState(seed)
    n = 30
    children = _random_tree(n, seed)
    labels = np.where(rng.rand(n) < 0.5, rng.randint(0, 2, n), -1)
    pruning, pruning_labels = hierarchical_pruning(children, labels, n_classes=2)
    weights, members = [], []
    for v, label in zip(pruning, pruning_labels):
        leaves = _leaves(children, n, v)
        counts = [sum(labels[i] == c for i in leaves) for c in range(2)]
        free = [i for i in leaves if labels[i] < 0]
        weights.append(len(leaves) * (1 - _bounds(counts)[0][label]) if free else 0)
        members.append(free)
    expected = np.zeros(n)
    for w, free in zip(weights, members):
        for i in free:
            expected[i] = w / sum(weights) / len(free)
    assert_allclose(hierarchical_probabilities(children, labels, n_classes=2),
                    expected)


def test_draws_match_the_probabilities_in_frequency():
    children = _balanced(16)
    labels = np.array([0] * 5 + [-1] * 5 + [1, 1, -1, -1, -1, -1])
    expected = hierarchical_probabilities(children, labels)
    firsts = [hierarchical_sampling(children, labels, 1, random_state=seed)[0]
              for seed in range(4000)]
    frequency = np.bincount(firsts, minlength=16) / 4000
    assert_allclose(frequency, expected, atol=0.03)


def test_batches_are_distinct_unlabeled_and_seeded():
    children = _random_tree(50, 0)
    labels = np.where(np.arange(50) % 5 == 0, np.arange(50) % 2, -1)
    a = hierarchical_sampling(children, labels, 40, random_state=3)
    assert_array_equal(a, hierarchical_sampling(children, labels, 40, random_state=3))
    assert np.unique(a).shape == (40,)
    assert (labels[a] == -1).all()
    everything = hierarchical_sampling(children, labels, 40, random_state=4)
    assert sorted(everything) == sorted(np.flatnonzero(labels < 0))


@pytest.mark.parametrize("call, error, match", [
    (lambda: hierarchical_pruning([[0, 1]], [0, 1, 1]), ValueError,
     "children must be integer pairs of shape"),
    (lambda: hierarchical_pruning([[0, 0]], [0, 1]), ValueError,
     "not a binary tree"),
    (lambda: hierarchical_pruning([[0, 2]], [0, 1]), ValueError,
     "not a binary tree"),
    (lambda: hierarchical_pruning([[0, 1]], [0.5, 1.0]), ValueError,
     "integer class codes"),
    (lambda: hierarchical_pruning([[0, 1]], [0, -2]), ValueError, "-1 for unlabeled"),
    (lambda: hierarchical_pruning([[0, 1]], [0, 2], n_classes=2), ValueError,
     "n_classes=2"),
    (lambda: hierarchical_pruning([[0, 1]], [0, 1], beta=0), InvalidParameterError,
     "beta"),
    (lambda: hierarchical_sampling([[0, 1]], [0, -1], 2), ValueError,
     "larger than the number of unlabeled"),
    (lambda: label_proportion_bounds([[-1, 2]]), ValueError, "non-negative"),
    (lambda: admissible_labels([[0.1, 0.2]], [[0.3]]), ValueError, "same clusters"),
])
def test_bad_inputs_are_refused_clearly(call, error, match):
    with pytest.raises(error, match=match):
        call()


# --- the sampler ---------------------------------------------------------


def _blobs():
    X, y = make_blobs(n_samples=120, centers=3, random_state=0)
    return X[:20], y[:20], X[20:]


def test_sampler_equals_the_function_on_the_stacked_tree():
    X, y, pool = _blobs()
    sampler = HierarchicalSampler(random_state=5).fit(X, y)
    stacked = np.vstack([X, pool])
    order = np.lexsort(stacked.T[::-1])  # the tree is built on the rows sorted
    children = AgglomerativeClustering(n_clusters=1, compute_full_tree=True).fit(
        stacked[order]).children_
    labels = np.concatenate([y, np.full(len(pool), -1)])[order]
    expected = order[hierarchical_sampling(children, labels, 7, random_state=5)] - 20
    assert_array_equal(sampler.select(pool, 7), expected)
    probabilities = np.empty(len(order))
    probabilities[order] = hierarchical_probabilities(children, labels)
    assert_allclose(sampler.score_samples(pool), probabilities[20:])
    assert_allclose(sampler.score_samples(pool).sum(), 1.0)


def test_the_tree_is_built_once_for_the_same_rows(monkeypatch):
    X, y, pool = _blobs()
    fits = []
    fit = AgglomerativeClustering.fit
    monkeypatch.setattr(AgglomerativeClustering, "fit",
                        lambda self, Z, y=None: fits.append(1) or fit(self, Z))
    sampler = HierarchicalSampler(random_state=5).fit(X, y)
    first = sampler.select(pool, 3)
    # The next round: the first pick labeled, the same rows in another order.
    moved = np.vstack([X, pool[first[:1]]])
    rest = np.delete(pool, first[:1], axis=0)
    sampler.fit(moved, np.append(y, 0)).select(rest, 3)
    assert fits == [1]
    # Not kept when the rows change.
    sampler.fit(moved, np.append(y, 0)).select(rest[1:], 3)
    assert fits == [1, 1]
    fresh = HierarchicalSampler(random_state=5).fit(moved, np.append(y, 0))
    assert_array_equal(fresh.select(rest, 3),
                       sampler.fit(moved, np.append(y, 0)).select(rest, 3))


def test_labels_of_any_type_and_a_transformer():
    X, y, pool = _blobs()
    names = np.array(["a", "b", "c"])[y]
    plain = HierarchicalSampler(random_state=0).fit(
        StandardScaler().fit_transform(X), y)
    scaler = StandardScaler().fit(X)
    scaled = HierarchicalSampler(StandardScaler(), random_state=0).fit(X, names)
    assert_array_equal(scaled.classes_, ["a", "b", "c"])
    assert_array_equal(scaled.select(pool, 5),
                       plain.select(scaler.transform(pool), 5))


def test_one_labeled_class_still_samples():
    X, y, pool = _blobs()
    sampler = HierarchicalSampler(random_state=0).fit(X, np.zeros(20, dtype=int))
    picks = sampler.select(pool, 10)
    assert np.unique(picks).shape == (10,)


def test_bad_targets_are_refused_clearly():
    X, y, _ = _blobs()
    with pytest.raises(ValueError, match="one class label per sample"):
        HierarchicalSampler().fit(X, X[:, 0])


SAMPLERS = [
    HierarchicalSampler(random_state=0),
    HierarchicalSampler(StandardScaler(), linkage="average", random_state=0),
]
SUBSET_SCORES = (
    "a sample's probability of being drawn depends on the whole tree, so on "
    "the pool it is scored with, by design"
)


def _expected_failed_checks(estimator):
    return {"check_methods_subset_invariance": SUBSET_SCORES}


@parametrize_with_checks(SAMPLERS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@parametrize_with_sampler_checks(SAMPLERS)
def test_sampler_contract(sampler, check):
    check(sampler)


@pytest.mark.parametrize("input_name", list(INPUTS))
def test_every_input_form(input_name):
    make, prep = INPUTS[input_name]
    X, y = make(30, 0)
    X_pool, _ = make(60, 1)
    sampler = HierarchicalSampler(embedder(prep), random_state=0)
    check_select_returns_distinct_indices(sampler, X, y, X_pool)
    check_n_jobs_and_chunks_invariance(sampler, X, y, X_pool)

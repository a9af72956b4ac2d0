"""MCM and InfoDiv (Google's margin_cluster_mean and informative_diverse):
the batches against their loops written out in plain Python."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.cluster import KMeans
from sklearn.datasets import make_classification
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.utils.estimator_checks import parametrize_with_checks

from skactive import MarginClusterSampler, UncertaintySampler
from skactive.acquisition import (
    cluster_proportional_margin,
    decision_margin,
    margin_cluster_mean,
    within_margin,
)
from skactive.exceptions import SingleClassWarning
from skactive.utils._sklearn_compat import InvalidParameterError
from skactive.utils.estimator_checks import (
    check_n_jobs_and_chunks_invariance,
    check_select_returns_distinct_indices,
    parametrize_with_sampler_checks,
)

from .test_inputs import INPUTS, model


def _google_informative_diverse(margins, labels, n, proportions):
    """Google's loop, with the filling by margin order."""
    rank = list(np.argsort(margins, kind="stable"))
    counts = [0] * len(proportions)
    batch = []
    for i in rank:
        if len(batch) == n:
            break
        if counts[labels[i]] / n < proportions[labels[i]]:
            batch.append(i)
            counts[labels[i]] += 1
    batch += [i for i in rank if i not in batch][:n - len(batch)]
    return batch


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("n_select", [1, 2, 5, 13])
def test_informative_diverse_equals_the_loop(seed, n_select):
    rng = np.random.RandomState(seed)
    margins = rng.permutation(40) / 40.0  # distinct: no tie-breaking involved
    labels = rng.randint(0, 3, 40)
    proportions = np.bincount(labels, minlength=3) / 40
    expected = _google_informative_diverse(margins, labels, n_select, proportions)
    assert_array_equal(cluster_proportional_margin(margins, labels, n_select),
                       expected)


def test_informative_diverse_with_batch_one_is_margin_sampling():
    X, y = make_classification(n_samples=200, random_state=0)
    for seed in range(5):
        infodiv = MarginClusterSampler(
            LogisticRegression(), strategy="cluster_proportions",
            random_state=seed).fit(X[:30], y[:30])
        plain = UncertaintySampler(LogisticRegression(), random_state=seed).fit(
            X[:30], y[:30])
        assert_array_equal(infodiv.select(X[30:], 1), plain.select(X[30:], 1))


def test_given_proportions_cap_each_cluster():
    margins = np.arange(6) / 10
    labels = [0, 0, 0, 0, 1, 1]
    # Cluster 1 may take up to half of 4: 2 samples, though it is a third.
    assert_array_equal(cluster_proportional_margin(margins, labels, 4,
                                                   proportions=[0.5, 0.5]),
                       [0, 1, 4, 5])


def test_ties_are_broken_by_the_seed():
    margins = np.zeros(30)
    labels = np.zeros(30, dtype=int)
    batches = {tuple(cluster_proportional_margin(margins, labels, 3, random_state=s))
               for s in range(10)}
    assert len(batches) > 1
    assert_array_equal(cluster_proportional_margin(margins, labels, 3, random_state=4),
                       cluster_proportional_margin(margins, labels, 3, random_state=4))


def _google_margin_cluster_mean(margins, X, candidates, n, seed):
    rank = list(np.argsort(margins, kind="stable"))
    members = np.flatnonzero(candidates)
    if len(members) < n:
        return rank[:n]
    kmeans = KMeans(n_clusters=n, n_init=1, random_state=seed).fit(X[members])
    distances = kmeans.transform(X[members])
    medoids = members[sorted(set(np.argmin(distances, axis=0)))]
    picks = sorted(medoids, key=lambda i: margins[i])
    return picks + [i for i in rank if i not in picks][:n - len(picks)]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("n_select", [1, 3, 8])
def test_margin_cluster_mean_equals_the_loop(seed, n_select):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(50, 3))
    margins = rng.permutation(50) / 50.0
    candidates = margins < 0.6
    # The same k-means seed as the function's: its generator's first draw
    # goes to the tie keys, the k-means takes the generator after it.
    state = np.random.RandomState(seed)
    state.randint(2**62)
    expected = _google_margin_cluster_mean(margins, X, candidates, n_select, state)
    assert_array_equal(margin_cluster_mean(margins, X, n_select, candidates=candidates,
                                           random_state=seed), expected)


def test_margin_cluster_mean_of_one_is_the_candidate_nearest_their_mean():
    X = np.array([[0.0], [1.0], [2.0], [3.5], [10.0]])
    margins = np.array([0.01, 0.3, 0.2, 0.1, 0.9])
    candidates = within_margin(margins, labeled_margin=0.5)
    assert_array_equal(candidates, [True, True, True, True, False])
    # Mean 1.625: sample 2 (at 2.0), not the lowest margin (sample 0).
    assert_array_equal(margin_cluster_mean(margins, X, 1, candidates=candidates), [2])


def test_too_few_candidates_fall_back_to_margin_order():
    margins = np.array([0.3, 0.1, 0.2, 0.9])
    X = np.arange(4.0).reshape(-1, 1)
    assert_array_equal(margin_cluster_mean(margins, X, 2, candidates=margins < 0.15),
                       [1, 2])


def test_sampler_mcm_uses_the_labeled_margin_as_threshold():
    X, y = make_classification(n_samples=150, n_features=5, random_state=1)
    X = StandardScaler().fit_transform(X)
    sampler = MarginClusterSampler(SVC(), random_state=0).fit(X[:30], y[:30])
    svc = SVC().fit(X[:30], y[:30])
    labeled = np.abs(svc.decision_function(X[:30])).min()
    assert sampler.response_method_ == "decision_function"
    assert sampler.labeled_margin_ == pytest.approx(labeled)
    pool_margins = np.abs(svc.decision_function(X[30:]))
    expected = margin_cluster_mean(pool_margins, X[30:], 4,
                                   candidates=pool_margins < labeled, random_state=0)
    assert_array_equal(sampler.select(X[30:], 4), expected)
    assert np.allclose(sampler.score_samples(X[30:]), -pool_margins)
    informative = MarginClusterSampler(SVC(), strategy="cluster_proportions")
    assert informative.fit(X[:30], y[:30]).labeled_margin_ is None  # no threshold


def test_pipeline_clusters_the_features_its_model_sees():
    X, y = make_classification(n_samples=120, random_state=2)
    X = X * 100
    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    sampler = MarginClusterSampler(pipe, strategy="cluster_proportions", n_clusters=3,
                                   random_state=0).fit(X[:30], y[:30])
    fitted = sampler.estimator_
    scaled = fitted[:-1].transform(X[30:])
    margins = decision_margin(fitted[-1].decision_function(scaled))
    labels = KMeans(3, n_init=1, random_state=0).fit(scaled).labels_
    assert_array_equal(sampler.select(X[30:], 6),
                       cluster_proportional_margin(margins, labels, 6, random_state=0))


def test_probabilities_without_decision_function():
    X, y = make_classification(n_samples=100, random_state=3)
    sampler = MarginClusterSampler(GaussianNB()).fit(X[:20], y[:20])
    assert sampler.response_method_ == "predict_proba"
    P = GaussianNB().fit(X[:20], y[:20]).predict_proba(X[20:])
    assert np.allclose(sampler.score_samples(X[20:]), -np.abs(P[:, 1] - P[:, 0]))


def test_a_frozen_model_is_not_refitted():
    X, y = make_classification(n_samples=100, random_state=4)
    frozen = FrozenEstimator(LogisticRegression().fit(X[50:], y[50:]))
    sampler = MarginClusterSampler(frozen, random_state=0).fit(X[:20], y[:20])
    assert sampler.estimator_.estimator is frozen.estimator
    assert np.allclose(sampler.score_samples(X[20:50]),
                       -np.abs(frozen.decision_function(X[20:50])))


def test_one_labeled_class_warns_and_ranks_at_random():
    X, y = make_classification(n_samples=60, random_state=5)
    with pytest.warns(SingleClassWarning):
        sampler = MarginClusterSampler(LogisticRegression(), random_state=0).fit(
            X[:10], np.zeros(10))
    assert np.unique(sampler.select(X[10:], 5)).shape == (5,)


@pytest.mark.parametrize("call, error, match", [
    (lambda: cluster_proportional_margin([0.1, 0.2], [0, 1], 3), ValueError,
     "larger than the number of samples"),
    (lambda: cluster_proportional_margin([0.1, 0.2], [0, -1], 1), ValueError,
     "one cluster index"),
    (lambda: cluster_proportional_margin([0.1, 0.2], [0, 1], 1, proportions=[1.0]),
     ValueError, "labels name 2 clusters"),
    (lambda: margin_cluster_mean([0.1, 0.2], [[0.0]], 1), ValueError,
     "same samples"),
    (lambda: margin_cluster_mean([0.1, 0.2], [[0.0], [1.0]], 1, candidates=[True]),
     ValueError, "one boolean per margin"),
    (lambda: MarginClusterSampler(LogisticRegression(), n_clusters=2).fit(
        [[0.0], [1.0]], [0, 1]), ValueError, "leave n_clusters=None"),
    (lambda: MarginClusterSampler(LogisticRegression(), strategy="mcm").fit(
        [[0.0], [1.0]], [0, 1]), InvalidParameterError, "strategy"),
    (lambda: MarginClusterSampler(LogisticRegression()).fit(
        [[0.0], [1.0]], [0.5, 1.5]), ValueError, "one class label per sample"),
])
def test_bad_inputs_are_refused_clearly(call, error, match):
    with pytest.raises(error, match=match):
        call()


SAMPLERS = [
    MarginClusterSampler(LogisticRegression(), random_state=0),
    MarginClusterSampler(make_pipeline(StandardScaler(), LogisticRegression()),
                         strategy="cluster_proportions", random_state=0),
]


UNUSED_N_CLUSTERS = (
    "the check sets n_clusters=1 on any estimator that has the attribute; "
    "strategy='cluster_mean' uses batch_size clusters and refuses it rather than "
    "ignore it (test_bad_inputs_are_refused_clearly checks the refusal)"
)
# The checks of scikit-learn that set n_clusters before fitting.
SETS_N_CLUSTERS = (
    "check_dont_overwrite_parameters", "check_fit2d_1feature", "check_fit2d_1sample",
    "check_fit2d_predict1d", "check_methods_sample_order_invariance",
    "check_methods_subset_invariance",
)


def _expected_failed_checks(estimator):
    if estimator.strategy == "cluster_mean":
        return dict.fromkeys(SETS_N_CLUSTERS, UNUSED_N_CLUSTERS)
    return {}


@parametrize_with_checks(SAMPLERS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@parametrize_with_sampler_checks(SAMPLERS)
def test_sampler_contract(sampler, check):
    check(sampler)


@pytest.mark.parametrize("strategy", ["cluster_mean", "cluster_proportions"])
@pytest.mark.parametrize("input_name", list(INPUTS))
def test_every_input_form(input_name, strategy):
    make, prep = INPUTS[input_name]
    X, y = make(30, 0)
    X_pool, _ = make(60, 1)
    sampler = MarginClusterSampler(model(prep), strategy=strategy, random_state=0)
    check_select_returns_distinct_indices(sampler, X, y, X_pool)
    check_n_jobs_and_chunks_invariance(sampler, X, y, X_pool)

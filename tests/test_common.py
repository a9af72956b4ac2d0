"""scikit-learn's estimator checks and skactive's sampler checks on every
public sampler."""

from unittest import SkipTest

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import make_classification
from sklearn.decomposition import PCA
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.exceptions import SkipTestWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.linear_model import BayesianRidge, LogisticRegression, Ridge
from sklearn.naive_bayes import GaussianNB
from sklearn.svm import LinearSVC
from sklearn.utils.estimator_checks import parametrize_with_checks

from skactive import (
    CommitteeSampler,
    DiversitySampler,
    GreedySampler,
    HybridSampler,
    RandomSampler,
    UncertaintySampler,
)
from skactive._samplers.chunked import ChunkedSampler
from skactive.utils import get_sampler_tags
from skactive.utils.estimator_checks import (
    check_dask_pool,
    check_sampler,
    parametrize_with_sampler_checks,
)

RANDOM_SCORES = (
    "scores are uniform draws for the pool as a whole, so a sample's score "
    "depends on its position in the pool, by design"
)
ROUND_ROBIN_SCORES = (
    "k-means round-robin scores are positions in an order built from the whole "
    "pool (its clusters), so they change with the pool, by design"
)
UNUSED_N_CLUSTERS = (
    "the check sets n_clusters=1 on any estimator that has the attribute; this "
    "strategy clusters nothing by n_clusters and refuses it rather than ignore "
    "it (tests/test_hybrid.py and tests/test_diversity.py check the refusal)"
)
# The checks of scikit-learn that set n_clusters before fitting.
SETS_N_CLUSTERS = (
    "check_dont_overwrite_parameters", "check_fit2d_1feature", "check_fit2d_1sample",
    "check_fit2d_predict1d", "check_methods_sample_order_invariance",
    "check_methods_subset_invariance",
)
COLD_START = (
    "fitting on zero labeled samples is the documented cold start: the "
    "reference set is empty"
)

SAMPLERS = [
    RandomSampler(random_state=0),
    UncertaintySampler(LogisticRegression(), random_state=0),
    UncertaintySampler(LogisticRegression(), strategy="entropy"),
    UncertaintySampler(LogisticRegression(), strategy="least_confidence"),
    UncertaintySampler(LogisticRegression(), strategy="ratio"),
    UncertaintySampler(LogisticRegression(), strategy="probability_variance"),
    UncertaintySampler(LinearSVC(), strategy="margin"),
    DiversitySampler(random_state=0),
    DiversitySampler(strategy="coreset", random_state=0),
    DiversitySampler(PCA(n_components=1), strategy="coreset", metric="cosine"),
    DiversitySampler(PCA(n_components=1), n_clusters=2, random_state=0),
    CommitteeSampler([LogisticRegression(), GaussianNB()]),
    CommitteeSampler([LogisticRegression(), GaussianNB()], strategy="bald",
                     bootstrap=True, random_state=0),
    CommitteeSampler(RandomForestClassifier(n_estimators=5, random_state=0),
                     strategy="bald"),
    DiversitySampler(strategy="typiclust", random_state=0),
    HybridSampler(UncertaintySampler(LogisticRegression()), random_state=0),
    HybridSampler(UncertaintySampler(LogisticRegression()),
                  DiversitySampler(PCA(n_components=1)), strategy="cluster_margin"),
    # Regression
    UncertaintySampler(GaussianProcessRegressor(), strategy="std"),
    UncertaintySampler(BayesianRidge(), strategy="std"),
    UncertaintySampler(RandomForestRegressor(n_estimators=5, random_state=0),
                       strategy="std"),
    CommitteeSampler([Ridge(), Ridge(alpha=10.0)], strategy="prediction_variance",
                     bootstrap=True, random_state=0),
    CommitteeSampler(RandomForestRegressor(n_estimators=5, random_state=0),
                     strategy="prediction_variance"),
    GreedySampler(Ridge(), random_state=0),
    GreedySampler(Ridge(), strategy="gsy", random_state=0),
    GreedySampler(strategy="gsx", random_state=0),
]


def _expected_failed_checks(estimator):
    if isinstance(estimator, RandomSampler):
        return {
            "check_methods_subset_invariance": RANDOM_SCORES,
            "check_methods_sample_order_invariance": RANDOM_SCORES,
        }
    if isinstance(estimator, HybridSampler) and estimator.strategy == "weighted_kmeans":
        return dict.fromkeys(SETS_N_CLUSTERS, UNUSED_N_CLUSTERS)
    if isinstance(estimator, DiversitySampler):
        expected = {}
        if estimator.strategy == "coreset":
            expected.update(dict.fromkeys(SETS_N_CLUSTERS, UNUSED_N_CLUSTERS))
        if estimator.transformer is None:
            expected["check_estimators_empty_data_messages"] = COLD_START
        if estimator.strategy in ("kmeans", "typiclust"):
            expected["check_methods_subset_invariance"] = ROUND_ROBIN_SCORES
            expected["check_methods_sample_order_invariance"] = ROUND_ROBIN_SCORES
        return expected
    return {}


@parametrize_with_checks(SAMPLERS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@parametrize_with_sampler_checks(SAMPLERS)
def test_sampler_contract(sampler, check):
    check(sampler)


def test_ranking_samplers_are_the_ones_that_promise_the_prefix_property():
    ranking = {type(s).__name__ + getattr(s, "strategy", "")
               for s in SAMPLERS if get_sampler_tags(s).ranking}
    assert ranking == {"RandomSampler", "UncertaintySamplermargin",
                       "UncertaintySamplerentropy",
                       "UncertaintySamplerleast_confidence", "UncertaintySamplerratio",
                       "UncertaintySamplerprobability_variance",
                       "DiversitySamplerkmeans", "CommitteeSamplervote_entropy",
                       "CommitteeSamplerbald", "UncertaintySamplerstd",
                       "CommitteeSamplerprediction_variance"}


# The checks catch broken samplers.


class DuplicateSampler(ChunkedSampler):
    """Returns the best sample twice."""

    def __init__(self, *, chunk_size=None, n_jobs=None, random_state=None):
        self.chunk_size = chunk_size
        self.n_jobs = n_jobs
        self.random_state = random_state

    def fit(self, X, y=None):
        self._validate_labeled(X, y)
        return self

    def _score(self, X):
        return np.asarray(X)[:, 0].astype(float)

    def _select(self, X, batch_size):
        best = np.argsort(-self._score(X), kind="stable")
        return np.concatenate([best[:1], best[: batch_size - 1]])


class NJobsSampler(DuplicateSampler):
    """Scores that change with n_jobs."""

    def _score(self, X):
        return np.asarray(X)[:, 0] + (self.n_jobs or 1)

    _select = ChunkedSampler._select


class NoPrefixSampler(DuplicateSampler):
    """A ranking whose ties are broken anew for every batch size."""

    def _score(self, X):
        return np.zeros(len(X))

    def _select(self, X, batch_size):
        return np.random.RandomState(batch_size).permutation(len(X))[:batch_size]


@pytest.mark.parametrize(
    "sampler, ranking, match",
    [
        (DuplicateSampler(), False,
         "(?s)check_select_returns_distinct_indices.*duplicate"),
        (NJobsSampler(), True, "(?s)check_n_jobs_and_chunks_invariance.*n_jobs"),
        (NoPrefixSampler(), True, "(?s)check_prefix_property.*is not the first"),
    ],
)
def test_checks_catch_broken_samplers(sampler, ranking, match):
    with pytest.raises(AssertionError, match=match):
        check_sampler(sampler, ranking=ranking)


def test_the_dask_check_says_when_it_skips():
    pytest.importorskip("dask")
    X, y = make_classification(n_samples=90, n_features=4, random_state=0)
    sampler = UncertaintySampler(LogisticRegression(), random_state=0)
    texts = ["a text", "another text"] * 20
    with pytest.raises(SkipTest, match="check_dask_pool.*list.*dask array"):
        check_dask_pool(sampler, X[:30], y[:30], texts)
    with pytest.raises(SkipTest, match="check_dask_pool.*sparse.*dask array"):
        check_dask_pool(sampler, X[:30], y[:30], sp.csr_matrix(X[30:]))
    # check_sampler runs the other checks and warns, as check_estimator does.
    with pytest.warns(SkipTestWarning, match="check_dask_pool.*sparse"):
        check_sampler(sampler, X[:30], y[:30], sp.csr_matrix(X[30:]))

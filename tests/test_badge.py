"""BADGE: the gradient embedding against finite differences of the log loss,
the seeding from the factors against a brute force on the explicit matrix,
and BadgeSampler's contract."""

import copy
import warnings
from functools import partial

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from scipy.special import expit
from sklearn.datasets import make_classification
from sklearn.decomposition import PCA
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.utils.estimator_checks import parametrize_with_checks

from skactive import BadgeSampler, RandomSampler
from skactive.acquisition import (
    badge,
    factored_kmeans_plusplus,
    gradient_embedding,
    gradient_embedding_factors,
)
from skactive.exceptions import SingleClassWarning
from skactive.utils._sklearn_compat import InvalidParameterError
from skactive.utils.estimator_checks import (
    check_n_jobs_and_chunks_invariance,
    check_select_returns_distinct_indices,
    parametrize_with_sampler_checks,
)

from .test_inputs import INPUTS, model

STEP = 1e-6


def _data(n_classes, n_samples=40, seed=0):
    return make_classification(n_samples=n_samples, n_features=4, n_informative=3,
                               n_redundant=0, n_classes=n_classes,
                               n_clusters_per_class=1, random_state=seed)


def _numeric_gradient(loss, stacked):
    """Central differences of ``loss(stacked)`` over every entry of
    ``stacked`` (perturbed in place, restored), in its row-major order."""
    flat = stacked.reshape(-1)
    assert np.shares_memory(flat, stacked)
    gradient = []
    for i in range(flat.shape[0]):
        saved = flat[i]
        flat[i] = saved + STEP
        up = loss(stacked)
        flat[i] = saved - STEP
        down = loss(stacked)
        flat[i] = saved
        gradient.append((up - down) / (2 * STEP))
    return np.asarray(gradient)


def _softmax_loss(stacked, *, model, x, column):
    """-log p of ``column`` for a linear model with weights | intercepts."""
    model.coef_, model.intercept_ = stacked[:, :-1], stacked[:, -1]
    return -np.log(model.predict_proba(x)[0, column])


def _one_vs_rest_loss(stacked, *, x, target):
    """The sum of the per-class logistic losses of a one-vs-rest model."""
    sigmoid = expit(x @ stacked[:, :-1].T + stacked[:, -1])[0]
    return -np.sum(target * np.log(sigmoid) + (1 - target) * np.log(1 - sigmoid))


def _network_loss(stacked, *, model, x, column):
    """-log p of ``column`` for an MLP whose output layer is weights | intercepts."""
    model.coefs_[-1] = stacked[:, :-1].T.copy()
    model.intercepts_[-1] = stacked[:, -1].copy()
    return -np.log(model.predict_proba(x)[0, column])


def _weights_and_intercepts(coef, intercept):
    """One array [W | b] per class row, so that its ravel follows the
    embedding's order: class by class, the weights then the intercept."""
    return np.ascontiguousarray(np.hstack([coef, intercept.reshape(-1, 1)]))


@pytest.mark.parametrize("n_classes", [2, 3])
def test_logistic_embedding_is_the_gradient_of_the_log_loss(n_classes):
    X, y = _data(n_classes)
    fitted = LogisticRegression(C=0.5).fit(X, y)
    embeddings = gradient_embedding(fitted.predict_proba(X[:5]), X[:5])
    for i in range(5):
        x, predicted = X[i:i + 1], fitted.predict(X[i:i + 1])[0]
        column = list(fitted.classes_).index(predicted)
        model = copy.deepcopy(fitted)
        stacked = _weights_and_intercepts(model.coef_, model.intercept_)
        expected = _numeric_gradient(
            partial(_softmax_loss, model=model, x=x, column=column), stacked)
        # Binary: coef_ has one row, so the embedding has 4 + 1 entries.
        assert embeddings.shape[1] == (1 if n_classes == 2 else n_classes) * 5
        assert_allclose(embeddings[i], expected, rtol=1e-5, atol=1e-8)


def test_one_vs_rest_sgd_embedding_is_the_gradient_of_its_losses():
    X, y = _data(3)
    fitted = SGDClassifier(loss="log_loss", alpha=0.1, random_state=0).fit(X, y)
    sampler = BadgeSampler(FrozenEstimator(fitted)).fit(X, y)
    assert sampler.layer_ == "one_vs_rest"
    residuals, features = sampler.gradient_embedding_factors(X[:4])
    for i in range(4):
        x = X[i:i + 1]
        target = (fitted.classes_ == fitted.predict(x)[0]).astype(float)
        stacked = _weights_and_intercepts(fitted.coef_, fitted.intercept_)
        expected = _numeric_gradient(
            partial(_one_vs_rest_loss, x=x, target=target), stacked)
        assert_allclose(np.outer(residuals[i], features[i]).ravel(), expected,
                        rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_mlp_embedding_is_the_gradient_at_its_last_hidden_layer(n_classes):
    X, y = _data(n_classes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # not converged: any weights will do
        network = MLPClassifier((6, 5), activation="tanh", max_iter=50,
                                random_state=0).fit(X, y)
    sampler = BadgeSampler(FrozenEstimator(network)).fit(X, y)
    assert sampler.layer_ == "hidden_layer"
    residuals, features = sampler.gradient_embedding_factors(X[:4])
    assert features.shape == (4, 5 + 1)
    for i in range(4):
        x = X[i:i + 1]
        column = list(network.classes_).index(network.predict(x)[0])
        model = copy.deepcopy(network)
        stacked = _weights_and_intercepts(model.coefs_[-1].T, model.intercepts_[-1])
        expected = _numeric_gradient(
            partial(_network_loss, model=model, x=x, column=column), stacked)
        assert_allclose(np.outer(residuals[i], features[i]).ravel(), expected,
                        rtol=1e-5, atol=1e-8)


def test_factors_of_sparse_features_stay_sparse_and_equal_the_dense_ones():
    rng = np.random.RandomState(0)
    probabilities = rng.dirichlet(np.ones(3), size=6)
    X = rng.normal(size=(6, 4)) * (rng.rand(6, 4) < 0.5)
    dense = gradient_embedding_factors(probabilities, X)
    residuals, features = gradient_embedding_factors(probabilities, sp.csr_matrix(X))
    assert sp.issparse(features)
    assert_array_equal(residuals, dense[0])
    assert_array_equal(features.toarray(), dense[1])
    assert_allclose(gradient_embedding(probabilities, sp.csr_matrix(X)),
                    gradient_embedding(probabilities, X))


def _brute_force_seeding(embedding, n_select, seed):
    """k-means++ on the explicit rows, with the draws of the factored seeding."""
    rng = np.random.RandomState(seed)
    tie_rank = rng.permutation(embedding.shape[0])
    norms = (embedding ** 2).sum(axis=1)
    first = np.flatnonzero(norms == norms.max())
    picks = [first[np.argmin(tie_rank[first])]]
    for _ in range(n_select - 1):
        squared = ((embedding[:, None, :] - embedding[picks][None]) ** 2).sum(-1)
        weights = squared.min(axis=1)
        weights[picks] = 0
        cumulative = np.cumsum(weights)
        picks.append(int(np.searchsorted(cumulative, rng.uniform() * cumulative[-1],
                                         side="right")))
    return np.array(picks)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("chunk_size", [None, 7])
@pytest.mark.parametrize("sparse", [False, True])
def test_factored_seeding_equals_seeding_on_the_explicit_matrix(seed, chunk_size,
                                                                 sparse):
    rng = np.random.RandomState(seed)
    probabilities = rng.dirichlet(np.ones(4) * 0.5, size=60)
    X = rng.normal(size=(60, 5))
    residuals, features = gradient_embedding_factors(
        probabilities, sp.csr_matrix(X) if sparse else X)
    picks = factored_kmeans_plusplus(residuals, features, 15, random_state=seed,
                                     chunk_size=chunk_size)
    expected = _brute_force_seeding(gradient_embedding(probabilities, X), 15, seed)
    assert_array_equal(picks, expected)
    # The explicit matrix as a factor, times a column of ones: the same draws.
    explicit = gradient_embedding(probabilities, X)
    assert_array_equal(factored_kmeans_plusplus(explicit, np.ones((60, 1)), 15,
                                                random_state=seed), expected)


def test_seeding_on_duplicates_goes_on_in_random_order():
    residuals = np.ones((5, 1))
    features = np.ones((5, 2))  # five copies of one point
    picks = factored_kmeans_plusplus(residuals, features, 5, random_state=0)
    assert sorted(picks) == list(range(5))


def test_badge_function_and_sampler_agree():
    X, y = _data(3, n_samples=120)
    sampler = BadgeSampler(LogisticRegression(), random_state=3).fit(X[:30], y[:30])
    model = LogisticRegression().fit(X[:30], y[:30])
    expected = badge(model.predict_proba(X[30:]), X[30:], 10, random_state=3)
    assert_array_equal(sampler.select(X[30:], 10), expected)
    scores = sampler.score_samples(X[30:])
    residuals, features = gradient_embedding_factors(model.predict_proba(X[30:]),
                                                     X[30:])
    assert_allclose(scores, np.linalg.norm(residuals, axis=1)
                    * np.linalg.norm(features, axis=1))
    assert expected[0] == np.argmax(scores)


def test_pipeline_embeds_the_features_its_last_step_sees():
    X, y = _data(3, n_samples=120)
    pipe = make_pipeline(StandardScaler(), PCA(n_components=3), LogisticRegression())
    sampler = BadgeSampler(pipe, random_state=0).fit(X[:30], y[:30])
    fitted = sampler.estimator_
    residuals, features = sampler.gradient_embedding_factors(X[30:])
    assert features.shape == (90, 4)
    assert_allclose(features[:, :3], fitted[:-1].transform(X[30:]))
    expected = badge(fitted.predict_proba(X[30:]), fitted[:-1].transform(X[30:]), 8,
                     random_state=0)
    assert_array_equal(sampler.select(X[30:], 8), expected)


def test_a_frozen_model_is_neither_refitted_nor_modified():
    X, y = _data(3, n_samples=90)
    model = LogisticRegression().fit(X[:60], y[:60])
    coef = model.coef_.copy()
    sampler = BadgeSampler(FrozenEstimator(model), random_state=0).fit(X[:5], y[:5])
    sampler.select(X[60:], 5)
    assert_array_equal(model.coef_, coef)
    assert_array_equal(sampler.select(X[60:], 5),
                       badge(model.predict_proba(X[60:]), X[60:], 5, random_state=0))


def test_one_labeled_class_warns_and_ranks_at_random():
    X, _ = _data(3, n_samples=40)
    with pytest.warns(SingleClassWarning, match="single class"):
        sampler = BadgeSampler(LogisticRegression(), random_state=0).fit(
            X[:5], np.zeros(5))
    assert_array_equal(sampler.score_samples(X),
                       RandomSampler(random_state=0).fit(X).score_samples(X))
    assert np.unique(sampler.select(X, 10)).size == 10
    with pytest.raises(ValueError, match="single class.*second class"):
        sampler.gradient_embedding_factors(X)


@pytest.mark.parametrize("call, error, match", [
    (lambda: gradient_embedding_factors([[1.0], [1.0]], [[0.0], [1.0]]),
     ValueError, "1 column.*at least two"),
    (lambda: gradient_embedding_factors([[0.5, 0.5]], [[0.0], [1.0]]),
     ValueError, "1 rows but X has 2"),
    (lambda: factored_kmeans_plusplus(np.ones((3, 2)), np.ones((4, 2)), 1),
     ValueError, "residuals has 3 rows but features has 4"),
    (lambda: factored_kmeans_plusplus(np.ones((3, 2)), np.ones((3, 2)), 4),
     ValueError, "n_select=4 is larger than the number of samples"),
    (lambda: factored_kmeans_plusplus(np.ones((3, 2)), np.ones((3, 2)), 0),
     InvalidParameterError, "n_select"),
    (lambda: BadgeSampler(LinearSVC()).fit(*_data(3)),
     InvalidParameterError, "predict_proba"),
    (lambda: BadgeSampler(LogisticRegression()).fit(_data(3)[0],
                                                    np.linspace(0, 1, 40)),
     ValueError, "one class label per sample.*GreedySampler"),
])
def test_bad_inputs_are_refused_clearly(call, error, match):
    with pytest.raises(error, match=match):
        call()


SAMPLERS = [
    BadgeSampler(LogisticRegression(), random_state=0),
    BadgeSampler(make_pipeline(StandardScaler(), LogisticRegression())),
    BadgeSampler(MLPClassifier((5,), max_iter=20, random_state=0), random_state=0),
]


def _expected_failed_checks(estimator):
    return {}


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@parametrize_with_checks(SAMPLERS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@parametrize_with_sampler_checks(SAMPLERS)
def test_sampler_contract(sampler, check):
    check(sampler)


@pytest.mark.parametrize("input_name", list(INPUTS))
def test_every_input_form(input_name):
    make, prep = INPUTS[input_name]
    X, y = make(30, 0)
    X_pool, _ = make(60, 1)
    sampler = BadgeSampler(model(prep), random_state=0)
    check_select_returns_distinct_indices(sampler, X, y, X_pool)
    check_n_jobs_and_chunks_invariance(sampler, X, y, X_pool)

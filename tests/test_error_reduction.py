"""Expected error reduction and variance reduction against brute force: the
refits written out, and the matrix formula with explicit inverses."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_classification
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.estimator_checks import parametrize_with_checks

from skactive import ExpectedErrorReductionSampler, VarianceReductionSampler
from skactive.acquisition import (
    expected_error,
    fisher_information,
    future_error,
    gaussian_nb_future_probabilities,
    variance_reduction,
)
from skactive.exceptions import SingleClassWarning
from skactive.utils.estimator_checks import (
    check_n_jobs_and_chunks_invariance,
    check_select_returns_distinct_indices,
    parametrize_with_sampler_checks,
)

from .test_inputs import INPUTS


def tiny(n_labeled=8, n_pool=7, n_classes=2, seed=0):
    X, y = make_classification(n_samples=n_labeled + n_pool, n_features=3,
                               n_informative=3, n_redundant=0,
                               n_classes=n_classes, n_clusters_per_class=1,
                               random_state=seed)
    order = np.argsort(y[:n_labeled], kind="stable")  # every class labeled
    return X[:n_labeled][order], y[:n_labeled][order], X[n_labeled:]


def brute_force_errors(estimator, X, y, X_pool, loss):
    """Roy & McCallum's E(x), every refit written out."""
    current = estimator.fit(X, y)
    p = current.predict_proba(X_pool)
    classes = current.classes_
    errors = []
    for i in range(len(X_pool)):
        rest = np.delete(X_pool, i, axis=0)
        total = 0.0
        for k, label in enumerate(classes):
            refit = LogisticRegression().fit(np.vstack([X, X_pool[i]]),
                                             np.append(y, label)) \
                if isinstance(estimator, LogisticRegression) else \
                type(estimator)().fit(np.vstack([X, X_pool[i]]), np.append(y, label))
            q = refit.predict_proba(rest)
            if loss == "zero_one":
                pool_error = np.sum(1 - q.max(axis=1))
            else:
                pool_error = -np.sum(q * np.log(np.where(q > 0, q, 1)))
            total += p[i, k] * pool_error
        errors.append(total)
    return np.array(errors)


# Expected error reduction


def test_future_error_values():
    assert_allclose(future_error([[0.7, 0.2, 0.1]]), [0.3])
    assert_allclose(future_error([[0.7, 0.2, 0.1]], loss="log_loss"),
                    [-(0.7 * np.log(0.7) + 0.2 * np.log(0.2) + 0.1 * np.log(0.1))])
    assert_allclose(future_error([[1.0, 0.0]], loss="log_loss"), [0.0])


def test_expected_error_by_hand():
    label_probabilities = [[0.25, 0.75]]
    future = [[[[0.9, 0.1], [0.6, 0.4]], [[0.2, 0.8], [0.5, 0.5]]]]
    assert_allclose(expected_error(label_probabilities, future),
                    [0.25 * (0.1 + 0.4) + 0.75 * (0.2 + 0.5)])


@pytest.mark.parametrize("loss", ["zero_one", "log_loss"])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_sampler_matches_explicit_refits(loss, n_classes):
    X, y, X_pool = tiny(n_labeled=9, n_classes=n_classes)
    sampler = ExpectedErrorReductionSampler(LogisticRegression(), loss=loss)
    errors = sampler.fit(X, y).expected_errors(X_pool)
    expected = brute_force_errors(LogisticRegression(), X, y, X_pool, loss)
    assert_allclose(errors, expected, rtol=1e-10)
    assert_array_equal(sampler.select(X_pool, 1), [np.argmin(expected)])
    assert np.ptp(expected) > 0


@pytest.mark.parametrize("loss", ["zero_one", "log_loss"])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_gaussian_nb_closed_form_equals_refits(loss, n_classes):
    X, y, X_pool = tiny(n_labeled=10, n_pool=9, n_classes=n_classes, seed=1)
    fast = ExpectedErrorReductionSampler(GaussianNB(), loss=loss).fit(X, y)
    slow = ExpectedErrorReductionSampler(GaussianNB(), loss=loss,
                                         method="refit").fit(X, y)
    assert (fast.method_, slow.method_) == ("gaussian_nb", "refit")
    assert_allclose(fast.expected_errors(X_pool), slow.expected_errors(X_pool),
                    rtol=1e-9)
    assert_allclose(slow.expected_errors(X_pool),
                    brute_force_errors(GaussianNB(), X, y, X_pool, loss), rtol=1e-10)


def test_gaussian_nb_closed_form_with_priors_and_smoothing():
    X, y, X_pool = tiny(n_labeled=10, n_pool=5, n_classes=3, seed=2)
    nb = GaussianNB(priors=[0.2, 0.3, 0.5], var_smoothing=0.1).fit(X, y)
    future = gaussian_nb_future_probabilities(
        nb.theta_, nb.var_ - nb.epsilon_, nb.class_count_, X_pool, X_pool,
        feature_means=X.mean(axis=0), feature_variances=X.var(axis=0),
        var_smoothing=0.1, priors=[0.2, 0.3, 0.5])
    for i in range(len(X_pool)):
        for label in range(3):
            refit = GaussianNB(priors=[0.2, 0.3, 0.5], var_smoothing=0.1).fit(
                np.vstack([X, X_pool[i]]), np.append(y, label))
            assert_allclose(future[i, label], refit.predict_proba(X_pool), rtol=1e-9)


def test_monte_carlo_candidates_are_a_seeded_subsample():
    X, y, X_pool = tiny(n_labeled=8, n_pool=12)
    exact = ExpectedErrorReductionSampler(GaussianNB()).fit(X, y).score_samples(X_pool)
    sampler = ExpectedErrorReductionSampler(GaussianNB(), monte_carlo_candidates=4,
                                            random_state=3).fit(X, y)
    scores = sampler.score_samples(X_pool)
    evaluated = scores > -(len(X_pool) - 1) * 0.5 - 1
    assert evaluated.sum() == 4
    assert_allclose(scores[~evaluated], -(len(X_pool) - 1) * 0.5 - 1)
    assert_allclose(scores[evaluated], exact[evaluated])
    assert_array_equal(sampler.score_samples(X_pool), scores)
    assert evaluated[sampler.select(X_pool, 4)].all()


def test_n_jobs_gives_the_same_scores_with_a_pipeline():
    X, y, X_pool = tiny(n_labeled=10, n_pool=9)
    model = make_pipeline(StandardScaler(), SVC(probability=True, random_state=0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # probability=True
        one = ExpectedErrorReductionSampler(model).fit(X, y).score_samples(X_pool)
        two = ExpectedErrorReductionSampler(model, n_jobs=2).fit(X, y).score_samples(
            X_pool)
    assert_array_equal(one, two)


def test_eer_refuses_bad_inputs():
    X, y, X_pool = tiny()
    with pytest.raises(ValueError, match="FrozenEstimator"):
        ExpectedErrorReductionSampler(
            FrozenEstimator(LogisticRegression().fit(X, y))).fit(X, y)
    with pytest.raises(ValueError, match="one class label per sample"):
        ExpectedErrorReductionSampler(LogisticRegression()).fit(X, np.c_[y, y])
    with pytest.raises(ValueError, match="loss"):
        ExpectedErrorReductionSampler(LogisticRegression(), loss="hinge").fit(X, y)
    with pytest.raises(ValueError, match="future_probabilities has shape"):
        expected_error([[0.5, 0.5]], np.full((1, 2, 3, 3), 1 / 3))
    with pytest.raises(ValueError, match="last axis"):
        future_error([[1.0]])


@pytest.mark.parametrize("method", ["auto", "refit"])
def test_a_pool_of_one_sample_is_selected(method):
    # The last round of a whole-pool experiment: no other sample to err on.
    X, y, X_pool = tiny()
    sampler = ExpectedErrorReductionSampler(GaussianNB(), method=method).fit(X, y)
    assert_array_equal(sampler.expected_errors(X_pool[:1]), [0.0])
    assert_array_equal(sampler.select(X_pool[:1]), [0])


def test_single_class_ranks_at_random():
    X, y, X_pool = tiny()
    with pytest.warns(SingleClassWarning):
        sampler = ExpectedErrorReductionSampler(GaussianNB(), random_state=0).fit(
            X, np.zeros_like(y))
    assert sampler.method_ == "random"
    assert_array_equal(sampler.select(X_pool, 3), sampler.select(X_pool, 3))


# Variance reduction


def explicit_fisher(P, X, sigma):
    """Fisher information, one Kronecker product per sample."""
    Xt = np.hstack([X, np.ones((len(X), 1))])
    if P.shape[1] == 2:
        F = sum(p[1] * p[0] * np.outer(x, x) for p, x in zip(P, Xt))
    else:
        F = sum(np.kron(np.diag(p) - np.outer(p, p), np.outer(x, x))
                for p, x in zip(P, Xt))
    return F + np.eye(F.shape[0]) / sigma


def explicit_jacobian(p, x):
    """d p / d theta, one column per class."""
    x = np.append(x, 1.0)
    if len(p) == 2:  # one weight vector: p1 = sigmoid(theta . x)
        g = p[1] * p[0] * x
        return np.column_stack([-g, g])
    W = np.diag(p) - np.outer(p, p)
    return np.kron(W, x[:, None])  # rows (class c, feature j), columns class k


@pytest.mark.parametrize("n_classes", [2, 3])
def test_variance_reduction_against_explicit_inverses(n_classes):
    X, y, X_pool = tiny(n_labeled=12, n_pool=8, n_classes=n_classes, seed=4)
    model = LogisticRegression().fit(X, y)
    P, Q = model.predict_proba(X), model.predict_proba(X_pool)
    sigma = 100.0
    F = explicit_fisher(P, X, sigma)
    assert_allclose(fisher_information(P, X, sigma=sigma), F, rtol=1e-12)
    A = sum(explicit_jacobian(q, x) @ explicit_jacobian(q, x).T
            for q, x in zip(Q, X_pool))
    before = np.trace(A @ np.linalg.inv(F))
    expected = [before - np.trace(A @ np.linalg.inv(
        F + explicit_fisher(Q[[i]], X_pool[[i]], np.inf)))
        for i in range(len(X_pool))]
    assert_allclose(variance_reduction(F, Q, X_pool), expected, rtol=1e-8)
    sampler = VarianceReductionSampler(LogisticRegression(), sigma=sigma).fit(X, y)
    assert_allclose(sampler.score_samples(X_pool), expected, rtol=1e-8)
    assert_array_equal(sampler.select(X_pool, 1), [np.argmax(expected)])


def test_variance_reduction_of_a_frozen_pipeline():
    X, y, X_pool = tiny(n_labeled=12, n_pool=8, seed=5)
    model = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
    frozen = VarianceReductionSampler(FrozenEstimator(model)).fit(X, y)
    refit = VarianceReductionSampler(make_pipeline(StandardScaler(),
                                                   LogisticRegression())).fit(X, y)
    assert_allclose(frozen.score_samples(X_pool), refit.score_samples(X_pool))
    features = model[:-1].transform(X_pool)
    F = fisher_information(model.predict_proba(X), model[:-1].transform(X))
    assert_allclose(frozen.score_samples(X_pool),
                    variance_reduction(F, model.predict_proba(X_pool), features))


def test_variance_reduction_refuses_bad_inputs():
    X, y, X_pool = tiny()
    with pytest.raises(TypeError, match="Fisher information of a logistic"):
        VarianceReductionSampler(DecisionTreeClassifier()).fit(X, y)
    with pytest.raises(ValueError, match="sigma"):
        VarianceReductionSampler(LogisticRegression(), sigma=0).fit(X, y)
    with pytest.raises(ValueError, match="fisher has shape"):
        variance_reduction(np.eye(3), [[0.5, 0.5]], [[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match="one row of class probabilities"):
        fisher_information([[0.5, 0.5]], [[1.0], [2.0]])


def test_variance_reduction_on_sparse_texts():
    docs = ["goal match team", "bread cheese soup", "goal team ball",
            "soup oven bread", "match ball coach", "cheese pasta oven"]
    y = [0, 1, 0, 1, 0, 1]
    sampler = VarianceReductionSampler(make_pipeline(TfidfVectorizer(),
                                                     LogisticRegression()))
    scores = sampler.fit(docs[:4], y[:4]).score_samples(docs)
    assert scores.shape == (6,) and (scores >= 0).all() and scores.max() > 0
    X = sp.csr_matrix(np.eye(4))
    labels = [0, 1, 0, 1]
    dense = VarianceReductionSampler(LogisticRegression()).fit(X.toarray(), labels)
    sparse = VarianceReductionSampler(LogisticRegression()).fit(X, labels)
    assert_allclose(sparse.score_samples(X), dense.score_samples(X.toarray()))


# The sampler contract, every input form.

SAMPLERS = [
    ExpectedErrorReductionSampler(GaussianNB(), random_state=0),
    ExpectedErrorReductionSampler(GaussianNB(), loss="log_loss",
                                  monte_carlo_candidates=5, random_state=0),
    ExpectedErrorReductionSampler(DecisionTreeClassifier(random_state=0),
                                  monte_carlo_candidates=5, random_state=0),
    VarianceReductionSampler(LogisticRegression(), random_state=0),
    VarianceReductionSampler(LogisticRegression(), sigma=100.0),
]
POOL_SCORES = (
    "a candidate's score is the error or variance it leaves on the whole pool, "
    "so it changes with the pool, by design"
)


MONTE_CARLO = (
    "the Monte-Carlo candidates are drawn by position in the pool, so another "
    "order evaluates other samples, by design"
)


def _expected_failed_checks(estimator):
    expected = {"check_methods_subset_invariance": POOL_SCORES}
    if getattr(estimator, "monte_carlo_candidates", None):
        expected["check_methods_sample_order_invariance"] = MONTE_CARLO
    return expected


@parametrize_with_checks(SAMPLERS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@parametrize_with_sampler_checks(SAMPLERS)
def test_sampler_contract(sampler, check):
    check(sampler)


def _model(prep):
    return LogisticRegression() if prep is None else make_pipeline(
        prep(), LogisticRegression())


@pytest.mark.parametrize("input_name", list(INPUTS))
@pytest.mark.parametrize("make_sampler", [
    lambda p: ExpectedErrorReductionSampler(_model(p), monte_carlo_candidates=4,
                                            random_state=0),
    lambda p: VarianceReductionSampler(_model(p)),
], ids=["eer", "vr"])
def test_every_input(make_sampler, input_name):
    make, prep = INPUTS[input_name]
    X, y = make(15, 0)
    X_pool, _ = make(12, 1)
    sampler = make_sampler(prep)
    check_select_returns_distinct_indices(sampler, X, y, X_pool)
    check_n_jobs_and_chunks_invariance(sampler, X, y, X_pool)


def test_command_line_runs_eer_and_vr(tmp_path):
    # Lu et al.'s names on the command line: eer refits the model under
    # evaluation, vr a logistic regression on the preprocessed data.
    from skactive.cli import main

    data = tmp_path / "data.csv"
    rng = np.random.RandomState(0)
    lines = ["a,b,label"] + [
        f"{i % 2 + rng.normal(scale=0.5):.3f},{rng.normal():.3f},{'xy'[i % 2]}"
        for i in range(60)]
    data.write_text("\n".join(lines) + "\n")
    assert main(["run", "--data", str(data), "--target", "label", "--strategies",
                 "eer,vr,random", "--batch-size", "2", "--rounds", "2",
                 "--repeats", "1", "--n-jobs", "1", "--no-progress",
                 "--output", str(tmp_path / "out")]) == 0
    summary = (tmp_path / "out" / "summary.csv").read_text()
    assert "eer" in summary and "vr" in summary

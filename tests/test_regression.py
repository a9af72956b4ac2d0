"""Active learning for regression: predictive std, committees of regressors,
greedy sampling (GSx, GSy, iGS)."""

import itertools

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import load_diabetes
from sklearn.ensemble import (
    BaggingRegressor,
    ExtraTreesRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.frozen import FrozenEstimator
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, WhiteKernel
from sklearn.linear_model import BayesianRidge, LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import check_random_state

from skactive import CommitteeSampler, GreedySampler, UncertaintySampler
from skactive.acquisition import (
    greedy_sampling,
    k_center_greedy,
    prediction_variance,
)


@pytest.fixture(scope="module")
def diabetes():
    X, y = load_diabetes(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return X[:60], y[:60], X[60:]


# --- the formulas -----------------------------------------------------------


def test_prediction_variance_hand_computed():
    Y = [[1.0, 2.0, 5.0], [3.0, 2.0, 1.0], [2.0, 2.0, 3.0]]
    # Sample 0: mean 2, deviations -1, 1, 0 -> 2/3. Sample 2: mean 3 -> 8/3.
    assert_allclose(prediction_variance(Y), [2 / 3, 0, 8 / 3])
    assert_allclose(prediction_variance(iter(np.asarray(Y))), [2 / 3, 0, 8 / 3])


def test_prediction_variance_has_no_cancellation_on_large_values():
    rng = np.random.RandomState(0)
    Y = 1e9 + rng.normal(size=(50, 200))
    assert_allclose(prediction_variance(Y), Y.var(axis=0), rtol=1e-6)


def brute_force_greedy(n_select, inputs=None, input_sq=None, predictions=None,
                       targets=None, random_state=None):
    """GSx/GSy/iGS from their definition: every distance recomputed from
    scratch at every step, ties to the lowest priority."""
    n = len(predictions) if inputs is None else len(inputs)
    priority = check_random_state(random_state).permutation(n)
    picks = []
    for _ in range(n_select):
        score = np.ones(n)
        if inputs is not None:
            d = input_sq.copy()
            for p in picks:
                d = np.minimum(d, ((inputs - inputs[p]) ** 2).sum(axis=1))
            score *= d
        if predictions is not None:
            centers = np.concatenate([targets, predictions[picks]])
            score *= np.min((predictions[:, None] - centers[None]) ** 2, axis=1)
        score[picks] = -np.inf
        tied = np.flatnonzero(score == score.max())
        picks.append(tied[np.argmin(priority[tied])])
    return np.array(picks)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("strategy", ["gsx", "gsy", "igs"])
def test_greedy_sampling_equals_the_definition(seed, strategy):
    rng = np.random.RandomState(seed)
    inputs, labeled = rng.randn(40, 3), rng.randn(4, 3)
    input_sq = ((inputs[:, None] - labeled[None]) ** 2).sum(axis=2).min(axis=1)
    predictions, targets = rng.randn(40), rng.randn(4)
    kwargs = {}
    if strategy != "gsy":
        kwargs.update(inputs=inputs, input_sq=input_sq)
    if strategy != "gsx":
        kwargs.update(predictions=predictions, targets=targets)
    expected = brute_force_greedy(15, random_state=seed, **kwargs)
    got = greedy_sampling(
        15, X=kwargs.get("inputs"), squared_distances=kwargs.get("input_sq"),
        predictions=kwargs.get("predictions"), y_labeled=kwargs.get("targets"),
        random_state=seed)
    assert_array_equal(got, expected)


def test_greedy_sampling_tie_rule_on_integers():
    # Integer predictions and targets: many exact ties, broken by the seed.
    predictions = np.array([0, 2, 4, 6, 8, 10, 12, 14], dtype=float)
    for seed in range(4):
        assert_array_equal(
            greedy_sampling(5, predictions=predictions, y_labeled=[7.0],
                            random_state=seed),
            brute_force_greedy(5, predictions=predictions, targets=np.array([7.0]),
                               random_state=seed))
    batches = {tuple(greedy_sampling(5, predictions=predictions, y_labeled=[7.0],
                                     random_state=s)) for s in range(6)}
    assert len(batches) > 1


def test_gsx_is_the_core_set_greedy():
    rng = np.random.RandomState(0)
    X, sq = rng.randn(50, 4), rng.rand(50)
    assert_array_equal(greedy_sampling(10, X=X, squared_distances=sq, random_state=3),
                       k_center_greedy(X, 10, squared_distances=sq, random_state=3))


@pytest.mark.parametrize("kwargs, match", [
    (dict(), "Pass X and squared_distances"),
    (dict(X=np.zeros((3, 2))), "Pass squared_distances"),
    (dict(predictions=np.zeros(3)), "Pass y_labeled"),
    (dict(predictions=np.zeros(3), y_labeled=[1.0], n_select=4), "larger than"),
])
def test_greedy_sampling_bad_input(kwargs, match):
    kwargs = {"n_select": 2, **kwargs}
    with pytest.raises(ValueError, match=match):
        greedy_sampling(kwargs.pop("n_select"), **kwargs)


# --- the samplers -----------------------------------------------------------


def test_gpr_std_equals_predict_return_std(diabetes):
    X, y, pool = diabetes
    gpr = GaussianProcessRegressor(RBF(5.0) + WhiteKernel(), normalize_y=True)
    sampler = UncertaintySampler(gpr, strategy="std", chunk_size=50).fit(X, y)
    assert sampler.response_method_ == "predict_std"
    expected = gpr.fit(X, y).predict(pool, return_std=True)[1]
    assert_allclose(sampler.score(pool), expected)
    assert np.unique(expected).size == expected.size
    assert_array_equal(sampler.select(pool, 5),
                       np.argsort(-expected, kind="stable")[:5])


@pytest.mark.parametrize("forest", [
    RandomForestRegressor(n_estimators=15, random_state=0),
    ExtraTreesRegressor(n_estimators=15, random_state=0),
    BaggingRegressor(Ridge(), n_estimators=8, max_features=0.5, random_state=0),
])
def test_ensemble_std_is_the_spread_of_the_members_by_hand(diabetes, forest):
    X, y, pool = diabetes
    sampler = UncertaintySampler(forest, strategy="std").fit(X, y)
    fitted = forest.fit(X, y)
    features = getattr(fitted, "estimators_features_",
                       [slice(None)] * len(fitted.estimators_))
    by_hand = np.std([m.predict(pool[:, f])
                      for m, f in zip(fitted.estimators_, features)], axis=0)
    assert_allclose(sampler.score(pool), by_hand, rtol=1e-5, atol=1e-4)
    variance = CommitteeSampler(forest, strategy="variance").fit(X, y).score(pool)
    assert_allclose(variance, by_hand**2, rtol=1e-5, atol=1e-3)


def test_frozen_forest_is_never_refitted(diabetes):
    X, y, pool = diabetes
    forest = RandomForestRegressor(n_estimators=10, random_state=0).fit(X, y)
    nodes = [tree.tree_.node_count for tree in forest.estimators_]
    sampler = UncertaintySampler(FrozenEstimator(forest), strategy="std")
    sampler.fit(pool[:10], y[:10])  # other data: must not refit anything
    expected = np.std([t.predict(pool) for t in forest.estimators_], axis=0)
    assert_allclose(sampler.score(pool), expected, rtol=1e-5, atol=1e-4)
    assert [tree.tree_.node_count for tree in forest.estimators_] == nodes


def test_pipeline_std_and_bayesian_ridge(diabetes):
    X, y, pool = diabetes
    model = make_pipeline(StandardScaler(), BayesianRidge())
    sampler = UncertaintySampler(model, strategy="std").fit(X, y)
    expected = model.fit(X, y).predict(pool, return_std=True)[1]
    assert_allclose(sampler.score(pool), expected)


def test_committee_of_regressors_by_hand(diabetes):
    X, y, pool = diabetes
    members = [Ridge(alpha=0.1), Ridge(alpha=100.0), BayesianRidge()]
    sampler = CommitteeSampler(members, strategy="variance").fit(X, y)
    by_hand = np.var([m.fit(X, y).predict(pool) for m in members], axis=0)
    assert_allclose(sampler.score(pool), by_hand)
    boot = CommitteeSampler([Ridge(), Ridge()], strategy="variance", bootstrap=True,
                            random_state=0).fit(X, y)
    assert boot.score(pool).max() > 0  # bootstrap copies disagree


@pytest.mark.parametrize("strategy", ["gsx", "gsy", "igs"])
def test_greedy_sampler_equals_the_definition(diabetes, strategy):
    X, y, pool = diabetes
    sampler = GreedySampler(Ridge(), strategy=strategy, random_state=0).fit(X, y)
    predictions = Ridge().fit(X, y).predict(pool)
    input_sq = ((pool[:, None] - X[None]) ** 2).sum(axis=2).min(axis=1)
    kwargs = {}
    if strategy != "gsy":
        kwargs.update(inputs=pool, input_sq=input_sq)
    if strategy != "gsx":
        kwargs.update(predictions=predictions, targets=y.astype(float))
    expected = brute_force_greedy(12, random_state=0, **kwargs)
    assert_array_equal(sampler.select(pool, 12), expected)
    first_scores = np.ones(len(pool))
    if strategy != "gsy":
        first_scores *= input_sq
    if strategy != "gsx":
        first_scores *= np.min((predictions[:, None] - y[None]) ** 2, axis=1)
    assert_allclose(sampler.score(pool), np.sqrt(first_scores), rtol=1e-6)


def test_greedy_input_space_is_the_pipeline_preprocessing(diabetes):
    X, y, pool = diabetes
    raw = X * 10 + 3  # scaled inside the pipeline
    sampler = GreedySampler(make_pipeline(StandardScaler(), Ridge()), strategy="gsx",
                            random_state=0).fit(raw, y)
    scaled = StandardScaler().fit(raw)
    expected = GreedySampler(strategy="gsx", random_state=0).fit(
        scaled.transform(raw), y).select(scaled.transform(pool * 10 + 3), 6)
    assert_array_equal(sampler.select(pool * 10 + 3, 6), expected)


@pytest.mark.parametrize("make, match", [
    (lambda: UncertaintySampler(Ridge()),
     "strategy='margin' needs class probabilities, but Ridge is a regressor"),
    (lambda: UncertaintySampler(Ridge(), strategy="std"),
     "strategy='std' needs a predictive standard deviation, which Ridge does not"),
    (lambda: CommitteeSampler([Ridge(), Ridge()]),
     "strategy='vote_entropy' is for classifiers, but the committee is made of "
     "regressors: use strategy='variance'"),
    (lambda: GreedySampler(strategy="gsy"), "pass a regressor as estimator"),
])
def test_bad_regression_setups(diabetes, make, match):
    X, y, _ = diabetes
    with pytest.raises(ValueError, match=match):
        make().fit(X, y)


def test_regression_strategies_refuse_classifiers(diabetes):
    X, _, _ = diabetes
    y = (np.arange(len(X)) % 2)
    with pytest.raises(ValueError, match="strategy='std' is the spread of a "
                                         "regressor's predictions"):
        UncertaintySampler(LogisticRegression(), strategy="std").fit(X, y)
    with pytest.raises(ValueError, match="strategy='variance' is for regressors"):
        CommitteeSampler(RandomForestClassifier(5), strategy="variance").fit(X, y)


def test_greedy_sampler_refuses_multi_output(diabetes):
    X, y, _ = diabetes
    with pytest.raises(ValueError, match="one target per sample"):
        GreedySampler(Ridge()).fit(X, np.column_stack([y, y]))


def test_every_pair_of_strategies_differs(diabetes):
    X, y, pool = diabetes
    batches = {s: tuple(GreedySampler(Ridge(), strategy=s, random_state=0)
                        .fit(X, y).select(pool, 10)) for s in ("gsx", "gsy", "igs")}
    for a, b in itertools.combinations(batches.values(), 2):
        assert a != b

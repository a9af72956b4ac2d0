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
    greedy_distances,
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


def brute_force_greedy(n_select, inputs=None, labeled_inputs=None, predictions=None,
                       targets=None, random_state=None):
    """GSx/GSy/iGS from their definition (Wu, Lin & Huang, 2019, Algorithms
    1-3): the distance of a sample is its minimum over the labeled samples
    and the earlier picks m of ``||x - x_m||`` (GSx), ``|f(x) - y_m|`` (GSy)
    or their product (iGS), an earlier pick's target being its prediction;
    every distance recomputed from scratch at every step, ties to the highest
    priority (the negated random permutation)."""
    n = len(predictions) if inputs is None else len(inputs)
    n_labeled = len(targets) if inputs is None else len(labeled_inputs)
    priority = -check_random_state(random_state).permutation(n)
    picks = []
    for _ in range(n_select):
        score = np.full(n, np.inf)
        for m in [("labeled", j) for j in range(n_labeled)] + picks:
            distance = np.ones(n)
            labeled = isinstance(m, tuple)
            if inputs is not None:
                center = labeled_inputs[m[1]] if labeled else inputs[m]
                distance *= ((inputs - center) ** 2).sum(axis=1)
            if predictions is not None:
                center = targets[m[1]] if labeled else predictions[m]
                distance *= (predictions - center) ** 2
            score = np.minimum(score, distance)
        score[picks] = -np.inf
        tied = np.flatnonzero(score == score.max())
        picks.append(tied[np.argmax(priority[tied])])
    return np.array(picks)


def _greedy_kwargs(strategy, inputs, labeled_inputs, predictions, targets):
    """The brute force's arguments for ``strategy``."""
    kwargs = {}
    if strategy != "gsy":
        kwargs.update(inputs=inputs, labeled_inputs=labeled_inputs)
    if strategy != "gsx":
        kwargs.update(predictions=predictions, targets=targets)
    return kwargs


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("strategy", ["gsx", "gsy", "igs"])
def test_greedy_sampling_equals_the_definition(seed, strategy):
    rng = np.random.RandomState(seed)
    inputs, labeled = rng.randn(40, 3), rng.randn(4, 3)
    predictions, targets = rng.randn(40), rng.randn(4)
    kwargs = _greedy_kwargs(strategy, inputs, labeled, predictions, targets)
    expected = brute_force_greedy(15, random_state=seed, **kwargs)
    got = greedy_sampling(
        kwargs.get("inputs"), 15, X_labeled=kwargs.get("labeled_inputs"),
        predictions=kwargs.get("predictions"), y_labeled=kwargs.get("targets"),
        random_state=seed)
    assert_array_equal(got, expected)


@pytest.mark.parametrize("strategy", ["gsx", "gsy", "igs"])
def test_greedy_distances_are_the_definition_before_any_pick(strategy):
    rng = np.random.RandomState(0)
    inputs, labeled = rng.randn(40, 3), rng.randn(4, 3)
    predictions, targets = rng.randn(40), rng.randn(4)
    kwargs = _greedy_kwargs(strategy, inputs, labeled, predictions, targets)
    squared = np.ones((40, 4))
    if strategy != "gsy":
        squared *= ((inputs[:, None] - labeled[None]) ** 2).sum(axis=2)
    if strategy != "gsx":
        squared *= (predictions[:, None] - targets[None]) ** 2
    distances = greedy_distances(
        kwargs.get("inputs"), X_labeled=kwargs.get("labeled_inputs"),
        predictions=kwargs.get("predictions"), y_labeled=kwargs.get("targets"))
    assert_allclose(distances, np.sqrt(squared.min(axis=1)), rtol=1e-10)
    # The first pick of the greedy is the farthest.
    first = brute_force_greedy(1, random_state=0, **kwargs)[0]
    assert distances[first] == distances.max()


def test_igs_is_the_minimum_of_products_on_diabetes():
    # Issue 21 item 1: the product of the two minima (the old iGS) differs
    # from the minimum of the products from the 2nd pick on.
    X, y = load_diabetes(return_X_y=True)
    labeled, pool = X[:40], X[40:300]
    predictions = Ridge().fit(labeled, y[:40]).predict(pool)
    expected = brute_force_greedy(20, inputs=pool, labeled_inputs=labeled,
                                  predictions=predictions, targets=y[:40],
                                  random_state=0)
    got = greedy_sampling(pool, 20, X_labeled=labeled, predictions=predictions,
                          y_labeled=y[:40], random_state=0)
    assert_array_equal(got, expected)
    sampler = GreedySampler(Ridge(), strategy="igs", random_state=0)
    assert_array_equal(sampler.fit(labeled, y[:40]).select(pool, 20), expected)
    # Scores are the distances before any pick: min over labeled of products.
    products = (((pool[:, None] - labeled[None]) ** 2).sum(axis=2)
                * (predictions[:, None] - y[None, :40]) ** 2)
    assert_allclose(sampler.score(pool), np.sqrt(products.min(axis=1)), rtol=1e-6)


def test_greedy_sampling_tie_rule_on_integers():
    # Integer predictions and targets: many exact ties, broken by the seed.
    predictions = np.array([0, 2, 4, 6, 8, 10, 12, 14], dtype=float)
    for seed in range(4):
        assert_array_equal(
            greedy_sampling(None, 5, predictions=predictions, y_labeled=[7.0],
                            random_state=seed),
            brute_force_greedy(5, predictions=predictions, targets=np.array([7.0]),
                               random_state=seed))
    batches = {tuple(greedy_sampling(None, 5, predictions=predictions, y_labeled=[7.0],
                                     random_state=s)) for s in range(6)}
    assert len(batches) > 1


def test_gsx_is_the_core_set_greedy():
    rng = np.random.RandomState(0)
    X, sq = rng.randn(50, 4), rng.rand(50)
    assert_array_equal(greedy_sampling(X, 10, squared_distances=sq, random_state=3),
                       k_center_greedy(X, 10, squared_distances=sq, random_state=3))


@pytest.mark.parametrize("kwargs, match", [
    (dict(), "Pass X and X_labeled"),
    (dict(X=np.zeros((3, 2))), "Pass X_labeled"),
    (dict(X=np.zeros((3, 2)), squared_distances=np.ones(3), predictions=np.zeros(3),
          y_labeled=[1.0]), "iGS takes X_labeled, not squared_distances"),
    (dict(X=np.zeros((3, 2)), X_labeled=np.zeros((2, 2)), predictions=np.zeros(3),
          y_labeled=[1.0]), "X_labeled and y_labeled the same labeled ones"),
    (dict(X=np.zeros((3, 2)), X_labeled=np.zeros((2, 3))), "same input space"),
    (dict(predictions=np.zeros(3)), "Pass y_labeled"),
    (dict(predictions=np.zeros(3), y_labeled=[1.0], n_select=4), "larger than"),
])
def test_greedy_sampling_bad_input(kwargs, match):
    kwargs = {"X": None, "n_select": 2, **kwargs}
    with pytest.raises(ValueError, match=match):
        greedy_sampling(kwargs.pop("X"), kwargs.pop("n_select"), **kwargs)


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
    committee = CommitteeSampler(forest, strategy="prediction_variance").fit(X, y)
    variance = committee.score(pool)
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
    sampler = CommitteeSampler(members, strategy="prediction_variance").fit(X, y)
    by_hand = np.var([m.fit(X, y).predict(pool) for m in members], axis=0)
    assert_allclose(sampler.score(pool), by_hand)
    boot = CommitteeSampler([Ridge(), Ridge()], strategy="prediction_variance",
                            bootstrap=True, random_state=0).fit(X, y)
    assert boot.score(pool).max() > 0  # bootstrap copies disagree


@pytest.mark.parametrize("strategy", ["gsx", "gsy", "igs"])
def test_greedy_sampler_equals_the_definition(diabetes, strategy):
    X, y, pool = diabetes
    sampler = GreedySampler(Ridge(), strategy=strategy, random_state=0).fit(X, y)
    predictions = Ridge().fit(X, y).predict(pool)
    kwargs = _greedy_kwargs(strategy, pool, X, predictions, y.astype(float))
    expected = brute_force_greedy(12, random_state=0, **kwargs)
    assert_array_equal(sampler.select(pool, 12), expected)
    first_scores = np.ones((len(pool), len(X)))
    if strategy != "gsy":
        first_scores *= ((pool[:, None] - X[None]) ** 2).sum(axis=2)
    if strategy != "gsx":
        first_scores *= (predictions[:, None] - y[None]) ** 2
    assert_allclose(sampler.score(pool), np.sqrt(first_scores.min(axis=1)), rtol=1e-6)


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
     "regressors: use strategy='prediction_variance'"),
    (lambda: GreedySampler(strategy="gsy"), "pass a regressor as estimator"),
    (lambda: GreedySampler(Ridge(), strategy="gsy", transformer=StandardScaler()),
     r"transformer=StandardScaler\(\) maps samples to the input space of 'gsx' "
     "and 'igs'; strategy='gsy' measures distances between predictions only"),
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
    with pytest.raises(ValueError, match="strategy='prediction_variance' is for "
                                         "regressors"):
        CommitteeSampler(RandomForestClassifier(5),
                         strategy="prediction_variance").fit(X, y)


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


# --- huge values (issue 21 item 18) ------------------------------------------

# Squared distances between values this large overflow float64 (2**1200).
HUGE = 2.0**600


@pytest.mark.parametrize("strategy", ["gsx", "gsy", "igs"])
def test_greedy_sampling_is_unchanged_by_huge_values(strategy):
    # Multiplying inputs, or outputs, by a power of two scales every distance
    # by it: the same picks.
    rng = np.random.RandomState(0)
    inputs, labeled = rng.randn(200, 3), rng.randn(10, 3)
    predictions, targets = rng.randn(200), rng.randn(10)

    def picks(factor):
        kwargs = {}
        if strategy != "gsy":
            kwargs.update(X=inputs * factor, X_labeled=labeled * factor)
        if strategy != "gsx":
            kwargs.update(predictions=predictions * factor, y_labeled=targets * factor)
        return greedy_sampling(kwargs.pop("X", None), 15, random_state=0, **kwargs)

    assert_array_equal(picks(HUGE), picks(1.0))


@pytest.mark.parametrize("strategy", ["gsx", "gsy", "igs"])
def test_a_pool_row_at_1e200_is_picked_first_and_leaves_the_others_in_order(
        diabetes, strategy):
    X, y, pool = diabetes
    pool = pool[:150].copy()
    pool[7] = 1e200
    sampler = GreedySampler(Ridge(), strategy=strategy, random_state=0).fit(X, y)
    picks = sampler.select(pool, 8)
    assert picks[0] == 7
    # It is about 1e200 away from every other sample, in inputs and in
    # predictions: the rest of the batch is the batch of the other samples.
    rest = sampler.select(np.delete(pool, 7, axis=0), 7)
    assert_array_equal(picks[1:], rest + (rest >= 7))
    scores = sampler.score(pool)
    # iGS's is about 1e200 * 1e200, beyond the float range: inf.
    assert scores[7] == np.inf if strategy == "igs" else 1e199 < scores[7] < np.inf
    assert_allclose(np.delete(scores, 7), sampler.score(np.delete(pool, 7, axis=0)),
                    rtol=1e-9)

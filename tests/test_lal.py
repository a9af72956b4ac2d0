"""Learning active learning: the state features read off a tiny forest by
hand, the simulations and the regressor reproducible from a seed, and the
sampler's contract."""

import json

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_classification
from sklearn.dummy import DummyRegressor
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from skactive import LALSampler
from skactive.acquisition import (
    _lal,
    fit_lal_regressor,
    forest_lal_features,
    lal_features,
    lal_simulation,
    lal_training_set,
    load_lal_training_set,
    make_lal_problem,
)
from skactive.exceptions import SingleClassWarning
from skactive.utils.estimator_checks import (
    check_n_jobs_and_chunks_invariance,
    check_select_returns_distinct_indices,
    parametrize_with_sampler_checks,
)

from .test_inputs import INPUTS


def small_forest(n_estimators=5, **params):
    return RandomForestClassifier(n_estimators=n_estimators, oob_score=True,
                                  random_state=0, **params)


def binary(n_labeled=20, n_pool=30, seed=0):
    X, y = make_classification(n_samples=n_labeled + n_pool, n_features=4,
                               n_informative=3, n_redundant=0, random_state=seed)
    y[:2] = [0, 1]  # both classes labeled
    return X[:n_labeled], y[:n_labeled], X[n_labeled:]


# A regressor on random features: fast, and enough to test the plumbing.
_rng = np.random.RandomState(0)
REGRESSOR = fit_lal_regressor(_rng.uniform(size=(60, 8)), _rng.uniform(size=60))
FROZEN = FrozenEstimator(REGRESSOR)


# The features


def test_features_by_hand():
    # Three trees, two candidates; three of five labels positive.
    P = [[0.0, 1.0], [0.5, 1.0], [1.0, 1.0]]
    features = lal_features(P, [1, 1, 0, 1, 0], oob_accuracy=0.6,
                            feature_importances=[0.1, 0.2, 0.7], tree_depths=[2, 3, 7])
    sd = np.sqrt(((0.0 - 0.5) ** 2 + 0 + (1.0 - 0.5) ** 2) / 3)
    importances_sd = np.sqrt(((0.1 - 1 / 3) ** 2 + (0.2 - 1 / 3) ** 2
                              + (0.7 - 1 / 3) ** 2) / 3)
    state = [0.6, 0.6, importances_sd, sd / 2, 4.0, 5.0]
    assert_allclose(features, [[0.5, sd, *state], [1.0, 0.0, *state]])


def test_features_read_off_a_forest_of_stumps():
    # Stumps on one feature: each tree is a threshold and two leaf values.
    X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0], [5.0], [6.0], [7.0]])
    y = np.array([0, 0, 1, 0, 1, 1, 1, 0])
    forest = small_forest(3, max_depth=1).fit(X, y)
    pool = np.array([[0.5], [3.5], [6.5]])
    by_hand = []
    for tree in forest.estimators_:
        t = tree.tree_
        leaf = np.where(pool[:, 0] <= t.threshold[0], t.children_left[0],
                        t.children_right[0])
        counts = t.value[leaf, 0, :]
        by_hand.append(counts[:, 1] / counts.sum(axis=1))
    by_hand = np.array(by_hand)
    features = forest_lal_features(forest, pool, y == 1)
    assert_allclose(features[:, 0], by_hand.mean(axis=0))
    assert_allclose(features[:, 1], by_hand.std(axis=0))
    assert_allclose(features[:, 2:], np.tile(
        [0.5, forest.oob_score_, forest.feature_importances_.std(),
         by_hand.std(axis=0).mean(), 1.0, 8.0], (3, 1)))


def test_features_refuse_bad_inputs():
    with pytest.raises(ValueError, match="one depth and one row"):
        lal_features([[0.5, 0.5]], [1, 0], 0.5, [1.0], [1, 2])
    with pytest.raises(ValueError, match="must not be empty"):
        lal_features([[0.5]], [], 0.5, [1.0], [1])
    with pytest.raises(ValueError, match="oob_accuracy"):
        lal_features([[0.5]], [1], 1.5, [1.0], [1])
    X, y, _ = binary()
    with pytest.raises(ValueError, match="oob_score=True"):
        forest_lal_features(RandomForestClassifier(n_estimators=2).fit(X, y), X, y == 1)
    y3 = np.arange(len(y)) % 3
    with pytest.raises(ValueError, match="binary classification; the forest has 3"):
        forest_lal_features(small_forest().fit(X, y3), X, y3 == 1)
    with pytest.raises(ValueError, match="2 columns; LAL.s state has 8"):
        fit_lal_regressor(np.zeros((3, 2)), np.zeros(3))


# The simulations and the regressor


def test_problems_are_seeded_two_class_clouds():
    X, y = make_lal_problem(40, random_state=3)
    again, labels = make_lal_problem(40, random_state=3)
    assert X.shape == (40, 2) and set(y.tolist()) == {0, 1}
    assert_array_equal(X, again)
    assert_array_equal(y, labels)
    assert not np.array_equal(X, make_lal_problem(40, random_state=4)[0])


# A small simulation: 2 problems, 1 state each of at most 4 labels, 2 candidates.
SMALL = dict(n_problems=2, max_labeled=4, n_states=1, n_candidates=2, random_state=1)


@pytest.fixture(scope="module")
def small_simulation():
    return lal_simulation("iterative", **SMALL)


def test_simulations_are_reproducible_from_a_seed(small_simulation):
    features, reductions = small_simulation
    again = lal_simulation("iterative", **SMALL)
    assert_array_equal(features, again[0])
    assert_array_equal(reductions, again[1])
    # The first round is LAL-independent's training set.
    independent = lal_simulation("independent", **SMALL)
    assert_array_equal(features[:4], independent[0])
    assert features.shape == (8, 8)
    # Reductions are differences of two test errors on n_test=200 samples.
    assert_allclose(reductions * 200, np.round(reductions * 200), atol=1e-9)
    assert np.all(np.abs(reductions) <= 1)
    # The state features say what was simulated: 2 to 4 labels.
    assert set(features[:, 7].tolist()) <= {2.0, 3.0, 4.0}
    other = lal_training_set(**{**SMALL, "random_state": 2})
    assert not np.array_equal(other[0], independent[0])


def test_iterative_states_follow_the_regressor(monkeypatch):
    # With a regressor, each next label is the pool sample it scores highest.
    picks = []
    original = _lal._next_label

    def spy(regressor, X, y, labeled, unlabeled, n_estimators, rng):
        pick = original(regressor, X, y, labeled, unlabeled, n_estimators, rng)
        picks.append((regressor, pick, unlabeled))
        return pick

    monkeypatch.setattr(_lal, "_next_label", spy)
    lal_training_set(1, regressor=REGRESSOR, max_labeled=5, n_states=1,
                     n_candidates=1, random_state=0)
    assert picks and all(regressor is REGRESSOR and pick in unlabeled
                         for regressor, pick, unlabeled in picks)


def test_shipped_training_set_round_trips_and_regenerates(tmp_path, monkeypatch,
                                                         small_simulation):
    # The shipped files: their settings, and LAL's columns.
    for mode in ("independent", "iterative"):
        with open(_lal._shipped_path(mode), encoding="utf-8") as file:
            data = json.load(file)
        assert data["mode"] == mode and data["settings"] == _lal.SHIPPED_SETTINGS
        features, reductions = load_lal_training_set(mode)
        assert features.shape == (len(reductions), 8)
    # Regeneration, on a small scale: the file gives back the simulation's
    # numbers exactly, so the regressor fitted on it predicts the same.
    monkeypatch.setattr(_lal, "SHIPPED_SETTINGS", SMALL)
    monkeypatch.setattr(_lal, "_shipped_path", lambda mode: tmp_path / f"{mode}.json")
    assert _lal.main(["--mode", "iterative"]) == 0
    features, reductions = load_lal_training_set("iterative")
    assert_array_equal(features, small_simulation[0])
    assert_array_equal(reductions, small_simulation[1])
    assert_array_equal(fit_lal_regressor(features, reductions).predict(features),
                       fit_lal_regressor(*small_simulation).predict(features))
    assert _lal.main(["--check", "--mode", "iterative"]) == 0
    # A file that the simulation does not give is caught.
    with open(tmp_path / "iterative.json", encoding="utf-8") as file:
        data = json.load(file)
    data["reductions"][0] += 0.5
    with open(tmp_path / "iterative.json", "w", encoding="utf-8") as file:
        json.dump(data, file)
    assert _lal.main(["--check", "--mode", "iterative"]) == 1


# The sampler


def test_scores_are_the_regressors_predictions_of_the_forests_state():
    X, y, X_pool = binary()
    sampler = LALSampler(small_forest(), regressor=FROZEN).fit(X, y)
    forest = small_forest().fit(X, y)
    expected = REGRESSOR.predict(forest_lal_features(forest, X_pool, y == 1))
    assert_allclose(sampler.score_samples(X_pool), expected)
    assert_allclose(sampler.lal_features(X_pool),
                    forest_lal_features(forest, X_pool, y == 1))
    assert expected[sampler.select(X_pool, 1)[0]] == expected.max()  # ties: seeded
    # The shipped regressor by default, fitted once.
    default = LALSampler(small_forest()).fit(X, y)
    assert default.regressor_ is _lal_shipped("iterative")
    assert default.regressor_ is LALSampler(small_forest()).fit(X, y).regressor_
    assert LALSampler(small_forest(), mode="independent").fit(X, y).regressor_ is not (
        default.regressor_)
    # An unfitted regressor is fitted on the shipped training set.
    unfitted = RandomForestRegressor(n_estimators=3, random_state=0)
    sampler = LALSampler(small_forest(), regressor=unfitted).fit(X, y)
    features = forest_lal_features(forest, X_pool, y == 1)
    assert_allclose(sampler.score_samples(X_pool), RandomForestRegressor(
        n_estimators=3, random_state=0).fit(*load_lal_training_set()).predict(features))


def _lal_shipped(mode):
    from skactive._samplers import lal

    return lal._shipped_regressor(mode)


def test_pipelines_and_frozen_forests():
    X, y, X_pool = binary(seed=1)
    pipe = make_pipeline(StandardScaler(), small_forest())
    sampler = LALSampler(pipe, regressor=FROZEN).fit(X, y)
    fitted = make_pipeline(StandardScaler(), small_forest()).fit(X, y)
    features = forest_lal_features(fitted[-1], fitted[:-1].transform(X_pool), y == 1)
    assert_allclose(sampler.score_samples(X_pool), REGRESSOR.predict(features))
    frozen = LALSampler(FrozenEstimator(fitted), regressor=FROZEN).fit(X, y)
    assert_allclose(frozen.score_samples(X_pool), REGRESSOR.predict(features))


def test_default_forest_is_seeded_and_n_jobs_free():
    X, y, X_pool = binary(seed=2)
    one = LALSampler(regressor=FROZEN, random_state=0).fit(X, y)
    two = LALSampler(regressor=FROZEN, random_state=0, n_jobs=2).fit(X, y)
    assert one.estimator_.n_estimators == 50 and one.estimator_.oob_score
    assert_array_equal(one.score_samples(X_pool), two.score_samples(X_pool))
    other = LALSampler(regressor=FROZEN, random_state=1).fit(X, y)
    assert not np.array_equal(one.score_samples(X_pool), other.score_samples(X_pool))


def test_ties_are_broken_by_the_seed():
    X, y, X_pool = binary(seed=3)
    regressor = FrozenEstimator(DummyRegressor().fit(np.zeros((2, 8)), [0.0, 0.0]))
    picks = [LALSampler(small_forest(), regressor=regressor, random_state=s)
             .fit(X, y).select(X_pool, 5) for s in (0, 0, 1)]
    assert_array_equal(picks[0], picks[1])
    assert not np.array_equal(picks[0], picks[2])


def test_single_class_ranks_at_random():
    X, y, X_pool = binary()
    with pytest.warns(SingleClassWarning):
        sampler = LALSampler(small_forest(), random_state=0).fit(X, np.zeros_like(y))
    assert_array_equal(sampler.select(X_pool, 3), sampler.select(X_pool, 3))
    with pytest.raises(ValueError, match="single class"):
        sampler.lal_features(X_pool)


@pytest.mark.parametrize("estimator, y_kind, error, match", [
    (None, "three", ValueError, "binary classification, but y holds 3 classes"),
    (None, "multilabel", ValueError, "one class label per sample"),
    (LogisticRegression(), "binary", TypeError, "describes a random forest"),
    (RandomForestClassifier(), "binary", ValueError, "oob_score=True"),
    (make_pipeline(StandardScaler(), RandomForestClassifier()), "binary", ValueError,
     "oob_score=True"),
])
def test_bad_inputs_are_refused_clearly(estimator, y_kind, error, match):
    X, y, _ = binary()
    y = {"binary": y, "three": np.arange(len(y)) % 3, "multilabel": np.c_[y, y]}[y_kind]
    with pytest.raises(error, match=match):
        LALSampler(estimator, regressor=FROZEN).fit(X, y)
    with pytest.raises(ValueError, match="mode"):
        LALSampler(mode="greedy").fit(*binary()[:2])


# The contract, every input form

# An unfitted regressor, fitted on the shipped training set at each fit:
# scikit-learn's checks deep-copy parameters, and a frozen fitted forest's
# copy does not hash as the original.
SAMPLERS = [
    LALSampler(small_forest(),
               regressor=RandomForestRegressor(n_estimators=3, random_state=0),
               random_state=0),
    LALSampler(make_pipeline(StandardScaler(), small_forest(3)), mode="independent",
               regressor=RandomForestRegressor(n_estimators=3, random_state=0)),
]
POOL_STATE = (
    "a candidate's features include the trees' mean disagreement over the whole "
    "pool, so its score changes with the pool, by design"
)


PIPELINE_NAN = (
    "scikit-learn's Pipeline says allow_nan=False, but StandardScaler and the "
    "forest both take NaN, so fit does not refuse it"
)


def _expected_failed_checks(estimator):
    expected = {"check_methods_subset_invariance": POOL_STATE}
    if hasattr(estimator.estimator, "steps"):
        expected["check_estimators_nan_inf"] = PIPELINE_NAN
    return expected


@parametrize_with_checks(SAMPLERS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


_X, _y, _X_pool = binary(n_labeled=30, n_pool=40, seed=5)


@parametrize_with_sampler_checks(SAMPLERS, _X, _y, _X_pool)
def test_sampler_contract(sampler, check):
    check(sampler)


@pytest.mark.parametrize("input_name", list(INPUTS))
def test_every_input_form(input_name):
    make, prep = INPUTS[input_name]
    X, y = make(20, 0)
    X_pool, _ = make(15, 1)
    forest = small_forest(3)
    sampler = LALSampler(forest if prep is None else make_pipeline(prep(), forest),
                         regressor=FROZEN, random_state=0)
    check_select_returns_distinct_indices(sampler, X, y == 0, X_pool)
    check_n_jobs_and_chunks_invariance(sampler, X, y == 0, X_pool)


import joblib
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.cluster import KMeans
from sklearn.datasets import load_diabetes
from sklearn.ensemble import (
    BaggingRegressor,
    GradientBoostingRegressor,
    HistGradientBoostingRegressor,
    RandomForestRegressor,
)
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.utils._param_validation import InvalidParameterError

from skactive import UncertaintySampler, acquisition

from .conftest import LookupClassifier

STRATEGIES = ["entropy", "least_confidence", "margin", "ratio",
              "probability_variance"]
# The order Encord Active's documentation ranks each function in: True when
# higher comes first.
HIGHER_FIRST = {"entropy": True, "least_confidence": True, "margin": False,
                "ratio": True, "probability_variance": False}


@pytest.fixture
def labeled(digits):
    X, y = digits
    return X[:150], y[:150], X[150:650]


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_scores_follow_the_order_of_encord_active(labeled, strategy):
    X, y, X_pool = labeled
    sampler = UncertaintySampler(LogisticRegression(), strategy=strategy).fit(X, y)
    raw = getattr(acquisition, strategy)(
        LogisticRegression().fit(X, y).predict_proba(X_pool)
    )
    sign = 1 if HIGHER_FIRST[strategy] else -1
    assert_array_equal(sampler.score(X_pool), sign * raw)
    assert_array_equal(sampler.score_samples(X_pool), sign * raw)
    seed_order = np.argsort(-sign * raw, kind="stable")
    assert_array_equal(sampler.select(X_pool, batch_size=25), seed_order[:25])


def test_select_equals_a_full_stable_sort_on_tie_free_scores():
    rng = np.random.RandomState(0)
    proba = rng.dirichlet(np.ones(4), size=300)
    X = np.arange(300).reshape(-1, 1)
    sampler = UncertaintySampler(LookupClassifier(proba)).fit(X, np.arange(300) % 4)
    scores = sampler.score(X)
    assert np.unique(scores).size == scores.size
    full = np.argsort(-scores, kind="stable")
    for k in (1, 2, 17, 299, 300):
        picked = sampler.select(X, batch_size=k)
        assert np.unique(picked).size == k
        assert_array_equal(picked, full[:k])


def test_ties_are_broken_by_the_random_state():
    proba = np.tile([0.5, 0.5], (50, 1))
    X = np.arange(50).reshape(-1, 1)
    batches = {
        seed: UncertaintySampler(LookupClassifier(proba), random_state=seed)
        .fit(X, [0, 1] * 25)
        .select(X, batch_size=10)
        for seed in range(5)
    }
    sampler = UncertaintySampler(LookupClassifier(proba), random_state=3)
    assert_array_equal(sampler.fit(X, [0, 1] * 25).select(X, 10), batches[3])
    assert len({tuple(b) for b in batches.values()}) == 5
    for batch in batches.values():
        assert np.unique(batch).size == 10


def test_ties_at_the_edge_of_the_batch():
    # Two clear winners, then eight samples tied for the last three places.
    proba = np.array([[0.5, 0.5], [0.55, 0.45]] + [[0.9, 0.1]] * 8)
    X = np.arange(10).reshape(-1, 1)
    sampler = UncertaintySampler(LookupClassifier(proba), random_state=0)
    picked = sampler.fit(X, [0, 1] * 5).select(X, batch_size=5)
    assert_array_equal(picked[:2], [0, 1])
    assert set(picked[2:]) <= set(range(2, 10))
    assert np.unique(picked).size == 5


def test_decision_function_binary_and_multiclass(labeled):
    X, y, X_pool = labeled
    binary = y % 2
    svc = LinearSVC().fit(X, binary)
    for strategy in ("margin", "least_confidence"):
        sampler = UncertaintySampler(LinearSVC(), strategy=strategy).fit(X, binary)
        assert sampler.response_method_ == "decision_function"
        expected = -np.abs(svc.decision_function(X_pool))
        assert_array_equal(sampler.score(X_pool), expected)

    decision = LinearSVC().fit(X, y).decision_function(X_pool)
    top_two = np.sort(decision, axis=1)[:, -2:]
    sampler = UncertaintySampler(LinearSVC()).fit(X, y)
    assert_allclose(sampler.score(X_pool), top_two[:, 0] - top_two[:, 1])


def test_estimator_without_probabilities(labeled):
    X, y, _ = labeled
    with pytest.raises(ValueError, match="CalibratedClassifierCV"):
        UncertaintySampler(LinearSVC(), strategy="entropy").fit(X, y)
    calibrated = CalibratedClassifierCV(LinearSVC(), cv=3)
    sampler = UncertaintySampler(calibrated, strategy="entropy").fit(X, y)
    assert sampler.response_method_ == "predict_proba"
    with pytest.raises(TypeError, match="neither predict_proba nor decision_function"):
        UncertaintySampler(KMeans(n_clusters=3)).fit(X, y)
    with pytest.raises(ValueError, match="LinearRegression is a regressor: use "
                                         "strategy='std'"):
        UncertaintySampler(LinearRegression()).fit(X, y)


@pytest.mark.parametrize("model", [
    GradientBoostingRegressor(n_estimators=5, random_state=0),
    HistGradientBoostingRegressor(max_iter=5),
    make_pipeline(StandardScaler(), GradientBoostingRegressor(n_estimators=5)),
    FrozenEstimator(GradientBoostingRegressor(n_estimators=5).fit([[0], [1]], [0, 1])),
])
def test_std_says_boosting_stages_are_not_a_committee(model):
    X, y = load_diabetes(return_X_y=True)
    with pytest.raises(ValueError, match=r"is gradient boosting: its trees are "
                       r"stages.*not a committee.*BaggingRegressor\("
                       r"GradientBoostingRegressor\(\)\)"):
        UncertaintySampler(model, strategy="std").fit(X[:100], y[:100])


def test_std_of_a_forest_on_a_pool_with_missing_values():
    # The forest predicts on NaN, and so does the sampler that reads its trees.
    X, y = load_diabetes(return_X_y=True)
    pool = X[100:].copy()
    pool[::4, 2] = np.nan
    forest = RandomForestRegressor(n_estimators=10, random_state=0)
    sampler = UncertaintySampler(forest, strategy="std").fit(X[:100], y[:100])
    trees = clone(forest).fit(X[:100], y[:100]).estimators_
    by_hand = np.std([tree.predict(pool) for tree in trees], axis=0)
    assert_allclose(sampler.score(pool), by_hand, rtol=1e-5, atol=1e-4)


def test_std_of_bagged_boosting_is_the_spread_of_its_members():
    # What the message proposes: each member is a whole boosted model.
    X, y = load_diabetes(return_X_y=True)
    bagged = BaggingRegressor(GradientBoostingRegressor(n_estimators=10),
                              n_estimators=4, random_state=0)
    sampler = UncertaintySampler(bagged, strategy="std").fit(X[:100], y[:100])
    members = clone(bagged).fit(X[:100], y[:100]).estimators_
    by_hand = np.std([m.predict(X[100:]) for m in members], axis=0)
    assert_allclose(sampler.score(X[100:]), by_hand)
    assert by_hand.min() > 0


def test_callable_strategy(labeled):
    X, y, X_pool = labeled

    def top_probability(P):
        return P.max(axis=1)

    sampler = UncertaintySampler(LogisticRegression(), strategy=top_probability)
    proba = LogisticRegression().fit(X, y).predict_proba(X_pool)
    assert_array_equal(sampler.fit(X, y).score(X_pool), proba.max(axis=1))

    sampler.set_params(strategy=lambda P: P)
    with pytest.raises(ValueError, match="one score per sample"):
        sampler.fit(X, y).score(X_pool)
    sampler.set_params(strategy=lambda P: np.full(P.shape[0], np.nan))
    with pytest.raises(ValueError, match="NaN or infinite"):
        sampler.fit(X, y).score(X_pool)


def test_single_class_falls_back_to_a_seeded_random_order(labeled):
    X, _, X_pool = labeled
    y = np.zeros(X.shape[0])
    sampler = UncertaintySampler(LogisticRegression(), random_state=0)
    with pytest.warns(UserWarning, match="single class"):
        sampler.fit(X, y)
    assert sampler.response_method_ == "random"
    first = sampler.select(X_pool, batch_size=20)
    assert_array_equal(sampler.select(X_pool, batch_size=20), first)
    assert np.unique(first).size == 20
    assert not np.array_equal(first, np.arange(20))


def test_frozen_estimator_is_used_as_is(labeled):
    X, y, X_pool = labeled
    model = LogisticRegression().fit(X, y)
    coef = model.coef_.copy()
    frozen = FrozenEstimator(model)
    sampler = UncertaintySampler(frozen).fit(X_pool[:40], y[:40] % 3)
    assert sampler.estimator_ is frozen
    assert_array_equal(model.coef_, coef)
    expected = -acquisition.margin(model.predict_proba(X_pool))
    assert_array_equal(sampler.score(X_pool), expected)
    sampler.select(X_pool, batch_size=5)
    assert_array_equal(model.coef_, coef)


@pytest.mark.parametrize("n_y", [149, 151])
def test_X_and_y_of_different_lengths(labeled, n_y):
    # A frozen model is not fitted, so nothing else would notice.
    X, y, _ = labeled
    frozen = FrozenEstimator(LogisticRegression(max_iter=500).fit(X, y))
    with pytest.raises(ValueError, match=r"inconsistent numbers of samples: "
                                         rf"\[150, {n_y}\]"):
        UncertaintySampler(frozen).fit(X, np.resize(y, n_y))


def test_pipelines_both_ways(labeled):
    X, y, X_pool = labeled
    inner = make_pipeline(StandardScaler(), LogisticRegression())
    sampler = UncertaintySampler(inner).fit(X, y)
    proba = clone(inner).fit(X, y).predict_proba(X_pool)
    assert_array_equal(sampler.score(X_pool), -acquisition.margin(proba))

    pipe = make_pipeline(StandardScaler(), UncertaintySampler(LogisticRegression()))
    pipe.fit(X, y)
    expected = pipe[-1].score(pipe[:-1].transform(X_pool))
    assert expected.shape == (X_pool.shape[0],)
    assert_array_equal(pipe.score(X_pool), expected)
    assert_array_equal(pipe.score_samples(X_pool), expected)
    picked = pipe[-1].select(pipe[:-1].transform(X_pool), batch_size=5)
    assert_array_equal(picked, np.argsort(-expected, kind="stable")[:5])


def test_dask_backend_gives_the_serial_result(labeled):
    distributed = pytest.importorskip("distributed")
    X, y, X_pool = labeled
    sampler = UncertaintySampler(LogisticRegression(), chunk_size=100,
                                 random_state=0).fit(X, y)
    expected_scores = sampler.score(X_pool)
    expected_batch = sampler.select(X_pool, 30)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster, distributed.Client(cluster):
        with joblib.parallel_config(backend="dask"):
            scores = sampler.score(X_pool)
            batch = sampler.select(X_pool, 30)
    assert_array_equal(scores, expected_scores)
    assert_array_equal(batch, expected_batch)


# Bad input: one test per case, each with the message it must show.


@pytest.fixture
def fitted(labeled):
    X, y, _ = labeled
    return UncertaintySampler(LogisticRegression()).fit(X, y)


@pytest.mark.parametrize(
    "proba, match",
    [
        ([[0.5, np.nan], [0.5, 0.5]], "NaN or infinity"),
        ([[np.inf, 0.0], [0.5, 0.5]], "NaN or infinity"),
        ([[1.5, -0.5], [0.5, 0.5]], r"outside \[0, 1\]"),
        ([[0.5, 0.5], [0.3, 0.3]], "row 1 sums to 0.6"),
        ([[1.0], [1.0]], "1 column"),
    ],
)
def test_bad_probabilities_from_the_model(proba, match):
    X = np.array([[0], [1]])
    sampler = UncertaintySampler(LookupClassifier(proba), strategy="entropy")
    sampler.fit(X, [0, 1])
    with pytest.raises(ValueError, match=match):
        sampler.score(X)


def test_wrong_number_of_features(fitted, labeled):
    # The estimator inside validates the pool (so that a ColumnTransformer
    # may select its columns by name, in any order).
    with pytest.raises(ValueError, match="X has 3 features, but LogisticRegression "
                                         "is expecting 64 features"):
        fitted.score(labeled[2][:, :3])


def test_score_before_fit(labeled):
    with pytest.raises(NotFittedError, match="not fitted yet"):
        UncertaintySampler(LogisticRegression()).score(labeled[2])
    with pytest.raises(NotFittedError, match="not fitted yet"):
        UncertaintySampler(LogisticRegression()).select(labeled[2])


def test_unknown_strategy(labeled):
    X, y, _ = labeled
    with pytest.raises(InvalidParameterError, match="'strategy' parameter"):
        UncertaintySampler(LogisticRegression(), strategy="confidence").fit(X, y)


def test_one_dimensional_X(fitted, labeled):
    with pytest.raises(ValueError, match="Expected 2D array"):
        fitted.score(labeled[2][0])
    with pytest.raises(ValueError, match="Expected 2D array"):
        UncertaintySampler(LogisticRegression()).fit(labeled[0][:, 0], labeled[1])


def test_y_is_required(labeled):
    with pytest.raises(ValueError, match="requires y to be passed"):
        UncertaintySampler(LogisticRegression()).fit(labeled[0], None)


# --- every strategy through the sampler, against its formula -----------------
# Lookup models feed exact outputs: row i of the pool is the integer X[i, 0].


class LookupDecision(LookupClassifier):
    """A classifier with only a decision function, ``proba`` its values."""

    predict_proba = property(doc="none")  # hasattr(model, "predict_proba") is False

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def decision_function(self, X):
        return np.asarray(self.proba)[np.asarray(X)[:, 0].astype(int)]


class LookupStd(LookupClassifier):
    """A regressor whose predictive standard deviations are ``proba``."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "regressor"
        return tags

    def fit(self, X, y):
        return self

    def predict(self, X, return_std=False):
        std = np.asarray(self.proba)[np.asarray(X)[:, 0].astype(int)]
        return (np.zeros_like(std), std) if return_std else np.zeros_like(std)


class LookupMultilabel(LookupClassifier):
    """A multilabel classifier whose label probabilities are ``proba``."""

    def fit(self, X, y):
        return self


P = np.array([[0.5, 0.3, 0.2], [0.9, 0.05, 0.05], [1 / 3, 1 / 3, 1 / 3],
              [0.6, 0.4, 0.0]])
COSTS = np.array([[0, 1, 4], [2, 0, 1], [8, 3, 0.0]])
Q = np.array([[0.9, 0.6, 0.1], [0.5, 0.4, 0.3], [0.2, 0.3, 0.05],
              [0.7, 0.8, 0.9]])
ROWS = np.arange(4).reshape(-1, 1)


def _by_formula(strategy):
    """Scores of ``strategy`` on ``P``, from its formula, higher first."""
    ordered = -np.sort(-P, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(P > 0, P * np.log2(P), 0.0)
    return {
        "entropy": -plogp.sum(axis=1),
        "least_confidence": 1 - ordered[:, 0],
        "margin": -(ordered[:, 0] - ordered[:, 1]),
        "ratio": ordered[:, 1] / ordered[:, 0],
        "probability_variance": -((P - 1 / 3) ** 2).mean(axis=1),
        "expected_cost": np.min([[P[n] @ COSTS[:, j] for j in range(3)]
                                 for n in range(4)], axis=1),
    }[strategy]


@pytest.mark.parametrize("strategy", ["entropy", "least_confidence", "margin",
                                      "ratio", "probability_variance",
                                      "expected_cost"])
def test_class_probability_strategies_are_their_formulas(strategy):
    sampler = UncertaintySampler(
        LookupClassifier(P), strategy=strategy,
        cost_matrix=COSTS if strategy == "expected_cost" else None,
    ).fit(ROWS, [0, 1, 2, 0])
    assert_allclose(sampler.score(ROWS), _by_formula(strategy), atol=1e-12)
    # The hand-checked values of two of them.
    if strategy == "margin":
        assert_allclose(sampler.score(ROWS), [-0.2, -0.85, 0, -0.2], atol=1e-12)
    if strategy == "expected_cost":  # P @ COSTS row 0: [3.4, 1.1, 1.3]
        assert_allclose(sampler.score(ROWS)[[0, 1]], [1.1, 0.5])


def test_callable_strategy_is_taken_as_it_is():
    sampler = UncertaintySampler(LookupClassifier(P),
                                 strategy=lambda P: P[:, 2] - P[:, 0])
    assert_allclose(sampler.fit(ROWS, [0, 1, 2, 0]).score(ROWS),
                    [-0.3, -0.85, 0, -0.6], atol=1e-12)


@pytest.mark.parametrize("strategy", ["margin", "least_confidence"])
def test_decision_function_strategies_are_the_negated_gap(strategy):
    binary = np.array([-2.0, 0.5, 0.0, 1.5])
    sampler = UncertaintySampler(LookupDecision(binary), strategy=strategy)
    assert_array_equal(sampler.fit(ROWS, [0, 1, 0, 1]).score(ROWS),
                       [-2.0, -0.5, 0.0, -1.5])
    assert sampler.response_method_ == "decision_function"
    decision = np.array([[1.0, -1.0, 0.5], [0.2, 0.1, -3.0], [0, 0, 0],
                         [-1.0, 2.0, 4.0]])
    sampler = UncertaintySampler(LookupDecision(decision), strategy=strategy)
    assert_allclose(sampler.fit(ROWS, [0, 1, 2, 0]).score(ROWS),
                    [-0.5, -0.1, 0.0, -2.0])


def test_std_strategy_is_the_predictive_standard_deviation():
    sampler = UncertaintySampler(LookupStd([0.3, 2.0, 0.0, 1.1]), strategy="std")
    assert_array_equal(sampler.fit(ROWS, [0.5, 1.0, 2.0, 3.0]).score(ROWS),
                       [0.3, 2.0, 0.0, 1.1])
    assert sampler.response_method_ == "predict_std"


# Per-label loss (1 - y f) / 2 with f = 2q - 1 and y the predicted label set
# sign(f), the most likely label present when none is:
# row 0: f = [.8, .2, -.8], y = [1, 1, -1]: [.1, .4, .1]
# row 1: f = [0, -.2, -.4], none present, label 0 is: [.5, .4, .3]
# row 2: f = [-.6, -.4, -.9], none present, label 1 is: [.2, .7, .05]
# row 3: f = [.4, .6, .8], y = [1, 1, 1]: [.3, .2, .1]
LOSSES = np.array([[0.1, 0.4, 0.1], [0.5, 0.4, 0.3], [0.2, 0.7, 0.05],
                   [0.3, 0.2, 0.1]])
Y_TWO_LABELS = np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]])


@pytest.mark.parametrize("strategy, expected", [
    ("max_loss", LOSSES.max(axis=1)),
    ("mean_max_loss", LOSSES.mean(axis=1)),
    # Every labeled sample has two labels, so the two most probable labels
    # are present: row 1 y = [1, 1, -1]: .5 + .6 + .3; row 2 (labels 1, 0):
    # .8 + .7 + .05; row 3 (labels 2, 1): .7 + .2 + .1.
    ("mmc", [0.6, 1.4, 1.55, 1.0]),
])
def test_label_set_strategies_are_their_formulas(strategy, expected):
    sampler = UncertaintySampler(LookupMultilabel(Q), strategy=strategy)
    assert_allclose(sampler.fit(ROWS, Y_TWO_LABELS).score(ROWS), expected,
                    atol=1e-12)


def test_mmc_predicts_each_samples_number_of_labels():
    Y = np.array([[1, 1, 0], [1, 0, 0], [0, 1, 0], [1, 1, 1]])
    sampler = UncertaintySampler(LookupMultilabel(Q), strategy="mmc").fit(ROWS, Y)
    counts = acquisition.label_count_model(Q, Y).predict(Q)
    assert_allclose(sampler.score(ROWS), acquisition.mmc(Q, counts))
    ranks = np.argsort(np.argsort(-Q, axis=1), axis=1)
    y = np.where(ranks < counts[:, None], 1, -1)
    assert_allclose(sampler.score(ROWS), ((1 - y * (2 * Q - 1)) / 2).sum(axis=1))


@pytest.mark.parametrize("aggregation", ["mean", "max"])
@pytest.mark.parametrize("strategy", ["margin", "entropy", "least_confidence"])
def test_aggregated_multilabel_strategies_are_their_formulas(strategy, aggregation):
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -(Q * np.log2(Q) + (1 - Q) * np.log2(1 - Q))
    per_label = {"margin": -np.abs(2 * Q - 1), "entropy": h,
                 "least_confidence": np.minimum(Q, 1 - Q)}[strategy]
    # The most uncertain label is the largest score once margin is negated.
    expected = getattr(per_label, aggregation)(axis=1)
    sampler = UncertaintySampler(LookupMultilabel(Q), strategy=strategy,
                                 aggregation=aggregation)
    assert_allclose(sampler.fit(ROWS, Y_TWO_LABELS).score(ROWS), expected,
                    atol=1e-12)
    if aggregation == "mean":  # aggregation=None means "mean"
        default = UncertaintySampler(LookupMultilabel(Q), strategy=strategy)
        assert_array_equal(default.fit(ROWS, Y_TWO_LABELS).score(ROWS),
                           sampler.score(ROWS))


def test_every_strategy_is_checked_against_its_formula():
    tested = {"entropy", "least_confidence", "margin", "ratio",
              "probability_variance", "expected_cost", "std", "max_loss",
              "mean_max_loss", "mmc"}
    options = UncertaintySampler._parameter_constraints["strategy"][0].options
    assert set(options) == tested


@pytest.mark.parametrize("strategy, y", [
    ("entropy", [0, 1, 2, 0]),  # single-label: nothing to aggregate
    ("max_loss", Y_TWO_LABELS),  # a loss of the label set, not per label
    ("mmc", Y_TWO_LABELS),
])
def test_aggregation_that_the_strategy_ignores_is_refused(strategy, y):
    model = LookupMultilabel(Q) if strategy != "entropy" else LookupClassifier(P)
    sampler = UncertaintySampler(model, strategy=strategy, aggregation="max")
    with pytest.raises(ValueError, match=rf"aggregation='max' combines .*"
                                         rf"strategy='{strategy}' .*leave "
                                         "aggregation=None"):
        sampler.fit(ROWS, y)

"""The stopping criteria of skactive.labeling, by hand and in
run_experiment, which records where each would have stopped."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import cohen_kappa_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeRegressor
from sklearn.utils._param_validation import InvalidParameterError

from skactive import RandomSampler, UncertaintySampler
from skactive.experiment import run_experiment
from skactive.labeling import (
    AllOf,
    AnyOf,
    ClassificationChange,
    ConfidenceDrop,
    LabelBudget,
    StabilizingPredictions,
    UncertaintyThreshold,
    agreement,
    concordance,
    confidence_dropped,
    n_changed,
)

# --- stopping criteria, by hand -----------------------------------------------


class Scripted:
    """A 'model' whose predictions and probabilities are given per round."""

    def __init__(self, predictions, proba=None):
        self.predictions, self.proba = np.asarray(predictions), proba

    def predict(self, X):
        return self.predictions

    def predict_proba(self, X):
        return np.asarray(self.proba)


ROUNDS = [[0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 2, 2], [0, 1, 1, 1, 2, 2],
          [0, 1, 1, 1, 2, 0], [0, 1, 1, 1, 2, 0], [0, 1, 1, 1, 2, 0]]


def test_stabilizing_predictions_by_hand():
    criterion = StabilizingPredictions(window=3, threshold=0.9)
    said = [criterion.update(Scripted(p), None, n) for n, p in enumerate(ROUNDS)]
    kappas = [cohen_kappa_score(a, b) for a, b in zip(ROUNDS, ROUNDS[1:])]
    assert_allclose(criterion.history_[1:], kappas)
    assert np.isnan(criterion.history_[0])
    # Mean of the last three kappas: rounds 3 (k1, 1, k3), 4 (1, k3, 1), 5.
    expected = [False, False, False, np.mean(kappas[:3]) >= 0.9,
                np.mean(kappas[1:4]) >= 0.9, np.mean(kappas[2:5]) >= 0.9]
    assert said == expected
    assert said[-1] and not said[3]


def test_classification_change_by_hand():
    criterion = ClassificationChange()
    said = [criterion.update(Scripted(p), None, n) for n, p in enumerate(ROUNDS)]
    assert criterion.history_ == [-1, 1, 0, 1, 0, 0]
    assert said == [False, False, True, True, True, True]  # the stop stays


def test_uncertainty_thresholds_by_hand():
    P = np.array([[0.5, 0.5], [0.9, 0.1], [1.0, 0.0]])
    h = -(0.9 * np.log2(0.9) + 0.1 * np.log2(0.1))  # normalised: log2(2) = 1
    overall = UncertaintyThreshold("mean", threshold=0.5)
    assert overall.update(Scripted([0, 0, 0], P), None, 10)
    assert overall.history_[-1] == pytest.approx((1 + h + 0) / 3)
    maximum = UncertaintyThreshold("max", threshold=0.5)
    assert not maximum.update(Scripted([0, 0, 0], P), None, 10)
    assert maximum.history_[-1] == pytest.approx(1.0)


def test_confidence_drop_by_hand():
    confidences = [0.7, 0.8, 0.85, 0.83, 0.86, 0.84, 0.82]
    criterion = ConfidenceDrop(patience=2)
    said = [criterion.update(Scripted([0], [[c, 1 - c]]), None, n)
            for n, c in enumerate(confidences)]
    assert_allclose(criterion.history_, confidences)
    assert said == [False] * 6 + [True]  # two drops in a row only at the end


def test_composition():
    criteria = [LabelBudget(40), ClassificationChange()]
    anyof, allof = AnyOf(criteria), AllOf(criteria)
    said_any, said_all = [], []
    for n, p in zip([10, 20, 30, 40, 50, 60], ROUNDS):
        said_any.append(anyof.update(Scripted(p), None, n))
        said_all.append(allof.update(Scripted(p), None, n))
    # change: F F T T T T (a stop stays); budget: F F F T T T
    assert said_any == [False, False, True, True, True, True]
    assert said_all == [False, False, False, True, True, True]
    assert not hasattr(criteria[0], "history_")  # the originals are cloned
    assert anyof.history_ == allof.history_ == [
        [False, False], [False, False], [False, True], [True, True],
        [True, True], [True, True]]
    assert "require_all" not in anyof.get_params()  # AllOf is its own criterion
    for combined in (AnyOf([]), AllOf([])):
        with pytest.raises(ValueError, match="criteria is empty"):
            combined.update(Scripted(ROUNDS[0]), None, 10)


# --- parameters, models and stop sets the criteria refuse ------------------------


class ScriptedRegressor(RegressorMixin, BaseEstimator):
    """A regressor whose predictions are given per round."""

    def __init__(self, predictions=None):
        self.predictions = predictions

    def predict(self, X):
        return np.asarray(self.predictions, dtype=float)


@pytest.mark.parametrize("criterion, message", [
    (StabilizingPredictions(window=0),
     r"'window' parameter of StabilizingPredictions must be an int in the range "
     r"\[1, inf\)"),
    (StabilizingPredictions(threshold=2),
     r"'threshold' parameter of StabilizingPredictions must be a float in the "
     r"range \(0.0, 1.0\]"),
    (StabilizingPredictions(statistic="pearson"),
     r"'statistic' parameter of StabilizingPredictions must be a str among"),
    (LabelBudget(-1),
     r"'max_labels' parameter of LabelBudget must be an int in the range \[1, inf\)"),
    (LabelBudget(2.5), r"'max_labels' parameter of LabelBudget must be an int"),
    (ConfidenceDrop(patience=0),
     r"'patience' parameter of ConfidenceDrop must be an int in the range "
     r"\[1, inf\)"),
    (UncertaintyThreshold(threshold=1.5),
     r"'threshold' parameter of UncertaintyThreshold must be a float in the "
     r"range \(0.0, 1.0\]"),
    (UncertaintyThreshold(aggregation="median"),
     r"'aggregation' parameter of UncertaintyThreshold must be a str among"),
])
def test_parameters_are_validated_at_update(criterion, message):
    model = Scripted([0, 1, 1], [[0.9, 0.1], [0.2, 0.8], [0.4, 0.6]])
    with pytest.raises(InvalidParameterError, match=message):
        criterion.update(model, np.zeros((3, 1)), 10)
    assert not hasattr(criterion, "history_")  # nothing recorded


def test_concordance_by_hand():
    # A shift by one: Pearson's r is 1, the concordance is not.
    # Means 2.5 and 3.5, variances 1.25 and 1.25, covariance 1.25:
    # 2 * 1.25 / (1.25 + 1.25 + 1 ** 2) = 5 / 7.
    assert concordance([1, 2, 3, 4], [2, 3, 4, 5]) == pytest.approx(5 / 7)
    assert concordance([1.5, 2, 7], [1.5, 2, 7]) == 1.0
    assert concordance([3, 3, 3], [3, 3, 3]) == 1.0  # constant and equal
    assert concordance([3, 3, 3], [4, 4, 4]) == 0.0  # constant, shifted
    # Means 2 and 2, variances 2/3 and 8/3, covariance -4/3: -8/3 / (10/3).
    assert concordance([1, 2, 3], [4, 2, 0]) == pytest.approx(-0.8)


def test_stabilizing_predictions_for_a_regressor_by_hand():
    rounds = [[1.0, 2.0, 3.0, 4.0], [2.0, 3.0, 4.0, 5.0], [2.0, 3.0, 4.0, 5.0],
              [2.0, 3.0, 4.0, 5.5]]
    criterion = StabilizingPredictions(window=2, threshold=0.99)
    said = [criterion.update(ScriptedRegressor(p), None, n)
            for n, p in enumerate(rounds)]
    # The last pair: means 3.5 and 3.625, variances 1.25 and 1.671875,
    # covariance 1.4375: 2.875 / (1.25 + 1.671875 + 0.125 ** 2).
    last = 2.875 / (1.25 + 1.671875 + 0.125 ** 2)
    assert criterion.statistic_ == "concordance"
    assert_allclose(criterion.history_[1:], [5 / 7, 1.0, last])
    assert said == [False, False, False, (1.0 + last) / 2 >= 0.99]


def test_stabilizing_predictions_chooses_its_statistic_from_the_model():
    X, y = load_diabetes(return_X_y=True)
    regressor = StabilizingPredictions()
    a = Ridge().fit(X[:100], y[:100])
    b = Ridge().fit(X[:120], y[:120])
    regressor.update(a, X[300:], 100)
    regressor.update(b, X[300:], 120)
    assert regressor.statistic_ == "concordance"
    # Lin's concordance from Pearson's r: 2 r sa sb / (sa² + sb² + (ma - mb)²).
    pa, pb = a.predict(X[300:]), b.predict(X[300:])
    r = np.corrcoef(pa, pb)[0, 1]
    expected = 2 * r * pa.std() * pb.std() / (
        pa.var() + pb.var() + (pa.mean() - pb.mean()) ** 2)
    assert regressor.history_[-1] == pytest.approx(expected)
    # A tree regressor on integer targets predicts whole numbers: still a
    # regressor, so still the concordance, not a kappa over "classes".
    tree = DecisionTreeRegressor(max_depth=2, random_state=0).fit(X, np.round(y))
    whole = StabilizingPredictions()
    whole.update(tree, X[300:], 100)
    assert whole.statistic_ == "concordance"
    # A model without an estimator type: the predictions decide.
    for predictions, statistic in [([0, 1, 1], "kappa"), ([0.5, 1.2, 3.1],
                                                          "concordance")]:
        duck = StabilizingPredictions()
        duck.update(Scripted(predictions), None, 10)
        assert duck.statistic_ == statistic
    forced = StabilizingPredictions(statistic="kappa")
    with pytest.raises(ValueError, match="continuous.*statistic='concordance'"):
        forced.update(Scripted([0.5, 1.2, 3.1]), None, 10)


def test_regressor_stops_in_run_experiment():
    X, y = load_diabetes(return_X_y=True)
    stopping = {"stable": StabilizingPredictions(), "budget": LabelBudget(60)}
    result = run_experiment(Ridge(), {"random": RandomSampler()}, X, y,
                            initial_size=20, batch_size=10, n_rounds=12,
                            n_repeats=2, stopping=stopping)
    stops = {(c, repeat): (r, n) for _, repeat, c, r, n in result.stops}
    assert stops["budget", 0] == stops["budget", 1] == (4, 60)
    # Three concordances are averaged: no stop before round 3.
    for r, n in (stops["stable", 0], stops["stable", 1]):
        assert 3 <= r < 12 and n == 20 + 10 * r


@pytest.mark.parametrize("criterion", [UncertaintyThreshold(), ConfidenceDrop()])
def test_criteria_needing_probabilities_refuse_models_without(criterion):
    X, y = load_iris(return_X_y=True)
    name = type(criterion).__name__
    with pytest.raises(TypeError, match=(
            f"{name} needs class probabilities, but LinearSVC has no predict_proba"
            ".*StabilizingPredictions, ClassificationChange or LabelBudget")):
        criterion.update(LinearSVC().fit(X, y), X, 150)
    with pytest.raises(TypeError, match=(
            f"{name} needs class probabilities, but Pipeline \\(ending in Ridge\\) "
            "has no predict_proba.*StabilizingPredictions or LabelBudget")):
        criterion.update(make_pipeline(StandardScaler(), Ridge()).fit(X, y), X, 150)
    assert not hasattr(criterion, "history_")


def test_classification_change_refuses_continuous_predictions():
    X, y = load_diabetes(return_X_y=True)
    criterion = ClassificationChange()
    with pytest.raises(ValueError, match=(
            "ClassificationChange counts changed class labels.*Ridge predicts "
            "continuous values.*StabilizingPredictions or LabelBudget")):
        criterion.update(Ridge().fit(X, y), X, 100)
    with pytest.raises(ValueError, match="predicts continuous values"):
        criterion.update(Scripted([0.5, 1.25]), None, 100)
    assert not hasattr(criterion, "history_")


def test_label_budget_works_with_a_regressor():
    X, y = load_diabetes(return_X_y=True)
    budget = LabelBudget(100)
    assert not budget.update(Ridge().fit(X[:50], y[:50]), X[300:], 50)
    assert budget.update(Ridge().fit(X[:100], y[:100]), X[300:], 100)


def test_a_stop_stays_reached_from_its_first_round():
    confidences = [0.7, 0.8, 0.85, 0.83, 0.86, 0.84, 0.82]
    # The rule alone flips: the confidence drops, rises, drops again.
    flips = [confidence_dropped(confidences[:i + 1]) for i in range(7)]
    assert flips == [False, False, False, True, False, True, True]
    criterion = ConfidenceDrop(patience=1)
    said, first = [], []
    for n, c in enumerate(confidences):
        said.append(criterion.update(Scripted([0], [[c, 1 - c]]), None, n))
        first.append(criterion.stopped_at_)
    assert said == [False, False, False, True, True, True, True]
    assert first == [None, None, None, 3, 3, 3, 3]
    assert_allclose(criterion.history_, confidences)  # every round recorded
    assert not hasattr(clone(criterion), "stopped_at_")
    change = ClassificationChange()
    said = [change.update(Scripted(p), None, n) for n, p in enumerate(ROUNDS)]
    assert change.history_ == [-1, 1, 0, 1, 0, 0] and change.stopped_at_ == 2
    assert said == [False, False, True, True, True, True]


def test_the_stop_set_must_stay_fixed():
    X, y = load_iris(return_X_y=True)
    model = LogisticRegression(max_iter=500).fit(X, y)
    for criterion in [StabilizingPredictions(), ClassificationChange(),
                      ConfidenceDrop(), LabelBudget(500)]:
        criterion.update(model, X[:100], 100)
        with pytest.raises(ValueError, match=(
                "The stop set must stay fixed.*100 samples at the first round, "
                "120 now")):
            criterion.update(model, X[:120], 110)
        assert len(criterion.history_) == 1  # the round is not recorded
    for rule in (agreement, n_changed, concordance):
        with pytest.raises(ValueError, match="same stop set.*3 and 4"):
            rule([0, 1, 1], [0, 1, 1, 0])


# --- experiments ----------------------------------------------------------------


def test_run_experiment_records_stops_independent_of_n_jobs(tmp_path):
    X, y = load_breast_cancer(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    model = LogisticRegression(max_iter=500)
    stopping = {"kappa": StabilizingPredictions(), "change": ClassificationChange(),
                "budget": LabelBudget(60)}
    kwargs = dict(batch_size=10, n_rounds=8, n_repeats=3, stopping=stopping)
    samplers = {"margin": UncertaintySampler(model), "random": RandomSampler()}
    serial = run_experiment(model, samplers, X, y, n_jobs=1, **kwargs)
    parallel = run_experiment(model, samplers, X, y, n_jobs=2, **kwargs)
    assert serial.stops == parallel.stops and serial == parallel
    budget = [s for s in serial.stops if s[2] == "budget"]
    assert all(n == 60 and r == 5 for *_, r, n in budget)
    table = {(r["criterion"], r["strategy"]): r for r in serial.stopping()}
    row = table["budget", "margin"]
    assert row["labels_at_stop"] == 60
    assert row["labels_saved"] == pytest.approx(1 - 60 / 90)
    n_labeled, scores = serial.curves("margin")
    assert row["score_at_stop"] == pytest.approx(scores[:, 5].mean())
    assert row["score_lost"] == pytest.approx((scores[:, -1] - scores[:, 5]).mean())
    summary = serial.stopping_summary().splitlines()
    budget_line = next(line for line in summary if line.split()[:2] == ["budget",
                                                                          "margin"])
    assert budget_line.split()[2:4] == ["60.0", "33.3%"]
    resumed = run_experiment(model, samplers, X, y, checkpoint=tmp_path, **kwargs)
    again = run_experiment(model, samplers, X, y, checkpoint=tmp_path, **kwargs)
    assert resumed == again == serial


def test_stop_points_are_marked_on_the_curves():
    plt = pytest.importorskip("matplotlib.pyplot")
    X, y = load_breast_cancer(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    result = run_experiment(LogisticRegression(), {"random": RandomSampler()}, X, y,
                            batch_size=10, n_rounds=4, n_repeats=2,
                            stopping={"budget": LabelBudget(30)})
    display = result.plot()
    marker = display.stop_markers_["random", "budget"]
    assert marker.get_xdata()[0] == 30
    assert "stop: budget" in [t.get_text() for t in display.ax_.get_legend().texts]
    plt.close("all")


def test_bad_stopping_argument():
    X, y = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match="not a stopping criterion"):
        run_experiment(LogisticRegression(), {"random": RandomSampler()}, X, y,
                       stopping={"kappa": 0.99})

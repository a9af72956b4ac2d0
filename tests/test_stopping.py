"""The stopping criteria of skactive.labeling, by hand and in
run_experiment, which records where each would have stopped."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import cohen_kappa_score

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
    assert said == [False, False, True, False, True, True]


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
    once = ConfidenceDrop(patience=1)
    said = [once.update(Scripted([0], [[c, 1 - c]]), None, n)
            for n, c in enumerate(confidences)]
    assert said == [False, False, False, True, False, True, True]


def test_composition():
    criteria = [LabelBudget(40), ClassificationChange()]
    anyof, allof = AnyOf(criteria), AllOf(criteria)
    said_any, said_all = [], []
    for n, p in zip([10, 20, 30, 40, 50, 60], ROUNDS):
        said_any.append(anyof.update(Scripted(p), None, n))
        said_all.append(allof.update(Scripted(p), None, n))
    # change: F F T F T T; budget: F F F T T T
    assert said_any == [False, False, True, True, True, True]
    assert said_all == [False, False, False, False, True, True]
    assert not hasattr(criteria[0], "history_")  # the originals are cloned
    assert anyof.history_ == allof.history_ == [
        [False, False], [False, False], [False, True], [True, False],
        [True, True], [True, True]]
    assert "require_all" not in anyof.get_params()  # AllOf is its own criterion
    for combined in (AnyOf([]), AllOf([])):
        with pytest.raises(ValueError, match="criteria is empty"):
            combined.update(Scripted(ROUNDS[0]), None, 10)


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

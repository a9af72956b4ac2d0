"""Prequential evaluation of stream samplers (run_stream_experiment) and the
drifting streams (SEA concepts, rotating hyperplane)."""

from functools import partial

import numpy as np
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import SGDClassifier

from skactive import StreamSampler
from skactive.exceptions import ParameterError
from skactive.experiment import (
    BudgetCurveDisplay,
    ExperimentResult,
    make_hyperplane_stream,
    make_sea_stream,
    run_stream_experiment,
)
from skactive.experiment import _stream as stream_module

MODEL = SGDClassifier(loss="log_loss", random_state=0)


def _samplers(budget=0.1):
    return {
        "variable_uncertainty": StreamSampler(MODEL, budget=budget),
        "random": StreamSampler(MODEL, strategy="random", budget=budget),
        "everything": StreamSampler(MODEL, strategy="random", budget=1.0),
    }


# The streams.


def test_sea_labels_follow_the_concept_by_hand():
    X, y = next(make_sea_stream(10, batch_size=3, noise=0.0, random_state=0))
    # RandomState(0).uniform(0, 10, (3, 3)): rows start 5.49 7.15 | 5.45 4.24
    # | 4.38 8.92: sums 12.64, 9.69, 13.30, all above theta = 8.
    np.testing.assert_allclose(X[:, :2], [[5.488135, 7.151894], [5.448832, 4.236548],
                                          [4.375872, 8.917730]], atol=1e-6)
    assert y.tolist() == [0, 0, 0]
    batches = list(make_sea_stream(4000, noise=0.0, random_state=1))
    X = np.vstack([b[0] for b in batches])
    y = np.concatenate([b[1] for b in batches])
    for k, theta in enumerate([8, 9, 7, 9.5]):  # one concept per quarter
        part = slice(1000 * k, 1000 * (k + 1))
        assert np.array_equal(y[part], X[part, 0] + X[part, 1] <= theta)


def test_sea_noise_and_gradual_drift():
    def labels(**kwargs):
        batches = list(make_sea_stream(20000, thetas=(5, 15), random_state=0,
                                       **kwargs))
        return (np.vstack([b[0] for b in batches]),
                np.concatenate([b[1] for b in batches]))

    X, y = labels(noise=0.2)
    # theta = 5 then 15: x0 + x1 <= 15 holds for 7/8 of the square.
    flipped = y[:10000] != (X[:10000, 0] + X[:10000, 1] <= 5)
    assert abs(flipped.mean() - 0.2) < 0.02
    X, y = labels(noise=0.0, drift_width=2000)
    new = (X[:, 0] + X[:, 1] <= 15) == y  # consistent with the new concept
    old = (X[:, 0] + X[:, 1] <= 5) == y
    assert old[:6000].all() and new[14000:].all()
    middle = slice(9500, 10500)  # both concepts in the middle of the drift
    assert 0.2 < (new[middle] & ~old[middle]).mean() / 0.5 < 0.8


def test_hyperplane_labels_follow_the_plane_by_hand():
    X, y = next(make_hyperplane_stream(500, batch_size=500, n_features=4,
                                       mag_change=0.0, noise=0.0, random_state=0))
    weights = np.random.RandomState(0).uniform(0, 1, size=4)  # the first draw
    assert np.array_equal(y, X @ weights >= weights.sum() / 2)


def test_hyperplane_rotates_and_drifts():
    def stream(**kwargs):
        batches = list(make_hyperplane_stream(20000, n_features=4, noise=0.0,
                                              random_state=0, **kwargs))
        return (np.vstack([b[0] for b in batches]),
                np.concatenate([b[1] for b in batches]))

    weights = np.random.RandomState(0).uniform(0, 1, size=4)
    X, y = stream(n_drift_features=1, mag_change=0.01, sigma=0.0)
    rule = X @ weights >= weights.sum() / 2
    # The first weight grows by 0.01 per sample: the plane turns towards x0 = 1/2.
    assert (rule[:50] == y[:50]).mean() > 0.9
    assert (rule[-5000:] == y[-5000:]).mean() < 0.9
    X, y = stream(mag_change=0.0, n_drifts=1)
    rule = X @ weights >= weights.sum() / 2
    assert np.array_equal(rule[:10000], y[:10000])
    assert (rule[10000:] == y[10000:]).mean() < 0.95


@pytest.mark.parametrize("make", [make_sea_stream, make_hyperplane_stream])
def test_streams_are_deterministic(make):
    first = list(make(3000, batch_size=700, random_state=3))
    again = list(make(3000, batch_size=700, random_state=3))
    other = list(make(3000, batch_size=700, random_state=4))
    assert [len(y) for _, y in first] == [700, 700, 700, 700, 200]
    for (X, y), (X2, y2) in zip(first, again):
        assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert not np.array_equal(first[0][0], other[0][0])


def test_stream_generators_refuse_bad_parameters():
    with pytest.raises(ValueError, match="n_drift_features=5"):
        make_hyperplane_stream(100, n_features=4, n_drift_features=5)
    with pytest.raises(ValueError, match="noise"):
        make_sea_stream(100, noise=1.5)
    with pytest.raises(ValueError, match="at least one threshold"):
        make_sea_stream(100, thetas=[])


# run_stream_experiment.


def test_prequential_accuracy_by_hand():
    # A constant model predicts 1: accuracy is the share of ones so far.
    y = np.array([0, 1] + [1, 0, 1, 1] + [0, 0, 1, 1])
    X = np.arange(y.size, dtype=float).reshape(-1, 1)
    model = DummyClassifier(strategy="constant", constant=1)
    result = run_stream_experiment(
        model, {"everything": StreamSampler(model, strategy="random", budget=1.0)},
        (X, y), batch_size=4, initial_size=2, window=6, n_repeats=1)
    assert result.stream and result.x == "n_seen"
    # The initial samples cut the first mini-batch: its rest is one (2 samples).
    assert result.rows() == [("everything", 0, 0, 4, 0.5, 4, 0.5),
                             ("everything", 0, 1, 8, 0.5, 8, 0.5),
                             ("everything", 0, 2, 10, 0.625, 10, 4 / 6)]


def test_label_everything_and_the_budget():
    stream = partial(make_sea_stream, 6000, batch_size=500)
    result = run_stream_experiment(MODEL, _samplers(), stream, n_repeats=2,
                                   initial_size=100)
    seen, labels = result.curves("everything", "n_labeled")
    assert seen.tolist() == list(range(500, 6001, 500))
    assert np.array_equal(labels, np.tile(seen, (2, 1)))
    spent = result.curves("variable_uncertainty", "n_labeled")[1][:, -1] / 6000
    assert np.all(np.abs(spent - 0.1) < 0.03)
    final = result.final_scores()
    assert final["everything"][0] > 0.6
    assert "everything" in result.summary() and "labeled" in result.summary()


def test_results_do_not_depend_on_n_jobs_and_resume(tmp_path):
    stream = partial(make_hyperplane_stream, 2000, batch_size=400)
    kwargs = dict(n_repeats=2, random_state=1)
    serial = run_stream_experiment(MODEL, _samplers(), stream, n_jobs=1, **kwargs)
    parallel = run_stream_experiment(MODEL, _samplers(), stream, n_jobs=2, **kwargs)
    assert serial == parallel
    folder = tmp_path / "checkpoint"
    first = run_stream_experiment(MODEL, _samplers(), stream, checkpoint=folder,
                                  **kwargs)
    assert len(list(folder.glob("run-*.json"))) == 6
    (sorted(folder.glob("run-*.json"))[0]).unlink()
    assert run_stream_experiment(MODEL, _samplers(), stream, checkpoint=folder,
                                 **kwargs) == first == serial
    with pytest.raises(ValueError, match="other arguments"):
        run_stream_experiment(MODEL, _samplers(), stream, checkpoint=folder,
                              window=10, **kwargs)


def test_arrays_iterables_and_generators_give_one_result():
    batches = list(make_sea_stream(2000, batch_size=250, random_state=0))
    X, y = np.vstack([b[0] for b in batches]), np.concatenate([b[1] for b in batches])
    kwargs = dict(n_repeats=2, initial_size=250)
    arrays = run_stream_experiment(MODEL, _samplers(), (X, y), batch_size=250,
                                   **kwargs)
    listed = run_stream_experiment(MODEL, _samplers(), batches, **kwargs)
    generated = run_stream_experiment(MODEL, _samplers(), iter(batches), **kwargs)
    assert arrays == listed == generated
    assert len(arrays) == 3 * 2 * 7


def test_a_separate_model_learns_what_the_sampler_learns(monkeypatch):
    stream = partial(make_sea_stream, 3000, batch_size=300)
    shared = run_stream_experiment(MODEL, _samplers(), stream, n_repeats=1)
    monkeypatch.setattr(stream_module, "_same_model", lambda sampler, model: False)
    separate = run_stream_experiment(MODEL, _samplers(), stream, n_repeats=1)
    assert shared == separate


def test_a_refitted_model_and_a_pipeline():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    stream = partial(make_sea_stream, 1500, batch_size=300)
    refit = LogisticRegression()
    pipe = make_pipeline(StandardScaler(), SGDClassifier(loss="log_loss",
                                                          random_state=0))
    for model in (refit, pipe):
        # The evaluated model differs from the sampler's: it learns on its own.
        result = run_stream_experiment(
            model, {"split": StreamSampler(MODEL, strategy="split")}, stream,
            n_repeats=1)
        assert result.final_scores()["split"][0] > 0.6


def test_stream_result_plots():
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    result = run_stream_experiment(MODEL, _samplers(),
                                   partial(make_sea_stream, 2000, batch_size=500),
                                   n_repeats=2)
    display = BudgetCurveDisplay.from_result(result, ax=Figure().add_subplot(),
                                             column="window_score",
                                             reference="everything")
    assert display.ax_.get_xlabel() == "samples seen"
    assert sorted(display.lines_) == sorted(_samplers())
    assert list(display.lines_["random"].get_xdata()) == [500, 1000, 1500, 2000]
    with pytest.raises(ValueError, match="Unknown column"):
        result.curves("random", "repeat")


def test_stream_result_round_trips(tmp_path):
    rows = [("a", 0, 0, 10, 0.5, 3, 0.5), ("a", 0, 1, 20, 0.6, 4, 0.7)]
    result = ExperimentResult(rows, ["a"], stream=True)
    assert result.rows() == rows
    result.to_csv(tmp_path / "curves.csv")
    header = (tmp_path / "curves.csv").read_text().splitlines()[0]
    assert header == "strategy,repeat,round,n_seen,score,n_labeled,window_score"
    assert result != ExperimentResult([r[:5] for r in rows], ["a"])


def test_bad_inputs():
    stream = partial(make_sea_stream, 1000, batch_size=100)
    with pytest.raises(ValueError, match="non-empty"):
        run_stream_experiment(MODEL, {}, stream)
    with pytest.raises(TypeError, match="not a stream sampler"):
        run_stream_experiment(MODEL, {"x": MODEL}, stream)
    with pytest.raises(ParameterError, match="initial_size"):
        run_stream_experiment(MODEL, _samplers(), stream, initial_size=5000)
    with pytest.raises(ValueError, match="no sample after"):
        run_stream_experiment(MODEL, _samplers(), stream, initial_size=1000)
    with pytest.raises(ValueError, match="single class"):
        run_stream_experiment(MODEL, _samplers(), (np.ones((200, 2)), np.ones(200)))
    with pytest.raises(ValueError, match="pairs"):
        run_stream_experiment(MODEL, _samplers(), [np.ones(3)])
    with pytest.raises(ValueError, match="empty"):
        run_stream_experiment(MODEL, _samplers(), [])
    y = np.array([0, 1] * 100 + [2] * 10)
    X = np.arange(y.size, dtype=float).reshape(-1, 1)
    unseen = [(X[:100], y[:100]), (X[100:], y[100:])]
    with pytest.raises(ValueError, match="classes="):
        run_stream_experiment(MODEL, _samplers(), lambda random_state: iter(unseen),
                              n_repeats=1)


def test_callable_streams_must_keep_their_batch_sizes():
    def stream(random_state):
        return make_sea_stream(2000, batch_size=400 + random_state % 2 * 100,
                               random_state=random_state)

    with pytest.raises(ValueError, match="same mini-batches"):
        run_stream_experiment(MODEL, _samplers(), stream, n_repeats=4)

import csv
import json
import re

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.datasets import load_diabetes, load_iris, load_wine
from sklearn.linear_model import BayesianRidge, LogisticRegression, Ridge

from skactive import DiversitySampler, RandomSampler, UncertaintySampler
from skactive.experiment import (
    ExperimentResult,
    _checkpoint,
    _loop,
    aubc,
    run_experiment,
)


@pytest.fixture(scope="module")
def wine():
    X, y = load_wine(return_X_y=True)
    return (X - X.mean(axis=0)) / X.std(axis=0), y


def samplers():
    model = LogisticRegression()
    return {
        "margin": UncertaintySampler(model, strategy="margin"),
        "coreset": DiversitySampler(strategy="coreset"),
        "random": RandomSampler(),
    }


def test_aubc_hand_computed():
    assert aubc([10, 20, 30], [0.5, 0.7, 0.8]) == pytest.approx(0.675)
    assert aubc([10, 30], [0.5, 0.5]) == 0.5
    assert aubc([10], [0.7]) == 0.7
    with pytest.raises(ValueError, match="strictly increasing"):
        aubc([10, 10], [0.5, 0.6])
    with pytest.raises(ValueError, match="of one length"):
        aubc([10, 20], [0.5])


def test_each_round_adds_batch_size_labels_and_nothing_leaks(wine, monkeypatch):
    """Instrument the loop: every selection is distinct, new, from the pool,
    and the test set never enters the labeled set."""
    X, y = wine
    seen = {}
    original = _loop.train_test_split

    def recording_split(*args, **kwargs):
        X_pool, X_test, y_pool, y_test = original(*args, **kwargs)
        seen.setdefault("splits", []).append((X_pool, X_test))
        return X_pool, X_test, y_pool, y_test

    fits = []
    original_fit = LogisticRegression.fit

    def recording_fit(self, X_fit, y_fit, *args, **kwargs):
        fits.append(X_fit.copy())
        return original_fit(self, X_fit, y_fit, *args, **kwargs)

    monkeypatch.setattr(_loop, "train_test_split", recording_split)
    monkeypatch.setattr(LogisticRegression, "fit", recording_fit)
    result = run_experiment(LogisticRegression(), {"random": RandomSampler()}, X, y,
                            batch_size=7, n_rounds=4, n_repeats=1, initial_size=5)
    n_labeled = result.table["n_labeled"]
    assert list(n_labeled) == [5, 12, 19, 26, 33]
    (X_pool, X_test), = seen["splits"]
    test_rows = {row.tobytes() for row in X_test}
    evaluated = fits  # the evaluation model's labeled set, round by round
    for before, after in zip(evaluated, evaluated[1:]):
        assert len(after) == len(before) + 7
        # Previous labels are kept; the new ones were not labeled before.
        old = {row.tobytes() for row in before}
        new = [row.tobytes() for row in after if row.tobytes() not in old]
        assert len(new) == len(set(new)) == 7
    for labeled in evaluated:
        assert not test_rows & {row.tobytes() for row in labeled}


def test_initial_set_has_one_per_class_then_random():
    y = np.repeat([0, 1, 2], [50, 30, 20])
    chosen = _loop._initial_set(y, 8, seed=0)
    assert len(set(chosen)) == 8
    assert set(y[chosen]) == {0, 1, 2}
    fewer = _loop._initial_set(y, 2, seed=0)
    assert len(set(y[fewer])) == 2


def test_splits_and_initial_sets_are_shared_by_strategies(wine):
    X, y = wine
    result = run_experiment(LogisticRegression(), samplers(), X, y, batch_size=5,
                            n_rounds=2, n_repeats=3, random_state=1)
    for repeat in range(3):
        first_round = [
            result.table["score"][(result.table["strategy"] == s)
                                  & (result.table["repeat"] == repeat)
                                  & (result.table["round"] == 0)][0]
            for s in result.strategies
        ]
        # Same split and same initial labels: the same model before any pick.
        assert len(set(first_round)) == 1
    scores_by_repeat = [
        result.table["score"][(result.table["repeat"] == r)
                              & (result.table["round"] == 0)][0] for r in range(3)
    ]
    assert len(set(scores_by_repeat)) > 1


def test_same_table_with_any_n_jobs(wine):
    X, y = wine
    kwargs = dict(batch_size=5, n_rounds=3, n_repeats=2, random_state=0)
    serial = run_experiment(LogisticRegression(), samplers(), X, y, n_jobs=1, **kwargs)
    parallel = run_experiment(LogisticRegression(), samplers(), X, y, n_jobs=2,
                              **kwargs)
    assert serial == parallel
    assert serial.rows() == parallel.rows()


def test_budget_and_fixed_test_set(wine):
    X, y = wine
    result = run_experiment(LogisticRegression(), {"random": RandomSampler()},
                            X[:120], y[:120], X_test=X[120:], y_test=y[120:],
                            batch_size=10, budget=45, initial_size=10, n_repeats=1)
    # The budget is the final number of labels: the last batch is smaller.
    assert list(result.table["n_labeled"]) == [10, 20, 30, 40, 45]


class FailingSampler(RandomSampler):
    """Raises after a number of fits, like a run killed half-way."""

    fits_before_failure = None

    def fit(self, X, y=None):
        if FailingSampler.fits_before_failure is not None:
            if FailingSampler.fits_before_failure == 0:
                raise KeyboardInterrupt
            FailingSampler.fits_before_failure -= 1
        return super().fit(X, y)


def test_checkpoint_resume_gives_the_uninterrupted_result(wine, tmp_path):
    X, y = wine
    strategies = {"margin": UncertaintySampler(LogisticRegression()),
                  "random": FailingSampler()}
    kwargs = dict(batch_size=5, n_rounds=3, n_repeats=3, random_state=0)
    uninterrupted = run_experiment(LogisticRegression(), strategies, X, y, **kwargs)

    folder = tmp_path / "checkpoint"
    FailingSampler.fits_before_failure = 7  # dies in the third random run
    try:
        with pytest.raises(KeyboardInterrupt):
            run_experiment(LogisticRegression(), strategies, X, y,
                           checkpoint=folder, **kwargs)
    finally:
        FailingSampler.fits_before_failure = None
    saved = sorted(p.name for p in folder.glob("run-*.json"))
    # Runs go margin 0, random 0, margin 1, ...: all but random's third finished.
    assert len(saved) == 5
    resumed = run_experiment(LogisticRegression(), strategies, X, y,
                             checkpoint=folder, **kwargs)
    assert resumed == uninterrupted
    assert len(list(folder.glob("run-*.json"))) == 6


def test_checkpoint_skips_finished_runs(wine, tmp_path):
    X, y = wine
    kwargs = dict(batch_size=5, n_rounds=2, n_repeats=2, random_state=0,
                  checkpoint=tmp_path)
    first = run_experiment(LogisticRegression(), {"random": FailingSampler()}, X, y,
                           **kwargs)
    FailingSampler.fits_before_failure = 0  # any new run would fail
    try:
        again = run_experiment(LogisticRegression(), {"random": FailingSampler()},
                               X, y, **kwargs)
    finally:
        FailingSampler.fits_before_failure = None
    assert again == first


def test_checkpoint_with_other_arguments_is_refused(wine, tmp_path):
    X, y = wine
    kwargs = dict(batch_size=5, n_rounds=1, n_repeats=1, checkpoint=tmp_path)
    run_experiment(LogisticRegression(), {"random": RandomSampler()}, X, y, **kwargs)
    with pytest.raises(ValueError, match="written by an experiment with other"):
        run_experiment(LogisticRegression(C=2.0), {"random": RandomSampler()}, X, y,
                       **kwargs)
    with pytest.raises(ValueError, match="written by an experiment with other"):
        run_experiment(LogisticRegression(), {"random": RandomSampler()}, X, y,
                       random_state=1, **kwargs)


def test_result_table_csv_frame_and_plot(tmp_path):
    X, y = load_iris(return_X_y=True)
    result = run_experiment(LogisticRegression(), samplers(), X, y, batch_size=5,
                            n_rounds=2, n_repeats=2)
    assert len(result) == 3 * 2 * 3
    path = tmp_path / "curves.csv"
    result.to_csv(path)
    with open(path) as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["strategy", "repeat", "round", "n_labeled", "score"]
    assert len(rows) == 1 + len(result)
    assert float(rows[1][4]) == result.table["score"][0]

    pd = pytest.importorskip("pandas")
    frame = result.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["strategy", "repeat", "round", "n_labeled", "score"]

    n_labeled, scores = result.curves("margin")
    areas = [aubc(n_labeled, curve) for curve in scores]
    assert_allclose(result.aubc()["margin"], (np.mean(areas), np.std(areas, ddof=1)))
    # Per repeat: the trapezoid of each repeat's curve over its width.
    by_hand = [np.sum(np.diff(n_labeled) * (curve[1:] + curve[:-1]) / 2)
               / (n_labeled[-1] - n_labeled[0]) for curve in scores]
    assert_allclose(result.aubc_per_repeat()["margin"], by_hand, rtol=1e-12)
    assert "margin" in result.summary()

    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    display = result.plot()
    assert set(display.lines_) == set(result.strategies)
    assert_allclose(display.lines_["margin"].get_ydata(), scores.mean(axis=0))
    assert display.ax_.get_xlabel() == "number of labeled samples"
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(samplers={}), "non-empty dict"),
        (dict(batch_size=0), "'batch_size' parameter of run_experiment"),
        (dict(n_rounds=2, budget=50), "n_rounds or budget, not both"),
        (dict(budget=3, initial_size=10), "smaller than the initial labeled set"),
        (dict(random_state=None), "'random_state' parameter of run_experiment"),
        (dict(y=np.zeros(178)), "single class"),
        (dict(X_test=np.zeros((3, 13))), "both X_test and y_test"),
    ],
)
def test_bad_arguments(wine, kwargs, match):
    X, y = wine
    arguments = dict(estimator=LogisticRegression(),
                     samplers={"random": RandomSampler()}, X=X, y=y)
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=match):
        run_experiment(**arguments)


def test_result_equality_and_unknown_strategy():
    rows = [("a", 0, 0, 10, 0.5), ("a", 0, 1, 20, 0.6)]
    assert ExperimentResult(rows, ["a"]) == ExperimentResult(rows[::-1], ["a"])
    with pytest.raises(ValueError, match="Unknown strategy 'b'"):
        ExperimentResult(rows, ["a"]).curves("b")


# Every input a Pipeline accepts (issue: run_experiment on the samplers' data).


def _text_data():
    words = {0: "goal match team score league coach", 1: "bread cheese soup salad",
             2: "laptop code server chip cloud"}
    rng = np.random.RandomState(0)
    y = np.arange(120) % 3
    docs = [" ".join(rng.choice(words[c].split(), size=4)) for c in y]
    return docs, y


def _frame_data():
    pd = pytest.importorskip("pandas")
    rng = np.random.RandomState(0)
    y = np.arange(120) % 3
    X = pd.DataFrame({"size": y + rng.normal(scale=0.8, size=120),
                      "colour": np.array(["red", "green", "blue"])[
                          (y + (rng.rand(120) < 0.3)) % 3]})
    return X, y


def _text_pipeline():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline

    return make_pipeline(TfidfVectorizer(), LogisticRegression())


def _frame_pipeline():
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    return make_pipeline(
        ColumnTransformer([("num", StandardScaler(), ["size"]),
                           ("cat", OneHotEncoder(handle_unknown="ignore"),
                            ["colour"])]),
        LogisticRegression())


@pytest.mark.parametrize("data, pipeline", [(_text_data, _text_pipeline),
                                            (_frame_data, _frame_pipeline)],
                         ids=["texts", "dataframe"])
def test_pipelines_on_texts_and_dataframes_with_checkpoint(data, pipeline, tmp_path):
    X, y = data()
    model = pipeline()
    strategies = {"margin": UncertaintySampler(model),
                  "coreset": DiversitySampler(pipeline()[0], strategy="coreset"),
                  "random": FailingSampler()}
    kwargs = dict(batch_size=6, n_rounds=3, n_repeats=2, random_state=0)
    uninterrupted = run_experiment(model, strategies, X, y, **kwargs)
    assert uninterrupted.aubc()["margin"][0] > 0.5

    FailingSampler.fits_before_failure = 5  # dies in the second random run
    try:
        with pytest.raises(KeyboardInterrupt):
            run_experiment(model, strategies, X, y, checkpoint=tmp_path, **kwargs)
    finally:
        FailingSampler.fits_before_failure = None
    resumed = run_experiment(model, strategies, X, y, checkpoint=tmp_path, **kwargs)
    assert resumed == uninterrupted
    assert type(X) is type(data()[0])  # nothing converted in place


def test_budget_is_the_final_number_of_labels(wine):
    X, y = wine
    result = run_experiment(LogisticRegression(), {"random": RandomSampler()}, X, y,
                            batch_size=10, budget=37, n_repeats=1)
    assert list(result.table["n_labeled"]) == [10, 20, 30, 37]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(initial_size=1), r"initial_size=1 cannot hold two classes.*pass "
                               r"initial_size >= 2"),
        (dict(batch_size=500), r"batch_size=500 is larger than the 67 unlabeled "
                               r"samples.*pass at most 67"),
        (dict(batch_size=20, n_rounds=8), r"pass at most 5 rounds, or budget=133"),
        (dict(budget=200), r"budget=200 is more labels than the pool holds \(133 "
                           r"samples.*pass at most 133"),
    ],
)
def test_plans_the_pool_cannot_serve_are_refused(wine, kwargs, match):
    X, y = wine
    with pytest.raises(ValueError, match=match):
        run_experiment(LogisticRegression(), {"random": RandomSampler()}, X, y,
                       **kwargs)


def _one_run(X, y, folder, **kwargs):
    kwargs = {"batch_size": 5, "n_rounds": 1, "n_repeats": 1, **kwargs}
    return run_experiment(LogisticRegression(), {"random": RandomSampler()}, X, y,
                          checkpoint=folder, **kwargs)


def test_checkpoint_run_files_carry_their_arguments(wine, tmp_path):
    """Without its manifest, a folder's run files are still checked: each one
    carries the fingerprint of what it was computed with."""
    X, y = wine
    first = _one_run(X, y, tmp_path)
    (run,) = tmp_path.glob("run-*.json")
    manifest = tmp_path / "manifest.json"
    saved = json.loads(run.read_text())  # data, not a pickle
    assert saved["fingerprint"] == json.loads(manifest.read_text())["fingerprint"]
    assert saved["settings"]["batch_size"] == 5
    manifest.unlink()
    with pytest.raises(ValueError, match=re.escape(str(run)) + ".*batch_size 5, "
                       "this experiment 10.*another checkpoint folder"):
        _one_run(X, y, tmp_path, batch_size=10)
    assert not manifest.exists()  # a refused folder is left as it was
    assert _one_run(X, y, tmp_path) == first  # same arguments: resumed
    assert manifest.exists()
    # A run file of another experiment (another seed) under a matching manifest.
    _one_run(X, y, tmp_path / "other", random_state=1)
    (tmp_path / "other" / run.name).replace(run)
    with pytest.raises(ValueError, match=re.escape(str(run)) + ".*random_state 1"):
        _one_run(X, y, tmp_path)
    # A file without a fingerprint (an older skactive) is refused too.
    run.write_text(json.dumps({k: v for k, v in saved.items() if k != "fingerprint"}))
    with pytest.raises(ValueError, match="records no arguments"):
        _one_run(X, y, tmp_path)


@pytest.mark.parametrize("damage", [
    lambda text: text[: len(text) // 2],  # truncated
    lambda text: "\udcff garbage",  # not UTF-8
    lambda text: "[1, 2]",  # JSON, but not a run
])
@pytest.mark.parametrize("name", ["run", "manifest"])
def test_damaged_checkpoint_file_is_named_with_the_fix(wine, tmp_path, damage, name):
    X, y = wine
    _one_run(X, y, tmp_path)
    (path,) = tmp_path.glob(f"{name}*.json")
    path.write_bytes(damage(path.read_text()).encode("utf-8", "surrogateescape"))
    with pytest.raises(ValueError, match=re.escape(str(path)) + ".*Delete it") as exc:
        _one_run(X, y, tmp_path)
    assert not isinstance(exc.value, json.JSONDecodeError)
    path.unlink()  # the fix the message gives
    _one_run(X, y, tmp_path)
    assert json.loads(path.read_text())["fingerprint"]


def test_checkpoint_writes_are_atomic_and_take_numpy_integers(wine, tmp_path,
                                                              monkeypatch):
    X, y = wine
    _one_run(X, y, tmp_path, batch_size=np.int64(5))  # JSON takes np.int64 too
    (run,) = tmp_path.glob("run-*.json")
    before = run.read_bytes()

    def power_cut(fd):
        raise OSError("disk gone")

    monkeypatch.setattr("skactive.utils._files.os.fsync", power_cut)
    with pytest.raises(OSError, match="disk gone"):
        _checkpoint.write_json(run, {"strategy": "other"})
    assert run.read_bytes() == before  # the old file, whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json", run.name]


def test_regressor_scores_are_minus_the_test_rmse_and_aubc_their_mean(monkeypatch):
    """A regressor: each round's score is minus the test RMSE of the ridge
    fitted on that round's labels, recomputed here from the labels it was
    given, and the AUBC is the trapezoidal mean of those RMSE curves."""
    X, y = load_diabetes(return_X_y=True)
    X_test, y_test = X[300:], y[300:]
    fits = []
    original_fit = Ridge.fit

    def recording_fit(self, X_fit, y_fit, *args, **kwargs):
        fits.append((X_fit.copy(), y_fit.copy()))
        return original_fit(self, X_fit, y_fit, *args, **kwargs)

    monkeypatch.setattr(Ridge, "fit", recording_fit)
    samplers = {"random": RandomSampler(),
                "std": UncertaintySampler(BayesianRidge(), strategy="std")}
    result = run_experiment(Ridge(), samplers, X[:300], y[:300], X_test=X_test,
                            y_test=y_test, batch_size=10, n_rounds=3, n_repeats=2,
                            scoring="neg_root_mean_squared_error")
    monkeypatch.undo()

    # Runs go repeat by repeat, strategy by strategy; only the evaluation
    # model is a Ridge, fitted once per round.
    runs = [(name, repeat) for repeat in range(2) for name in samplers]
    assert len(fits) == 4 * len(runs)
    rmse = {}
    for k, (name, repeat) in enumerate(runs):
        rmse[name, repeat] = [
            np.sqrt(np.mean((Ridge().fit(X_fit, y_fit).predict(X_test) - y_test) ** 2))
            for X_fit, y_fit in fits[4 * k:4 * k + 4]]
        assert [len(y_fit) for _, y_fit in fits[4 * k:4 * k + 4]] == [10, 20, 30, 40]
    for name in samplers:
        n_labeled, scores = result.curves(name)
        assert n_labeled.tolist() == [10, 20, 30, 40]
        curves = [rmse[name, repeat] for repeat in range(2)]
        assert_allclose(scores, -np.array(curves))
        # Three rounds of 10 labels: the mean of the trapezoids' mid-heights.
        by_hand = [-sum((c[i] + c[i + 1]) / 2 for i in range(3)) / 3 for c in curves]
        assert_allclose(result.aubc()[name][0], np.mean(by_hand))

"""LabelingPool: what it asks, what it is taught, what it saves; and a
labeling loop with it until the stopping criteria say stop."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import joblib
import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.datasets import (
    load_breast_cancer,
    load_iris,
    make_multilabel_classification,
)
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline

from skactive import RandomSampler, UncertaintySampler, select_within_budget
from skactive.exceptions import StateFileError
from skactive.labeling import (
    AnyOf,
    LabelBudget,
    LabelingPool,
    StabilizingPredictions,
)
from skactive.utils._state import write_state


@pytest.fixture
def iris():
    return load_iris(return_X_y=True)


def test_pool_never_returns_a_labeled_or_pending_sample(iris):
    X, y = iris
    pool = LabelingPool(X)
    pool.teach([0, 50, 100], y[[0, 50, 100]], requested=False)
    seen = {0, 50, 100}
    sampler = UncertaintySampler(LogisticRegression(max_iter=500), random_state=0)
    for _ in range(10):
        batch = pool.query(sampler, batch_size=7)
        assert not seen & set(batch.tolist())
        seen |= set(batch.tolist())
        pool.teach(batch[:5], y[batch[:5]])  # two stay pending
    assert pool.n_labeled == 53
    assert len(pool.pending_) == 20
    assert not set(pool.pending_) & set(np.flatnonzero(pool.labeled_))


def test_partial_labels_in_any_order(iris):
    X, y = iris
    pool = LabelingPool(X)
    pool.teach([0, 50, 100], y[[0, 50, 100]], requested=False)
    batch = pool.query(RandomSampler(random_state=0), batch_size=20)
    first, rest = batch[:17][::-1], batch[17:]
    pool.teach(first, y[first])  # 17 of 20, backwards, then lunch
    assert_array_equal(np.sort(pool.pending_), np.sort(rest))
    pool.teach(rest, y[rest])
    assert pool.n_labeled == 23 and pool.pending_.size == 0
    X_labeled, y_labeled = pool.labeled_data()
    assert_array_equal(y_labeled, y[np.flatnonzero(pool.labeled_)])
    model = pool.fit(LogisticRegression(max_iter=500))
    assert model.score(X, y) > 0.8


def test_pool_from_labels_marked_minus_one_and_string_labels(iris):
    X, y = iris
    y_partial = np.where(np.arange(150) % 10 == 0, y, -1)
    assert LabelingPool(X, y_partial, missing_label=-1).n_labeled == 15
    names = np.array(["setosa", "versicolor", "virginica"], dtype=object)[y]
    names[1::2] = None
    pool = LabelingPool(X, names)
    assert pool.n_labeled == 75
    batch = pool.query(UncertaintySampler(LogisticRegression(max_iter=500)), 3)
    pool.teach(batch, names[batch - 1])  # any string label
    assert pool.n_labeled == 78
    X_labeled, y_labeled = pool.labeled_data()
    assert_array_equal(pool.labels_[batch], names[batch - 1])
    assert set(y_labeled) == {"setosa", "versicolor", "virginica"}
    assert_array_equal(X_labeled, X[np.flatnonzero(pool.labeled_)])


@pytest.mark.parametrize("indices, labels, requested, match", [
    ([150], [1], False, "Unknown sample index 150"),
    ([-1], [1], False, "Unknown sample index -1"),
    ([7], [1], True, "Sample 7 was not asked for"),
    ([0], [1], False, r"Sample 0 is already labeled \(0\): use relabel\(\)"),
    ([3, 3], [1, 1], False, "An index appears twice"),
    ([4], ["cat"], False, "mix numbers and strings"),
    ([4], [None], False, "label of sample 4 is missing"),
    ([4, 5], [1], False, "of one length"),
])
def test_bad_labels_leave_the_state_unchanged(iris, indices, labels, requested, match):
    X, y = iris
    pool = LabelingPool(X)
    pool.teach([0, 50], [0, 1], requested=False)
    pool.query(RandomSampler(random_state=0), batch_size=3)
    before = joblib.hash((pool.labels_, pool.labeled_, pool.pending_, pool.history_))
    with pytest.raises(ValueError, match=match):
        pool.teach(indices, labels, requested=requested)
    after = joblib.hash((pool.labels_, pool.labeled_, pool.pending_, pool.history_))
    assert before == after


def test_save_and_load_and_an_error_mid_save(iris, tmp_path, monkeypatch):
    X, y = iris
    pool = LabelingPool(X)
    pool.teach([0, 50, 100], y[[0, 50, 100]], requested=False)
    path = tmp_path / "pool.json"
    pool.save(path)
    saved = LabelingPool.load(path, X)
    assert_array_equal(saved.labeled_, pool.labeled_)
    # Interrupt the next save half-way: the file on disk must be the previous
    # state, and no temporary file left behind.
    pool.teach([1], [0], requested=False)

    def dies(fd):  # the state is written to the temporary file, not yet synced
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", dies)
    with pytest.raises(KeyboardInterrupt):
        pool.save(path)
    monkeypatch.undo()
    restored = LabelingPool.load(path, X)
    assert restored.n_labeled == 3
    assert os.listdir(tmp_path) == ["pool.json"]
    pool.save(path)  # the interrupted save left the pool as it was
    assert LabelingPool.load(path, X).n_labeled == 4


def test_a_labeling_loop_with_the_pool_until_the_criteria_say_stop():
    X, y = load_breast_cancer(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    pool = LabelingPool(X)
    seed = np.concatenate([np.flatnonzero(y == 0)[:3], np.flatnonzero(y == 1)[:3]])
    pool.teach(seed, y[seed], requested=False)
    X_stop = X[np.random.RandomState(0).choice(len(X), 200, replace=False)]
    stop = AnyOf([StabilizingPredictions(), LabelBudget(300)])
    sampler = UncertaintySampler(LogisticRegression(), random_state=0)
    while not stop.update(pool.fit(LogisticRegression()), X_stop, pool.n_labeled):
        batch = pool.query(sampler, batch_size=10)
        pool.teach(batch, y[batch])  # the oracle
    kappa_said = [said[0] for said in stop.history_]
    assert kappa_said[-1] and pool.n_labeled < 300  # stable before the budget
    assert pool.fit(LogisticRegression()).score(X, y) > 0.95


# --- issue 23: labeling you can trust ----------------------------------------


TEXTS = [f"ticket {i} about {'billing' if i % 3 else 'login'}" for i in range(30)]


def _text_sampler():
    return UncertaintySampler(make_pipeline(TfidfVectorizer(), LogisticRegression()),
                              random_state=0)


def test_minus_one_is_a_class_unless_it_is_the_missing_label():
    pool = LabelingPool(TEXTS, y=[-1, 0, 1] * 10)
    assert pool.n_labeled == 30
    assert set(pool.labeled_data()[1].tolist()) == {-1, 0, 1}
    marked = LabelingPool(TEXTS, y=[-1, 0, 1] * 10, missing_label=-1)
    assert marked.n_labeled == 20
    blanks = LabelingPool(TEXTS[:4], y=["spam", "?", "ham", None], missing_label="?")
    assert_array_equal(blanks.labeled_, [True, False, True, False])
    with pytest.raises(ValueError, match=r"label of sample 1 is missing"):
        blanks.teach([1], ["?"], requested=False)
    pd = pytest.importorskip("pandas")
    series = pd.Series(["spam", pd.NA, "ham"], dtype="string")
    assert_array_equal(LabelingPool(TEXTS[:3], series).labeled_, [True, False, True])


def test_querying_an_empty_pool_is_a_clear_error():
    pool = LabelingPool(TEXTS)
    with pytest.raises(ValueError, match="No sample is labeled yet.*teach"):
        pool.query(_text_sampler(), batch_size=2)
    assert pool.pending_.size == 0 and pool.history_ == []
    with pytest.raises(ValueError, match="X holds no samples"):
        LabelingPool([])
    full = LabelingPool(TEXTS[:3], y=["a", "b", "a"])
    with pytest.raises(ValueError, match="All 3 samples are labeled"):
        full.query(RandomSampler(random_state=0))


def test_teach_refuses_a_labeled_sample_and_relabel_corrects_it(iris):
    X, y = iris
    pool = LabelingPool(X)
    pool.teach([0, 1, 50], [0, 2, 1], requested=False)  # 1 is a mistake
    with pytest.raises(ValueError, match=r"Sample 1 is already labeled \(2\): "
                       r"use relabel\(\)"):
        pool.teach([1], [0], requested=False)
    pool.relabel([1], [0])
    assert pool.labels_[1] == 0 and pool.n_labeled == 3
    with pytest.raises(ValueError, match="Sample 7 is not labeled"):
        pool.relabel([7], [0])
    pool.unlabel([50])
    assert pool.n_labeled == 2 and not pool.labeled_[50]
    with pytest.raises(ValueError, match="Sample 50 is not labeled"):
        pool.unlabel([50])
    assert [(h["kind"], h["indices"]) for h in pool.history_] == [
        ("teach", [0, 1, 50]), ("relabel", [1]), ("unlabel", [50])]
    assert pool.history_[1]["labels"] == [0]
    pool.teach([50], [1], requested=False)  # an unlabeled sample may be taught again
    assert pool.n_labeled == 3


def test_classes_refuse_a_typo_naming_the_closest_class():
    pool = LabelingPool(TEXTS, classes=["churn", "stay"])
    pool.teach([0, 1], ["churn", "stay"], requested=False)
    with pytest.raises(ValueError, match=r"label 'chrun' of sample 2 is not one of "
                       r"the classes \['churn', 'stay'\]: did you mean 'churn'\?"):
        pool.teach([2], ["chrun"], requested=False)
    with pytest.raises(ValueError, match="'Stay ' of sample 0 .* did you mean 'stay'"):
        pool.relabel([0], ["Stay "])
    with pytest.raises(ValueError, match=r"label 'stay\?' of sample 5"):
        LabelingPool(TEXTS[:6], y=["churn", None, None, None, None, "stay?"],
                     classes=["churn", "stay"])
    numbers = LabelingPool(TEXTS, classes=[0, 1, 10])
    with pytest.raises(ValueError, match="did you mean 10"):
        numbers.teach([3], [9], requested=False)
    assert pool.n_labeled == 2 and pool.labels_[0] == "churn"


def test_a_budget_query_is_select_within_budget_on_the_scores(iris):
    X, y = iris
    costs = np.random.RandomState(0).uniform(1, 5, size=len(X))
    pool = LabelingPool(X)
    pool.teach([0, 50, 100], y[[0, 50, 100]], requested=False)
    sampler = UncertaintySampler(LogisticRegression(max_iter=500), random_state=0)
    picked = pool.query(sampler, costs=costs, budget=12.0)
    candidates = np.setdiff1d(np.arange(150), [0, 50, 100])
    scores = sampler.fit(X[[0, 50, 100]], y[[0, 50, 100]]).score_samples(X[candidates])
    expected = candidates[select_within_budget(scores, costs[candidates], 12.0,
                                               random_state=0)]
    assert_array_equal(picked, expected)
    assert costs[picked].sum() <= 12.0 and len(picked) > 1
    assert_array_equal(pool.pending_, picked)
    with pytest.raises(ValueError, match="costs and budget go together"):
        pool.query(sampler, budget=3.0)
    with pytest.raises(ValueError, match="one cost per sample"):
        pool.query(sampler, costs=costs[:10], budget=3.0)


def test_a_multilabel_pool_through_query():
    X, Y = make_multilabel_classification(n_samples=200, n_classes=4, random_state=0)
    pool = LabelingPool(X)
    pool.teach(np.arange(20), Y[:20], requested=False)
    sampler = UncertaintySampler(OneVsRestClassifier(LogisticRegression(max_iter=500)),
                                 strategy="margin", aggregation="max", random_state=0)
    batch = pool.query(sampler, batch_size=5)
    pool.teach(batch, Y[batch])
    X_labeled, Y_labeled = pool.labeled_data()
    assert Y_labeled.shape == (25, 4)
    assert_array_equal(Y_labeled, Y[np.flatnonzero(pool.labeled_)])
    with pytest.raises(ValueError, match="rows of 4 labels, each 0 or 1"):
        pool.teach([199], [[0, 2, 1, 0]], requested=False)
    with pytest.raises(ValueError, match="rows of 4 labels"):
        pool.teach([199], [1], requested=False)
    partly = np.array([[1.0, 0.0], [np.nan, np.nan], [0.0, 1.0]])
    assert_array_equal(LabelingPool(X[:3], partly).labeled_, [True, False, True])


def test_four_rounds_with_save_and_load_between_them(iris, tmp_path):
    X, y = iris
    path = tmp_path / "iris.json"
    sampler = UncertaintySampler(LogisticRegression(max_iter=500), random_state=0)
    names = np.array(["setosa", "versicolor", "virginica"], dtype=object)
    pool = LabelingPool(X, classes=list(names))  # round 1: a seed set, a batch
    pool.teach([0, 50, 100], ["setosa", "virginica", "virginica"], requested=False)
    batch = pool.query(sampler, batch_size=10)
    pool.teach(batch[:7], names[y[batch[:7]]])  # 3 stay pending
    pool.save(path)
    pool = LabelingPool.load(path, X)  # round 2: a correction, the rest
    assert_array_equal(np.sort(pool.pending_), np.sort(batch[7:]))
    pool.relabel([50], ["versicolor"])  # the seed label of 50 was wrong
    pool.teach(batch[7:], names[y[batch[7:]]])
    batch = pool.query(sampler, batch_size=10)
    pool.teach(batch, names[y[batch]])
    pool.save(path)
    pool = LabelingPool.load(path, X)  # round 3: a label taken back
    unsure = batch[0]
    pool.unlabel([unsure])
    pool.save(path)
    pool = LabelingPool.load(path, X)  # round 4: it is asked again
    batch = pool.query(sampler, batch_size=12)
    pool.teach(batch, names[y[batch]])
    pool.save(path)
    final = LabelingPool.load(path, X)
    labeled = np.flatnonzero(final.labeled_)
    assert_array_equal(final.labels_[labeled], names[y[labeled]])
    assert final.n_labeled == 3 + 10 + 10 - 1 + 12 and final.pending_.size == 0
    assert [h["kind"] for h in final.history_] == [
        "teach", "query", "teach", "relabel", "teach", "query", "teach", "unlabel",
        "query", "teach"]
    assert final.fit(LogisticRegression(max_iter=500)).score(X, names[y]) > 0.9


def test_four_rounds_of_a_multilabel_pool_with_save_and_load(tmp_path):
    X, Y = make_multilabel_classification(n_samples=150, n_classes=3, random_state=0)
    path = tmp_path / "tags.json"
    sampler = UncertaintySampler(OneVsRestClassifier(LogisticRegression(max_iter=500)),
                                 strategy="max_loss", random_state=0)
    wrong = Y[:10].copy()
    wrong[4] = 1 - wrong[4]
    pool = LabelingPool(X)
    pool.teach(np.arange(10), wrong, requested=False)
    pool.save(path)
    for round_ in range(3):
        pool = LabelingPool.load(path, X)
        if round_ == 0:
            pool.relabel([4], Y[[4]])
        batch = pool.query(sampler, batch_size=8)
        pool.teach(batch, Y[batch])
        if round_ == 2:
            pool.unlabel(batch[:1])
        pool.save(path)
    final = LabelingPool.load(path, X)
    X_labeled, Y_labeled = final.labeled_data()
    assert final.n_labeled == 10 + 24 - 1 and Y_labeled.shape == (33, 3)
    assert_array_equal(Y_labeled, Y[final.labeled_])
    assert_array_equal(X_labeled, X[final.labeled_])


def test_labels_round_trip_with_their_types(tmp_path):
    path = tmp_path / "pool.json"
    for labels in ([np.int64(3), 4], ["churn", np.str_("stay")], [0.5, np.float32(2)],
                   [[1, 0, 1], [0, 0, 1]]):
        pool = LabelingPool(TEXTS)
        pool.teach([4, 2], labels, requested=False)
        pool.save(path, overwrite=True)
        loaded = LabelingPool.load(path, TEXTS)
        got = loaded.labels_[[4, 2]].tolist()
        assert got == [np.asarray(v).tolist() for v in labels]
        assert [type(v) for v in got] == [type(np.asarray(v).tolist()) for v in labels]
        assert_array_equal(loaded.labeled_data()[1], pool.labeled_data()[1])
        assert loaded.history_ == pool.history_


def test_a_file_that_is_not_a_pool_state_is_refused_naming_it(tmp_path):
    path = tmp_path / "pool.json"
    path.write_bytes(np.random.RandomState(0).bytes(500))
    with pytest.raises(StateFileError, match=f"{path} is not a skactive state"):
        LabelingPool.load(path, TEXTS)
    write_state(path, "Campaign", {"rows": []}, version=1)
    with pytest.raises(StateFileError, match=f"{path} holds the state of a Campaign"):
        LabelingPool.load(path, TEXTS)


class _Exploit:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_crafted_pickle_runs_nothing(tmp_path):
    marker = tmp_path / "ran"
    path = tmp_path / "pool.joblib"
    joblib.dump(_Exploit(marker), path)
    with pytest.raises(StateFileError, match=f"{path} was written by an older "
                       "skactive as a pickle, which is not loaded because loading "
                       "a pickle can run code"):
        LabelingPool.load(path, TEXTS)
    assert not marker.exists()


def test_an_old_pickled_pool_converts_as_the_message_says(tmp_path):
    old = LabelingPool.__new__(LabelingPool)  # the attributes of the old format
    old.__dict__.update(X=TEXTS, labels_=np.array([None] * 29 + ["a"], dtype=object),
                        labeled_=np.arange(30) == 29, pending_=np.empty(0, np.intp),
                        history_=[])
    joblib.dump(old, tmp_path / "old.joblib")
    with pytest.raises(StateFileError) as caught:
        LabelingPool.load(tmp_path / "old.joblib", TEXTS)
    assert "LabelingPool(old.X, old.labels_, labeled=old.labeled_)" in str(caught.value)
    old = joblib.load(tmp_path / "old.joblib")  # a file we trust
    LabelingPool(old.X, old.labels_, labeled=old.labeled_).save(tmp_path / "new.json")
    assert LabelingPool.load(tmp_path / "new.json", TEXTS).labels_[29] == "a"


def test_a_flipped_byte_or_a_truncation_is_detected(tmp_path):
    path = tmp_path / "pool.json"
    pool = LabelingPool(TEXTS)
    pool.teach([0, 1, 2], ["a", "b", "a"], requested=False)
    pool.save(path)
    data = path.read_bytes()
    rng = np.random.RandomState(0)
    for i in rng.choice(len(data), 25, replace=False):
        path.write_bytes(data[:i] + bytes([data[i] ^ 0x04]) + data[i + 1:])
        with pytest.raises(StateFileError, match=str(path)):
            LabelingPool.load(path, TEXTS)
        path.write_bytes(data[:i])
        with pytest.raises(StateFileError, match=str(path)):
            LabelingPool.load(path, TEXTS)


def test_a_memmapped_pool_is_not_copied_into_its_state(tmp_path):
    X = np.lib.format.open_memmap(tmp_path / "X.npy", mode="w+", dtype=np.float64,
                                  shape=(100_000, 20))
    X[:] = np.random.RandomState(0).rand(100_000, 20)
    X.flush()
    X = np.load(tmp_path / "X.npy", mmap_mode="r")
    pool = LabelingPool(X)
    pool.teach(np.arange(0, 100_000, 1000), np.arange(100) % 2, requested=False)
    pool.save(tmp_path / "pool.json")
    assert (tmp_path / "pool.json").stat().st_size < 0.01 * X.nbytes
    loaded = LabelingPool.load(tmp_path / "pool.json", X)
    assert loaded.n_labeled == 100 and loaded.X is X
    edited = np.load(tmp_path / "X.npy", mmap_mode="r+")
    edited[5000, 3] += 1.0
    edited.flush()
    with pytest.raises(StateFileError, match="was saved with other samples"):
        LabelingPool.load(tmp_path / "pool.json", edited)
    with pytest.raises(StateFileError, match="was saved with other samples"):
        LabelingPool.load(tmp_path / "pool.json", X[:-1])


def test_saving_a_new_pool_over_a_state_it_did_not_load_is_refused(tmp_path):
    path = tmp_path / "pool.json"
    first = LabelingPool(TEXTS)
    first.teach([0], ["a"], requested=False)
    first.save(path)
    second = LabelingPool(TEXTS)
    with pytest.raises(StateFileError, match=f"{path} already holds a pool state "
                       "that this pool did not load.*overwrite=True"):
        second.save(path)
    assert LabelingPool.load(path, TEXTS).n_labeled == 1
    second.save(path, overwrite=True)
    assert LabelingPool.load(path, TEXTS).n_labeled == 0


def test_two_pools_loaded_from_one_file_keep_all_labels(tmp_path):
    path = tmp_path / "pool.json"
    LabelingPool(TEXTS).save(path)
    a = LabelingPool.load(path, TEXTS)
    b = LabelingPool.load(path, TEXTS)
    a.teach([0, 1], ["x", "y"], requested=False)
    a.save(path)
    b.teach([2, 3], ["y", "x"], requested=False)
    b.save(path)
    assert b.n_labeled == 4  # b adopted the merged state
    merged = LabelingPool.load(path, TEXTS)
    assert merged.labels_[:4].tolist() == ["x", "y", "y", "x"]
    assert [h["indices"] for h in merged.history_] == [[0, 1], [2, 3]]
    a.relabel([0], ["y"])  # a's next save merges b's labels in
    a.save(path)
    assert LabelingPool.load(path, TEXTS).labels_[:4].tolist() == ["y", "y", "y", "x"]


def test_a_conflicting_relabel_is_refused_naming_the_sample(tmp_path):
    path = tmp_path / "pool.json"
    pool = LabelingPool(TEXTS)
    pool.teach([0, 1, 2], ["x", "x", "x"], requested=False)
    pool.save(path)
    a = LabelingPool.load(path, TEXTS)
    b = LabelingPool.load(path, TEXTS)
    a.relabel([1, 2], ["y", "y"])
    a.unlabel([0])
    a.save(path)
    b.relabel([1, 2], ["z", "y"])  # 2: the same label on both sides merges
    with pytest.raises(StateFileError, match=r"sample 1 \('z' here, 'y' in the file\)"):
        b.save(path)
    assert LabelingPool.load(path, TEXTS).labels_[:3].tolist() == [None, "y", "y"]
    b.relabel([1], ["y"])
    b.save(path)
    assert LabelingPool.load(path, TEXTS).labels_[:3].tolist() == [None, "y", "y"]


_TEACHER = """
import sys
import numpy as np
from skactive.labeling import LabelingPool
path, start = sys.argv[1], int(sys.argv[2])
X = np.arange(400.0).reshape(200, 2)
for i in range(start, start + 100):
    pool = LabelingPool.load(path, X)
    pool.teach([i], [i % 3], requested=False)
    pool.save(path)
"""


def test_two_processes_teaching_and_saving_lose_no_label(tmp_path):
    path = tmp_path / "pool.json"
    X = np.arange(400.0).reshape(200, 2)
    LabelingPool(X).save(path)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    workers = [subprocess.Popen([sys.executable, "-c", _TEACHER, str(path), str(start)],
                                env=env) for start in (0, 100)]
    assert [w.wait(timeout=300) for w in workers] == [0, 0]
    pool = LabelingPool.load(path, X)
    assert pool.n_labeled == 200
    assert pool.labels_.tolist() == [i % 3 for i in range(200)]
    assert len(pool.history_) == 200
    assert [p.name for p in tmp_path.iterdir()] == ["pool.json"]


def _save_forever(path, X, ready, stall):
    """The child of the kill test: relabel three samples and save, forever,
    saying when the first save is whole; with ``stall``, stop inside the
    first write, the state half on disk."""
    pool = LabelingPool.load(path, X)
    if stall:
        def fsync(fd):
            os.write(ready, b"w")
            time.sleep(600)

        os.fsync = fsync  # in the forked child only
    os.write(ready, b"r")
    k, said = pool.labels_[0], stall
    while True:
        k += 1
        pool.relabel([0, 1, 2], [k, k, k])
        pool.save(path)
        if not said:  # the first save is whole
            os.write(ready, b"s")
            said = True


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_kill_during_save_leaves_the_old_or_the_new_state(tmp_path):
    path = tmp_path / "pool.json"
    X = np.zeros((20_000, 1))
    pool = LabelingPool(X)
    pool.teach(np.arange(20_000), np.zeros(20_000, dtype=int), requested=False)
    pool.save(path)
    rng = np.random.RandomState(0)
    left_a_temp = 0
    for round_ in range(40):
        stall = round_ % 4 == 3  # one kill in four is inside the write
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child never returns to pytest
            try:
                os.close(read)
                _save_forever(path, X, write, stall)
            finally:
                os._exit(1)
        os.close(write)
        assert os.read(read, 1) == b"r"
        if stall:
            assert os.read(read, 1) == b"w"
        else:
            # one save whole before the kill (on a loaded machine a save of
            # 20,000 samples can take longer than the random wait)
            assert os.read(read, 1) == b"s"
            time.sleep(rng.uniform(0, 0.5))
        os.close(read)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        left_a_temp += len(list(tmp_path.iterdir())) > 1
        state = LabelingPool.load(path, X)  # whole: the old state or the new
        k = state.labels_[0]
        assert state.labels_[:3].tolist() == [k, k, k] and state.n_labeled == 20_000
        assert sum(h["kind"] == "relabel" for h in state.history_) == k
        assert [p.name for p in tmp_path.iterdir()] == ["pool.json"]
    assert k > 0 and left_a_temp >= 10

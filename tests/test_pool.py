"""LabelingPool: what it asks, what it is taught, what it saves; and a
labeling loop with it until the stopping criteria say stop."""

import os

import joblib
import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.linear_model import LogisticRegression

from skactive import RandomSampler, UncertaintySampler
from skactive.labeling import (
    AnyOf,
    LabelBudget,
    LabelingPool,
    StabilizingPredictions,
)


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
    assert LabelingPool(X, y_partial).n_labeled == 15
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
    ([0], [1], False, "Sample 0 is already labeled"),
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


def test_save_and_load_and_a_kill_mid_save(iris, tmp_path, monkeypatch):
    X, y = iris
    pool = LabelingPool(X)
    pool.teach([0, 50, 100], y[[0, 50, 100]], requested=False)
    path = tmp_path / "pool.joblib"
    pool.save(path)
    saved = LabelingPool.load(path)
    assert_array_equal(saved.labeled_, pool.labeled_)
    # Kill the process half-way through the next save: the file on disk
    # must be the previous state, and no temporary file left behind.
    pool.teach([1], [0], requested=False)

    def dies(value, file, *args, **kwargs):
        file.write(b"half a pickle")
        raise KeyboardInterrupt

    monkeypatch.setattr(joblib, "dump", dies)
    with pytest.raises(KeyboardInterrupt):
        pool.save(path)
    monkeypatch.undo()
    restored = LabelingPool.load(path)
    assert restored.n_labeled == 3
    assert os.listdir(tmp_path) == ["pool.joblib"]
    with pytest.raises(ValueError, match="not a LabelingPool"):
        joblib.dump([1, 2], tmp_path / "other")
        LabelingPool.load(tmp_path / "other")


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

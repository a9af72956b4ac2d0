"""The shared helpers: batch-size checks and top-k with seeded ties."""

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from joblib import parallel_config
from numpy.testing import assert_allclose, assert_array_equal
from sklearn import config_context
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression

import skactive.utils._selection as selection
from skactive import UncertaintySampler
from skactive.utils._files import atomic_write
from skactive.utils._selection import tie_keys, top_k
from skactive.utils._validation import check_batch_size


@pytest.mark.parametrize(
    "batch_size, error, match",
    [
        (0, ValueError, "batch_size must be at least 1, got 0"),
        (-3, ValueError, "batch_size must be at least 1, got -3"),
        (2.5, TypeError, "batch_size must be an integer, got 2.5"),
        ("5", TypeError, "batch_size must be an integer"),
        (True, TypeError, "batch_size must be an integer"),
        (501, ValueError, r"batch_size=501 is larger than the pool \(500 samples\)"),
    ],
)
def test_bad_batch_size_messages(batch_size, error, match):
    with pytest.raises(error, match=match):
        check_batch_size(batch_size, 500)


def test_all_tied_prefix_reproduction():
    # Issue 11: select(X, 1), (X, 2), (X, 3) gave [28], [11, 28], [10, 28, 11].
    scores = np.zeros(50)
    batches = [top_k(scores, k, 0) for k in range(1, 51)]
    for j, batch in enumerate(batches, start=1):
        assert_array_equal(batch, batches[-1][:j])
    assert np.unique(batches[-1]).size == 50


@settings(max_examples=200, deadline=None)
@given(
    scores=st.lists(st.integers(0, 3), min_size=1, max_size=60),
    seed=st.integers(0, 2**31 - 1),
    data=st.data(),
)
def test_prefix_property_with_many_ties(scores, seed, data):
    scores = np.asarray(scores, dtype=float)
    k = data.draw(st.integers(1, scores.size))
    j = data.draw(st.integers(1, k))
    batch = top_k(scores, k, seed)
    assert_array_equal(top_k(scores, j, seed), batch[:j])
    # The batch is the top of one total order: score, then the tie key.
    keys = tie_keys(np.arange(scores.size), seed)
    order = np.lexsort((np.arange(scores.size), keys, -scores))
    assert_array_equal(batch, order[:k])


def test_tie_keys_depend_on_the_seed_and_not_on_the_batch():
    indices = np.arange(1000)
    assert_array_equal(tie_keys(indices, 3), tie_keys(indices, 3))
    assert_array_equal(tie_keys(indices[500:], 3), tie_keys(indices, 3)[500:])
    assert np.unique(tie_keys(indices, 3)).size == 1000
    assert not np.array_equal(tie_keys(indices, 3), tie_keys(indices, 4))


def test_a_random_state_instance_breaks_ties_anew_each_call():
    rng = np.random.RandomState(0)
    scores = np.zeros(30)
    assert not np.array_equal(top_k(scores, 10, rng), top_k(scores, 10, rng))


def _scores_of(X_chunk, *, column):
    return np.asarray(X_chunk)[:, column].astype(float)


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.integers(0, 4), min_size=1, max_size=80),
       chunk=st.integers(1, 20), seed=st.integers(0, 1000), data=st.data())
def test_streamed_top_k_equals_the_top_k_of_all_scores(values, chunk, seed, data):
    from skactive.utils._chunks import map_chunks

    X = np.asarray(values, dtype=float).reshape(-1, 1)
    k = data.draw(st.integers(1, len(values)))
    streamed = map_chunks(_scores_of, X, row_bytes=8, chunk_size=chunk,
                          top=(k, seed), column=0)
    assert_array_equal(streamed, top_k(X[:, 0], k, seed))


class CountingModel:
    """Counts how often it is pickled (sent to a worker)."""

    pickled = 0

    def __getstate__(self):
        CountingModel.pickled += 1
        return self.__dict__

    def score(self, X):
        return np.asarray(X)[:, 0]


def _score_with(X_chunk, *, model):
    return model.score(X_chunk)


def test_a_model_is_sent_once_per_worker_not_once_per_chunk():
    from skactive.utils._chunks import map_chunks

    X = np.random.RandomState(0).rand(1000, 3)
    CountingModel.pickled = 0
    serial = map_chunks(_score_with, X, row_bytes=8, chunk_size=50, n_jobs=1,
                        model=CountingModel())
    assert CountingModel.pickled == 0
    parallel = map_chunks(_score_with, X, row_bytes=8, chunk_size=50, n_jobs=2,
                          model=CountingModel())
    assert CountingModel.pickled <= 2  # 20 chunks, two tasks
    assert_array_equal(parallel, serial)


class CountingClassifier(ClassifierMixin, BaseEstimator):
    """A logistic regression that counts how often it is pickled: how many
    times it is sent to a worker process."""

    pickled = 0

    def fit(self, X, y):
        self.model_ = LogisticRegression().fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X)

    def __getstate__(self):
        type(self).pickled += 1
        return super().__getstate__()


def _stop_worker_processes():
    from joblib.externals.loky import get_reusable_executor

    get_reusable_executor().shutdown(wait=True)


def test_worker_processes_keep_the_model_between_calls():
    X, y = make_classification(n_samples=4000, n_features=5, random_state=0)
    pool = X[400:]
    model = CountingClassifier().fit(X[:200], y[:200])
    samplers = [UncertaintySampler(FrozenEstimator(model), n_jobs=n_jobs,
                                   chunk_size=100).fit(X[:200], y[:200])
                for n_jobs in (1, 2)]
    expected = samplers[0].score(pool)
    CountingClassifier.pickled = 0
    for _ in range(4):
        assert_array_equal(samplers[1].score(pool), expected)
    # Once per worker process (two tasks per call); once more if a process
    # had no task in the first call. Sent with every task, it was 8 times.
    assert CountingClassifier.pickled <= 3
    # New worker processes lack it: each task is sent again, with the model.
    _stop_worker_processes()
    CountingClassifier.pickled = 0
    assert_array_equal(samplers[1].score(pool), expected)
    assert CountingClassifier.pickled == 2
    # A refit is a new token: the model refitted in place reaches the workers.
    model.fit(X[200:400], y[200:400])
    refitted = [sampler.fit(X[200:400], y[200:400]).score(pool)
                for sampler in samplers]
    assert not np.allclose(refitted[0], expected)
    assert_array_equal(refitted[1], refitted[0])
    with parallel_config(backend="threading"):  # nothing is sent
        CountingClassifier.pickled = 0
        assert_array_equal(samplers[1].score(pool), refitted[0])
        assert CountingClassifier.pickled == 0


@pytest.mark.parametrize("sparse", [False, True])
def test_nearest_squared_distances_equal_brute_force(monkeypatch, sparse):
    # Blocks of 3 reference rows and of 5 pool rows: every block boundary.
    monkeypatch.setattr(selection, "_REFERENCE_ROWS", 3)
    rng = np.random.RandomState(0)
    X, reference = rng.randn(23, 4), rng.randn(10, 4)
    X[X < 0] = 0
    expected = ((X[:, None] - reference[None]) ** 2).sum(axis=2).min(axis=1)
    if sparse:
        X = sp.csr_matrix(X)
    with config_context(working_memory=5 * 3 * 8 / 2**20):
        got = selection.nearest_squared_distances(X, reference=reference)
    assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
    # Values whose squares overflow: scaled first, inf only beyond the range.
    huge = selection.nearest_squared_distances(X * 2.0**600,
                                               reference=reference * 2.0**600)
    assert np.all(np.isinf(huge[expected > 0]))
    big = selection.nearest_squared_distances(X * 1e150,
                                              reference=reference * 1e150)
    assert_allclose(big, expected * 1e300, rtol=1e-10)


@pytest.mark.parametrize("failure", ["write", "fsync", "replace"])
def test_atomic_write_leaves_the_old_file_whole(tmp_path, monkeypatch, failure):
    path = tmp_path / "state.json"
    with atomic_write(path) as f:
        f.write("old")
    assert path.read_text() == "old"

    def fails(*args):
        raise OSError("disk gone")

    if failure != "write":
        monkeypatch.setattr(f"skactive.utils._files.os.{failure}", fails)
    with pytest.raises(OSError, match="disk gone"):
        with atomic_write(path) as f:
            f.write("new, half")
            if failure == "write":
                fails()
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]  # no temporary
    monkeypatch.undo()
    with atomic_write(path, "wb") as f:
        f.write(b"new")
    assert path.read_bytes() == b"new"

"""The shared helpers: batch-size checks and top-k with seeded ties."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

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

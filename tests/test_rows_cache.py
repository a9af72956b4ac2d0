"""SameRowsCache: a value computed once per set of rows and key."""

import numpy as np
from numpy.testing import assert_array_equal

from skactive.utils._rows_cache import SameRowsCache, inverse_order, random_state_key


def test_same_rows_in_any_order_reuse_the_value():
    X = np.array([[2.0, 1.0], [0.0, 5.0], [2.0, 0.0], [1.0, 1.0]])
    calls = []

    def compute(rows):
        calls.append(rows.copy())
        return rows[:, 0] * 10 + rows[:, 1]  # one value per sorted row

    cache = SameRowsCache()
    value, order = cache.get(X, compute)
    assert_array_equal(order, [1, 3, 2, 0])  # by the first column, then the second
    assert_array_equal(calls[0], X[order])
    assert_array_equal(value, [5.0, 11.0, 20.0, 21.0])
    shuffled = X[[3, 0, 2, 1]]
    again, order = cache.get(shuffled, compute)
    assert len(calls) == 1 and again is value
    assert_array_equal(shuffled[order], calls[0])  # order maps to the sorted rows


def test_other_rows_or_key_compute_again():
    X = np.arange(12.0).reshape(6, 2)
    calls = []
    cache = SameRowsCache()
    cache.get(X, calls.append, key=1)
    cache.get(X[:5], calls.append, key=1)  # a row fewer
    cache.get(X[:5] + 1e-12, calls.append, key=1)  # other values
    cache.get(X[:5] + 1e-12, calls.append, key=2)  # another key
    cache.get(X[:5] + 1e-12, calls.append, key=2)
    assert len(calls) == 4


def test_a_generator_is_never_the_same_key():
    assert random_state_key(3) == 3 and random_state_key(None) is None
    rng = np.random.RandomState(0)
    assert random_state_key(rng) != random_state_key(rng)


def test_inverse_order_undoes_the_sort():
    X = np.array([[3.0], [1.0], [2.0], [0.0]])
    _, order = SameRowsCache().get(X, lambda rows: None)
    assert_array_equal(order, [3, 1, 2, 0])
    assert_array_equal(inverse_order(order), [3, 1, 2, 0])
    order = np.array([2, 0, 3, 1])
    assert_array_equal(inverse_order(order), [1, 3, 0, 2])
    assert_array_equal(order[inverse_order(order)], np.arange(4))


def test_kept_by_makes_one_cache_per_estimator():
    class Holder:
        pass

    first, second = Holder(), Holder()
    cache = SameRowsCache.kept_by(first)
    assert SameRowsCache.kept_by(first) is cache
    assert SameRowsCache.kept_by(second) is not cache

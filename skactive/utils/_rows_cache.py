"""A value computed from a set of rows, kept for the next call on the same rows."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np


class KeptCache:
    """Private state a sampler keeps between its fits, in the attribute
    named by the subclass's ``attribute``."""

    attribute = None

    @classmethod
    def kept_by(cls, estimator):
        """The cache of ``estimator``, made at its first fit and kept by
        later fits (private state, not a fitted attribute: ``clone`` gives a
        new estimator an empty one)."""
        cache = getattr(estimator, cls.attribute, None)
        if cache is None:
            cache = cls()
            setattr(estimator, cls.attribute, cache)
        return cache


class SameRowsCache(KeptCache):
    """The last value computed from a dense matrix, reused for the same rows.

    Some samplers compute something from the labeled samples and the pool
    together that does not depend on the labels: a mixture model (DWUS), a
    cluster tree (hierarchical sampling). At every round of an experiment
    they see the same rows, in another order (a pool sample moved to the
    labeled ones). The value is computed on the rows sorted
    (:func:`numpy.lexsort`), so it depends on the set of rows only, and a
    call with the same rows and the same ``key`` (the parameters that shape
    the value) returns it without computing it again, as the reference
    implementations compute it once per experiment.
    """

    attribute = "_rows_cache"

    def __init__(self):
        self._rows = self._key = self._value = None

    def get(self, X, compute, key=()):
        """``(compute(sorted_rows), order)``, ``sorted_rows = X[order]``.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
            Dense rows.

        compute : callable
            ``compute(sorted_rows)``, called when the rows or the key differ
            from the last call's.

        key : hashable, default=()
            What else the value depends on.

        Returns
        -------
        value : object
            What ``compute`` returned for these rows, sorted.

        order : ndarray of shape (n_samples,)
            The permutation that sorts ``X``: row ``i`` of the sorted rows
            is ``X[order[i]]``.
        """
        order = np.lexsort(X.T[::-1]) if X.shape[1] else np.arange(X.shape[0])
        rows = X[order]
        same = (self._rows is not None and key == self._key
                and rows.shape == self._rows.shape and np.array_equal(rows, self._rows))
        if not same:
            self._rows, self._key, self._value = rows, key, compute(rows)
        return self._value, order


def inverse_order(order):
    """Where each row went: ``order[inverse_order(order)[i]] == i``."""
    positions = np.empty_like(order)
    positions[order] = np.arange(order.shape[0])
    return positions


def random_state_key(random_state):
    """A seed as a cache key: an int or None as itself; a generator as a new
    object, equal to no other key, since its next draws differ from the
    last call's (each call computes anew, as without the cache)."""
    if random_state is None or isinstance(random_state, (int, np.integer)):
        return random_state
    return object()

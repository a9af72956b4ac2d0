"""The greedy engine: farthest-first traversal, exact and lazy.

The core-set (:func:`k_center_greedy`), its composable form
(:func:`composable_k_center_greedy`) and greedy sampling for regression
(:func:`greedy_sampling`: GSx, GSy, iGS) all pick, one at a time, the
sample farthest from its nearest center, and make each pick a center. They
differ only in the distance: Euclidean in one space (the inputs, or the
outputs), or the product of the Euclidean distances in several (iGS).
"""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import scipy.sparse as sp
from sklearn.utils import check_array, check_random_state, gen_batches
from sklearn.utils.extmath import row_norms, safe_sparse_dot

from ..utils._selection import nearest_squared_distances

# Rows of one block of the greedy: the unit whose distances are brought up to
# date together.
_BLOCK_ROWS = 1024
# Centers per matrix product while a block catches up (bounds its memory).
_CENTERS = 256


def farthest_first(spaces, n_select, *, nearest=None, random_state=None):
    """Pick ``n_select`` samples, each the farthest from its nearest center.

    Each pick becomes a center. The distance of a sample to a center is the
    Euclidean distance in the one space of ``spaces``, or the product of its
    Euclidean distances in each of several spaces (iGS: the minimum over the
    centers of the products, not the product of the minima).

    Exact but lazy: the pool is cut into blocks that remember the largest
    distance they held when last brought up to date. A minimum over a set of
    centers only shrinks as centers are added, so the stale maximum is an
    upper bound: a block whose bound is below the best exact distance cannot
    hold the next pick and is not recomputed. Memory is O(n_samples) plus one
    block times a few hundred centers.

    Parameters
    ----------
    spaces : list of {ndarray, sparse matrix} of shape (n_samples, n_features_i)
        The pool in each space, scaled so that squared distances cannot
        overflow (``scaled_for_distances``).

    n_select : int
        Number of picks, at most ``n_samples``.

    nearest : ndarray of shape (n_samples,), default=None
        Each sample's distance to its nearest center before any pick (the
        labeled samples): squared for one space, the product of distances
        for several; overwritten. None means no center yet (the cold start,
        one space only): the first pick is then the sample nearest to the
        mean of the pool, its most central point.

    random_state : int, RandomState instance or None, default=None
        Exact ties go to the sample that comes first in a random permutation
        of the pool drawn from it.

    Returns
    -------
    indices : ndarray of shape (n_select,)
        The picks, in the order they were made.
    """
    n_samples = spaces[0].shape[0]
    tie_rank = check_random_state(random_state).permutation(n_samples)
    if len(spaces) == 1:
        space = _Space(spaces[0], n_select)
    else:
        space = _ProductSpace([_Space(X, n_select) for X in spaces])
    first = None
    if nearest is None:
        first, nearest = _most_central(space, tie_rank)
    return _lazy_greedy(space, nearest, n_select, tie_rank, first)


def _most_central(space, tie_rank):
    """The sample nearest to the mean of the pool (exact ties to the lowest
    ``tie_rank``), and the squared distance of every sample to it."""
    X, norms = space.X, space.squared_norms
    mean = np.asarray(X.mean(axis=0)).reshape(1, -1)
    to_mean = nearest_squared_distances(X, reference=mean, X_squared_norms=norms)
    first = first_of_ties(-to_mean, tie_rank)
    return first, nearest_squared_distances(X, reference=X[[first]],
                                            X_squared_norms=norms)


def first_of_ties(values, tie_rank):
    """Index of the largest value; among exact ties, the lowest ``tie_rank``."""
    tied = np.flatnonzero(values == values.max())
    return tied[np.argmin(tie_rank[tied])]


def check_squared_distances(values, n_samples, name):
    """Squared distances, one per sample: a float64 copy; +inf (beyond the
    float range) is allowed, NaN and negative values are not."""
    values = check_array(values, ensure_2d=False, dtype=np.float64,
                         input_name=name, copy=True, ensure_all_finite=False)
    if np.isnan(values).any():
        raise ValueError(f"{name} contains NaN: pass the squared distance of "
                         "each sample to its nearest labeled sample.")
    if values.size and values.min() < 0:
        raise ValueError(
            f"{name} holds negative values (the lowest is {values.min():.6g}): "
            "pass squared Euclidean distances, which are at least 0 (clip a "
            "rounding error below 0 with np.maximum(values, 0))."
        )
    if values.shape != (n_samples,):
        raise ValueError(f"{name} must hold one value per sample, shape "
                         f"({n_samples},), got {values.shape}.")
    return values


class _Space:
    """One space of the greedy: its points, their squared norms, and the
    centers picked so far (dense points copy each pick once; sparse ones
    slice the picks' rows)."""

    def __init__(self, X, n_select):
        self.X = X
        self.squared_norms = row_norms(X, squared=True)
        self.centers = (None if sp.issparse(X)
                        else np.empty((n_select, X.shape[1]), X.dtype))

    def add(self, position, index):
        if self.centers is not None:
            self.centers[position] = self.X[index]

    def added(self, picks, start, stop):
        """The points of the picks ``start:stop``."""
        if self.centers is None:
            return self.X[picks[start:stop]]
        return self.centers[start:stop]

    def squared(self, rows, picks, start, stop):
        """Squared distances of the points ``rows`` to the picks
        ``start:stop``, a (rows, picks) matrix."""
        return _squared_distance_matrix(self.X[rows], self.added(picks, start, stop),
                                        self.squared_norms[rows])

    def catch_up(self, nearest, rows, picks, start, stop):
        """Bring ``nearest[rows]`` (squared distances) up to date with the
        picks ``start:stop``."""
        for new in gen_batches(stop - start, _CENTERS):
            added = self.added(picks, start + new.start, start + new.stop)
            update = nearest_squared_distances(
                self.X[rows], reference=added,
                X_squared_norms=self.squared_norms[rows])
            np.minimum(nearest[rows], update, out=nearest[rows])


class _ProductSpace:
    """Several spaces whose distance to a center is the product of their
    distances (iGS). Distances, not squared ones: in spaces scaled by
    ``scaled_for_distances`` their product cannot overflow."""

    def __init__(self, spaces):
        self.spaces = spaces

    def add(self, position, index):
        for space in self.spaces:
            space.add(position, index)

    def catch_up(self, nearest, rows, picks, start, stop):
        """Bring ``nearest[rows]`` (products of distances) up to date with
        the picks ``start:stop``."""
        for new in gen_batches(stop - start, _CENTERS):
            a, b = start + new.start, start + new.stop
            product = np.sqrt(self.spaces[0].squared(rows, picks, a, b))
            for space in self.spaces[1:]:
                product *= np.sqrt(space.squared(rows, picks, a, b))
            np.minimum(nearest[rows], product.min(axis=1), out=nearest[rows])


def _lazy_greedy(space, nearest, n_select, tie_rank, first):
    """The picks of :func:`farthest_first`: blocks with stale upper bounds,
    brought up to date only when they might hold the next pick."""
    picks = np.empty(n_select, dtype=np.intp)
    n_picked = 0

    def pick(index):
        nonlocal n_picked
        picks[n_picked] = index
        space.add(n_picked, index)
        nearest[index] = -np.inf  # never picked again (minima keep it there)
        n_picked += 1

    if first is not None:
        pick(first)
    blocks = list(gen_batches(nearest.shape[0], _BLOCK_ROWS))
    seen = np.full(len(blocks), n_picked)  # centers each block is up to date with
    bounds = np.array([nearest[rows].max() for rows in blocks])
    best = np.array([rows.start + first_of_ties(nearest[rows], tie_rank[rows])
                     for rows in blocks])
    while n_picked < n_select:
        tied = np.flatnonzero(bounds == bounds.max())
        stale = tied[seen[tied] < n_picked]
        if stale.size == 0:
            pick(best[tied[np.argmin(tie_rank[best[tied]])]])
            continue
        for j in stale:
            rows = blocks[j]
            space.catch_up(nearest, rows, picks, seen[j], n_picked)
            seen[j] = n_picked
            bounds[j] = nearest[rows].max()
            best[j] = rows.start + first_of_ties(nearest[rows], tie_rank[rows])
    return picks


def _squared_distance_matrix(X, centers, X_squared_norms):
    """Squared Euclidean distances between the rows of X and the centers,
    clipped at 0; exact differences for one feature (GSy's predictions)."""
    if X.shape[1] == 1 and not sp.issparse(X) and not sp.issparse(centers):
        return (X - centers.T) ** 2
    squared = safe_sparse_dot(X, (-2 * centers).T, dense_output=True)
    squared += row_norms(centers, squared=True)
    squared += X_squared_norms[:, None]
    return np.maximum(squared, 0, out=squared)

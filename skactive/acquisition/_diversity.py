"""Diversity selection on embeddings: k-means round-robin and k-center greedy.

Batch-aware: a sample's place depends on the other samples of the pool, so
these functions return an order (or a batch), not independent scores.
"""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral

import numpy as np
from sklearn.utils import check_array, check_random_state, gen_batches
from sklearn.utils.extmath import row_norms

# Rows of one block of the k-center greedy: the unit whose distances are
# brought up to date together.
_GREEDY_BLOCK_ROWS = 1024
# Centers per matrix product while a block catches up (bounds its memory).
_GREEDY_CENTERS = 256


def round_robin(labels, distances):
    """Order samples by taking one from each cluster in turn, closest first.

    The seed's diversity ranking: within each cluster, members are ordered by
    their distance to the cluster's centroid (closest first); then the first
    member of every cluster is taken, then the second of every cluster, and
    so on. Within a round, clusters come in order of decreasing size (ties by
    label); a cluster that has run out of members is skipped.

    Parameters
    ----------
    labels : array-like of shape (n_samples,)
        Non-negative integer cluster label of each sample.

    distances : array-like of shape (n_samples,)
        Distance of each sample to its cluster's centroid.

    Returns
    -------
    order : ndarray of shape (n_samples,)
        Sample indices, the first to label first. Exact ties in distance keep
        the order of the samples.

    Examples
    --------
    >>> from skactive.acquisition import round_robin
    >>> round_robin(labels=[0, 0, 0, 1, 1], distances=[0.3, 0.1, 0.2, 0.5, 0.4])
    array([1, 4, 2, 3, 0])
    """
    labels = check_array(labels, ensure_2d=False, dtype=np.intp, input_name="labels")
    distances = check_array(distances, ensure_2d=False, input_name="distances")
    if labels.shape != distances.shape or labels.ndim != 1:
        raise ValueError(
            f"labels and distances must be 1-D and of one length, got shapes "
            f"{labels.shape} and {distances.shape}."
        )
    if labels.min() < 0:
        raise ValueError("labels must be non-negative cluster indices.")
    n_samples = labels.shape[0]
    counts = np.bincount(labels)
    # Members grouped by cluster, closest first; their rank inside the cluster.
    by_cluster = np.lexsort((distances, labels))
    starts = np.cumsum(counts) - counts
    rank = np.empty(n_samples, dtype=np.intp)
    rank[by_cluster] = np.arange(n_samples) - np.repeat(starts, counts)
    cluster_position = np.empty(counts.shape[0], dtype=np.intp)
    cluster_position[np.argsort(-counts, kind="stable")] = np.arange(counts.shape[0])
    return np.lexsort((cluster_position[labels], rank))


def k_center_greedy(X, n_select, *, squared_distances=None, random_state=None):
    """Pick samples one at a time, each the farthest from all picked so far.

    The core-set selection of Sener & Savarese (2018): the distance of a
    sample to the set is its Euclidean distance to the nearest member of
    ``reference`` and of the samples picked before it. Each step picks the
    sample with the largest such distance, which is exactly the greedy
    2-approximation of the k-center problem.

    The greedy is exact but lazy: the pool is cut into blocks that remember
    the largest distance they held when last brought up to date. Distances
    only shrink as centers are added, so a block whose stale maximum is below
    the best exact value cannot hold the next pick and is not recomputed.
    Memory is O(n_samples) plus one block times a few hundred centers.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Embeddings of the pool.

    n_select : int
        Number of samples to pick, at most ``n_samples``.

    squared_distances : array-like of shape (n_samples,), default=None
        Squared distance of each pool sample to its nearest already-labeled
        sample. None means no labeled sample (the cold start): the first pick
        is then the sample nearest to the mean of the pool, its most central
        point.

    random_state : int, RandomState instance or None, default=None
        Exact ties in distance are broken by a random permutation of the
        pool drawn from it.

    Returns
    -------
    indices : ndarray of shape (n_select,)
        The picks, in the order they were made.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.acquisition import k_center_greedy
    >>> X = np.array([[0.0], [1.0], [2.0], [10.0]])
    >>> k_center_greedy(X, 3)
    array([2, 3, 0])
    >>> k_center_greedy(X, 2, squared_distances=np.array([0.0, 1.0, 4.0, 100.0]))
    array([3, 2])
    """
    X = check_array(X, dtype=[np.float64, np.float32], input_name="X")
    n_samples = X.shape[0]
    if not isinstance(n_select, Integral) or not 1 <= n_select <= n_samples:
        raise ValueError(
            f"n_select must be an integer between 1 and the number of samples "
            f"({n_samples}), got {n_select!r}."
        )
    priority = check_random_state(random_state).permutation(n_samples)
    squared_norms = row_norms(X, squared=True)
    picks = np.empty(n_select, dtype=np.intp)
    centers = np.empty((n_select, X.shape[1]), dtype=X.dtype)
    n_picked = 0

    def pick(index):
        nonlocal n_picked
        picks[n_picked] = index
        centers[n_picked] = X[index]
        n_picked += 1
        min_sq[index] = -np.inf  # never picked again

    if squared_distances is None:
        to_mean = _nearest_squared_distances(X, X.mean(axis=0, keepdims=True),
                                             squared_norms)
        first = _first_of_ties(-to_mean, priority)
        min_sq = _nearest_squared_distances(X, X[[first]], squared_norms)
        pick(first)
    else:
        min_sq = check_array(squared_distances, ensure_2d=False, dtype=np.float64,
                             input_name="squared_distances", copy=True)
        if min_sq.shape != (n_samples,):
            raise ValueError(
                f"squared_distances must hold one value per sample, shape "
                f"({n_samples},), got {min_sq.shape}."
            )

    blocks = list(gen_batches(n_samples, _GREEDY_BLOCK_ROWS))
    seen = np.full(len(blocks), n_picked)  # centers each block is up to date with
    bounds = np.array([min_sq[rows].max() for rows in blocks])
    best = np.array([rows.start + _first_of_ties(min_sq[rows], priority[rows])
                     for rows in blocks])
    while n_picked < n_select:
        top = bounds.max()
        tied = np.flatnonzero(bounds == top)
        stale = tied[seen[tied] < n_picked]
        if stale.size == 0:
            pick(best[tied[np.argmin(priority[best[tied]])]])
            continue
        for j in stale:
            rows = blocks[j]
            for new in gen_batches(n_picked - seen[j], _GREEDY_CENTERS):
                added = centers[seen[j] + new.start:seen[j] + new.stop]
                nearest = _nearest_squared_distances(X[rows], added,
                                                     squared_norms[rows])
                np.minimum(min_sq[rows], nearest, out=min_sq[rows])
            seen[j] = n_picked
            bounds[j] = min_sq[rows].max()
            best[j] = rows.start + _first_of_ties(min_sq[rows], priority[rows])
    return picks


def _nearest_squared_distances(X, centers, X_squared_norms):
    """Squared Euclidean distance of each row of X to its nearest center.

    ``|x|^2 - 2 x.c + |c|^2``, with ``|x|^2`` added after the minimum over
    the centers and the factor -2 folded into the (small) centers matrix:
    two passes over the distance matrix instead of five. Clipped at 0.
    """
    products = X @ (-2 * centers).T
    products += np.einsum("ij,ij->i", centers, centers)
    nearest = products.min(axis=1)
    nearest += X_squared_norms
    return np.maximum(nearest, 0, out=nearest)


def _first_of_ties(values, priority):
    """Index of the largest value; among exact ties, the lowest priority."""
    tied = np.flatnonzero(values == values.max())
    return tied[np.argmin(priority[tied])]


def typicality(X, n_neighbors=20):
    """Typicality of each sample: the inverse of its mean distance to its
    nearest neighbours (Hacohen et al., 2022).

    .. math:: T(x) = \\left(\\frac{1}{K} \\sum_{x_i \\in KNN(x)}
              \\lVert x - x_i \\rVert\\right)^{-1}

    with :math:`K` = ``min(n_neighbors, n_samples - 1)``. Dense regions are
    typical. Neighbours come from
    :class:`~sklearn.neighbors.NearestNeighbors`, so memory is
    O(n_samples x n_neighbors), never n_samples squared.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Embeddings, typically the members of one cluster.

    n_neighbors : int, default=20
        Number of neighbours K (TypiClust's default).

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        Higher means more typical; ``inf`` for a sample whose neighbours all
        coincide with it, 0 for a lone sample.

    Examples
    --------
    >>> from skactive.acquisition import typicality
    >>> typicality([[0.0], [1.0], [2.0], [10.0]], n_neighbors=2)
    array([0.66666667, 1.        , 0.66666667, 0.11764706])
    """
    from sklearn.neighbors import NearestNeighbors

    X = check_array(X, dtype=[np.float64, np.float32], input_name="X")
    n_samples = X.shape[0]
    k = min(n_neighbors, n_samples - 1)
    if k < 1:
        return np.zeros(n_samples)
    distances, _ = NearestNeighbors(n_neighbors=k + 1).fit(X).kneighbors(X)
    # Column 0 is the sample itself (or a duplicate at distance 0).
    mean_distance = distances[:, 1:].mean(axis=1)
    with np.errstate(divide="ignore"):
        return 1 / mean_distance

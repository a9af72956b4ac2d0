"""Diversity selection on embeddings: round-robin over clusters, k-center
greedy, TypiClust, and the picks of a (weighted) k-means.

Batch-aware: a sample's place depends on the other samples of the pool, so
these functions return an order (or a batch), not independent scores. They
take clusterings as arrays (labels, centers): fitting the clusterer is the
sampler's job, so any clusterer can feed them.
"""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.utils import check_array, check_random_state, gen_batches
from sklearn.utils.extmath import row_norms, safe_sparse_dot

from ..utils._selection import (
    distances_to_centers,
    members_by_cluster,
    scaled_for_distances,
    unscaled,
)
from ..utils._sklearn_compat import Interval, validate_params

# Rows of one block of the k-center greedy: the unit whose distances are
# brought up to date together.
_GREEDY_BLOCK_ROWS = 1024
# Centers per matrix product while a block catches up (bounds its memory).
_GREEDY_CENTERS = 256


@validate_params(
    {"labels": ["array-like"], "distances": ["array-like"],
     "cluster_order": ["array-like", None]},
    prefer_skip_nested_validation=True,
)
def round_robin(labels, distances, *, cluster_order=None):
    """Order samples by taking one from each cluster in turn, closest first.

    The diversity ranking of Encord Active's documentation: within each
    cluster, members are ordered by their distance to the cluster's centroid
    (closest first); then the first member of every cluster is taken, then
    the second of every cluster, and so on. Within a round, clusters come in
    ``cluster_order``, by default in order of decreasing size (ties by
    label); a cluster that has run out of members is skipped.

    Cluster-Margin (Citovsky et al., 2021) is this order with minus the
    informativeness as ``distances`` and the smallest clusters first.

    Parameters
    ----------
    labels : array-like of shape (n_samples,)
        Integer cluster label of each sample (any integers: memory depends on
        the number of clusters, not on the labels' values).

    distances : array-like of shape (n_samples,)
        Distance of each sample to its cluster's centroid (any key: the
        lowest is taken first).

    cluster_order : array-like of shape (n_clusters,), default=None
        The cluster labels in the order a round visits them: every label of
        ``labels`` once (a label no sample has is skipped). None means by
        decreasing size.

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
    >>> round_robin([0, 0, 0, 1, 1], [0.3, 0.1, 0.2, 0.5, 0.4], cluster_order=[1, 0])
    array([4, 1, 3, 2, 0])
    """
    labels = _integer_labels(labels, "labels")
    distances = check_array(distances, ensure_2d=False, input_name="distances")
    if labels.shape != distances.shape or labels.ndim != 1:
        raise ValueError(
            f"labels and distances must be 1-D and of one length, got shapes "
            f"{labels.shape} and {distances.shape}."
        )
    # Clusters numbered 0 to n_clusters - 1 in the order of their labels:
    # memory follows the number of clusters, not the values of the labels.
    clusters, labels, counts = np.unique(labels, return_inverse=True,
                                         return_counts=True)
    n_samples = labels.shape[0]
    # Members grouped by cluster, closest first; their rank inside the cluster.
    by_cluster = np.lexsort((distances, labels))
    starts = np.cumsum(counts) - counts
    rank = np.empty(n_samples, dtype=np.intp)
    rank[by_cluster] = np.arange(n_samples) - np.repeat(starts, counts)
    if cluster_order is None:
        cluster_position = np.empty(clusters.shape[0], dtype=np.intp)
        cluster_position[np.argsort(-counts, kind="stable")] = np.arange(
            clusters.shape[0])
    else:
        cluster_position = _positions(clusters, cluster_order)
    return np.lexsort((cluster_position[labels], rank))


def _positions(clusters, cluster_order):
    """Position in ``cluster_order`` of each of the (sorted) ``clusters``."""
    cluster_order = _integer_labels(cluster_order, "cluster_order")
    sorter = np.argsort(cluster_order, kind="stable")
    ordered = cluster_order[sorter]
    found = np.searchsorted(ordered, clusters)
    listed = found < ordered.shape[0]
    listed[listed] = ordered[found[listed]] == clusters[listed]
    missing = clusters[~listed]
    repeated = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    if missing.size or repeated.size:
        raise ValueError(
            "cluster_order must hold every cluster label of labels once; "
            f"missing: {missing.tolist()}, repeated: {repeated.tolist()}."
        )
    return sorter[found]


@validate_params(
    {"X": ["array-like", "sparse matrix"],
     "n_select": [Interval(Integral, 1, None, closed="left")],
     "squared_distances": ["array-like", None],
     "random_state": ["random_state"]},
    prefer_skip_nested_validation=True,
)
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
    Values so large that squared distances would overflow (a row at 1e200)
    are divided by one power of two first, which keeps every order of
    distances.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Embeddings of the pool. A sparse matrix (TF-IDF, one-hot) is never
        densified: distances come from sparse dot products.

    n_select : int
        Number of samples to pick, at most ``n_samples``.

    squared_distances : array-like of shape (n_samples,), default=None
        Squared distance of each pool sample to its nearest already-labeled
        sample (``inf`` for one beyond the float range: it is the farthest).
        None means no labeled sample (the cold start): the first pick
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
    X = check_array(X, accept_sparse="csr", dtype=[np.float64, np.float32],
                    input_name="X")
    n_samples = X.shape[0]
    if n_select > n_samples:
        raise ValueError(
            f"n_select must be an integer between 1 and the number of samples "
            f"({n_samples}), got {n_select!r}."
        )
    scale, (X,) = scaled_for_distances(X)
    priority = _tie_priority(random_state, n_samples)
    space = _Space(X, n_select)
    first = None
    if squared_distances is None:
        mean = np.asarray(X.mean(axis=0)).reshape(1, -1)
        to_mean = _nearest_squared_distances(X, mean, space.squared_norms)
        first = _first_of_ties(-to_mean, priority)
        space.nearest = _nearest_squared_distances(X, X[[first]],
                                                   space.squared_norms)
    else:
        space.nearest = _check_squared(squared_distances, n_samples,
                                       "squared_distances") / scale / scale
    return _lazy_greedy(space, n_select, priority, first=first)


class _Space:
    """One space of a greedy selection: its points, their squared norms, and
    the squared distance of each point to its nearest center (``nearest``)."""

    def __init__(self, X, n_select, nearest=None):
        self.X = X
        self.squared_norms = row_norms(X, squared=True)
        self.nearest = nearest
        # Dense points copy each pick once; sparse ones slice the picks' rows.
        self.centers = (None if sp.issparse(X)
                        else np.empty((n_select, X.shape[1]), X.dtype))

    def add(self, position, index):
        if self.centers is not None:
            self.centers[position] = self.X[index]

    def added(self, picks, start, stop):
        """The points of the picks ``start:stop``."""
        return self.X[picks[start:stop]] if self.centers is None else \
            self.centers[start:stop]

    def squared(self, rows, picks, start, stop):
        """Squared distances of the points ``rows`` to the picks ``start:stop``,
        a (rows, picks) matrix."""
        return _squared_distance_matrix(self.X[rows], self.added(picks, start, stop),
                                        self.squared_norms[rows])

    def catch_up(self, rows, picks, start, stop):
        """Bring ``nearest[rows]`` up to date with the picks ``start:stop``."""
        for new in gen_batches(stop - start, _GREEDY_CENTERS):
            added = self.added(picks, start + new.start, start + new.stop)
            nearest = _nearest_squared_distances(self.X[rows], added,
                                                 self.squared_norms[rows])
            np.minimum(self.nearest[rows], nearest, out=self.nearest[rows])


class _ProductSpace:
    """Two spaces whose distance to a center is the product of the two
    distances (iGS): ``nearest`` is the minimum over the centers of the
    products, not the product of the minima. Distances, not squared ones:
    in spaces scaled by ``scaled_for_distances`` their product cannot
    overflow."""

    def __init__(self, spaces, nearest):
        self.spaces = spaces
        self.nearest = nearest

    def add(self, position, index):
        for space in self.spaces:
            space.add(position, index)

    def catch_up(self, rows, picks, start, stop):
        """Bring ``nearest[rows]`` up to date with the picks ``start:stop``."""
        for new in gen_batches(stop - start, _GREEDY_CENTERS):
            a, b = start + new.start, start + new.stop
            product = np.sqrt(self.spaces[0].squared(rows, picks, a, b))
            for space in self.spaces[1:]:
                product *= np.sqrt(space.squared(rows, picks, a, b))
            np.minimum(self.nearest[rows], product.min(axis=1),
                       out=self.nearest[rows])


def _check_squared(values, n_samples, name):
    """Squared distances, one per sample: a copy; +inf (beyond the float
    range) is allowed, NaN and negative values are not."""
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


def _lazy_greedy(space, n_select, priority, first=None):
    """Pick, one at a time, the sample farthest from its nearest center
    (largest ``space.nearest``: a squared distance, or iGS's product of
    distances); each pick becomes a center.

    Exact but lazy: the pool is cut into blocks that remember the largest
    distance they held when last brought up to date. A minimum over a set
    of centers only shrinks as centers are added (for iGS too, a minimum of
    products), so the stale maximum is an upper bound: a block whose bound
    is below the best exact distance cannot hold the next pick and is not
    recomputed. Exact ties go to the highest ``priority``.
    """
    n_samples = priority.shape[0]
    picks = np.empty(n_select, dtype=np.intp)
    score = space.nearest
    n_picked = 0

    def pick(index):
        nonlocal n_picked
        picks[n_picked] = index
        space.add(n_picked, index)
        score[index] = -np.inf  # never picked again (minima keep it there)
        n_picked += 1

    if first is not None:
        pick(first)
    blocks = list(gen_batches(n_samples, _GREEDY_BLOCK_ROWS))
    seen = np.full(len(blocks), n_picked)  # centers each block is up to date with
    bounds = np.array([score[rows].max() for rows in blocks])
    best = np.array([rows.start + _first_of_ties(score[rows], priority[rows])
                     for rows in blocks])
    while n_picked < n_select:
        tied = np.flatnonzero(bounds == bounds.max())
        stale = tied[seen[tied] < n_picked]
        if stale.size == 0:
            pick(best[tied[np.argmax(priority[best[tied]])]])
            continue
        for j in stale:
            rows = blocks[j]
            space.catch_up(rows, picks, seen[j], n_picked)
            seen[j] = n_picked
            bounds[j] = score[rows].max()
            best[j] = rows.start + _first_of_ties(score[rows], priority[rows])
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


def _nearest_squared_distances(X, centers, X_squared_norms):
    """Squared Euclidean distance of each row of X to its nearest center.

    ``|x|^2 - 2 x.c + |c|^2``, with ``|x|^2`` added after the minimum over
    the centers and the factor -2 folded into the (small) centers matrix:
    two passes over the distance matrix instead of five. Clipped at 0.
    """
    products = safe_sparse_dot(X, (-2 * centers).T, dense_output=True)
    products += row_norms(centers, squared=True)
    nearest = products.min(axis=1)
    nearest += X_squared_norms
    return np.maximum(nearest, 0, out=nearest)


def _first_of_ties(values, priority):
    """Index of the largest value; among exact ties, the highest priority."""
    tied = np.flatnonzero(values == values.max())
    return tied[np.argmax(priority[tied])]


def _tie_priority(random_state, n_samples):
    """The priorities that break exact ties in a greedy selection, highest
    first as scores are: a random order of the samples, drawn from
    ``random_state`` (the negated permutation, so that a seed gives the
    batch it gave when the lowest entry came first)."""
    return -check_random_state(random_state).permutation(n_samples)


@validate_params(
    {"X": ["array-like", "sparse matrix"],
     "n_neighbors": [Interval(Integral, 1, None, closed="left")],
     "labels": ["array-like", None]},
    prefer_skip_nested_validation=True,
)
def typicality(X, n_neighbors=20, *, labels=None):
    """Typicality of each sample: inverse mean distance to its neighbours.

    TypiClust's measure of density (Hacohen et al., 2022):

    .. math:: T(x) = \\left(\\frac{1}{K} \\sum_{x_i \\in KNN(x)}
              \\lVert x - x_i \\rVert\\right)^{-1}

    with :math:`K` = ``min(n_neighbors, n_samples - 1)``. Dense regions are
    typical. Neighbours come from
    :class:`~sklearn.neighbors.NearestNeighbors`, so memory is
    O(n_samples x n_neighbors), never n_samples squared.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Embeddings, typically the members of one cluster.

    n_neighbors : int, default=20
        Number of neighbours K (TypiClust's default).

    labels : array-like of shape (n_samples,), default=None
        Cluster labels: each sample's neighbours are then taken among the
        members of its own cluster. None treats ``X`` as one cluster.

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

    X = check_array(X, accept_sparse="csr", dtype=[np.float64, np.float32],
                    input_name="X")
    n_samples = X.shape[0]
    if labels is not None:
        labels = _check_labels(labels, n_samples)
        scores = np.empty(n_samples)
        for members in members_by_cluster(labels, labels.max() + 1):
            if members.size:
                scores[members] = typicality(X[members], n_neighbors)
        return scores
    k = min(n_neighbors, n_samples - 1)
    if k < 1:
        return np.zeros(n_samples)
    scale, (X,) = scaled_for_distances(X)
    distances, _ = NearestNeighbors(n_neighbors=k + 1).fit(X).kneighbors(X)
    # Column 0 is the sample itself (or a duplicate at distance 0).
    mean_distance = unscaled(distances[:, 1:].mean(axis=1), scale)
    with np.errstate(divide="ignore"):
        return 1 / mean_distance


def _fill_batch(picks, priority, n_select):
    """``picks``, then the rest by decreasing ``priority`` (ties by index),
    up to ``n_select`` samples: what fills a batch when clusters run out."""
    picks = np.asarray(picks, dtype=np.intp)
    if picks.shape[0] < n_select:
        rest = np.setdiff1d(np.arange(priority.shape[0]), picks)
        rest = rest[np.argsort(-priority[rest], kind="stable")]
        picks = np.concatenate([picks, rest[:n_select - picks.shape[0]]])
    return picks


def _integer_labels(values, name):
    """Integer cluster labels, checked: a value that is not a whole number
    (0.5, a string) is refused, never truncated."""
    values = check_array(values, ensure_2d=False, dtype=None, input_name=name)
    if values.dtype.kind in "iub":
        return values.astype(np.intp, copy=False)
    whole = values.dtype.kind == "f" and np.all(np.mod(values, 1) == 0)
    if not whole:
        bad = values.ravel()[0] if values.dtype.kind != "f" else \
            values.ravel()[np.flatnonzero(np.mod(values, 1))[0]]
        raise ValueError(
            f"{name} must be integer cluster labels, got {bad.item()!r}. Pass "
            "the clusterer's labels_ as they are (np.unique(values, "
            "return_inverse=True)[1] numbers other labels)."
        )
    return values.astype(np.intp)


def _check_labels(labels, n_samples):
    labels = _integer_labels(labels, "labels")
    if labels.shape != (n_samples,):
        raise ValueError(
            f"labels must hold one cluster label per sample, shape ({n_samples},), "
            f"got {labels.shape}."
        )
    if labels.min() < 0:
        raise ValueError("labels must be non-negative cluster indices.")
    return labels


@validate_params(
    {"X": ["array-like", "sparse matrix"], "labels": ["array-like"],
     "n_select": [Interval(Integral, 1, None, closed="left")],
     "covered": ["array-like", None],
     "n_neighbors": [Interval(Integral, 1, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def typiclust(X, labels, n_select, *, covered=None, n_neighbors=20):
    """Pick the most typical sample of each of the largest uncovered clusters.

    TypiClust (Hacohen et al., 2022). Clusters that hold an already-labeled
    sample (``covered``) are skipped; the others are visited from the
    largest down, and each gives its most
    :func:`typical <typicality>` member. When fewer clusters than
    ``n_select`` are uncovered, the batch is filled with the most typical
    of the remaining samples. TypiClust clusters the pool and the labeled
    set together into ``n_labeled + n_select`` clusters; the caller does
    that clustering and passes its labels.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Embeddings of the pool.

    labels : array-like of shape (n_samples,)
        Cluster label of each pool sample.

    n_select : int
        Number of samples to pick, at most ``n_samples``.

    covered : array-like of int, default=None
        Labels of the clusters that already hold a labeled sample.

    n_neighbors : int, default=20
        Neighbours of the typicality (TypiClust's default).

    Returns
    -------
    indices : ndarray of shape (n_select,)
        The picks, from the largest uncovered cluster down.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.acquisition import typiclust
    >>> X = np.array([[0.0], [0.1], [0.3], [5.0], [5.2], [9.0]])
    >>> typiclust(X, labels=[0, 0, 0, 1, 1, 2], n_select=2, n_neighbors=2)
    array([1, 3])
    >>> typiclust(X, labels=[0, 0, 0, 1, 1, 2], n_select=2, covered=[0],
    ...           n_neighbors=2)
    array([3, 5])
    """
    X = check_array(X, accept_sparse="csr", dtype=[np.float64, np.float32],
                    input_name="X")
    n_samples = X.shape[0]
    labels = _check_labels(labels, n_samples)
    if n_select > n_samples:
        raise ValueError(f"n_select={n_select} is larger than the number of "
                         f"samples ({n_samples}).")
    sizes = np.bincount(labels)
    covered = [] if covered is None else np.asarray(covered, dtype=np.intp)
    clusters = np.setdiff1d(np.flatnonzero(sizes), covered)
    clusters = clusters[np.argsort(-sizes[clusters], kind="stable")]
    members = members_by_cluster(labels, sizes.shape[0])
    # Typicality only where it is needed: the clusters that give a pick.
    picks = [members[c][np.argmax(typicality(X[members[c]], n_neighbors))]
             for c in clusters[:n_select]]
    if len(picks) < n_select:
        picks = _fill_batch(picks, typicality(X, n_neighbors, labels=labels),
                            n_select)
    return np.asarray(picks, dtype=np.intp)


@validate_params(
    {"X": ["array-like", "sparse matrix"], "labels": ["array-like"],
     "centers": ["array-like", "sparse matrix"], "priority": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def closest_to_centers(X, labels, centers, priority):
    """The member closest to each cluster's center, most important first.

    The batch of weighted k-means (Zhdanov, 2019): cluster the candidates
    with k-means weighted by their informativeness (``priority``), then
    take from each cluster the member nearest its centroid. Clusters left
    empty (duplicate candidates) are made up for with the highest-priority
    remaining samples, so the batch always has ``n_clusters`` samples (or
    ``n_samples``, if fewer). The picks come by decreasing priority, ties in
    cluster order.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Embeddings of the candidates.

    labels : array-like of shape (n_samples,)
        Cluster label of each candidate, in ``[0, n_clusters)``.

    centers : {array-like, sparse matrix} of shape (n_clusters, n_features)
        The cluster centroids.

    priority : array-like of shape (n_samples,)
        Importance of each candidate (its informativeness): orders the
        batch and fills it.

    Returns
    -------
    indices : ndarray of shape (min(n_clusters, n_samples),)
        One candidate per cluster, highest priority first.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.acquisition import closest_to_centers
    >>> X = np.array([[0.0], [1.0], [9.0], [10.0]])
    >>> closest_to_centers(X, labels=[0, 0, 1, 1], centers=[[0.2], [9.9]],
    ...                    priority=[0.1, 0.5, 0.2, 0.9])
    array([3, 0])
    """
    X = check_array(X, accept_sparse="csr", dtype=[np.float64, np.float32],
                    input_name="X")
    n_samples = X.shape[0]
    labels = _check_labels(labels, n_samples)
    centers = check_array(centers, accept_sparse="csr", input_name="centers")
    priority = check_array(priority, ensure_2d=False, dtype=np.float64,
                           input_name="priority")
    n_clusters = centers.shape[0]
    if centers.shape[1] != X.shape[1]:
        raise ValueError(
            f"centers have {centers.shape[1]} features but X has {X.shape[1]}: "
            "pass the centers of a clustering of these embeddings (its "
            "cluster_centers_)."
        )
    if priority.shape != (n_samples,) or labels.max() >= n_clusters:
        raise ValueError(
            "priority must hold one value per sample and labels must be in "
            f"[0, {n_clusters}), one per row of centers."
        )
    distances = distances_to_centers(X, labels, centers)
    picks = [members[np.argmin(distances[members])]
             for members in members_by_cluster(labels, n_clusters) if members.size]
    picks = _fill_batch(picks, priority, min(n_clusters, n_samples))
    return picks[np.argsort(-priority[picks], kind="stable")]

"""Diversity selection on embeddings: round-robin over clusters (and its
quotas), k-center greedy (and its composable form), TypiClust, and the
picks of a (weighted) k-means.

Batch-aware: a sample's place depends on the other samples of the pool, so
these functions return an order (or a batch), not independent scores. They
take clusterings as arrays (labels, centers): fitting the clusterer is the
sampler's job, so any clusterer can feed them.
"""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.utils import check_array

from ..utils._selection import (
    distances_to_centers,
    members_by_cluster,
    ranks_in_clusters,
    scaled_for_distances,
    tie_seed,
    unscaled,
)
from ..utils._sklearn_compat import Interval, validate_params
from ._greedy import check_squared_distances, farthest_first


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
    rank = ranks_in_clusters(labels, distances, clusters.shape[0])
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
    {"counts": ["array-like"],
     "n_select": [Interval(Integral, 0, None, closed="left")],
     "cluster_order": ["array-like", None]},
    prefer_skip_nested_validation=True,
)
def round_robin_quotas(counts, n_select, *, cluster_order=None):
    """Members of each cluster among the first samples of a round robin.

    How many members each cluster gives to the first ``n_select`` samples of
    a :func:`round_robin`, from the clusters' sizes alone. Round ``r`` takes
    one member from each cluster with more than ``r`` members, in
    ``cluster_order``. Whole rounds are counted at once; the last one is cut
    where the batch is full. A pool split in blocks (a dask
    array) needs only the sizes to know how many candidates each cluster
    must send: its round robin is then that of the candidates.

    Parameters
    ----------
    counts : array-like of shape (n_clusters,)
        Number of members of each cluster, by cluster label.

    n_select : int
        Length of the batch; beyond ``counts.sum()``, every member is taken.

    cluster_order : array-like of shape (n_clusters,), default=None
        The cluster labels in the order a round visits them; None means by
        decreasing size (ties by label), as :func:`round_robin`.

    Returns
    -------
    quotas : ndarray of shape (n_clusters,)
        Members of each cluster among the first ``n_select``.

    Examples
    --------
    >>> from skactive.acquisition import round_robin_quotas
    >>> round_robin_quotas([3, 1, 2], 5)
    array([2, 1, 2])
    >>> round_robin_quotas([3, 1, 2], 4, cluster_order=[1, 2, 0])
    array([1, 1, 2])
    """
    counts = check_array(counts, ensure_2d=False, dtype=np.int64,
                         input_name="counts")
    if cluster_order is None:
        cluster_order = np.argsort(-counts, kind="stable")
    else:
        cluster_order = _integer_labels(cluster_order, "cluster_order")
    quotas = np.zeros_like(counts)
    remaining = n_select
    while remaining > 0:
        active = cluster_order[counts[cluster_order] > quotas[cluster_order]]
        if active.shape[0] == 0:
            break
        full_rounds = min(remaining // active.shape[0],
                          int((counts[active] - quotas[active]).min()))
        if full_rounds > 0:
            quotas[active] += full_rounds
            remaining -= full_rounds * active.shape[0]
        else:  # a partial round: the first clusters in order
            quotas[active[:remaining]] += 1
            remaining = 0
    return quotas


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
    sample to the set is its Euclidean distance to the nearest labeled
    sample (given by ``squared_distances``) and to the samples picked before
    it. Each step picks the sample with the largest such distance, which is
    exactly the greedy 2-approximation of the k-center problem.

    The greedy is exact but lazy: the pool is cut into blocks that remember
    the largest distance they held when last brought up to date. Distances
    only shrink as centers are added, so a block whose stale maximum is below
    the best exact value cannot hold the next pick and is not recomputed.
    Memory is O(n_samples) plus one block times a few hundred centers.
    Values so large that squared distances would overflow (a row at 1e200)
    are divided by one power of two first, which keeps every order of
    distances. The same greedy serves :func:`greedy_sampling` (GSx is this
    one) and :func:`composable_k_center_greedy`.

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
    if squared_distances is not None:
        squared_distances = check_squared_distances(
            squared_distances, n_samples, "squared_distances") / scale / scale
    return farthest_first([X], n_select, nearest=squared_distances,
                          random_state=random_state)


@validate_params(
    {"blocks": [list],
     "n_select": [Interval(Integral, 1, None, closed="left")],
     "squared_distances": [list, None],
     "random_state": ["random_state"]},
    prefer_skip_nested_validation=True,
)
def composable_k_center_greedy(blocks, n_select, *, squared_distances=None,
                               random_state=None):
    """The core-set of a pool cut into blocks, from each block's core-set.

    A composable core-set (Indyk et al., 2014; Malkomes et al., 2015): the
    :func:`k_center_greedy` picks ``n_select`` samples in each block (all of
    a smaller block), then ``n_select`` among the union of those picks, with
    one seed for every greedy. Each block's picks cover the block within
    twice its optimal radius, so the batch covers the pool within 4 times
    the optimum (guaranteed), against 2 for the greedy on the whole pool.
    Only ``n_select`` rows per block reach the second greedy: the first runs
    where the block is (a dask worker, for
    :class:`~skactive.DiversitySampler` on a dask pool).

    Parameters
    ----------
    blocks : list of {array-like, sparse matrix} of shape (n_rows_b, n_features)
        The pool's embeddings, block after block.

    n_select : int
        Number of samples to pick, at most the size of the pool.

    squared_distances : list of array-like of shape (n_rows_b,), default=None
        For each block, the squared distance of each row to its nearest
        labeled sample; None means no labeled sample (the cold start).

    random_state : int, RandomState instance or None, default=None
        Draws the one seed of every greedy.

    Returns
    -------
    indices : ndarray of shape (n_select,)
        Indices into the pool (the blocks one after the other), in the order
        of the second greedy's picks.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.acquisition import composable_k_center_greedy
    >>> X = np.array([[0.0], [1.0], [2.0], [10.0], [11.0], [30.0]])
    >>> composable_k_center_greedy([X[:3], X[3:]], 2, random_state=0)
    array([4, 5])
    """
    # One int seed for every greedy: a RandomState instance is drawn from once.
    seed = tie_seed(random_state) % 2**32
    if squared_distances is None:
        squared_distances = [None] * len(blocks)
    offsets = np.cumsum([0] + [block.shape[0] for block in blocks])
    if n_select > offsets[-1]:
        raise ValueError(f"n_select={n_select} is larger than the pool "
                         f"({offsets[-1]} samples).")
    picks = [k_center_greedy(block, min(n_select, block.shape[0]),
                             squared_distances=squared, random_state=seed)
             for block, squared in zip(blocks, squared_distances)]
    stack = sp.vstack if any(sp.issparse(block) for block in blocks) else np.vstack
    union = stack([block[p] for block, p in zip(blocks, picks)])
    squared = None
    if squared_distances[0] is not None:
        squared = np.concatenate([np.asarray(s)[p] for s, p in
                                  zip(squared_distances, picks)])
    candidates = np.concatenate([offset + p for offset, p in zip(offsets, picks)])
    return candidates[k_center_greedy(union, n_select, squared_distances=squared,
                                      random_state=seed)]


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

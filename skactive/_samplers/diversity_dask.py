"""DiversitySampler on a pool held as a dask array: k-means streamed over the
blocks, the round-robin batch merged from each block's candidates, and the
core-set composed from each block's core-set.

Kept apart from ``diversity.py``: these are the plumbing of one sampler
across workers (what runs on a block, what travels, what is merged on the
client), not another sampler.
"""

# SPDX-License-Identifier: BSD-3-Clause

import copy
import warnings
from functools import partial

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import MiniBatchKMeans
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import pairwise_distances_argmin_min
from sklearn.utils import check_array, gen_batches

from ..acquisition import k_center_greedy, round_robin, round_robin_quotas
from ..utils._clustering import clusterer_for
from ..utils._dask import dask_map_reduce, dask_scores, with_shared
from ..utils._selection import nearest_squared_distances, ranks_in_clusters, tie_seed


def coreset_scores(sampler, X):
    """Lazy core-set scores: distance of each embedding to the reference set
    (cold start: minus the distance to the pool's mean embedding)."""
    worker = _worker_copy(sampler)
    center = None
    if sampler.reference_ is None:
        total, count = dask_map_reduce(_embedding_sum, X, sampler=worker)
        center = (total.sum(axis=0) / count.sum()).reshape(1, -1)
    return dask_scores(_coreset_block_scores, X, sampler=worker, center=center)


def coreset_select(sampler, X, batch_size):
    """The composable core-set of a dask pool
    (:func:`~skactive.acquisition.composable_k_center_greedy`): its first
    greedy runs on the workers, block by block, its second on the client
    among the union of the blocks' picks. Only ``batch_size`` embeddings per
    block travel."""
    seed = tie_seed(sampler.random_state) % 2**32  # as the function draws it
    index, embeddings = dask_map_reduce(_coreset_block_picks, X,
                                        sampler=_worker_copy(sampler),
                                        batch_size=batch_size, seed=seed)
    squared = None
    if sampler.reference_ is not None:
        squared = sampler._squared_distance_to_reference(embeddings)
    picks = k_center_greedy(embeddings, batch_size, squared_distances=squared,
                            random_state=seed)
    return index[picks]


def kmeans_select(sampler, X, batch_size):
    """The k-means round-robin batch of a dask pool, in three passes.

    1. The centers: a clusterer with ``partial_fit`` (by default
       :class:`~sklearn.cluster.MiniBatchKMeans`) is streamed over the
       blocks in order, one task after the other, so only the centers move
       between workers; a clusterer that takes dask arrays (dask-ml's
       ``KMeans``) is fitted on them; a frozen one gives its centers.
    2. The size of each cluster, summed from each block's counts: it fixes
       the order of the clusters in a round and how many samples each gives
       to the batch.
    3. Each block's closest members of each cluster, as many as the cluster
       gives; the round robin of these candidates on the client is the round
       robin of the whole pool (same labels, distances and ties).
    """
    worker = _worker_copy(sampler)
    n_clusters = sampler.n_clusters_
    if X.shape[0] < n_clusters and not isinstance(sampler.clusterer, FrozenEstimator):
        warnings.warn(
            f"The pool has {X.shape[0]} samples, fewer than the {n_clusters} "
            "clusters asked for: each sample is its own cluster.",
            UserWarning,
        )
        n_clusters = X.shape[0]
    centers = kmeans_centers(sampler, X, n_clusters)
    (counts,) = dask_map_reduce(_cluster_counts, X, sampler=worker, centers=centers)
    counts = counts.reshape(-1, centers.shape[0]).sum(axis=0)
    quotas = round_robin_quotas(counts, batch_size)
    index, labels, distances = dask_map_reduce(
        _cluster_candidates, X, sampler=worker, centers=centers, quotas=quotas)
    cluster_order = np.argsort(-counts, kind="stable")
    used = cluster_order[cluster_order <= labels.max()]
    order = round_robin(labels, distances, cluster_order=used)
    return index[order[:batch_size]]


def kmeans_centers(sampler, X, n_clusters):
    """Centers of the k-means clustering of a dask pool's embeddings."""
    if isinstance(sampler.clusterer, FrozenEstimator):
        return sampler._frozen_centers()
    clusterer = clusterer_for(sampler.clusterer, MiniBatchKMeans(),
                              n_clusters=n_clusters, random_state=sampler.random_state)
    if hasattr(clusterer, "partial_fit"):
        fit = partial(_stream_partial_fit, clusterer, X)
    elif type(clusterer).__module__.startswith("dask_ml"):
        fit = partial(_fit_on_embeddings, clusterer, X,
                      _n_embedding_features(sampler, X))
    else:
        raise TypeError(
            f"A dask pool cannot be clustered by {type(clusterer).__name__}: it "
            "would gather the whole pool in one process. Pass a clusterer with "
            "partial_fit (sklearn.cluster.MiniBatchKMeans, the default) or one "
            "that takes dask arrays (dask_ml.cluster.KMeans)."
        )
    return np.asarray(with_shared(_worker_copy(sampler), fit).cluster_centers_)


def _stream_partial_fit(clusterer, X, worker):
    """``clusterer`` fitted by ``partial_fit`` on each block in turn, where
    the block is: only the clusterer moves from worker to worker."""
    from dask import delayed

    for block in X.to_delayed().ravel():
        clusterer = delayed(_partial_fit_block)(clusterer, block, worker)
    return clusterer.compute()


def _fit_on_embeddings(clusterer, X, n_features, worker):
    """``clusterer`` (one that takes dask arrays) fitted on the embeddings."""
    embeddings = X.map_blocks(_embed_block, sampler=worker, dtype=np.float64,
                              chunks=(X.chunks[0], (n_features,)))
    return clusterer.fit(embeddings)


def _worker_copy(sampler):
    """The fitted sampler as a block needs it: one job per worker (dask
    provides the parallelism)."""
    worker = copy.copy(sampler)
    worker.n_jobs = 1
    return worker


def _embed_block(block, sampler, offset=None):
    """Embeddings of one block of the pool, as the sampler computes them."""
    if sampler.transformer_ is None:
        block = check_array(block, dtype=[np.float64, np.float32])
    return sampler._embeddings(block)


def _n_embedding_features(sampler, X):
    if sampler.transformer_ is None:
        return X.shape[1]
    return sampler._embeddings(np.asarray(X[:1].compute())).shape[1]


def _embedding_sum(block, *, offset, sampler):
    embeddings = _embed_block(block, sampler)
    return (np.asarray(embeddings.sum(axis=0)).reshape(1, -1),
            np.array([embeddings.shape[0]]))


def _coreset_block_scores(block, *, offset, sampler, center):
    embeddings = _embed_block(block, sampler)
    if center is not None:
        return -sampler._metric_distance(nearest_squared_distances(
            embeddings, reference=center))
    return sampler._metric_distance(sampler._squared_distance_to_reference(embeddings))


def _coreset_block_picks(block, *, offset, sampler, batch_size, seed):
    embeddings = _embed_block(block, sampler)
    squared = None
    if sampler.reference_ is not None:
        squared = sampler._squared_distance_to_reference(embeddings)
    picks = k_center_greedy(embeddings, min(batch_size, embeddings.shape[0]),
                            squared_distances=squared, random_state=seed)
    picked = embeddings[picks]
    return offset + picks, picked.toarray() if sp.issparse(picked) else picked


def _partial_fit_block(clusterer, block, sampler):
    embeddings = _embed_block(block, sampler)
    batch_size = getattr(clusterer, "batch_size", embeddings.shape[0])
    for rows in gen_batches(embeddings.shape[0], max(batch_size, clusterer.n_clusters)):
        clusterer.partial_fit(embeddings[rows])
    return clusterer


def _assign(block, sampler, centers):
    embeddings = _embed_block(block, sampler)
    return pairwise_distances_argmin_min(embeddings, centers)


def _cluster_counts(block, *, offset, sampler, centers):
    labels = _assign(block, sampler, centers)[0]
    return (np.bincount(labels, minlength=centers.shape[0]),)


def _cluster_candidates(block, *, offset, sampler, centers, quotas):
    """Each cluster's ``quotas[c]`` closest members in the block (exact ties by
    index), in index order so that the merge keeps the pool's tie order."""
    labels, distances = _assign(block, sampler, centers)
    keep = np.flatnonzero(ranks_in_clusters(labels, distances, centers.shape[0])
                          < quotas[labels])
    return offset + keep, labels[keep], distances[keep]

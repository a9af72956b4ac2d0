"""Selection helpers shared by samplers and acquisition functions: top-k with
seeded ties, members and ranks in each cluster, distances."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import scipy.sparse as sp
from sklearn.metrics import pairwise_distances_chunked
from sklearn.utils import check_random_state, gen_batches
from sklearn.utils.extmath import row_norms, safe_sparse_dot

from ._sklearn_compat import get_chunk_n_rows

_UINT64 = np.uint64
# Constants of the splitmix64 generator (Steele, Lea & Flood, 2014).
_GOLDEN = _UINT64(0x9E3779B97F4A7C15)
_MIX1 = _UINT64(0xBF58476D1CE4E5B9)
_MIX2 = _UINT64(0x94D049BB133111EB)


def tie_seed(random_state):
    """The integer that seeds :func:`tie_keys`, drawn from ``random_state``.

    An int seeds itself; a ``RandomState`` instance gives one draw (so each
    call with the same instance breaks ties anew); None a fresh draw.
    """
    if isinstance(random_state, (int, np.integer)) and not isinstance(
        random_state, bool
    ):
        return int(random_state) % 2**63
    return int(check_random_state(random_state).randint(2**62))


def tie_keys(indices, seed):
    """A pseudo-random key per index: the same key for the same (index, seed).

    splitmix64 of ``seed * golden + index``: computed for the few indices
    that need one, so breaking ties never draws a permutation of the pool,
    and a sample's key does not depend on the batch size.
    """
    with np.errstate(over="ignore"):
        z = np.asarray(indices, dtype=_UINT64) + _UINT64(seed) * _GOLDEN
        z = (z ^ (z >> _UINT64(30))) * _MIX1
        z = (z ^ (z >> _UINT64(27))) * _MIX2
        return z ^ (z >> _UINT64(31))


def random_scores(n_samples, seed, *, offset=0):
    """Uniform scores in [0, 1) of samples ``offset`` to ``offset + n_samples``.

    The top 53 bits of :func:`tie_keys`: a sample's score depends only on
    its index and ``seed``, so any part of a pool (a chunk, a dask block) is
    scored on its own and the scores are those of the whole pool.
    """
    keys = tie_keys(np.arange(offset, offset + n_samples), seed)
    return (keys >> _UINT64(11)).astype(np.float64) * 2.0**-53


def top_k(scores, k, random_state, *, index=None):
    """Indices of the ``k`` highest scores, highest first.

    The ranking is one total order: by score, higher first; exact ties by a
    key drawn per index from ``random_state`` (see :func:`tie_keys`). So a
    fixed seed gives the same batch every time, and the first ``j`` of the
    batch of ``k`` are the batch of ``j``. Runs in O(n + k log k): one
    ``argpartition``, keys for the samples tied at the edge only, then a sort
    of the ``k`` winners.

    ``index`` gives the (global) index of each score, when ``scores`` are a
    part of a pool: keys and the returned indices are then those. The top
    ``k`` of the union of several parts' top ``k`` is the top ``k`` of the
    whole, which is how a pool is selected chunk by chunk.
    """
    n_samples = scores.shape[0]
    seed = tie_seed(random_state)
    index = None if index is None else np.asarray(index)

    def ids(positions):
        """The global indices of positions in ``scores`` (no copy without
        ``index``: a full-pool call allocates no index array)."""
        return positions if index is None else index[positions]

    if k < n_samples:
        winners = np.argpartition(scores, n_samples - k)[n_samples - k:]
        threshold = scores[winners].min()
        above = winners[scores[winners] > threshold]
        tied = np.flatnonzero(scores == threshold)
        n_tied = k - above.shape[0]
        if tied.shape[0] > n_tied:
            keys = tie_keys(ids(tied), seed)
            tied = tied[np.lexsort((ids(tied), keys))[:n_tied]]
        winners = np.concatenate([above, tied])
    else:
        winners = np.arange(n_samples)
    order = np.lexsort((ids(winners), tie_keys(ids(winners), seed), -scores[winners]))
    return ids(winners[order])


# Rows of a stop set: enough for a stable agreement statistic, few enough to
# predict at every round.
STOP_SET_SIZE = 1000


def draw_stop_set(unlabeled, random_state):
    """The stop set of the stopping criteria: up to ``STOP_SET_SIZE`` of the
    ``unlabeled`` indices, drawn without replacement, in increasing order.

    Drawn once, before the first round, and kept: every round's model is
    compared on the same samples. ``run_experiment`` and ``skactive select``
    both draw it here.
    """
    unlabeled = np.asarray(unlabeled)
    rng = check_random_state(random_state)
    return np.sort(rng.choice(unlabeled, size=min(STOP_SET_SIZE, unlabeled.size),
                              replace=False))


def members_by_cluster(labels, n_clusters):
    """Indices of the members of each cluster, in increasing order.

    One stable sort instead of a scan of ``labels`` per cluster.
    """
    order = np.argsort(labels, kind="stable")
    return np.split(order, np.cumsum(np.bincount(labels, minlength=n_clusters))[:-1])


def ranks_in_clusters(labels, keys, n_clusters):
    """Rank of each sample in its cluster by ``keys``, lowest first, from 0;
    exact ties by index.

    The in-cluster order of a round robin: one stable sort of the whole
    pool, never a loop over clusters.
    """
    order = np.lexsort((keys, labels))
    counts = np.bincount(labels, minlength=n_clusters)
    ranks = np.empty(labels.shape[0], dtype=np.intp)
    ranks[order] = np.arange(labels.shape[0]) - np.repeat(np.cumsum(counts) - counts,
                                                          counts)
    return ranks


def scaled_for_distances(*arrays):
    """``arrays`` divided by one power of two, so that squared Euclidean
    distances between their rows cannot overflow, and that power of two.

    A row at 1e200 has a squared norm beyond the float range, and the
    ``|x|^2 - 2 x.y + |y|^2`` of the distance kernels then gives inf - inf
    = NaN. Dividing every array by one power of two is exact and scales
    every distance by the same factor, so nearest and farthest rows stay the
    same. The bound (squared distances below ``finfo.max ** 0.8``) leaves
    room for sums over the samples, such as k-means' inertia. Ordinary
    values are returned as they are (no copy) with a factor of 1. Arrays
    may be sparse or None (kept as None); 1-D arrays count as one feature.
    """
    present = [a for a in arrays if a is not None]
    max_abs, n_features = 0.0, 1
    for a in present:
        values = a.data if sp.issparse(a) else a
        if values.size:
            max_abs = max(max_abs, float(values.max()), -float(values.min()))
        n_features = max(n_features, a.shape[1] if a.ndim == 2 else 1)
    dtype = np.result_type(*present)
    finfo = np.finfo(dtype if np.issubdtype(dtype, np.floating) else np.float64)
    limit = np.sqrt(float(finfo.max) ** 0.8 / (4 * n_features))
    if not max_abs > limit:
        return 1.0, arrays
    scale = 2.0 ** np.ceil(np.log2(max_abs / limit))
    return scale, tuple(None if a is None else a / scale for a in arrays)


def unscaled(values, scale, power=1):
    """``values`` (a new array) times ``scale ** power``: back from
    :func:`scaled_for_distances`; inf where the result is beyond the float
    range (never NaN: ``values`` are non-negative)."""
    values = np.array(values, dtype=np.float64)
    with np.errstate(over="ignore"):
        for _ in range(power if scale != 1 else 0):
            values *= scale
    return values


def distances_to_centers(X, labels, centers, *, block_rows=4096):
    """Euclidean distance of each row of ``X`` to the center of its cluster.

    Row blocks bound the memory of the offsets; a sparse ``X`` is never
    densified (``|x|^2 - 2 x.c + |c|^2`` from sparse products). Huge values
    are scaled first (:func:`scaled_for_distances`).
    """
    scale, (X, centers) = scaled_for_distances(X, centers)
    distances = np.empty(X.shape[0])
    for rows in gen_batches(X.shape[0], block_rows):
        assigned = centers[labels[rows]]
        if sp.issparse(X):
            if sp.issparse(assigned):
                assigned = assigned.toarray()
            squared = row_norms(X[rows], squared=True)
            squared -= 2 * np.asarray(X[rows].multiply(assigned).sum(axis=1)).ravel()
            squared += row_norms(assigned, squared=True)
            distances[rows] = np.sqrt(np.maximum(squared, 0))
        else:
            distances[rows] = row_norms(X[rows] - assigned)
    return unscaled(distances, scale)


def nearest_squared_distances(X, *, reference, X_squared_norms=None):
    """Squared Euclidean distance of each row of ``X`` to its nearest
    ``reference`` row.

    ``|x|^2 - 2 x.r + |r|^2``, with ``|x|^2`` added after the minimum over
    the reference rows and the factor -2 folded into the reference block:
    two passes over each distance block instead of five. Blocks of 1,024
    reference rows, and of as many rows as fit in 2 MiB (and in
    ``working_memory``), bound the memory; sparse rows are never
    densified. Clipped at 0. (A keyword-only ``reference``, so that it maps
    over chunks of ``X``.)

    Huge values are scaled first (:func:`scaled_for_distances`): a squared
    distance beyond the float range is inf, never NaN. A caller that passes
    ``X_squared_norms`` (the greedy, which compares the same rows with new
    centers again and again) has scaled ``X`` and ``reference`` already.
    """
    if X_squared_norms is not None:
        return _nearest_squared(X, reference, X_squared_norms)
    scale, (X, reference) = scaled_for_distances(X, reference)
    norms = row_norms(X, squared=True)
    n_reference = min(reference.shape[0], _REFERENCE_ROWS)
    nearest = np.empty(X.shape[0], dtype=np.result_type(norms, np.float32))
    block_rows = max(1, min(get_chunk_n_rows(8 * n_reference, max_n_rows=X.shape[0]),
                            _BLOCK_BYTES // (8 * n_reference)))
    for rows in gen_batches(X.shape[0], block_rows):
        nearest[rows] = np.inf
        for block in gen_batches(reference.shape[0], _REFERENCE_ROWS):
            np.minimum(nearest[rows], _nearest_squared(X[rows], reference[block],
                                                       norms[rows]),
                       out=nearest[rows])
    return unscaled(nearest, scale, power=2)


# Reference rows per distance block of nearest_squared_distances, and the
# bytes of a block: small enough to stay in cache-sized tiles, as
# scikit-learn's pairwise-distance reductions do.
_REFERENCE_ROWS = 1024
_BLOCK_BYTES = 2 * 2**20


def _nearest_squared(X, reference, X_squared_norms):
    """The kernel of :func:`nearest_squared_distances`, on one block."""
    products = safe_sparse_dot(X, (-2 * reference).T, dense_output=True)
    products += row_norms(reference, squared=True)
    nearest = products.min(axis=1)
    nearest += X_squared_norms
    return np.maximum(nearest, 0, out=nearest)


def nearest_target_squared(predictions, sorted_targets):
    """Squared distance of each prediction to its nearest target, by a binary
    search in the sorted targets: O(n log n_targets), no n x n_targets matrix."""
    right = np.searchsorted(sorted_targets, predictions).clip(1, sorted_targets.size)
    left = right - 1
    right = right.clip(max=sorted_targets.size - 1)
    nearest = np.minimum(np.abs(predictions - sorted_targets[left]),
                         np.abs(predictions - sorted_targets[right]))
    return nearest**2


def paired_distances(X, predictions, *, X_labeled, y_labeled):
    """iGS's distance of each pool sample to the labeled samples:
    :math:`\\min_l \\lVert x - x_l \\rVert \\, |f(x) - y_l|`.

    The minimum over the labeled samples of the product, by row chunks of
    :func:`~sklearn.metrics.pairwise_distances_chunked` (within
    ``working_memory``): never the product of the two separate minima.
    Dense distances are taken pair by pair (no ``|x|^2 - 2 x.y + |y|^2``
    cancellation, which would leave a labeled sample at a distance of about
    ``1e-8`` from itself that depends on the order of the rows). A product
    of distances, not of squared distances, so that values scaled by
    :func:`scaled_for_distances` cannot overflow.
    """
    def reduce(squared, start):
        distances = np.sqrt(squared, out=squared)
        distances *= np.abs(predictions[start:start + squared.shape[0], None]
                            - y_labeled[None, :])
        return distances.min(axis=1)

    if sp.issparse(X) or sp.issparse(X_labeled):
        metric = {"metric": "euclidean", "squared": True}
    else:
        metric = {"metric": "sqeuclidean"}
    return np.concatenate(list(pairwise_distances_chunked(
        X, X_labeled, reduce_func=reduce, **metric)))

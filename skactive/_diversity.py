"""Diversity sampling: batches that cover the input space, with no model."""

# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Integral

import numpy as np
from sklearn.base import _fit_context, clone
from sklearn.cluster import KMeans
from sklearn.frozen import FrozenEstimator
from sklearn.preprocessing import normalize
from sklearn.utils import check_array, gen_batches
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.extmath import row_norms
from sklearn.utils.validation import _num_samples, validate_data

from ._base import BaseSampler, _inherit_input_tags
from .acquisition import k_center_greedy, round_robin, typicality
from .acquisition._diversity import _nearest_squared_distances

_DEFAULT_N_CLUSTERS = 10
# A chunk of the pool meets the reference set _REFERENCE_BLOCK rows at a
# time, in distance matrices of at most _DISTANCE_CHUNK_BYTES.
_REFERENCE_BLOCK = 1024
_DISTANCE_CHUNK_BYTES = 16 * 2**20


def _transform_chunk(X, *, transformer):
    return transformer.transform(X)


def _distance_chunk(X, *, reference):
    """Squared distance of each row of X to its nearest reference row."""
    X_squared_norms = row_norms(X, squared=True)
    nearest = None
    # Blocks of reference rows keep the distance matrix of a chunk small.
    for rows in gen_batches(reference.shape[0], _REFERENCE_BLOCK):
        block = _nearest_squared_distances(X, reference[rows], X_squared_norms)
        nearest = block if nearest is None else np.minimum(nearest, block)
    return nearest


def _members_by_cluster(labels, n_clusters):
    """Indices of the members of each cluster, in increasing order; one sort
    instead of a scan of ``labels`` per cluster."""
    order = np.argsort(labels, kind="stable")
    return np.split(order, np.cumsum(np.bincount(labels, minlength=n_clusters))[:-1])


def _typicality_by_cluster(embeddings, labels):
    """Typicality of each sample among the members of its cluster."""
    scores = np.empty(embeddings.shape[0])
    for members in _members_by_cluster(labels, labels.max() + 1):
        if members.size:
            scores[members] = typicality(embeddings[members])
    return scores


class DiversitySampler(BaseSampler):
    """Select batches that cover the input space, from embeddings alone.

    No classifier is needed: samples are compared by their embeddings, the
    output of ``transformer`` (or ``X`` itself). Two strategies:

    ``"kmeans"``, the seed's *image diversity*
        The pool is clustered with k-means into ``n_clusters_`` clusters;
        within each cluster members are ordered by distance to the centroid,
        closest first; the batch takes one member from each cluster in turn
        (see :func:`~skactive.acquisition.round_robin`: clusters by decreasing
        size within a round). The labeled data only set the number of
        clusters.

    ``"coreset"``, k-center greedy (Sener & Savarese, 2018)
        The labeled samples passed to :meth:`fit` are the reference set. Each
        pick is the pool sample farthest from the reference set and from the
        samples picked before it (see
        :func:`~skactive.acquisition.k_center_greedy`).

    ``"typiclust"``, TypiClust (Hacohen et al., 2022), for the cold start
        Cluster the pool and the labeled samples together with k-means into
        ``n_reference + batch_size`` clusters; from each of the largest
        clusters that hold no labeled sample, take its most *typical* member
        (see :func:`~skactive.acquisition.typicality`: inverse mean
        distance to its 20 nearest neighbours in the cluster). Made for the
        first batches, when labels are few or none.

    Scores read higher = select earlier. For ``"kmeans"`` they depend on the
    whole pool (a sample's place in the round-robin): ``score_samples(X)[i]``
    is ``n_samples`` minus the position of sample ``i`` in the order, so the
    score of a sample changes when the pool changes. For ``"coreset"`` the
    score is the distance to the nearest reference sample, which depends on
    that sample alone; :meth:`select` then goes further and also keeps the
    picks of a batch apart from each other.

    Parameters
    ----------
    transformer : transformer, default=None
        Maps samples to embeddings: any transformer or
        :class:`~sklearn.pipeline.Pipeline` (``StandardScaler`` + ``PCA``, a
        ``FunctionTransformer`` around a feature extractor, ...). A clone is
        fitted in :meth:`fit`; a
        :class:`~sklearn.frozen.FrozenEstimator` is used as it is. None means
        ``X`` already holds the embeddings.

    strategy : {"kmeans", "coreset", "typiclust"}, default="kmeans"
        How the batch is built; see above. The scores of ``"typiclust"`` are
        typicalities within ``n_clusters_`` k-means clusters of the pool.

    n_clusters : int, default=None
        Number of k-means clusters. None takes the number of distinct labels
        in the ``y`` passed to :meth:`fit` (the seed's "number of classes in
        the ontology"), or 10 without ``y``. A pool with fewer samples than
        clusters is clustered into one cluster per sample, with a warning.

    clusterer : estimator, default=None
        Unfitted k-means estimator for ``"kmeans"``, such as
        :class:`~sklearn.cluster.MiniBatchKMeans` for pools of millions of
        samples; it must set ``labels_`` and ``cluster_centers_`` when
        fitted. Its ``n_clusters`` and ``random_state`` are set by the
        sampler. None uses :class:`~sklearn.cluster.KMeans` with its defaults.

    metric : {"euclidean", "cosine"}, default="euclidean"
        How embeddings are compared. ``"cosine"`` compares directions (as for
        CLIP-like embeddings): embeddings are scaled to unit length, and
        core-set scores are cosine distances, ``1 - cos``.

    chunk_size : int, default=None
        Rows transformed, and compared with the reference set, at once per
        worker. None picks it from ``sklearn.get_config()["working_memory"]``,
        at most 16384 rows, and keeps each chunk's distance matrix within
        16 MiB.

    n_jobs : int, default=None
        Number of jobs transforming and comparing chunks in parallel through
        joblib. Results do not depend on it.

    random_state : int, RandomState instance or None, default=None
        Seeds k-means and breaks exact ties in the core-set greedy. Pass an
        int for the same batch at every call.

    Attributes
    ----------
    transformer_ : transformer or None
        The fitted clone of ``transformer``.

    n_clusters_ : int
        Number of clusters ``"kmeans"`` asks for.

    reference_ : ndarray of shape (n_reference, n_embedding_features) or None
        Embeddings of the samples passed to :meth:`fit`; None when fitted on
        no sample (the cold start).

    n_features_in_ : int
        Number of features seen during ``fit``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string
        column names.

    Notes
    -----
    Cold start. With no labeled data yet, fit the sampler on zero samples
    (``X[:0]``), with ``transformer=None`` or a frozen transformer. For
    ``"coreset"``, every score is then minus the distance to the mean of the
    pool, and the first pick is the pool's most central sample; the next
    picks are the farthest from those before. ``"kmeans"`` never uses the
    reference set.

    Memory. The core-set never holds an ``n_samples x n_samples`` matrix nor
    the whole ``n_samples x n_reference`` one: distances are computed one
    chunk of the pool at a time, and the greedy keeps O(n_samples) numbers.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.decomposition import PCA
    >>> from skactive import DiversitySampler
    >>> X, y = load_digits(return_X_y=True)
    >>> sampler = DiversitySampler(PCA(n_components=16, random_state=0),
    ...                            n_clusters=10, random_state=0)
    >>> sampler.fit(X).select(X, batch_size=10).shape
    (10,)
    >>> coreset = DiversitySampler(strategy="coreset").fit(X[:50])
    >>> coreset.select(X[50:], batch_size=5).shape
    (5,)
    """

    _parameter_constraints: dict = {
        "transformer": [HasMethods(["fit", "transform"]), None],
        "strategy": [StrOptions({"kmeans", "coreset", "typiclust"})],
        "n_clusters": [Interval(Integral, 1, None, closed="left"), None],
        "clusterer": [HasMethods(["fit"]), None],
        "metric": [StrOptions({"euclidean", "cosine"})],
        "chunk_size": [Interval(Integral, 1, None, closed="left"), None],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        transformer=None,
        *,
        strategy="kmeans",
        n_clusters=None,
        clusterer=None,
        metric="euclidean",
        chunk_size=None,
        n_jobs=None,
        random_state=None,
    ):
        self.transformer = transformer
        self.strategy = strategy
        self.n_clusters = n_clusters
        self.clusterer = clusterer
        self.metric = metric
        self.chunk_size = chunk_size
        self.n_jobs = n_jobs
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None):
        """Fit the transformer and keep the embeddings of the labeled samples.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The labeled samples: the reference set of ``"coreset"``. May have
            zero rows for a cold start (see Notes).

        y : array-like of shape (n_samples,), default=None
            Their labels; only their number of distinct values is used, as
            the default number of clusters.

        Returns
        -------
        self : object
            The fitted sampler.
        """
        if self.transformer is None:
            X = validate_data(self, X, dtype=[np.float64, np.float32],
                              ensure_min_samples=0)
        else:
            X = validate_data(self, X, skip_check_array=True)
        if self.n_clusters is not None:
            self.n_clusters_ = self.n_clusters
        elif y is not None and _num_samples(y) > 0:
            self.n_clusters_ = int(np.unique(np.asarray(y)).shape[0])
        else:
            self.n_clusters_ = _DEFAULT_N_CLUSTERS

        if self.transformer is None:
            self.transformer_ = None
        else:
            self.transformer_ = clone(self.transformer)
            if _num_samples(X) == 0 and not isinstance(self.transformer_,
                                                       FrozenEstimator):
                raise ValueError(
                    "Cannot fit the transformer on 0 samples. For a cold start "
                    "with no labeled data, fit the transformer on the pool and "
                    "pass it as sklearn.frozen.FrozenEstimator(transformer), or "
                    "fit the sampler on the pool itself."
                )
            self.transformer_.fit(X, y)
        self.reference_ = self._embed(X) if _num_samples(X) > 0 else None
        return self

    def _validate_pool(self, X):
        if self.transformer is None:
            return validate_data(self, X, reset=False, dtype=[np.float64, np.float32])
        return super()._validate_pool(X)

    def _embed(self, X):
        """Embeddings of X, chunk by chunk, checked and scaled for the metric."""
        if self.transformer_ is None:
            embeddings = X
        else:
            n_features = getattr(self, "n_features_in_", 1)
            embeddings = self._map_chunks(
                _transform_chunk, X, row_bytes=16 * n_features,
                transformer=self.transformer_,
            )
            embeddings = check_array(
                embeddings, dtype=[np.float64, np.float32], ensure_all_finite=False,
                input_name="embeddings",
            )
            if not np.isfinite(embeddings).all():
                raise ValueError(
                    "The transformer produced NaN or infinite embeddings. Check "
                    "the transformer and the samples it was given (an imputer "
                    "in a Pipeline handles missing values)."
                )
        if self.metric == "cosine":
            embeddings = normalize(embeddings)
        return embeddings

    def _score(self, X):
        embeddings = self._embed(X)
        if self.strategy == "kmeans":
            order = self._kmeans_order(embeddings)
            scores = np.empty(order.shape[0])
            scores[order] = np.arange(order.shape[0], 0, -1)
            return scores
        if self.strategy == "typiclust":
            labels = self._cluster(embeddings, self.n_clusters_)[0]
            return _typicality_by_cluster(embeddings, labels)
        return self._distance_to_reference(embeddings)

    def _select(self, X, batch_size):
        embeddings = self._embed(X)
        if self.strategy == "kmeans":
            return self._kmeans_order(embeddings)[:batch_size]
        if self.strategy == "typiclust":
            return self._typiclust(embeddings, batch_size)
        squared = None
        if self.reference_ is not None:
            squared = self._squared_distance_to_reference(embeddings)
        return k_center_greedy(embeddings, batch_size, squared_distances=squared,
                               random_state=self.random_state)

    def _cluster(self, embeddings, n_clusters):
        """k-means labels and centers of ``embeddings`` (at most one cluster
        per sample)."""
        n_samples = embeddings.shape[0]
        if n_samples < n_clusters:
            warnings.warn(
                f"The pool has {n_samples} samples, fewer than the {n_clusters} "
                "clusters asked for: each sample is its own cluster.",
                UserWarning,
            )
            n_clusters = n_samples
        clusterer = clone(KMeans() if self.clusterer is None else self.clusterer)
        clusterer.set_params(n_clusters=n_clusters, random_state=self.random_state)
        clusterer.fit(embeddings)
        return clusterer.labels_, clusterer.cluster_centers_

    def _kmeans_order(self, embeddings):
        labels, centers = self._cluster(embeddings, self.n_clusters_)
        distances = np.empty(embeddings.shape[0])
        for rows in gen_batches(embeddings.shape[0], 4096):
            offsets = embeddings[rows] - centers[labels[rows]]
            distances[rows] = row_norms(offsets)
        return round_robin(labels, distances)

    def _typiclust(self, embeddings, batch_size):
        """TypiClust: the most typical sample of each of the largest clusters
        that hold no labeled sample."""
        n_reference = 0 if self.reference_ is None else self.reference_.shape[0]
        data = embeddings
        if n_reference:
            data = np.vstack([self.reference_, embeddings])
        labels = self._cluster(data, n_reference + batch_size)[0]
        covered = np.unique(labels[:n_reference])
        labels = labels[n_reference:]
        sizes = np.bincount(labels)
        clusters = np.setdiff1d(np.flatnonzero(sizes), covered)
        clusters = clusters[np.argsort(-sizes[clusters], kind="stable")]
        members = _members_by_cluster(labels, sizes.shape[0])
        # Typicality only where it is needed: the clusters that give a pick.
        picks = [members[c][np.argmax(typicality(embeddings[members[c]]))]
                 for c in clusters[:batch_size]]
        if len(picks) < batch_size:
            # Fewer uncovered clusters than picks: the most typical of the rest.
            typical = _typicality_by_cluster(embeddings, labels)
            rest = np.setdiff1d(np.arange(labels.shape[0]), picks)
            order = rest[np.argsort(-typical[rest], kind="stable")]
            picks.extend(order[:batch_size - len(picks)])
        return np.asarray(picks, dtype=np.intp)

    def _squared_distance_to_reference(self, embeddings):
        reference = self.reference_
        if reference.shape[1] != embeddings.shape[1]:
            raise ValueError(
                f"The pool's embeddings have {embeddings.shape[1]} features but "
                f"the reference set's have {reference.shape[1]}."
            )
        block_bytes = 8 * min(reference.shape[0], _REFERENCE_BLOCK)
        return self._map_chunks(
            _distance_chunk, embeddings, row_bytes=block_bytes,
            max_rows=max(1, _DISTANCE_CHUNK_BYTES // block_bytes),
            reference=reference,
        )

    def _distance_to_reference(self, embeddings):
        if self.reference_ is None:
            # Cold start: the most central samples first.
            mean = embeddings.mean(axis=0, keepdims=True)
            squared = _nearest_squared_distances(
                embeddings, mean, row_norms(embeddings, squared=True)
            )
            return -self._metric_distance(squared)
        return self._metric_distance(self._squared_distance_to_reference(embeddings))

    def _metric_distance(self, squared):
        if self.metric == "cosine":
            return squared / 2  # 1 - cos between unit vectors
        return np.sqrt(squared)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        if self.transformer is None:
            tags.input_tags.allow_nan = False
            tags.input_tags.sparse = False
        else:
            _inherit_input_tags(tags, [self.transformer],
                                ("allow_nan", "sparse", "string"))
        return tags

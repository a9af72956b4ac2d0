"""Diversity sampling: batches that cover the input space, with no model."""

# SPDX-License-Identifier: BSD-3-Clause

import warnings
from dataclasses import replace
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.frozen import FrozenEstimator
from sklearn.preprocessing import normalize
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data

from ..acquisition import k_center_greedy, round_robin, typicality, typiclust
from ..utils._clustering import clusterer_for
from ..utils._dask import is_dask_pool
from ..utils._selection import (
    distances_to_centers,
    nearest_squared_distances,
    scaled_for_distances,
    unscaled,
)
from ..utils._sklearn_compat import (
    HasMethods,
    Interval,
    StrOptions,
    _fit_context,
    _num_samples,
)
from ..utils._validation import check_finite_target
from .chunked import ChunkedSampler, _inherit_input_tags
from .diversity_dask import coreset_scores, coreset_select, kmeans_select
from .diversity_probcover import (
    check_probcover_parameters,
    probcover_scores,
    probcover_select,
)

_DEFAULT_N_CLUSTERS = 10
# Strategies that compare the pool with the labeled samples.
_USES_REFERENCE = ("coreset", "typiclust", "probcover")


def _refuse_clustering(n_clusters, clusterer):
    """The core-set clusters nothing: refuse what it would ignore."""
    for name, value in (("n_clusters", n_clusters), ("clusterer", clusterer)):
        if value is not None:
            what = ("sets the k-means clusters" if name == "n_clusters"
                    else "is the k-means")
            raise ValueError(
                f"{name}={value!r} {what} of 'kmeans' and 'typiclust'; "
                "strategy='coreset' clusters nothing and would ignore it: leave "
                f"{name}=None."
            )


class DiversitySampler(ChunkedSampler):
    """Select batches that cover the input space, from embeddings alone.

    No classifier is needed: samples are compared by their embeddings, the
    output of ``transformer`` (or ``X`` itself). Four strategies:

    ``"kmeans"``, Encord Active's *image diversity*
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

    ``"probcover"``, ProbCover (Yehuda et al., 2022), for the cold start
        Balls of radius ``delta`` around the samples; labeling a sample
        covers its ball. Each pick is the pool sample whose ball holds the
        most samples not yet covered (by the labeled samples or the picks
        before it): the greedy maximum coverage of
        :func:`~skactive.acquisition.max_coverage` on the sparse
        :func:`~skactive.acquisition.coverage_graph`. Without ``delta``,
        the radius is the largest whose balls stay ``purity`` pure with
        respect to ``n_clusters_`` k-means pseudo-labels of the pool and
        the labeled samples (:func:`~skactive.acquisition.purity_radius`).
        Beats TypiClust at the lowest budgets in the paper.

    Scores read higher = select earlier. For ``"kmeans"`` they depend on the
    whole pool (a sample's place in the round-robin): ``score_samples(X)[i]``
    is ``n_samples`` minus the position of sample ``i`` in the order, so the
    score of a sample changes when the pool changes. For ``"coreset"`` the
    score is the distance to the nearest reference sample, which depends on
    that sample alone; :meth:`select` then goes further and also keeps the
    picks of a batch apart from each other. For ``"probcover"`` it is the
    number of uncovered pool samples in the sample's ball, which depends on
    the pool; the first pick has the highest score.

    Parameters
    ----------
    transformer : transformer, default=None
        Maps samples to embeddings: any transformer or
        :class:`~sklearn.pipeline.Pipeline` (``StandardScaler`` + ``PCA``, a
        ``FunctionTransformer`` around a feature extractor, ...). A clone is
        fitted in :meth:`fit`; a
        :class:`~sklearn.frozen.FrozenEstimator` is used as it is. None means
        ``X`` already holds the embeddings.

    strategy : {"kmeans", "coreset", "typiclust", "probcover"}, default="kmeans"
        How the batch is built; see above. The scores of ``"typiclust"`` are
        typicalities within ``n_clusters_`` k-means clusters of the pool.

    n_clusters : int, default=None
        Number of k-means clusters (for ``"probcover"``: of the
        pseudo-labels whose purity sets the radius). None takes the number of
        distinct labels in the ``y`` passed to :meth:`fit` (Encord Active's
        "number of classes in the ontology"), or 10 without ``y``. A pool
        with fewer samples than clusters is clustered into one cluster per
        sample, with a warning.
        ``"coreset"``, which clusters nothing, refuses it.

    clusterer : estimator, default=None
        Unfitted k-means estimator for ``"kmeans"``, such as
        :class:`~sklearn.cluster.MiniBatchKMeans` for pools of millions of
        samples; it must set ``labels_`` and ``cluster_centers_`` when
        fitted. Its ``n_clusters`` and ``random_state`` are set by the
        sampler. None uses :class:`~sklearn.cluster.KMeans` with its defaults.
        A clusterer fitted elsewhere (on a sample of a very large pool, say)
        and passed as :class:`~sklearn.frozen.FrozenEstimator` is used as it
        is: the pool is only assigned to its ``cluster_centers_``, by
        ``predict``, and ``n_clusters`` must be None. ``"coreset"`` refuses
        it.

    metric : {"euclidean", "cosine"}, default="euclidean"
        How embeddings are compared. ``"cosine"`` compares directions (as for
        CLIP-like embeddings): embeddings are scaled to unit length, and
        core-set scores are cosine distances, ``1 - cos``.

    delta : float, default=None
        ``"probcover"`` only: the radius of the balls, in the embedding
        space (after scaling for ``metric="cosine"``). None chooses it by
        ``purity``; ``n_clusters``, ``clusterer`` and ``purity`` must then
        be None. Other strategies refuse it.

    purity : float, default=None
        ``"probcover"`` only: the purity the radius keeps, in (0, 1]; None
        means 0.95, the paper's. Other strategies refuse it.

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

    reference_ : {ndarray, sparse matrix} of shape (n_reference, \
            n_embedding_features) or None
        Embeddings of the samples passed to :meth:`fit`, for ``"coreset"``,
        ``"typiclust"`` and ``"probcover"``; None when fitted on no sample
        (the cold start) and for ``"kmeans"``, which never compares the pool
        with them.

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

    ProbCover's coverage graph is sparse: its memory is the number of pairs
    of samples within ``delta`` (with the radius chosen by purity, a few
    tens per sample on PCA embeddings of digits), never ``n_samples**2``; a
    ``delta`` far above the gaps between samples makes it dense.

    Memory. The core-set never holds an ``n_samples x n_samples`` matrix nor
    the whole ``n_samples x n_reference`` one: distances are computed one
    chunk of the pool at a time, and the greedy keeps O(n_samples) numbers.

    Dask pools. A pool held as a ``dask.array`` is never gathered.
    ``"coreset"`` scores it block by block, and selects by composable
    core-sets: the greedy picks ``batch_size`` samples in each block, on the
    workers, then again among their union (a 4-approximation of the
    k-center radius, against 2 for the greedy on the whole pool; within
    1.2x of it on blobs). ``"kmeans"`` streams ``clusterer`` (by default
    :class:`~sklearn.cluster.MiniBatchKMeans`) over the blocks with
    ``partial_fit``, or fits one that takes dask arrays (dask-ml's
    ``KMeans``), or takes a frozen one as fitted, and merges each block's
    closest members of each cluster into the round robin of the whole pool;
    it selects, but does not score, a dask pool. ``"typiclust"`` and
    ``"probcover"`` need the pool in memory.

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
        **ChunkedSampler._parameter_constraints,
        "transformer": [HasMethods(["fit", "transform"]), None],
        "strategy": [StrOptions({"kmeans", "coreset", "typiclust", "probcover"})],
        "n_clusters": [Interval(Integral, 1, None, closed="left"), None],
        "clusterer": [HasMethods(["fit"]), None],
        "metric": [StrOptions({"euclidean", "cosine"})],
        "delta": [Interval(Real, 0, None, closed="neither"), None],
        "purity": [Interval(Real, 0, 1, closed="right"), None],
    }

    def __init__(
        self,
        transformer=None,
        *,
        strategy="kmeans",
        n_clusters=None,
        clusterer=None,
        metric="euclidean",
        delta=None,
        purity=None,
        chunk_size=None,
        n_jobs=None,
        random_state=None,
    ):
        self.transformer = transformer
        self.strategy = strategy
        self.n_clusters = n_clusters
        self.clusterer = clusterer
        self.metric = metric
        self.delta = delta
        self.purity = purity
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
        if self.strategy == "coreset":
            _refuse_clustering(self.n_clusters, self.clusterer)
        check_probcover_parameters(self)
        if self.transformer is None:
            X = validate_data(self, X, accept_sparse="csr",
                              dtype=[np.float64, np.float32], ensure_min_samples=0)
        else:
            X = validate_data(self, X, skip_check_array=True)
        check_finite_target(y)
        if isinstance(self.clusterer, FrozenEstimator):
            self.n_clusters_ = self._frozen_centers().shape[0]
        elif self.n_clusters is not None:
            self.n_clusters_ = self.n_clusters
        elif (y is not None and np.ndim(y) == 2  # 1-D labels are never multilabel
              and type_of_target(y) == "multilabel-indicator"):
            self.n_clusters_ = int(np.asarray(y).shape[1])  # one per label
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
        self.reference_ = None
        if self.strategy in _USES_REFERENCE and _num_samples(X) > 0:
            self.reference_ = self._embeddings(X)
        return self

    def embed(self, X):
        """Embeddings of ``X``, as the sampler compares them.

        The output of the fitted transformer (or ``X`` itself), scaled to
        unit length for ``metric="cosine"``. Other samplers that need the
        same embeddings (:class:`~skactive.HybridSampler`) call this.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples, in any form the transformer accepts.

        Returns
        -------
        embeddings : {ndarray, sparse matrix} of shape (n_samples, n_embedding_features)
            Dense or CSR, as the transformer gives them.
        """
        check_is_fitted(self)
        return self._embeddings(self._validate_pool(X))

    def _validate_pool(self, X):
        if self.transformer is None:
            return validate_data(self, X, reset=False, accept_sparse="csr",
                                 dtype=[np.float64, np.float32])
        return super()._validate_pool(X)

    def _embeddings(self, X):
        """Embeddings of X, chunk by chunk, checked and scaled for the metric."""
        embeddings = X if self.transformer_ is None else self._transform(
            self.transformer_, X)
        if self.metric == "cosine":
            if scaled_for_distances(embeddings)[0] > 1:
                # Squared norms would overflow: each row divided by its
                # largest value first, which keeps its direction.
                embeddings = normalize(embeddings, norm="max")
            embeddings = normalize(embeddings)
        return embeddings

    def _score(self, X):
        if is_dask_pool(X):
            if self.strategy == "kmeans":
                raise TypeError(
                    "The k-means ranking of a dask pool is not computed: it "
                    "orders the whole pool at once. Call select(X, batch_size), "
                    "which merges each block's candidates, or use "
                    "strategy='coreset', whose scores are computed block by block."
                )
            return coreset_scores(self, X)
        embeddings = self._embeddings(X)
        if self.strategy == "kmeans":
            order = self._kmeans_order(embeddings)
            scores = np.empty(order.shape[0])
            scores[order] = np.arange(order.shape[0], 0, -1)
            return scores
        if self.strategy == "typiclust":
            labels = self._cluster(embeddings, self.n_clusters_)[0]
            return typicality(embeddings, labels=labels)
        if self.strategy == "probcover":
            return probcover_scores(self, embeddings)
        return self._distance_to_reference(embeddings)

    def _select(self, X, batch_size):
        if is_dask_pool(X):
            select = kmeans_select if self.strategy == "kmeans" else coreset_select
            return select(self, X, batch_size)
        embeddings = self._embeddings(X)
        if self.strategy == "kmeans":
            return self._kmeans_order(embeddings)[:batch_size]
        if self.strategy == "typiclust":
            return self._typiclust(embeddings, batch_size)
        if self.strategy == "probcover":
            return probcover_select(self, embeddings, batch_size)
        _, embeddings, reference = self._scaled(embeddings)
        squared = None
        if reference is not None:
            squared = self._squared_distance_to_reference(embeddings, reference)
        return k_center_greedy(embeddings, batch_size, squared_distances=squared,
                               random_state=self.random_state)

    def __skactive_tags__(self):
        return replace(super().__skactive_tags__(), ranking=self.strategy == "kmeans",
                       dask=self.strategy in ("kmeans", "coreset"))

    def _inner_validates(self):
        return self.transformer_ is not None

    def _frozen_centers(self):
        """The centers of a frozen clusterer, checked against the parameters."""
        if self.strategy != "kmeans":
            raise ValueError(
                f"A frozen clusterer serves strategy='kmeans'; {self.strategy!r} "
                "clusters each pool anew. Pass an unfitted clusterer."
            )
        if self.n_clusters is not None:
            raise ValueError(
                "n_clusters must be None with a frozen clusterer: its "
                "cluster_centers_ fix the clusters."
            )
        centers = getattr(self.clusterer, "cluster_centers_", None)
        if centers is None:
            raise ValueError(
                "The frozen clusterer has no cluster_centers_: fit it (on a "
                "sample of the pool's embeddings) before freezing it."
            )
        return np.asarray(centers)

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
        return fit_kmeans(clusterer_for(self.clusterer, KMeans(), n_clusters=n_clusters,
                                        random_state=self.random_state), embeddings)

    def _kmeans_order(self, embeddings):
        if isinstance(self.clusterer, FrozenEstimator):
            centers = self._frozen_centers()
            labels = self.clusterer.predict(embeddings)
        else:
            labels, centers = self._cluster(embeddings, self.n_clusters_)
        return round_robin(labels, distances_to_centers(embeddings, labels, centers))

    def _typiclust(self, embeddings, batch_size):
        """Cluster the labeled and the pool samples together, then TypiClust."""
        n_reference = 0 if self.reference_ is None else self.reference_.shape[0]
        data = embeddings
        if n_reference:
            stack = sp.vstack if sp.issparse(embeddings) else np.vstack
            data = stack([self.reference_, embeddings])
        labels = self._cluster(data, n_reference + batch_size)[0]
        return typiclust(embeddings, labels[n_reference:], batch_size,
                         covered=np.unique(labels[:n_reference]))

    def _scaled(self, embeddings):
        """The factor, the pool's and the reference set's embeddings divided
        by the one power of two that keeps their squared distances finite."""
        scale, (embeddings, reference) = scaled_for_distances(embeddings,
                                                              self.reference_)
        return scale, embeddings, reference

    def _squared_distance_to_reference(self, embeddings, reference=None):
        reference = self.reference_ if reference is None else reference
        if reference.shape[1] != embeddings.shape[1]:
            raise ValueError(
                f"The pool's embeddings have {embeddings.shape[1]} features but "
                f"the reference set's have {reference.shape[1]}."
            )
        return self._squared_distances_to(embeddings, reference)

    def _distance_to_reference(self, embeddings):
        scale, embeddings, reference = self._scaled(embeddings)
        if reference is None:
            # Cold start: the most central samples first.
            mean = np.asarray(embeddings.mean(axis=0)).reshape(1, -1)
            return -unscaled(self._metric_distance(
                nearest_squared_distances(embeddings, reference=mean)), scale)
        return unscaled(self._metric_distance(
            self._squared_distance_to_reference(embeddings, reference)), scale)

    def _metric_distance(self, squared):
        if self.metric == "cosine":
            return squared / 2  # 1 - cos between unit vectors
        return np.sqrt(squared)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        if self.transformer is None:
            tags.input_tags.allow_nan = False
        else:
            _inherit_input_tags(tags, [self.transformer],
                                ("allow_nan", "sparse", "string"))
        return tags


def fit_kmeans(clusterer, embeddings, **fit_params):
    """Labels and centers of ``clusterer`` fitted on ``embeddings``.

    Huge values are divided by a power of two first (the clusters are the
    same, the centers are given back at the original scale). k-means
    subtracts the mean of the samples, so when a few samples are many
    orders of magnitude larger than the others (a row at 1e200), the others
    all become the same number; that collapse is refused with a clear
    message instead of a batch drawn from one cluster.
    """
    scale, (scaled,) = scaled_for_distances(embeddings)
    clusterer.fit(scaled, **fit_params)
    labels = clusterer.labels_
    n_clusters = clusterer.cluster_centers_.shape[0]
    if scale > 1 and not sp.issparse(scaled) and \
            np.unique(labels).shape[0] < n_clusters <= \
            np.unique(scaled, axis=0).shape[0]:
        values = embeddings.max(), -embeddings.min()
        raise ValueError(
            f"k-means found {np.unique(labels).shape[0]} distinct clusters of "
            f"the {n_clusters} asked for, though the samples are not that few "
            f"distinct points: their values, up to {max(values):.3g} in "
            "absolute value, span more orders of magnitude than float64 can "
            "resolve once k-means subtracts their mean. Scale or clip the "
            "features (sklearn.preprocessing.RobustScaler, or "
            "QuantileTransformer), or drop the outlying samples."
        )
    return labels, clusterer.cluster_centers_ * scale

"""Hybrid sampling: informative samples, spread over the input space."""

# SPDX-License-Identifier: BSD-3-Clause

from dataclasses import replace
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.metrics.pairwise import euclidean_distances
from sklearn.utils import get_tags

from ..acquisition import closest_to_centers, round_robin
from ..base import BaseSampler
from ..utils import get_sampler_tags
from ..utils._clustering import clusterer_for
from ..utils._selection import scaled_for_distances, top_k
from ..utils._sklearn_compat import (
    HasMethods,
    Interval,
    StrOptions,
    _fit_context,
    _safe_indexing,
)
from .chunked import _inherit_input_tags
from .diversity import DiversitySampler, fit_kmeans


class HybridSampler(BaseSampler):
    """Select informative samples that are also far apart.

    Taking the top ``k`` by uncertainty tends to pick ``k`` near-duplicates;
    taking ``k`` diverse samples ignores what the model knows. A hybrid keeps
    the ``beta * k`` most informative pool samples by ``uncertainty`` and
    spreads the batch over them in the embedding space of ``diversity``:

    ``"weighted_kmeans"`` (Zhdanov, 2019)
        k-means (``clusterer``) with ``k`` clusters on the candidates, each
        weighted by its informativeness (its score minus the lowest score in
        the pool); the candidate nearest each centroid is picked (see
        :func:`~skactive.acquisition.closest_to_centers`).

    ``"cluster_margin"`` (Citovsky et al., 2021)
        Agglomerative clustering (average linkage) of the candidates into
        ``n_clusters`` clusters (``k`` by default); the batch is filled one
        cluster at a time, smallest clusters first, the most informative
        remaining member of each: a
        :func:`~skactive.acquisition.round_robin` with the informativeness as
        key and the smallest clusters first.

    The batch comes best first: picks in order of decreasing informativeness
    (weighted k-means) or of the round-robin (Cluster-Margin). Scores are the
    ``uncertainty`` sampler's: the hybrid changes how a batch is built, not
    how a sample is scored.

    Complexity: the uncertainty scores (one pass over the pool), then
    k-means on ``beta * k`` candidates, O(beta k^2) per iteration, or
    agglomerative clustering of the candidates, O((beta k)^2) memory. Never
    ``n_samples x n_samples``; at most O(n_samples k) when ``beta**2 * k``
    does not exceed ``n_samples``.

    Parameters
    ----------
    uncertainty : sampler
        Scores informativeness: an :class:`~skactive.UncertaintySampler`,
        :class:`~skactive.CommitteeSampler` or any sampler. A clone is fitted.

    diversity : DiversitySampler, default=None
        Its :meth:`~skactive.DiversitySampler.embed` gives the embeddings
        that are clustered (its transformer and metric); None clusters ``X``
        as it is, by Euclidean distance.

    strategy : {"weighted_kmeans", "cluster_margin"}, default="weighted_kmeans"
        How the batch is spread; see above.

    beta : float, default=10
        Candidates kept per sample of the batch; at least 1 (``beta=1`` is
        the top ``k`` by uncertainty). Capped by the pool size.

    n_clusters : int, default=None
        Clusters of ``"cluster_margin"``; None means the batch size.
        ``"weighted_kmeans"`` makes one cluster per sample of the batch and
        refuses it at :meth:`fit`.

    clusterer : estimator, default=None
        Unfitted k-means estimator of ``"weighted_kmeans"`` whose ``fit``
        takes ``sample_weight`` (:class:`~sklearn.cluster.MiniBatchKMeans`,
        for instance); it must set ``labels_`` and ``cluster_centers_``. Its
        ``n_clusters`` and ``random_state`` are set by the sampler. None uses
        :class:`~sklearn.cluster.KMeans` with its defaults.
        ``"cluster_margin"`` clusters by average linkage and refuses it at
        :meth:`fit`.

    random_state : int, RandomState instance or None, default=None
        Seeds k-means and breaks exact ties; also seeds the inner samplers
        whose own ``random_state`` is None, so that a fixed seed gives the
        same batch every time.

    Attributes
    ----------
    uncertainty_ : sampler
        The fitted clone of ``uncertainty``.

    diversity_ : DiversitySampler
        The fitted clone of ``diversity`` (a ``DiversitySampler()`` when
        None).

    n_features_in_ : int
        Number of features seen during ``fit``, when ``X`` has a shape.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactive import HybridSampler, UncertaintySampler
    >>> X, y = load_digits(return_X_y=True)
    >>> sampler = HybridSampler(UncertaintySampler(LogisticRegression()),
    ...                         beta=5, random_state=0)
    >>> sampler.fit(X[:100] / 16, y[:100]).select(X[100:] / 16, batch_size=10).shape
    (10,)
    """

    _parameter_constraints: dict = {
        **BaseSampler._parameter_constraints,
        "uncertainty": [HasMethods(["fit", "score_samples"])],
        "diversity": [DiversitySampler, None],
        "strategy": [StrOptions({"weighted_kmeans", "cluster_margin"})],
        "beta": [Interval(Real, 1, None, closed="left")],
        "n_clusters": [Interval(Integral, 1, None, closed="left"), None],
        "clusterer": [HasMethods(["fit"]), None],
    }

    def __init__(self, uncertainty, diversity=None, *, strategy="weighted_kmeans",
                 beta=10, n_clusters=None, clusterer=None, random_state=None):
        self.uncertainty = uncertainty
        self.diversity = diversity
        self.strategy = strategy
        self.beta = beta
        self.n_clusters = n_clusters
        self.clusterer = clusterer
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None, **fit_params):
        """Fit the uncertainty and the diversity samplers on the labeled data.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Labeled samples.

        y : array-like of shape (n_samples,), default=None
            Their labels.

        **fit_params : dict
            Passed to the uncertainty sampler's ``fit``.

        Returns
        -------
        self : object
            The fitted sampler.
        """
        self._validate_labeled(X, y)
        _check_unused(self.strategy, self.n_clusters, self.clusterer)
        diversity = DiversitySampler() if self.diversity is None else self.diversity
        self.uncertainty_, self.diversity_ = (
            _seeded_clone(sampler, self.random_state)
            for sampler in (self.uncertainty, diversity)
        )
        self.uncertainty_.fit(X, y, **fit_params)
        self.diversity_.fit(X, y)
        return self

    def _score(self, X):
        return self.uncertainty_.score_samples(X)

    def _select(self, X, batch_size):
        scores = self._score(X)
        n_candidates = min(int(np.ceil(self.beta * batch_size)), scores.shape[0])
        candidates = top_k(scores, n_candidates, self.random_state)
        embeddings = self.diversity_.embed(_safe_indexing(X, candidates))
        informativeness = scores[candidates]
        if self.strategy == "weighted_kmeans":
            labels, centers = self._weighted_kmeans(
                embeddings, informativeness - scores.min(), batch_size)
            picks = closest_to_centers(embeddings, labels, centers, informativeness)
        else:
            n_clusters = min(self.n_clusters or batch_size, n_candidates)
            labels = _average_linkage(embeddings, n_clusters)
            smallest_first = np.argsort(np.bincount(labels), kind="stable")
            picks = round_robin(labels, -informativeness,
                                cluster_order=smallest_first)[:batch_size]
        return candidates[picks]

    def _weighted_kmeans(self, embeddings, weights, k):
        """Labels and centers of a k-means weighted by ``weights``."""
        if not np.any(weights > 0):
            weights = np.ones_like(weights)  # every candidate equally informative
        elif weights.max() > 1:
            # At most 1 (a power of two, so the clusters are the same): huge
            # scores times squared distances would overflow k-means' sums.
            weights = weights / 2.0 ** np.ceil(np.log2(weights.max()))
        clusterer = clusterer_for(self.clusterer, KMeans(), n_clusters=k,
                                  random_state=self.random_state)
        return fit_kmeans(clusterer, embeddings, sample_weight=weights)

    def __skactive_tags__(self):
        return replace(super().__skactive_tags__(), ranking=False,
                       task_types=get_sampler_tags(self.uncertainty).task_types)

    def _inner_validates(self):
        return True  # the uncertainty sampler validates what it scores

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        diversity = DiversitySampler() if self.diversity is None else self.diversity
        tags.target_tags.required = get_tags(self.uncertainty).target_tags.required
        return _inherit_input_tags(tags, [self.uncertainty, diversity])


def _check_unused(strategy, n_clusters, clusterer):
    """Refuse the parameter of the other strategy, which would be ignored."""
    if strategy == "weighted_kmeans" and n_clusters is not None:
        raise ValueError(
            f"n_clusters={n_clusters} sets the clusters of strategy="
            "'cluster_margin'; strategy='weighted_kmeans' makes one cluster per "
            "sample of the batch and would ignore it: leave n_clusters=None."
        )
    if strategy == "cluster_margin" and clusterer is not None:
        raise ValueError(
            f"clusterer={clusterer!r} is the k-means of strategy="
            "'weighted_kmeans'; strategy='cluster_margin' clusters by average "
            "linkage and would ignore it: leave clusterer=None."
        )


def _seeded_clone(sampler, random_state):
    """A clone of ``sampler``, given ``random_state`` if it has none of its own."""
    sampler = clone(sampler)
    params = sampler.get_params(deep=False)
    if "random_state" in params and params["random_state"] is None:
        sampler.set_params(random_state=random_state)
    return sampler


def _average_linkage(embeddings, n_clusters):
    """Agglomerative (average-linkage) cluster labels of the candidates.

    Sparse embeddings are compared through their (small, candidates x
    candidates) distance matrix rather than densified.
    """
    if n_clusters == 1:
        return np.zeros(embeddings.shape[0], dtype=np.intp)
    embeddings = scaled_for_distances(embeddings)[1][0]
    if sp.issparse(embeddings):
        clustering = AgglomerativeClustering(n_clusters=n_clusters, linkage="average",
                                             metric="precomputed")
        return clustering.fit(euclidean_distances(embeddings)).labels_
    clustering = AgglomerativeClustering(n_clusters=n_clusters, linkage="average")
    return clustering.fit(embeddings).labels_

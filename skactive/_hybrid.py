"""Hybrid sampling: informative samples, spread over the input space."""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from sklearn.base import _fit_context, clone
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.utils import _safe_indexing, get_tags
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.extmath import row_norms

from ._base import BaseSampler, _inherit_input_tags, _top_k
from ._diversity import DiversitySampler, _members_by_cluster


class HybridSampler(BaseSampler):
    """Select informative samples that are also far apart.

    Taking the top ``k`` by uncertainty tends to pick ``k`` near-duplicates;
    taking ``k`` diverse samples ignores what the model knows. A hybrid keeps
    the ``beta * k`` most informative pool samples by ``uncertainty`` and
    spreads the batch over them in the embedding space of ``diversity``:

    ``"weighted_kmeans"`` (Zhdanov, 2019)
        k-means with ``k`` clusters on the candidates, each weighted by its
        informativeness (its score minus the lowest score in the pool); the
        candidate nearest each centroid is picked.

    ``"cluster_margin"`` (Citovsky et al., 2021)
        Agglomerative clustering (average linkage) of the candidates into
        ``n_clusters`` clusters (``k`` by default); the batch is filled one
        cluster at a time, smallest clusters first, the most informative
        remaining member of each.

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
        Its transformer and metric give the embeddings that are clustered;
        None clusters ``X`` as it is, by Euclidean distance.

    strategy : {"weighted_kmeans", "cluster_margin"}, default="weighted_kmeans"
        How the batch is spread; see above.

    beta : float, default=10
        Candidates kept per sample of the batch; at least 1 (``beta=1`` is
        the top ``k`` by uncertainty). Capped by the pool size.

    n_clusters : int, default=None
        Clusters of ``"cluster_margin"``; None means the batch size.

    random_state : int, RandomState instance or None, default=None
        Seeds k-means and breaks exact ties.

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
        "uncertainty": [HasMethods(["fit", "score_samples"])],
        "diversity": [DiversitySampler, None],
        "strategy": [StrOptions({"weighted_kmeans", "cluster_margin"})],
        "beta": [Interval(Real, 1, None, closed="left")],
        "n_clusters": [Interval(Integral, 1, None, closed="left"), None],
        "random_state": ["random_state"],
    }

    def __init__(self, uncertainty, diversity=None, *, strategy="weighted_kmeans",
                 beta=10, n_clusters=None, random_state=None):
        self.uncertainty = uncertainty
        self.diversity = diversity
        self.strategy = strategy
        self.beta = beta
        self.n_clusters = n_clusters
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
        self.uncertainty_ = clone(self.uncertainty).fit(X, y, **fit_params)
        diversity = DiversitySampler() if self.diversity is None else self.diversity
        self.diversity_ = clone(diversity).fit(X, y)
        return self

    def _score(self, X):
        return self.uncertainty_.score_samples(X)

    def _select(self, X, batch_size):
        scores = self._score(X)
        n_candidates = min(int(np.ceil(self.beta * batch_size)), scores.shape[0])
        candidates = _top_k(scores, n_candidates, self.random_state)
        embeddings = self.diversity_._embed(
            self.diversity_._validate_pool(_safe_indexing(X, candidates))
        )
        informativeness = scores[candidates]
        if self.strategy == "weighted_kmeans":
            picks = _weighted_kmeans(embeddings, informativeness - scores.min(),
                                     batch_size, self.random_state)
            picks = picks[np.argsort(-informativeness[picks], kind="stable")]
        else:
            n_clusters = min(self.n_clusters or batch_size, n_candidates)
            picks = _cluster_margin(embeddings, informativeness, batch_size,
                                    n_clusters)
        return candidates[picks]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        diversity = DiversitySampler() if self.diversity is None else self.diversity
        tags.target_tags.required = get_tags(self.uncertainty).target_tags.required
        return _inherit_input_tags(tags, [self.uncertainty, diversity])


def _weighted_kmeans(embeddings, weights, k, random_state):
    """The sample nearest each centroid of a k-means weighted by ``weights``."""
    if not np.any(weights > 0):
        weights = np.ones_like(weights)  # every candidate equally informative
    kmeans = KMeans(n_clusters=k, random_state=random_state)
    labels = kmeans.fit(embeddings, sample_weight=weights).labels_
    distances = row_norms(embeddings - kmeans.cluster_centers_[labels])
    picks = [members[np.argmin(distances[members])]
             for members in _members_by_cluster(labels, k) if members.size]
    if len(picks) < k:
        # Duplicates left clusters empty: the most informative of the rest.
        rest = np.setdiff1d(np.arange(weights.shape[0]), picks)
        picks.extend(rest[np.argsort(-weights[rest], kind="stable")][:k - len(picks)])
    return np.asarray(picks, dtype=np.intp)


def _cluster_margin(embeddings, informativeness, k, n_clusters):
    """Round-robin over agglomerative clusters, smallest first, most
    informative member first."""
    if n_clusters > 1:
        labels = AgglomerativeClustering(n_clusters=n_clusters,
                                         linkage="average").fit(embeddings).labels_
    else:
        labels = np.zeros(embeddings.shape[0], dtype=np.intp)
    sizes = np.bincount(labels)
    cluster_order = np.argsort(sizes, kind="stable")  # smallest first
    position = np.empty_like(cluster_order)
    position[cluster_order] = np.arange(cluster_order.shape[0])
    # Rank of each candidate inside its cluster, most informative first.
    by_cluster = np.lexsort((-informativeness, labels))
    starts = np.cumsum(sizes) - sizes
    rank = np.empty_like(labels)
    rank[by_cluster] = np.arange(labels.shape[0]) - np.repeat(starts, sizes)
    return np.lexsort((position[labels], rank))[:k]

"""Density-weighted sampling: information density, graph density and DWUS."""

# SPDX-License-Identifier: BSD-3-Clause

from dataclasses import replace
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.frozen import FrozenEstimator
from sklearn.utils.validation import validate_data

from ..acquisition import (
    cluster_label_probabilities,
    density_weighted_uncertainty,
    entropy,
    graph_density,
    graph_density_selection,
    information_density,
    least_confidence,
    margin,
    mean_similarity,
    pre_clustering,
)
from ..utils._rows_cache import SameRowsCache, inverse_order, random_state_key
from ..utils._selection import tie_seed
from ..utils._sklearn_compat import HasMethods, Interval, StrOptions, _fit_context
from ..utils._validation import check_finite_target, check_one_label_per_sample
from .chunked import ChunkedSampler, _inherit_input_tags, _warn_single_class
from .diversity import fit_kmeans

_UNCERTAINTIES = {
    "entropy": entropy,
    "least_confidence": least_confidence,
    "margin": lambda P: 1.0 - margin(P),
}


class DensitySampler(ChunkedSampler):
    """Informative samples of dense regions: information density, graph, DWUS.

    Three strategies: information density, graph density and
    density-weighted uncertainty sampling (DWUS).
    Uncertainty sampling likes outliers: a sample far from every other is
    often uncertain, and labeling it teaches the model little about the
    rest of the pool. These strategies weigh a sample by how representative
    it is of the pool (in the space of ``transformer``, or of ``X``):

    ``"information_density"`` (Settles & Craven, 2008)
        ``phi(x) * (1/U sum_u sim(x, x_u)) ** beta``: the ``uncertainty`` of
        ``estimator``'s probabilities (``1 - margin`` for ``"margin"``)
        times the mean similarity to the ``U`` pool samples (``metric``;
        see :func:`~skactive.acquisition.mean_similarity`), computed
        ``chunk_size`` rows at a time, never as a ``U x U`` matrix.
        Cost: the model's ``predict_proba`` plus ``O(U^2 d)``.

    ``"graph_density"`` (Ebert, Fritz & Schiele, 2012)
        Google's ``graph_density`` sampler. No model: the mean weight
        ``exp(-gamma |x_i - x_j|_1)`` of each
        sample's edges in the symmetric ``n_neighbors``-nearest-neighbour
        graph of the labeled and pool samples
        (:func:`~skactive.acquisition.graph_density`); picks by highest
        density, each pick's neighbours losing its density
        (:func:`~skactive.acquisition.graph_density_selection`). The labeled
        samples count as earlier picks, in the order given to :meth:`fit`
        (in a simulation, the order they were labeled). Cost: a nearest-
        neighbour search on labeled + pool samples, memory ``O(n
        n_neighbors)``.

    ``"dwus"`` (Nguyen & Smeulders, 2004, with libact's model)
        No external model: k-means (``n_clusters``) on the
        labeled and pool samples, a Gaussian mixture on those centers
        (variance ``sigma``, priors by ``max_iter`` EM steps), a logistic
        model of each cluster's label fitted on the labeled samples'
        cluster posteriors (penalty ``C``); the score is the expected error
        ``min(P(+|x), P(-|x))`` times the density ``p(x)``, scaled so that
        the densest pool sample has ``p = 1`` (the ranking is libact's; see
        :func:`~skactive.acquisition.pre_clustering`). The k-means input is
        sorted first, so a simulation clusters the same centers at every
        round, as libact clusters once. Binary labels as in libact; more
        classes get one-vs-rest cluster models and ``1 - max_c P(c | x)``
        (an extension). Cost: k-means plus ``O(n n_clusters)``.

    The scores of all three depend on the whole pool (its density), so a
    sample's score changes with the pool it is scored in.
    ``"information_density"`` and ``"dwus"`` rank (the batch is the top of
    the scores, as libact's DWUS); ``"graph_density"`` builds its batch
    greedily.

    Parameters
    ----------
    estimator : classifier, default=None
        With ``predict_proba``, for ``"information_density"`` (required
        there, refused by the other strategies, which use no model). May be
        a :class:`~sklearn.pipeline.Pipeline`; a
        :class:`~sklearn.frozen.FrozenEstimator` is used as it is.

    transformer : transformer, default=None
        Maps samples to the space where density is measured; None uses
        ``X`` (numeric, dense or sparse).

    strategy : {"information_density", "graph_density", "dwus"}, \
            default="information_density"
        See above.

    uncertainty : {"entropy", "least_confidence", "margin"}, default="entropy"
        ``"information_density"``'s informativeness.

    beta : float, default=1.0
        ``"information_density"``'s exponent of the density.

    metric : {"rbf", "cosine"}, default="rbf"
        ``"information_density"``'s similarity. Settles & Craven used the
        cosine, on non-negative text features; on centred features a mean
        cosine can be negative, and is refused.

    gamma : float, default=None
        Coefficient of ``"rbf"`` (``exp(-gamma ||x - x'||^2)``) and of the
        graph's weights (``exp(-gamma |x - x'|_1)``); None means ``1 /
        n_features`` of the embeddings.

    n_neighbors : int, default=10
        ``"graph_density"``'s neighbours per sample (Google's setting).

    n_clusters : int, default=5
        ``"dwus"``'s number of k-means clusters (libact's setting); capped
        by the number of samples.

    sigma : float, default=0.1
        ``"dwus"``'s cluster variance (libact's setting).

    C : float, default=1.0
        ``"dwus"``'s penalty on the cluster model's weights (libact's).

    max_iter : int, default=100
        ``"dwus"``'s EM steps (libact's).

    chunk_size : int, default=None
        Pool rows scored (and compared with the pool) at once, per worker.
        None picks it from ``sklearn.get_config()["working_memory"]``.

    n_jobs : int, default=None
        Jobs scoring chunks in parallel through joblib. Results do not
        depend on it.

    random_state : int, RandomState instance or None, default=None
        Seeds k-means (``"dwus"``) and breaks exact ties.

    Attributes
    ----------
    estimator_ : classifier or None
        The fitted clone of ``estimator`` (``"information_density"``).

    transformer_ : transformer or None
        The fitted clone of ``transformer``.

    labeled_ : {ndarray, sparse matrix} of shape (n_labeled, n_embedding_features)
        Embeddings of the labeled samples (``"graph_density"``, ``"dwus"``).

    classes_ : ndarray of shape (n_classes,) or None
        The labels seen in ``fit`` (``"dwus"``; with two, the last one is
        libact's ``+1``).

    n_features_in_ : int
        Number of features seen during ``fit``, when ``X`` has a shape.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    skactive.UncertaintySampler : The uncertainty alone.
    skactive.DiversitySampler : Representative samples with no model
        (k-means, TypiClust, ProbCover).

    References
    ----------
    Settles, B., & Craven, M. (2008). An analysis of active learning
    strategies for sequence labeling tasks. EMNLP.

    Ebert, S., Fritz, M., & Schiele, B. (2012). RALF: A reinforced active
    learning formulation for object class recognition. CVPR.

    Nguyen, H. T., & Smeulders, A. (2004). Active learning using
    pre-clustering. ICML.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactive import DensitySampler
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X = StandardScaler().fit_transform(X)
    >>> sampler = DensitySampler(LogisticRegression(), random_state=0)
    >>> sampler.fit(X[:50], y[:50]).select(X[50:], batch_size=3).shape
    (3,)
    >>> graph = DensitySampler(strategy="graph_density", random_state=0)
    >>> graph.fit(X[:50]).select(X[50:], batch_size=3).shape
    (3,)
    """

    _parameter_constraints: dict = {
        **ChunkedSampler._parameter_constraints,
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "transformer": [HasMethods(["fit", "transform"]), None],
        "strategy": [StrOptions({"information_density", "graph_density", "dwus"})],
        "uncertainty": [StrOptions(set(_UNCERTAINTIES))],
        "beta": [Interval(Real, 0, None, closed="left")],
        "metric": [StrOptions({"rbf", "cosine"})],
        "gamma": [Interval(Real, 0, None, closed="neither"), None],
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "n_clusters": [Interval(Integral, 1, None, closed="left")],
        "sigma": [Interval(Real, 0, None, closed="neither")],
        "C": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, estimator=None, transformer=None, *,
                 strategy="information_density", uncertainty="entropy", beta=1.0,
                 metric="rbf", gamma=None, n_neighbors=10, n_clusters=5, sigma=0.1,
                 C=1.0, max_iter=100, chunk_size=None, n_jobs=None, random_state=None):
        self.estimator = estimator
        self.transformer = transformer
        self.strategy = strategy
        self.uncertainty = uncertainty
        self.beta = beta
        self.metric = metric
        self.gamma = gamma
        self.n_neighbors = n_neighbors
        self.n_clusters = n_clusters
        self.sigma = sigma
        self.C = C
        self.max_iter = max_iter
        self.chunk_size = chunk_size
        self.n_jobs = n_jobs
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None, **fit_params):
        """Fit the model and the transformer, and keep what scoring needs.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Labeled samples, in the order they were labeled
            (``"graph_density"`` applies them as earlier picks in that
            order).

        y : array-like of shape (n_samples,), default=None
            Their labels; required by ``"information_density"`` and
            ``"dwus"``.

        **fit_params : dict
            Passed to the estimator's ``fit``.

        Returns
        -------
        self : object
            The fitted sampler.
        """
        self._check_strategy_parameters(y)
        X = self._validate_labeled_samples(X, y)
        self.transformer_ = None
        if self.transformer is not None:
            self.transformer_ = clone(self.transformer).fit(X, y)
        self.estimator_ = self.labeled_ = self.classes_ = None
        self._random_ = False
        if self.strategy == "information_density":
            self._fit_estimator(X, y, fit_params)
        else:
            self.labeled_ = self._embeddings(X)
        if self.strategy == "dwus":
            self.classes_, self._encoded_y_ = np.unique(np.asarray(y),
                                                        return_inverse=True)
        SameRowsCache.kept_by(self)
        return self

    def _check_strategy_parameters(self, y):
        if self.strategy == "information_density" and self.estimator is None:
            raise ValueError(
                "strategy='information_density' weighs a classifier's "
                "uncertainty: pass estimator=, a classifier with predict_proba.")
        if self.strategy != "information_density" and self.estimator is not None:
            raise ValueError(
                f"strategy={self.strategy!r} uses no external model (DWUS fits "
                "its own cluster model); leave estimator=None.")
        if self.strategy == "graph_density":
            return
        if y is None:
            raise ValueError(
                f"strategy={self.strategy!r} requires y to be passed, but the "
                "target y is None: pass the labels of the labeled samples.")
        check_one_label_per_sample(y, f"strategy={self.strategy!r}")

    def _validate_labeled_samples(self, X, y):
        if self.transformer is None:
            X = validate_data(self, X, accept_sparse="csr",
                              dtype=[np.float64, np.float32])
        else:
            self._validate_labeled(X, y)
        check_finite_target(y)
        return X

    def _fit_estimator(self, X, y, fit_params):
        self.estimator_ = clone(self.estimator)
        if isinstance(self.estimator_, FrozenEstimator):
            return
        if np.unique(np.asarray(y)).shape[0] < 2:
            _warn_single_class()
            self._random_ = True
            return
        self.estimator_.fit(X, y, **fit_params)

    def _validate_pool(self, X):
        if self.transformer is None:
            return validate_data(self, X, reset=False, accept_sparse="csr",
                                 dtype=[np.float64, np.float32])
        return super()._validate_pool(X)

    def _inner_validates(self):
        return self.transformer_ is not None

    def _embeddings(self, X):
        if self.transformer_ is None:
            return X
        return self._transform(self.transformer_, X)

    def _gamma(self, embeddings):
        return 1.0 / embeddings.shape[1] if self.gamma is None else self.gamma

    def _score(self, X):
        if self._random_:
            return self._random_ranking(X)
        embeddings = self._embeddings(X)
        if self.strategy == "information_density":
            return self._information_density(X, embeddings)
        if self.strategy == "graph_density":
            density, graph, order = self._graph(embeddings)
            n_labeled = self.labeled_.shape[0]
            positions = inverse_order(order)
            density = _after_picks(density, graph, positions[:n_labeled])
            return density[positions][n_labeled:]
        return self._dwus(embeddings)

    def _select(self, X, batch_size):
        if self._random_:
            return self._random_ranking(
                X, top=(batch_size, tie_seed(self.random_state)))
        if self.strategy != "graph_density":
            return super()._select(X, batch_size)
        density, graph, order = self._graph(self._embeddings(X))
        n_labeled = self.labeled_.shape[0]
        picks = graph_density_selection(density, graph, batch_size,
                                        selected=inverse_order(order)[:n_labeled],
                                        random_state=self.random_state)
        return order[picks] - n_labeled

    def _information_density(self, X, embeddings):
        n_features = getattr(self, "n_features_in_", 1)
        uncertainty = self._map_chunks(
            _uncertainty_chunk, X, row_bytes=16 * n_features,
            estimator=self.estimator_, function=_UNCERTAINTIES[self.uncertainty])
        # In this process, chunk by chunk: BLAS may round a product of
        # arrays copied to a worker differently, and the scores must not
        # depend on n_jobs.
        similarity = mean_similarity(embeddings, metric=self.metric,
                                     gamma=self._gamma(embeddings),
                                     chunk_size=self.chunk_size)
        return information_density(uncertainty, similarity, beta=self.beta)

    def _joined(self, embeddings):
        """The labeled embeddings, then the pool's."""
        if sp.issparse(embeddings) or sp.issparse(self.labeled_):
            return sp.vstack([self.labeled_, embeddings], format="csr")
        return np.vstack([self.labeled_, embeddings])

    def _graph(self, embeddings):
        """The graph's densities and neighbourhoods over the labeled samples
        and the pool, and ``order``: node ``i`` is row ``order[i]`` of the
        labeled samples then the pool. Dense rows: built on the rows sorted
        and kept for the next call on the same rows, as Google's sampler
        builds its graph once."""
        joined = self._joined(embeddings)

        def build(rows):
            return graph_density(rows, n_neighbors=self.n_neighbors,
                                 gamma=self._gamma(rows))

        if sp.issparse(joined):
            return (*build(joined), np.arange(joined.shape[0]))
        key = ("graph", self.n_neighbors, self.gamma)
        (density, graph), order = self._rows_cache.get(joined, build, key)
        return density, graph, order

    def _dwus(self, embeddings):
        joined = self._joined(embeddings)
        n_labeled = self.labeled_.shape[0]
        centers, posteriors, log_density = self._pre_clustering(joined)
        probabilities = self._cluster_models(posteriors[:n_labeled], centers)
        pool_log_density = log_density[n_labeled:]
        density = np.exp(pool_log_density - pool_log_density.max())
        return density_weighted_uncertainty(posteriors[n_labeled:], density,
                                            probabilities)

    def _pre_clustering(self, joined):
        """k-means centers, then the EM posteriors and log densities of the
        rows of ``joined``, computed on its rows sorted (the same for any
        order, as libact's DWUS clusters once) and kept for the next call on
        the same rows: the pool and the labeled samples of the next round."""
        def compute(rows):
            kmeans = KMeans(n_clusters=min(self.n_clusters, rows.shape[0]),
                            random_state=self.random_state)
            centers = fit_kmeans(kmeans, rows)[1]
            return (centers, *pre_clustering(rows, centers, sigma=self.sigma,
                                             max_iter=self.max_iter))

        if sp.issparse(joined):
            return compute(joined)
        key = (self.n_clusters, self.sigma, self.max_iter,
               random_state_key(self.random_state))
        (centers, posteriors, log_density), order = self._rows_cache.get(
            joined, compute, key)
        back = inverse_order(order)
        return centers, posteriors[back], log_density[back]

    def _cluster_models(self, posteriors, centers):
        """``P(y = +1 | k)`` of libact's binary model (the last class is
        +1), or one column per class of one-vs-rest models."""
        n_classes = len(self.classes_)
        if n_classes <= 2:
            signed = np.where(self._encoded_y_ == n_classes - 1, 1.0, -1.0)
            return cluster_label_probabilities(posteriors, signed, centers, C=self.C)
        return np.column_stack([
            cluster_label_probabilities(
                posteriors, np.where(self._encoded_y_ == c, 1.0, -1.0), centers,
                C=self.C)
            for c in range(n_classes)])

    def __skactive_tags__(self):
        tags = replace(super().__skactive_tags__(),
                       ranking=self.strategy != "graph_density")
        if self.strategy == "graph_density":  # y is not used
            return tags
        return replace(tags, task_types=frozenset({"classification"}))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = self.strategy != "graph_density"
        inner = [e for e in (self.transformer, self.estimator) if e is not None]
        _inherit_input_tags(tags, inner, ("allow_nan", "sparse", "string"))
        if self.transformer is None:  # X itself is compared: numbers only
            tags.input_tags.allow_nan = tags.input_tags.string = False
        return tags


def _after_picks(density, graph, picked):
    """The densities once the nodes ``picked`` were picked in order: each
    pick's graph neighbours lose its current density (the state that
    :func:`~skactive.acquisition.graph_density_selection` starts from)."""
    density = density.copy()
    for index in picked:
        neighbours = graph.indices[graph.indptr[index]:graph.indptr[index + 1]]
        density[neighbours] -= density[index]
    return density


def _uncertainty_chunk(X, *, estimator, function):
    return np.asarray(function(estimator.predict_proba(X)), dtype=np.float64)

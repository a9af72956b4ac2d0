"""Margin batches shaped by a clustering of the pool: MCM and InfoDiv."""

# SPDX-License-Identifier: BSD-3-Clause

from dataclasses import replace
from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.frozen import FrozenEstimator
from sklearn.utils import check_array

from ..acquisition import (
    cluster_proportional_margin,
    decision_margin,
    margin,
    margin_cluster_mean,
    within_margin,
)
from ..utils._selection import tie_seed
from ..utils._sklearn_compat import HasMethods, Interval, StrOptions, _fit_context
from ..utils._validation import check_one_label_per_sample
from .chunked import ChunkedSampler, _inherit_input_tags, _warn_single_class
from .uncertainty import _split_pipeline


def _margin_chunk(X, *, estimator, method):
    """Margins of a chunk: decision-function gaps, else probability gaps."""
    if method == "decision_function":
        return decision_margin(estimator.decision_function(X))
    return margin(estimator.predict_proba(X))


def _features_chunk(X, *, estimator):
    """The features the pipeline's final model sees (``X`` without steps)."""
    steps, _ = _split_pipeline(estimator)
    X = X if steps is None else steps.transform(X)
    return check_array(X, accept_sparse="csr", dtype=[np.float64, np.float32],
                       input_name="X")


class MarginClusterSampler(ChunkedSampler):
    """Margin sampling with the batch shaped by a k-means clustering.

    The two margin-based batch samplers of Google's active-learning code,
    as Lu, Li & Lin (2023) benchmark them. Margins are those of Google's
    code: the gap between the two highest ``decision_function`` values
    (``|f(x)|`` for a binary model) when the final model has one, else
    between the two highest probabilities. Lower margins are more
    uncertain.

    ``strategy="cluster_mean"`` (MCM, Google's ``margin_cluster_mean``)
        The candidates are the pool samples whose margin is below every
        labeled sample's (:func:`~skactive.acquisition.within_margin`).
        k-means with ``batch_size`` clusters on them; the candidate nearest
        each center joins the batch
        (:func:`~skactive.acquisition.margin_cluster_mean`). With fewer
        candidates than ``batch_size``, the lowest margins.

    ``strategy="cluster_proportions"`` (InfoDiv, Google's ``informative_diverse``)
        k-means with ``n_clusters`` clusters (by default as many as classes)
        on the pool; the lowest margins, each cluster's share of the batch
        capped at its share of the pool
        (:func:`~skactive.acquisition.cluster_proportional_margin`). With
        ``batch_size=1`` it is plain margin sampling (no clustering is done).

    Clustering is on the features the final model sees: ``X``, or for a
    :class:`~sklearn.pipeline.Pipeline` the output of its other steps.
    Differences from Google's code: k-means instead of mini-batch k-means;
    InfoDiv clusters the pool rather than labeled and pool samples
    together, and fills a short batch by margin rather than in a set's
    order; MCM's candidates on a multiclass model compare the gap between
    the two highest decision values rather than each class's.

    Scores (higher = select earlier) are the negated margins; the batch is
    not their top (except InfoDiv with ``batch_size=1``).

    Cost: the model's predictions on the pool (in chunks, in parallel),
    then k-means on the candidates (MCM) or the pool (InfoDiv).

    Parameters
    ----------
    estimator : classifier
        With ``decision_function`` or ``predict_proba``; may be a
        :class:`~sklearn.pipeline.Pipeline`. A clone is fitted in
        :meth:`fit`; a :class:`~sklearn.frozen.FrozenEstimator` is used as
        it is.

    strategy : {"cluster_mean", "cluster_proportions"}, default="cluster_mean"
        MCM or InfoDiv; see above.

    n_clusters : int, default=None
        Clusters of ``"cluster_proportions"``; None means the number of
        classes. ``"cluster_mean"`` uses ``batch_size`` clusters and
        refuses it.

    chunk_size : int, default=None
        Pool rows predicted at once (per worker).

    n_jobs : int, default=None
        Number of jobs predicting chunks of the pool. Results do not depend
        on it.

    random_state : int, RandomState instance or None, default=None
        Seeds k-means and breaks exact ties between margins.

    Attributes
    ----------
    estimator_ : classifier
        The fitted clone of ``estimator`` (``estimator`` itself when
        frozen).

    response_method_ : {"decision_function", "predict_proba", "random"}
        What the margins come from; ``"random"`` when the labeled data held
        a single class (the pool is then ranked in random order).

    labeled_margin_ : float or None
        The smallest margin among the labeled samples (MCM's threshold);
        None for ``"cluster_proportions"``, which has no threshold.

    n_clusters_ : int
        Clusters of ``"cluster_proportions"``.

    n_features_in_ : int
        Number of features seen during ``fit``, when ``X`` has a shape.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    skactive.HybridSampler : Weighted k-means and Cluster-Margin batches.

    References
    ----------
    Xu, Z., Yu, K., Tresp, V., Xu, X., & Wang, J. (2003). Representative
    sampling for text classification using support vector machines. ECIR.

    Lu, P.-Y., Li, C.-L., & Lin, H.-T. (2023). Re-benchmarking pool-based
    active learning for binary classification. arXiv:2306.08954.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.svm import SVC
    >>> from skactive import MarginClusterSampler
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X = (X - X.mean(axis=0)) / X.std(axis=0)
    >>> sampler = MarginClusterSampler(SVC(), random_state=0).fit(X[:40], y[:40])
    >>> sampler.select(X[40:], batch_size=3).shape
    (3,)
    """

    _parameter_constraints: dict = {
        **ChunkedSampler._parameter_constraints,
        "estimator": [HasMethods(["fit"])],
        "strategy": [StrOptions({"cluster_mean", "cluster_proportions"})],
        "n_clusters": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(self, estimator, *, strategy="cluster_mean", n_clusters=None,
                 chunk_size=None, n_jobs=None, random_state=None):
        self.estimator = estimator
        self.strategy = strategy
        self.n_clusters = n_clusters
        self.chunk_size = chunk_size
        self.n_jobs = n_jobs
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Fit a clone of the classifier and keep the labeled samples' margin.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Labeled samples, in any form the estimator accepts.

        y : array-like of shape (n_samples,)
            Their labels, one class per sample.

        **fit_params : dict
            Passed to the estimator's ``fit``.

        Returns
        -------
        self : object
            The fitted sampler.
        """
        self._validate_labeled(X, y)
        check_one_label_per_sample(y, "MarginClusterSampler",
                                   "margins are those of a classifier.")
        if self.strategy == "cluster_mean" and self.n_clusters is not None:
            raise ValueError(
                f"n_clusters={self.n_clusters!r} sets the clusters of "
                "strategy='cluster_proportions'; 'cluster_mean' uses batch_size "
                "clusters and would ignore it: leave n_clusters=None.")
        self.estimator_ = clone(self.estimator)
        frozen = isinstance(self.estimator_, FrozenEstimator)
        n_classes = (len(self.estimator_.classes_) if frozen
                     else np.unique(np.asarray(y)).shape[0])
        self.n_clusters_ = self.n_clusters or max(n_classes, 1)
        self.labeled_margin_ = None
        if n_classes < 2:
            _warn_single_class()
            self.response_method_ = "random"
            return self
        if not frozen:
            self.estimator_.fit(X, y, **fit_params)
        final = _split_pipeline(self.estimator_)[1]
        self.response_method_ = ("decision_function"
                                 if hasattr(final, "decision_function")
                                 else "predict_proba")
        if self.strategy == "cluster_mean":
            self.labeled_margin_ = float(np.min(self._margins(X)))
        return self

    def _inner_validates(self):
        return self.response_method_ != "random"

    def _margins(self, X):
        return self._map_chunks(_margin_chunk, X, row_bytes=64,
                                estimator=self.estimator_,
                                method=self.response_method_)

    def _features(self, X):
        n_features = getattr(self, "n_features_in_", 1)
        return self._map_chunks(_features_chunk, X, row_bytes=16 * n_features,
                                estimator=self.estimator_)

    def _score(self, X):
        if self.response_method_ == "random":
            return self._random_ranking(X)
        return -self._margins(X)

    def _select(self, X, batch_size):
        if self.response_method_ == "random":
            return self._random_ranking(
                X, top=(batch_size, tie_seed(self.random_state)))
        margins = self._margins(X)
        if self.strategy == "cluster_mean":
            candidates = within_margin(margins, self.labeled_margin_)
            return margin_cluster_mean(margins, self._features(X), batch_size,
                                       candidates=candidates,
                                       random_state=self.random_state)
        if batch_size == 1:  # every cluster accepts its first sample
            labels = np.zeros(margins.shape[0], dtype=np.intp)
        else:
            features = self._features(X)
            n_clusters = min(self.n_clusters_, features.shape[0])
            labels = KMeans(n_clusters=n_clusters, n_init=1,
                            random_state=self.random_state).fit(features).labels_
        return cluster_proportional_margin(margins, labels, batch_size,
                                           random_state=self.random_state)

    def __skactive_tags__(self):
        return replace(super().__skactive_tags__(), ranking=False,
                       task_types={"classification"})

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.input_tags.allow_nan = False
        return _inherit_input_tags(tags, [self.estimator],
                                   ("sparse", "string", "categorical"))

"""Hierarchical sampling: labels spread over a cluster tree, more where they
disagree (Dasgupta & Hsu, 2008)."""

# SPDX-License-Identifier: BSD-3-Clause

from dataclasses import replace
from numbers import Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.cluster import AgglomerativeClustering
from sklearn.utils.validation import column_or_1d, validate_data

from ..acquisition import hierarchical_probabilities, hierarchical_sampling
from ..utils._rows_cache import SameRowsCache
from ..utils._sklearn_compat import HasMethods, Interval, StrOptions, _fit_context
from ..utils._validation import check_one_label_per_sample
from .chunked import ChunkedSampler, _inherit_input_tags


class HierarchicalSampler(ChunkedSampler):
    """Hierarchical sampling for active learning (Dasgupta & Hsu, 2008).

    The labeled samples and the pool are clustered together into a tree
    (scikit-learn's :class:`~sklearn.cluster.AgglomerativeClustering`, Ward
    linkage by default, as Google's ``hierarchical`` sampler used by Lu, Li
    & Lin, 2023). The labels seen under each node bound its label
    proportions (:func:`~skactive.acquisition.label_proportion_bounds`); a
    label is *admissible* for a node when its error bound beats every other
    label's by a factor ``beta``
    (:func:`~skactive.acquisition.admissible_labels`). The best admissible
    pruning of the tree (:func:`~skactive.acquisition.hierarchical_pruning`)
    cuts it into clusters, each with a label; each pick draws a cluster with
    probability proportional to its size times the upper bound of its error,
    :math:`w_v (1 - p^{LB}_{v,L(v)})`, then one of its unlabeled samples
    uniformly (:func:`~skactive.acquisition.hierarchical_sampling`). No model
    is used: the sampler is a way of spreading labels over the clusters,
    more into the impure ones.

    Unlike Google's sampler, which refines the pruning it kept from the
    previous round only under the clusters it sampled, the pruning is
    recomputed from the root at every :meth:`select`, from all the labels
    passed to :meth:`fit`: the sampler keeps no state between rounds.

    Scores (higher = select earlier) are each pool sample's probability of
    being the next pick. :meth:`select` draws the batch, so it is not the
    top of the scores.

    Cost: the tree over the labeled samples and the pool, O(n^2) memory and
    O(n^2) to O(n^2 log n) time with Ward linkage, built on the rows sorted
    and kept for the next :meth:`select` on the same rows (the next round
    of an experiment, where a pool sample joined the labeled ones: Google's
    sampler also clusters once); then O(n) per pick. For pools beyond a few
    tens of thousands, cluster a subsample or embeddings of lower
    dimension.

    Parameters
    ----------
    transformer : transformer, default=None
        Maps samples to the features that are clustered (a scaler, an
        encoder, an embedding); fitted on the labeled samples in
        :meth:`fit`. None clusters ``X`` as it is: standardise it first,
        Ward linkage compares Euclidean distances.

    beta : float, default=2.0
        Width of the admissibility test: larger admits labels on less
        evidence, so the pruning is refined sooner.

    linkage : {"ward", "complete", "average", "single"}, default="ward"
        Linkage of the agglomerative clustering.

    chunk_size : int, default=None
        Pool rows transformed at once (per worker).

    n_jobs : int, default=None
        Number of jobs transforming chunks of the pool. Results do not
        depend on it.

    random_state : int, RandomState instance or None, default=None
        Seeds the draws. Pass an int for the same batch at every call.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels seen in :meth:`fit`.

    labeled_features_ : ndarray of shape (n_labeled, n_features)
        The labeled samples, as clustered.

    labeled_codes_ : ndarray of shape (n_labeled,)
        Their labels, as indices into ``classes_``.

    transformer_ : transformer or None
        The fitted clone of ``transformer``.

    n_features_in_ : int
        Number of features seen during ``fit``, when ``X`` has a shape.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    skactive.DiversitySampler : Batches that cover the input space, labels
        unused.

    References
    ----------
    Dasgupta, S., & Hsu, D. (2008). Hierarchical sampling for active
    learning. ICML.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skactive import HierarchicalSampler
    >>> X, y = load_iris(return_X_y=True)
    >>> sampler = HierarchicalSampler(StandardScaler(), random_state=0)
    >>> sampler.fit(X[::10], y[::10]).select(X[1::2], batch_size=3).shape
    (3,)
    """

    _parameter_constraints: dict = {
        **ChunkedSampler._parameter_constraints,
        "transformer": [HasMethods(["fit", "transform"]), None],
        "beta": [Interval(Real, 0, None, closed="neither")],
        "linkage": [StrOptions({"ward", "complete", "average", "single"})],
    }

    def __init__(self, transformer=None, *, beta=2.0, linkage="ward", chunk_size=None,
                 n_jobs=None, random_state=None):
        self.transformer = transformer
        self.beta = beta
        self.linkage = linkage
        self.chunk_size = chunk_size
        self.n_jobs = n_jobs
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Keep the labeled samples and their labels.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Labeled samples, in any form the transformer accepts.

        y : array-like of shape (n_samples,)
            Their labels, one class per sample.

        Returns
        -------
        self : object
            The fitted sampler.
        """
        if self.transformer is None:
            X, y = validate_data(self, X, y, accept_sparse="csr",
                                 dtype=[np.float64, np.float32])
        else:
            self._validate_labeled(X, y)
        check_one_label_per_sample(y, "HierarchicalSampler",
                                   "the pruning is labeled by classes.")
        self.classes_, self.labeled_codes_ = np.unique(column_or_1d(y, warn=True),
                                                       return_inverse=True)
        if self.transformer is None:
            self.transformer_ = None
        else:
            self.transformer_ = clone(self.transformer).fit(X, y)
        self.labeled_features_ = self._features(X)
        SameRowsCache.kept_by(self)
        return self

    def _validate_pool(self, X):
        if self.transformer is None:
            return validate_data(self, X, reset=False, accept_sparse="csr",
                                 dtype=[np.float64, np.float32])
        return super()._validate_pool(X)

    def _inner_validates(self):
        return self.transformer_ is not None

    def _features(self, X):
        """Dense features to cluster: the transformer's output, or ``X``."""
        if self.transformer_ is not None:
            X = self._transform(self.transformer_, X)
        return X.toarray() if sp.issparse(X) else np.asarray(X)

    def _tree(self, X):
        """The tree over the labeled samples and the pool, its leaves sorted
        (:class:`~skactive.utils._rows_cache.SameRowsCache`: the same tree
        for the same rows in any order, built once while only the labels
        change), the leaves' labels, and ``order``: leaf ``i`` is row
        ``order[i]`` of the labeled samples then the pool."""
        features = np.vstack([self.labeled_features_, self._features(X)])
        n_pool = features.shape[0] - self.labeled_codes_.shape[0]
        labels = np.concatenate([self.labeled_codes_, np.full(n_pool, -1)])
        if features.shape[0] == 1:
            return np.empty((0, 2), dtype=np.intp), labels, np.zeros(1, dtype=np.intp)

        def build(rows):
            return AgglomerativeClustering(n_clusters=1, linkage=self.linkage,
                                           compute_full_tree=True).fit(rows).children_

        children, order = self._rows_cache.get(features, build, key=self.linkage)
        return children, labels[order], order

    def _score(self, X):
        children, labels, order = self._tree(X)
        probabilities = np.empty(order.shape[0])
        probabilities[order] = hierarchical_probabilities(
            children, labels, beta=self.beta, n_classes=len(self.classes_))
        return probabilities[self.labeled_codes_.shape[0]:]

    def _select(self, X, batch_size):
        children, labels, order = self._tree(X)
        picks = hierarchical_sampling(children, labels, batch_size, beta=self.beta,
                                      n_classes=len(self.classes_),
                                      random_state=self.random_state)
        return order[picks] - self.labeled_codes_.shape[0]

    def __skactive_tags__(self):
        return replace(super().__skactive_tags__(), ranking=False,
                       task_types={"classification"})

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.input_tags.allow_nan = False
        if self.transformer is None:
            return tags
        return _inherit_input_tags(tags, [self.transformer],
                                   ("sparse", "string", "categorical"))

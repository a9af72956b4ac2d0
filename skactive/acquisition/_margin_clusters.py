"""Margin batches shaped by a clustering, as Google's active-learning code
builds them and Lu, Li & Lin (2023) benchmark them: MCM (``margin_cluster_mean``)
and InfoDiv (``informative_diverse``).

Margins are given in their own direction: lower means more uncertain
(:func:`margin` on probabilities, :func:`decision_margin` on decision
values). Exact ties in the margin order are broken by keys drawn from
``random_state``.
"""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import pairwise_distances_argmin
from sklearn.utils import check_array, check_random_state

from ..utils._selection import ranks_in_clusters, tie_keys, tie_seed
from ..utils._sklearn_compat import Interval, validate_params


def _margin_order(margins, random_state):
    """Pool indices by increasing margin, exact ties by seeded keys."""
    keys = tie_keys(np.arange(margins.shape[0]), tie_seed(random_state))
    return np.lexsort((keys, margins))


def _check_margins(margins, n_select):
    margins = check_array(margins, ensure_2d=False, dtype=np.float64,
                          input_name="margins")
    if margins.ndim != 1:
        raise ValueError("margins must be a 1d array, one value per sample.")
    if n_select > margins.shape[0]:
        raise ValueError(f"n_select={n_select} is larger than the number of "
                         f"samples ({margins.shape[0]}).")
    return margins


def _filled(picks, order, n_select):
    """``picks`` then the first of ``order`` not among them, ``n_select`` in all."""
    rest = order[~np.isin(order, picks)]
    return np.concatenate([picks, rest[:n_select - picks.shape[0]]]).astype(np.intp)


@validate_params(
    {"margins": ["array-like"], "labels": ["array-like"],
     "n_select": [Interval(Integral, 1, None, closed="left")],
     "proportions": ["array-like", None], "random_state": ["random_state"]},
    prefer_skip_nested_validation=True,
)
def cluster_proportional_margin(margins, labels, n_select, *, proportions=None,
                                random_state=None):
    """InfoDiv: the lowest margins, each cluster's share capped at its share.

    The batch's share of each cluster is capped at the cluster's share of
    the data. Google's ``informative_diverse`` sampler: walk the pool by increasing
    margin and add a sample while its cluster's count in the batch, divided
    by ``n_select``, is below the cluster's proportion (``count / n_select
    < proportion``, checked before adding it); if the batch is not full at
    the end, fill it with the lowest remaining margins (Google fills it in
    the iteration order of a Python set instead). With ``n_select=1`` every
    cluster with a positive proportion accepts the first sample: the batch
    is the lowest margin, plain margin sampling.

    Parameters
    ----------
    margins : array-like of shape (n_samples,)
        Margin of each pool sample; lower means more uncertain.

    labels : array-like of shape (n_samples,)
        Cluster of each sample, in ``[0, n_clusters)``.

    n_select : int
        Batch size, at most ``n_samples``.

    proportions : array-like of shape (n_clusters,), default=None
        Share of each cluster in the data; None means its share of
        ``labels``.

    random_state : int, RandomState instance or None, default=None
        Breaks exact ties between margins.

    Returns
    -------
    indices : ndarray of shape (n_select,)
        The batch: the accepted samples by increasing margin, then the
        filling.

    Examples
    --------
    >>> from skactive.acquisition import cluster_proportional_margin
    >>> margins = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    >>> labels = [0, 0, 0, 0, 1, 1]
    >>> cluster_proportional_margin(margins, labels, 3)
    array([0, 1, 4])
    >>> cluster_proportional_margin(margins, labels, 1)
    array([0])
    """
    margins = _check_margins(margins, n_select)
    labels = check_array(labels, ensure_2d=False, dtype=None, input_name="labels")
    if (labels.shape != margins.shape or not np.issubdtype(labels.dtype, np.integer)
            or labels.min() < 0):
        raise ValueError("labels must hold one cluster index >= 0 per margin.")
    n_clusters = int(labels.max()) + 1
    if proportions is None:
        proportions = np.bincount(labels, minlength=n_clusters) / labels.shape[0]
    proportions = check_array(proportions, ensure_2d=False, dtype=np.float64,
                              input_name="proportions")
    if proportions.shape[0] < n_clusters:
        raise ValueError(f"proportions has {proportions.shape[0]} values but "
                         f"labels name {n_clusters} clusters.")
    order = _margin_order(margins, random_state)
    # Samples a cluster accepts: those k = 0, 1, ... with k / n_select < p.
    quota = (np.arange(n_select)[:, None] / n_select < proportions).sum(axis=0)
    rank = ranks_in_clusters(labels, np.argsort(order), proportions.shape[0])
    accepted = order[rank[order] < quota[labels[order]]][:n_select]
    return _filled(accepted, order, n_select)


@validate_params(
    {"margins": ["array-like"], "labeled_margin": [None, Real]},
    prefer_skip_nested_validation=True,
)
def within_margin(margins, labeled_margin=None):
    """Pool samples closer to the decision boundary than any labeled sample.

    MCM's candidates (Google's ``margin_cluster_mean``): margin below the
    smallest margin of the labeled samples. For a binary classifier's
    ``decision_function`` this is Google's test ``|f(x)| < min |f(x_l)|``;
    with one column per class, Google tests each class's ``|f_c|``
    separately, this tests the margin between the two highest.

    Parameters
    ----------
    margins : array-like of shape (n_samples,)
        Margin of each pool sample.

    labeled_margin : float, default=None
        Smallest margin among the labeled samples; None means all are
        candidates.

    Returns
    -------
    mask : ndarray of bool, shape (n_samples,)
        True for the candidates.

    Examples
    --------
    >>> from skactive.acquisition import within_margin
    >>> within_margin([0.1, 0.5, 0.2], labeled_margin=0.3)
    array([ True, False,  True])
    """
    margins = check_array(margins, ensure_2d=False, dtype=np.float64,
                          input_name="margins")
    if labeled_margin is None:
        return np.ones(margins.shape, dtype=bool)
    return margins < labeled_margin


@validate_params(
    {"margins": ["array-like"], "X": ["array-like", "sparse matrix"],
     "n_select": [Interval(Integral, 1, None, closed="left")],
     "candidates": ["array-like", None], "random_state": ["random_state"]},
    prefer_skip_nested_validation=True,
)
def margin_cluster_mean(margins, X, n_select, *, candidates=None, random_state=None):
    """MCM: the candidates nearest the k-means centers of the candidates.

    Google's ``margin_cluster_mean`` sampler (after Xu et al., 2003): if
    fewer than ``n_select`` samples are candidates (:func:`within_margin`),
    the batch is the ``n_select`` lowest margins. Otherwise k-means with
    ``n_select`` clusters on the candidates' features, the candidate nearest
    each center (duplicates once), by increasing margin, then the lowest
    remaining margins to fill the batch. With ``n_select=1`` the pick is the
    candidate nearest the candidates' mean, not the lowest margin.

    Parameters
    ----------
    margins : array-like of shape (n_samples,)
        Margin of each pool sample; lower means more uncertain.

    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Features of the pool samples, as clustered.

    n_select : int
        Batch size, at most ``n_samples``.

    candidates : array-like of bool, shape (n_samples,), default=None
        The samples within the margin; None means all.

    random_state : int, RandomState instance or None, default=None
        Seeds k-means and breaks exact ties between margins.

    Returns
    -------
    indices : ndarray of shape (n_select,)
        The batch.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.acquisition import margin_cluster_mean
    >>> margins = np.array([0.05, 0.2, 0.3, 0.9])
    >>> X = np.array([[0.0], [1.0], [2.0], [5.0]])
    >>> margin_cluster_mean(margins, X, 1, candidates=margins < 0.5)
    array([1])
    """
    margins = _check_margins(margins, n_select)
    X = check_array(X, accept_sparse="csr", dtype=[np.float64, np.float32],
                    input_name="X")
    if X.shape[0] != margins.shape[0]:
        raise ValueError(f"margins has {margins.shape[0]} values but X has "
                         f"{X.shape[0]} rows: pass the same samples.")
    if candidates is None:
        candidates = np.ones(margins.shape, dtype=bool)
    candidates = np.asarray(candidates, dtype=bool)
    if candidates.shape != margins.shape:
        raise ValueError("candidates must hold one boolean per margin.")
    rng = check_random_state(random_state)
    order = _margin_order(margins, rng)
    members = np.flatnonzero(candidates)
    if members.shape[0] < n_select:
        return order[:n_select].astype(np.intp)
    if n_select == 1:  # one cluster: k-means' center is the mean
        centers = np.asarray(X[members].mean(axis=0)).reshape(1, -1)
    else:
        centers = KMeans(n_clusters=n_select, n_init=1,
                         random_state=rng).fit(X[members]).cluster_centers_
    nearest = members[np.unique(pairwise_distances_argmin(centers, X[members]))]
    rank = np.argsort(order)
    return _filled(nearest[np.argsort(rank[nearest])], order, n_select)

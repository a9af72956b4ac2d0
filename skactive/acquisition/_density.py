"""Density and representativeness: informativeness weighted by how typical a
sample is of the pool.

Three published strategies, as functions of arrays:

- information density (Settles & Craven, 2008): an uncertainty times the
  mean similarity of the sample to the pool, to the power ``beta``
  (:func:`mean_similarity`, :func:`information_density`);
- graph density (Ebert, Fritz & Schiele, 2012, as in Google's
  ``graph_density`` sampler): the mean edge weight of each sample in a
  symmetric k-nearest-neighbour graph, picked greedily with the density of
  a pick's neighbours reduced by its own (:func:`graph_density`,
  :func:`graph_density_selection`);
- density-weighted uncertainty sampling (Nguyen & Smeulders, 2004, with
  libact's ``DWUS`` model): a Gaussian mixture on fixed k-means centers,
  a logistic model of each cluster's label, and the expected error times
  the density (:func:`pre_clustering`, :func:`cluster_label_probabilities`,
  :func:`density_weighted_uncertainty`).
"""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize
from scipy.special import expit, log_expit
from sklearn.metrics.pairwise import (
    euclidean_distances,
    paired_distances,
    pairwise_distances,
)
from sklearn.neighbors import kneighbors_graph
from sklearn.utils import check_array, check_random_state, gen_batches

from ..utils._sklearn_compat import (
    Interval,
    StrOptions,
    get_chunk_n_rows,
    validate_params,
)
from ._greedy import first_of_ties

_SIMILARITIES = {"rbf", "cosine"}


def _check_X(X, name="X"):
    return check_array(X, accept_sparse="csr", dtype=[np.float64, np.float32],
                       input_name=name)


@validate_params(
    {"X": ["array-like", "sparse matrix"],
     "reference": ["array-like", "sparse matrix", None],
     "metric": [StrOptions(_SIMILARITIES)],
     "gamma": [Interval(Real, 0, None, closed="neither"), None],
     "chunk_size": [Interval(Integral, 1, None, closed="left"), None]},
    prefer_skip_nested_validation=True,
)
def mean_similarity(X, reference=None, *, metric="rbf", gamma=None, chunk_size=None):
    """Mean similarity of each row of ``X`` to the rows of ``reference``.

    The density term of information density (Settles & Craven, 2008):
    ``(1/U) sum_u sim(x, x_u)`` over the ``U`` rows of ``reference`` (``X``
    itself by default, each row then counting its similarity to itself).
    Similarities: ``"rbf"``, ``exp(-gamma ||x - x_u||^2)``, in (0, 1]; or
    ``"cosine"``, the cosine of the angle, in [-1, 1] (Settles & Craven's
    choice, on non-negative text features). Computed ``chunk_size`` rows at a
    time: memory is ``chunk_size x U``, never ``n x U``.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        The samples to score.

    reference : {array-like, sparse matrix} of shape (n_reference, n_features), \
            default=None
        The pool they are compared with; None means ``X``.

    metric : {"rbf", "cosine"}, default="rbf"
        The similarity.

    gamma : float, default=None
        The RBF kernel's coefficient; None means ``1 / n_features``.

    chunk_size : int, default=None
        Rows of ``X`` compared at once; None fits a chunk in
        ``sklearn.get_config()["working_memory"]``. Results do not depend on
        it.

    Returns
    -------
    similarity : ndarray of shape (n_samples,)
        The mean similarity of each row.

    Examples
    --------
    >>> from skactive.acquisition import mean_similarity
    >>> mean_similarity([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], metric="cosine")
    array([0.56903559, 0.56903559, 0.80473785])
    """
    X = _check_X(X)
    reference = X if reference is None else _check_X(reference, "reference")
    if reference.shape[1] != X.shape[1]:
        raise ValueError(
            f"X has {X.shape[1]} features but reference has {reference.shape[1]}: "
            "pass the samples and the pool in the same feature space.")
    gamma = 1.0 / X.shape[1] if gamma is None else gamma
    n_rows = chunk_size or get_chunk_n_rows(8 * reference.shape[0],
                                            max_n_rows=X.shape[0])
    similarity = np.empty(X.shape[0])
    for rows in gen_batches(X.shape[0], n_rows):
        if metric == "rbf":
            block = euclidean_distances(X[rows], reference, squared=True)
            np.exp(-gamma * block, out=block)
        else:
            block = 1.0 - pairwise_distances(X[rows], reference, metric="cosine")
        similarity[rows] = block.mean(axis=1)
    return similarity


@validate_params(
    {"uncertainty": ["array-like"], "similarity": ["array-like"],
     "beta": [Interval(Real, 0, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def information_density(uncertainty, similarity, *, beta=1.0):
    """Information density: ``uncertainty * similarity ** beta``.

    Settles & Craven (2008): the informativeness of a sample (any
    non-negative uncertainty, such as :func:`entropy` or
    :func:`least_confidence`) weighted by its mean similarity to the pool
    (:func:`mean_similarity`), so that outliers, uncertain but alone, come
    after uncertain samples of dense regions. ``beta`` sets the weight of
    the density; ``beta=0`` is the uncertainty alone.

    Parameters
    ----------
    uncertainty : array-like of shape (n_samples,)
        Non-negative informativeness, higher means more informative.

    similarity : array-like of shape (n_samples,)
        Non-negative mean similarity to the pool.

    beta : float, default=1.0
        Exponent of the density term, at least 0.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        Higher means select earlier.

    Examples
    --------
    >>> from skactive.acquisition import information_density
    >>> information_density([0.9, 0.5, 0.1], [0.2, 0.8, 0.9], beta=1)
    array([0.18, 0.4 , 0.09])
    """
    uncertainty = check_array(uncertainty, ensure_2d=False, dtype=np.float64,
                              input_name="uncertainty")
    similarity = check_array(similarity, ensure_2d=False, dtype=np.float64,
                             input_name="similarity")
    if uncertainty.shape != similarity.shape or uncertainty.ndim != 1:
        raise ValueError(
            f"uncertainty has shape {uncertainty.shape} and similarity "
            f"{similarity.shape}: pass one value of each per sample.")
    for name, values in (("uncertainty", uncertainty), ("similarity", similarity)):
        if (values < 0).any():
            raise ValueError(
                f"{name} has negative values (smallest {values.min():.3g}): "
                "information density weighs a non-negative uncertainty by a "
                "non-negative density. With metric='cosine' on centred "
                "features use metric='rbf'; for margin, pass 1 - margin.")
    return uncertainty * similarity**beta


@validate_params(
    {"X": ["array-like", "sparse matrix"],
     "n_neighbors": [Interval(Integral, 1, None, closed="left")],
     "gamma": [Interval(Real, 0, None, closed="neither"), None],
     "metric": [str]},
    prefer_skip_nested_validation=True,
)
def graph_density(X, *, n_neighbors=10, gamma=None, metric="manhattan"):
    """Graph density of each sample, and the weighted k-nearest-neighbour graph.

    Ebert, Fritz & Schiele (2012), as Google's ``graph_density`` sampler
    builds it: an edge joins ``i`` and ``j`` when either is among the other's
    ``n_neighbors`` nearest neighbours (by ``metric``, Manhattan by
    default); it weighs ``exp(-gamma d(i, j))``; the density of ``i`` is the
    mean weight of its edges. Memory is the graph, ``O(n_samples
    n_neighbors)``; the neighbours come from
    :func:`sklearn.neighbors.kneighbors_graph`.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        The samples.

    n_neighbors : int, default=10
        Neighbours of each sample; capped at ``n_samples - 1``.

    gamma : float, default=None
        Coefficient of the weights; None means ``1 / n_features``.

    metric : str, default="manhattan"
        Any metric of :class:`sklearn.neighbors.NearestNeighbors`.

    Returns
    -------
    density : ndarray of shape (n_samples,)
        Mean edge weight of each sample (0 for a single sample).

    graph : sparse matrix of shape (n_samples, n_samples)
        The symmetric weighted graph, CSR; its pattern is the neighbourhood
        that :func:`graph_density_selection` reduces.

    Examples
    --------
    >>> from skactive.acquisition import graph_density
    >>> density, graph = graph_density([[0.0], [1.0], [3.0]], n_neighbors=1)
    >>> density
    array([0.36787944, 0.25160736, 0.13533528])
    """
    X = _check_X(X)
    n_samples = X.shape[0]
    gamma = 1.0 / X.shape[1] if gamma is None else gamma
    if n_samples == 1:
        return np.zeros(1), sp.csr_matrix((1, 1))
    knn = kneighbors_graph(X, min(n_neighbors, n_samples - 1), metric=metric)
    pattern = (knn + knn.T).tocoo()
    distances = paired_distances(X[pattern.row], X[pattern.col], metric=metric)
    weights = np.exp(-gamma * distances)
    graph = sp.csr_matrix((weights, (pattern.row, pattern.col)),
                          shape=(n_samples, n_samples))
    degree = np.diff(graph.indptr)
    density = np.asarray(graph.sum(axis=1)).ravel() / degree
    return density, graph


@validate_params(
    {"density": ["array-like"], "graph": ["sparse matrix"],
     "n_select": [Interval(Integral, 1, None, closed="left")],
     "selected": ["array-like", None], "random_state": ["random_state"]},
    prefer_skip_nested_validation=True,
)
def graph_density_selection(density, graph, n_select, *, selected=None,
                            random_state=None):
    """Greedy batch by graph density, neighbourhoods down-weighted after each pick.

    Each pick is the sample of highest current density; then every graph
    neighbour ``j`` of the pick ``i`` loses the pick's current density,
    ``d_j <- d_j - d_i`` (Google's ``graph_density`` sampler, after Ebert,
    Fritz & Schiele, 2012), so the next picks come from other dense
    regions. ``selected`` are earlier picks (the labeled samples, in the
    order they were picked): they are applied first, the same way, and
    never picked again. Exact ties go to a random order drawn from
    ``random_state``.

    Parameters
    ----------
    density : array-like of shape (n_samples,)
        Starting densities (:func:`graph_density`).

    graph : sparse matrix of shape (n_samples, n_samples)
        Its neighbourhoods: the non-zero pattern of each row.

    n_select : int
        Number of picks, at most ``n_samples`` minus the selected ones.

    selected : array-like of int, default=None
        Indices picked before, in order.

    random_state : int, RandomState instance or None, default=None
        Breaks exact ties.

    Returns
    -------
    indices : ndarray of shape (n_select,)
        The picks, in order.

    Examples
    --------
    >>> from skactive.acquisition import graph_density, graph_density_selection
    >>> density, graph = graph_density([[0.0], [0.1], [0.3], [5.0], [5.5]],
    ...                                n_neighbors=1)
    >>> density.round(3)
    array([0.905, 0.862, 0.819, 0.607, 0.607])
    >>> graph_density_selection(density, graph, 2, random_state=0)
    array([0, 2])

    Sample 1 is the second densest, but a neighbour of the first pick.
    """
    density = check_array(density, ensure_2d=False, dtype=np.float64, copy=True,
                          input_name="density")
    graph = sp.csr_matrix(graph)
    n_samples = density.shape[0]
    if graph.shape != (n_samples, n_samples):
        raise ValueError(
            f"graph has shape {graph.shape} but density has {n_samples} values: "
            "pass the density and the graph of the same samples.")
    selected = np.asarray([] if selected is None else selected, dtype=np.intp)
    if n_select > n_samples - np.unique(selected).shape[0]:
        raise ValueError(
            f"n_select={n_select} is larger than the number of samples not yet "
            f"selected ({n_samples - np.unique(selected).shape[0]}).")
    tie_rank = check_random_state(random_state).permutation(n_samples)
    available = np.ones(n_samples, dtype=bool)
    _apply(density, graph, selected, available)
    picks = np.empty(n_select, dtype=np.intp)
    for position in range(n_select):
        picks[position] = first_of_ties(np.where(available, density, -np.inf),
                                        tie_rank)
        _take(density, graph, picks[position], available)
    return picks


def _apply(density, graph, selected, available):
    for index in selected:
        _take(density, graph, index, available)


def _take(density, graph, index, available):
    """Mark ``index`` picked; its neighbours lose its current density."""
    neighbours = graph.indices[graph.indptr[index]:graph.indptr[index + 1]]
    density[neighbours] -= density[index]
    available[index] = False


@validate_params(
    {"X": ["array-like", "sparse matrix"], "centers": ["array-like"],
     "sigma": [Interval(Real, 0, None, closed="neither")],
     "max_iter": [Interval(Integral, 1, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def pre_clustering(X, centers, *, sigma=0.1, max_iter=100):
    """Cluster posteriors and log density of DWUS's pre-clustering model.

    Nguyen & Smeulders (2004), as libact's ``DWUS`` sets it up: Gaussian
    clusters of fixed ``centers`` (k-means centers of the whole data) and
    shared isotropic variance ``sigma``; ``max_iter`` EM steps estimate the
    cluster priors ``P(k)`` from uniform ones (E-step ``P(k | x) ∝ P(k)
    exp(-||x - c_k||^2 / (2 sigma))``, M-step ``P(k) = mean_x P(k | x)``).
    The density is libact's ``p(x) = sum_k P(k) N(x; c_k, sqrt(sigma) I)``
    (its normal has variance ``sqrt(sigma)``, the posteriors ``sigma``: kept
    as libact has it). Everything is computed in log space, so far samples
    get a very negative log density rather than a division by zero.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        The samples.

    centers : array-like of shape (n_clusters, n_features)
        The cluster centers.

    sigma : float, default=0.1
        Variance of the clusters (libact's default).

    max_iter : int, default=100
        EM steps on the priors.

    Returns
    -------
    posteriors : ndarray of shape (n_samples, n_clusters)
        ``P(k | x)``, from the last E-step.

    log_density : ndarray of shape (n_samples,)
        ``log p(x)``, with the priors of the last M-step.

    Examples
    --------
    >>> from skactive.acquisition import pre_clustering
    >>> posteriors, log_density = pre_clustering(
    ...     [[0.0], [0.1], [2.0]], [[0.0], [2.0]], sigma=0.5)
    >>> posteriors.round(3)
    array([[0.991, 0.009],
           [0.987, 0.013],
           [0.036, 0.964]])
    """
    X = _check_X(X)
    centers = check_array(centers, dtype=np.float64, input_name="centers")
    if centers.shape[1] != X.shape[1]:
        raise ValueError(
            f"centers have {centers.shape[1]} features but X has {X.shape[1]}: "
            "pass cluster centers in the samples' feature space.")
    squared = euclidean_distances(X, centers, squared=True)
    log_kernel = -squared / (2.0 * sigma)
    log_prior = np.full(centers.shape[0], -np.log(centers.shape[0]))
    for _ in range(max_iter):
        joint = log_kernel + log_prior
        log_posteriors = joint - _logsumexp(joint, axis=1, keepdims=True)
        log_prior = _logsumexp(log_posteriors, axis=0) - np.log(X.shape[0])
    variance = np.sqrt(sigma)
    log_normal = (-squared / (2.0 * variance)
                  - 0.5 * X.shape[1] * np.log(2.0 * np.pi * variance))
    return np.exp(log_posteriors), _logsumexp(log_normal + log_prior, axis=1)


@validate_params(
    {"posteriors": ["array-like"], "y": ["array-like"], "centers": ["array-like"],
     "C": [Interval(Real, 0, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def cluster_label_probabilities(posteriors, y, centers, *, C=1.0):
    """``P(y = +1 | k)`` of each cluster, by DWUS's density-weighted logistic model.

    Nguyen & Smeulders (2004), libact's ``DensityWeightedLogisticRegression``:
    ``P(y | k) = sigmoid(y (w . c_k + b))`` for labels ``y`` in {-1, +1},
    with ``w, b`` minimising

    ``C/2 ||w||^2 - sum_i log sum_k P(k | x_i) sigmoid(y_i (w . c_k + b))``

    over the labeled samples (L-BFGS with the exact gradient, from zero).

    Parameters
    ----------
    posteriors : array-like of shape (n_labeled, n_clusters)
        ``P(k | x_i)`` of the labeled samples (:func:`pre_clustering`).

    y : array-like of shape (n_labeled,)
        Their labels, -1 or +1.

    centers : array-like of shape (n_clusters, n_features)
        The cluster centers.

    C : float, default=1.0
        Strength of the penalty on ``w`` (not on ``b``).

    Returns
    -------
    probabilities : ndarray of shape (n_clusters,)
        ``P(y = +1 | k)``.

    Examples
    --------
    >>> from skactive.acquisition import cluster_label_probabilities
    >>> cluster_label_probabilities([[1.0, 0.0], [0.0, 1.0]], [-1, 1],
    ...                             [[-1.0], [1.0]]).round(3)
    array([0.337, 0.663])
    """
    posteriors = check_array(posteriors, dtype=np.float64, input_name="posteriors")
    centers = check_array(centers, dtype=np.float64, input_name="centers")
    y = check_array(y, ensure_2d=False, dtype=np.float64, input_name="y")
    if not np.isin(y, (-1.0, 1.0)).all():
        raise ValueError("y must hold -1 and +1 labels only: DWUS's cluster "
                         "model is binary.")
    if posteriors.shape != (y.shape[0], centers.shape[0]):
        raise ValueError(
            f"posteriors has shape {posteriors.shape}; expected (n_labeled, "
            f"n_clusters) = ({y.shape[0]}, {centers.shape[0]}).")
    design = np.hstack([centers, np.ones((centers.shape[0], 1))])
    result = minimize(_dwus_objective, np.zeros(design.shape[1]), jac=True,
                      args=(design, posteriors, y, C), method="L-BFGS-B")
    return expit(design @ result.x)


def _logsumexp(values, axis, keepdims=False):
    """``log(sum(exp(values)))`` along ``axis``, shifted by the maximum (scipy's
    is general and much slower on these small arrays, called 100 times)."""
    top = values.max(axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    total = np.log(np.exp(values - top).sum(axis=axis, keepdims=True)) + top
    return total if keepdims else np.squeeze(total, axis=axis)


def _dwus_objective(params, design, posteriors, y, C):
    """The penalised negative log likelihood and its gradient."""
    margins = y[:, None] * (design @ params)[None, :]  # (n_labeled, n_clusters)
    log_terms = np.log(np.maximum(posteriors, 1e-300)) + log_expit(margins)
    log_mix = _logsumexp(log_terms, axis=1)
    weights = np.exp(log_terms - log_mix[:, None]) * expit(-margins) * y[:, None]
    w = params[:-1]
    value = 0.5 * C * w @ w - log_mix.sum()
    gradient = -weights.sum(axis=0) @ design
    gradient[:-1] += C * w
    return value, gradient


@validate_params(
    {"posteriors": ["array-like"], "density": ["array-like"],
     "cluster_probabilities": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def density_weighted_uncertainty(posteriors, density, cluster_probabilities):
    """DWUS's score: expected error times density.

    ``P(y = +1 | x) = sum_k P(k | x) P(y = +1 | k)``; the expected error of
    predicting the likelier label is ``min(P, 1 - P)``, and the score is
    that times ``p(x)`` (Nguyen & Smeulders, 2004). With one column of
    ``cluster_probabilities`` per class (one-vs-rest cluster models, an
    extension of the binary method), ``P(c | x)`` are normalised to sum to
    one and the expected error is ``1 - max_c P(c | x)``; for two classes
    this is the binary score.

    Parameters
    ----------
    posteriors : array-like of shape (n_samples, n_clusters)
        ``P(k | x)`` (:func:`pre_clustering`).

    density : array-like of shape (n_samples,)
        ``p(x)``, or any positive multiple of it (the ranking is the same).

    cluster_probabilities : array-like of shape (n_clusters,) or (n_clusters, n_classes)
        ``P(y = +1 | k)`` (:func:`cluster_label_probabilities`), or one
        column per class of one-vs-rest models.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        Higher means select earlier.

    Examples
    --------
    >>> from skactive.acquisition import density_weighted_uncertainty
    >>> density_weighted_uncertainty([[0.5, 0.5], [1.0, 0.0]], [1.0, 2.0],
    ...                              [0.2, 0.9])
    array([0.45, 0.4 ])
    """
    posteriors = check_array(posteriors, dtype=np.float64, input_name="posteriors")
    density = check_array(density, ensure_2d=False, dtype=np.float64,
                          input_name="density")
    probabilities = check_array(cluster_probabilities, ensure_2d=False,
                                dtype=np.float64, input_name="cluster_probabilities")
    if posteriors.shape != (density.shape[0], probabilities.shape[0]):
        raise ValueError(
            f"posteriors has shape {posteriors.shape}; expected (n_samples, "
            f"n_clusters) = ({density.shape[0]}, {probabilities.shape[0]}).")
    if probabilities.ndim == 1:
        positive = posteriors @ probabilities
        return np.minimum(positive, 1.0 - positive) * density
    per_class = posteriors @ probabilities
    per_class /= per_class.sum(axis=1, keepdims=True)
    return (1.0 - per_class.max(axis=1)) * density

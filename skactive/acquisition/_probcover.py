"""ProbCover (Yehuda et al., 2022): greedy maximum coverage of balls of one
radius in the embedding space, the radius chosen by the purity of its balls.

A ball ``B(x, δ)`` holds every sample within ``δ`` of ``x`` (the boundary
included). Labeling ``x`` covers its ball. The coverage graph has an edge
``x -> x'`` for each ``x'`` in ``B(x, δ)``; it is sparse, its memory the
number of edges, never n². The greedy picks the sample whose ball holds the
most uncovered samples, then removes the edges into the samples it covered.
"""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_array, check_random_state

from ..utils._sklearn_compat import Interval, _num_samples, validate_params
from ._greedy import first_of_ties


def _distance_to_other_labels(X, labels):
    """Distance of each sample to the nearest sample of another label
    (inf when every sample has its label)."""
    X = check_array(X, accept_sparse="csr", dtype=[np.float64, np.float32],
                    input_name="X")
    labels = check_array(labels, ensure_2d=False, dtype=None, input_name="labels")
    if labels.shape != (X.shape[0],):
        raise ValueError(f"labels must hold one label per sample, shape "
                         f"({X.shape[0]},), got {labels.shape}.")
    distances = np.full(X.shape[0], np.inf)
    for label in np.unique(labels):
        inside = labels == label
        if inside.all():
            break
        neighbors = NearestNeighbors(n_neighbors=1).fit(X[~inside])
        distances[inside] = neighbors.kneighbors(X[inside])[0][:, 0]
    return distances


@validate_params(
    {"X": ["array-like", "sparse matrix"], "labels": ["array-like"],
     "radius": [Interval(Real, 0, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def ball_purity(X, labels, radius):
    """Share of the samples whose ball of ``radius`` holds only their label.

    ProbCover's purity (Yehuda et al., 2022): with ``labels`` the k-means
    pseudo-labels of the embeddings, a ball ``B(x, radius)`` is pure when
    every sample within ``radius`` of ``x`` (boundary included) has the
    label of ``x``. Purity only falls as the radius grows.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Embeddings.

    labels : array-like of shape (n_samples,)
        A label per sample (k-means pseudo-labels).

    radius : float
        Radius of the balls, at least 0.

    Returns
    -------
    purity : float
        In [0, 1].

    Examples
    --------
    >>> from skactive.acquisition import ball_purity
    >>> X = [[0.0], [1.0], [3.0], [10.0]]
    >>> ball_purity(X, labels=[0, 0, 1, 1], radius=1.5)
    1.0
    >>> ball_purity(X, labels=[0, 0, 1, 1], radius=2.0)
    0.5
    """
    return float(np.mean(_distance_to_other_labels(X, labels) > radius))


@validate_params(
    {"X": ["array-like", "sparse matrix"], "labels": ["array-like"],
     "purity": [Interval(Real, 0, 1, closed="right")]},
    prefer_skip_nested_validation=True,
)
def purity_radius(X, labels, *, purity=0.95):
    """The largest radius whose balls keep at least ``purity`` purity.

    ProbCover's choice of ``δ`` (Yehuda et al., 2022): the largest radius
    at which :func:`ball_purity` is still at least ``purity`` (0.95 in the
    paper). Purity falls as the radius grows, and the ball of ``x`` stays
    pure exactly while the radius is below ``r(x)``, the distance from
    ``x`` to the nearest sample of another label; so the answer is exact,
    no grid is searched: just below the ``m``-th largest ``r(x)``, with
    ``m = ceil(purity n_samples)``.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Embeddings.

    labels : array-like of shape (n_samples,)
        A label per sample (k-means pseudo-labels), at least two distinct.

    purity : float, default=0.95
        The purity to keep, in (0, 1].

    Returns
    -------
    radius : float
        The largest float radius whose purity is at least ``purity``.

    Examples
    --------
    >>> from skactive.acquisition import purity_radius
    >>> X = [[0.0], [1.0], [3.0], [10.0]]
    >>> float(round(purity_radius(X, labels=[0, 0, 1, 1], purity=1.0), 6))
    2.0
    >>> float(round(purity_radius(X, labels=[0, 0, 1, 1], purity=0.5), 6))
    3.0
    """
    distances = _distance_to_other_labels(X, labels)
    if np.isinf(distances).all():
        raise ValueError(
            "Every sample has the same label, so every ball is pure at any "
            "radius and purity cannot choose one: pass at least two distinct "
            "labels (k-means with n_clusters >= 2), or choose the radius.")
    n_needed = int(np.ceil(round(purity * distances.shape[0], 9)))
    threshold = np.sort(distances)[::-1][n_needed - 1]
    if threshold == 0:
        raise ValueError(
            f"Fewer than {n_needed} samples have a pure ball at any radius: "
            "identical samples carry different labels. Pass one label per "
            "distinct point, or a lower purity.")
    return float(np.nextafter(threshold, 0.0))


@validate_params(
    {"X": ["array-like", "sparse matrix"],
     "radius": [Interval(Real, 0, None, closed="left")],
     "n_jobs": [Integral, None]},
    prefer_skip_nested_validation=True,
)
def coverage_graph(X, radius, *, n_jobs=None):
    """The coverage graph: an edge ``i -> j`` when ``|x_i - x_j| <= radius``.

    A sparse (CSR) 0/1 matrix with the diagonal (a sample covers itself),
    from :class:`~sklearn.neighbors.NearestNeighbors`: memory is the number
    of edges, never ``n_samples**2``. A radius much larger than the gaps
    between samples makes it dense: keep it near :func:`purity_radius`.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Embeddings.

    radius : float
        Radius of the balls.

    n_jobs : int, default=None
        Parallel jobs of the neighbour queries; the graph does not depend
        on it.

    Returns
    -------
    graph : sparse matrix of shape (n_samples, n_samples)
        Row ``i`` holds the samples in the ball of sample ``i``.

    Examples
    --------
    >>> from skactive.acquisition import coverage_graph
    >>> coverage_graph([[0.0], [1.0], [3.0]], radius=1.0).toarray()
    array([[1., 1., 0.],
           [1., 1., 0.],
           [0., 0., 1.]])
    """
    X = check_array(X, accept_sparse="csr", dtype=[np.float64, np.float32],
                    input_name="X")
    neighbors = NearestNeighbors(radius=radius, n_jobs=n_jobs).fit(X)
    graph = neighbors.radius_neighbors_graph(X, mode="connectivity")
    graph.sort_indices()
    return graph.tocsr()


@validate_params(
    {"graph": ["sparse matrix"],
     "n_select": [Interval(Integral, 1, None, closed="left")],
     "covered": ["array-like", None], "random_state": ["random_state"]},
    prefer_skip_nested_validation=True,
)
def max_coverage(graph, n_select, *, covered=None, random_state=None):
    """Greedy maximum coverage: each pick covers the most uncovered samples.

    ProbCover's selection (Yehuda et al., 2022, Algorithm 1): pick the
    sample whose row of ``graph`` holds the most samples not yet covered;
    those samples become covered, and the edges into them are removed (each
    sample's count of uncovered samples drops by one per sample it had in
    common). The greedy is within ``1 - 1/e`` of the best coverage. Once
    everything reachable is covered, the picks go on in a random order of
    the remaining samples (every count is then 0). Time and memory are
    O(edges).

    Parameters
    ----------
    graph : sparse matrix of shape (n_samples, n_samples)
        ``graph[i, j] != 0`` when sample ``i`` covers sample ``j``
        (:func:`coverage_graph`).

    n_select : int
        Number of picks, at most ``n_samples``.

    covered : array-like of shape (n_samples,) of bool, default=None
        Samples covered already (by the labeled samples).

    random_state : int, RandomState instance or None, default=None
        Exact ties in the count go to the first sample of a random
        permutation drawn from it.

    Returns
    -------
    indices : ndarray of shape (n_select,)
        The picks, in the order they were made.

    Examples
    --------
    >>> import numpy as np
    >>> import scipy.sparse as sp
    >>> from skactive.acquisition import max_coverage
    >>> graph = sp.csr_matrix(np.array([[1, 1, 0, 0],
    ...                                 [1, 1, 1, 0],
    ...                                 [0, 1, 1, 0],
    ...                                 [0, 0, 0, 1]]))
    >>> max_coverage(graph, 2, random_state=0)
    array([1, 3])
    >>> max_coverage(graph, 2, covered=[False, True, True, False], random_state=0)
    array([3, 0])
    """
    graph = sp.csr_matrix(graph, dtype=np.float64)
    n_samples = graph.shape[0]
    if graph.shape != (n_samples, n_samples):
        raise ValueError(f"graph must be square, got shape {graph.shape}.")
    if n_select > n_samples:
        raise ValueError(f"n_select={n_select} is larger than the number of "
                         f"samples ({n_samples}).")
    graph.data[:] = 1.0
    covered = _check_covered(covered, n_samples)
    into = graph.tocsc()  # column j: the samples that cover j
    counts = np.asarray(graph @ (~covered).astype(np.float64)).ravel()
    tie_rank = check_random_state(random_state).permutation(n_samples)
    picks = np.empty(n_select, dtype=np.intp)
    for position in range(n_select):
        pick = first_of_ties(counts, tie_rank)
        picks[position] = pick
        row = graph.indices[graph.indptr[pick]:graph.indptr[pick + 1]]
        new = row[~covered[row]]
        covered[new] = True
        counts -= np.bincount(into[:, new].indices, minlength=n_samples)
        counts[pick] = -1.0  # never picked again
    return picks


def _check_covered(covered, n_samples):
    if covered is None:
        return np.zeros(n_samples, dtype=bool)
    covered = check_array(covered, ensure_2d=False, dtype=None,
                          input_name="covered")
    if covered.shape != (n_samples,) or covered.dtype != bool:
        raise ValueError(
            f"covered must be a boolean mask of shape ({n_samples},), got "
            f"{covered.dtype} of shape {covered.shape}.")
    return covered.copy()


@validate_params(
    {"X": ["array-like", "sparse matrix"],
     "n_select": [Interval(Integral, 1, None, closed="left")],
     "radius": [Interval(Real, 0, None, closed="left")],
     "X_labeled": ["array-like", "sparse matrix", None],
     "random_state": ["random_state"], "n_jobs": [Integral, None]},
    prefer_skip_nested_validation=True,
)
def probcover(X, n_select, radius, *, X_labeled=None, random_state=None,
              n_jobs=None):
    """ProbCover's batch: greedy maximum coverage of balls of ``radius``.

    Made for the cold start (Yehuda et al., 2022): with few labels, a
    classifier is best served by labels that cover the data; the samples
    within ``radius`` of a labeled sample count as covered. Pool samples
    within ``radius`` of a sample of ``X_labeled`` are covered from the
    start; then :func:`max_coverage` on the :func:`coverage_graph` of the
    pool. Choose ``radius`` with :func:`purity_radius` on k-means
    pseudo-labels.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Embeddings of the pool.

    n_select : int
        Number of picks, at most ``n_samples``.

    radius : float
        Radius of the balls (the paper's ``δ``).

    X_labeled : {array-like, sparse matrix} of shape (n_labeled, n_features), \
            default=None
        Embeddings of the labeled samples; None (or no row) for a cold start.

    random_state : int, RandomState instance or None, default=None
        Breaks exact ties, and orders the picks once all is covered.

    n_jobs : int, default=None
        Parallel jobs of the neighbour queries; the batch does not depend on
        it.

    Returns
    -------
    indices : ndarray of shape (n_select,)
        The picks, in the order they were made.

    Examples
    --------
    >>> from skactive.acquisition import probcover
    >>> X = [[0.0], [0.5], [1.0], [5.0], [5.5], [9.0]]
    >>> probcover(X, 2, radius=0.6, random_state=0)
    array([1, 4])
    >>> probcover(X, 2, radius=0.6, X_labeled=[[0.4]], random_state=0)
    array([4, 5])
    """
    X = check_array(X, accept_sparse="csr", dtype=[np.float64, np.float32],
                    input_name="X")
    covered = None
    if X_labeled is not None and _num_samples(X_labeled) > 0:
        covered = covered_by(X, X_labeled, radius)
    return max_coverage(coverage_graph(X, radius, n_jobs=n_jobs), n_select,
                        covered=covered, random_state=random_state)


def covered_by(X, X_labeled, radius):
    """Whether each row of ``X`` lies within ``radius`` of a row of ``X_labeled``."""
    X_labeled = check_array(X_labeled, accept_sparse="csr",
                            dtype=[np.float64, np.float32], input_name="X_labeled")
    if X_labeled.shape[1] != X.shape[1]:
        raise ValueError(f"X_labeled has {X_labeled.shape[1]} features but X "
                         f"has {X.shape[1]}.")
    distances = NearestNeighbors(n_neighbors=1).fit(X_labeled).kneighbors(X)[0]
    return distances[:, 0] <= radius

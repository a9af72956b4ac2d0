"""BADGE (Ash et al., 2020): gradient embeddings in closed form, kept as two
factors, and k-means++ seeding on them without the n x (C·d) matrix.

For a softmax (or logistic) output layer with weights ``W`` on the inputs
``x`` of that layer, the gradient of the cross-entropy loss at the model's
own predicted label ``ŷ = argmax p`` is the outer product

    d loss / d [W, b] = (p - onehot(ŷ)) ⊗ [x, 1].

Its rows never need to be formed: the squared norm and the inner products of
outer products factor, ``||a⊗b||² = ||a||² ||b||²`` and
``<a⊗b, c⊗d> = <a, c> <b, d>``, so every distance of the k-means++ seeding
comes from the two small factors.
"""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.utils import check_array, check_random_state, gen_batches
from sklearn.utils.extmath import row_norms, safe_sparse_dot

from ..utils._selection import scaled_for_distances
from ..utils._sklearn_compat import Interval, validate_params
from ._greedy import first_of_ties

# Rows whose distances to a new center are computed at once by default.
_SEEDING_ROWS = 2**16


@validate_params(
    {"probabilities": ["array-like"], "X": ["array-like", "sparse matrix"]},
    prefer_skip_nested_validation=True,
)
def gradient_embedding_factors(probabilities, X):
    """The factors ``p - onehot(argmax p)`` and ``[x, 1]`` of BADGE's gradient.

    The gradient of the log loss ``-log p_ŷ`` of a softmax layer with
    respect to its weights and intercepts, at the predicted label
    ``ŷ = argmax p``, is the outer product of the two factors: row ``i`` of
    the embedding is ``np.outer(residuals[i], features[i]).ravel()``, the
    gradient of class ``c``'s weights (then its intercept) at positions
    ``c * (n_features + 1)`` onwards (Ash et al., 2020).

    Binary models (two columns of probabilities) have one coefficient row in
    scikit-learn (``coef_`` of shape ``(1, n_features)``): ``p_1 = σ(w·x +
    b)`` and the gradient of ``-log p_ŷ`` with respect to ``[w, b]`` is
    ``(p_1 - [ŷ = 1]) [x, 1]``, so ``residuals`` has one column,
    ``p_1 - [ŷ = 1]``. (A two-row softmax would give the two rows
    ``±(p_1 - [ŷ = 1]) [x, 1]``: the same embedding times √2, hence the
    same k-means++ picks.)

    Parameters
    ----------
    probabilities : array-like of shape (n_samples, n_classes)
        The output layer's values: class probabilities (softmax), or, for a
        one-vs-rest model, the sigmoid of each class's decision value. At
        least two columns.

    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        The inputs of the output layer: the features a linear model sees,
        or a network's last hidden layer.

    Returns
    -------
    residuals : ndarray of shape (n_samples, n_residuals)
        The first factor, ``p - onehot(argmax p)`` (exact ties to the first
        class, as ``predict`` does): ``n_residuals`` is ``n_classes``, or 1
        for two classes.

    features : {ndarray, sparse matrix} of shape (n_samples, n_features + 1)
        The second factor: ``X`` with a column of ones, the intercept's
        input; CSR for sparse ``X``.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.acquisition import gradient_embedding_factors
    >>> residuals, features = gradient_embedding_factors(
    ...     [[0.7, 0.2, 0.1]], [[2.0, -1.0]])
    >>> residuals
    array([[-0.3,  0.2,  0.1]])
    >>> features
    array([[ 2., -1.,  1.]])
    >>> gradient_embedding_factors([[0.2, 0.8]], [[2.0, -1.0]])[0]
    array([[-0.2]])
    """
    probabilities = check_array(probabilities, dtype=np.float64,
                                input_name="probabilities")
    X = check_array(X, accept_sparse="csr", dtype=[np.float64, np.float32],
                    input_name="X")
    n_samples, n_classes = probabilities.shape
    if n_classes < 2:
        raise ValueError(
            f"probabilities has {n_classes} column: pass one column per class "
            "(predict_proba's output), at least two.")
    if X.shape[0] != n_samples:
        raise ValueError(
            f"probabilities has {n_samples} rows but X has {X.shape[0]}: pass "
            "the output layer's values and its inputs for the same samples.")
    residuals = probabilities.copy()
    residuals[np.arange(n_samples), np.argmax(probabilities, axis=1)] -= 1.0
    if n_classes == 2:
        residuals = residuals[:, 1:]
    ones = np.ones((n_samples, 1), dtype=X.dtype)
    if sp.issparse(X):
        return residuals, sp.hstack([X, ones], format="csr")
    return residuals, np.hstack([X, ones])


@validate_params(
    {"probabilities": ["array-like"], "X": ["array-like", "sparse matrix"]},
    prefer_skip_nested_validation=True,
)
def gradient_embedding(probabilities, X):
    """BADGE's gradient embedding as a matrix: ``(p - onehot(argmax p)) ⊗ [x, 1]``.

    The explicit ``n_samples x (n_classes (n_features + 1))`` matrix (one
    class fewer for a binary model, see
    :func:`gradient_embedding_factors`), for small pools and for checking:
    :func:`badge` and :func:`factored_kmeans_plusplus` never form it.

    Parameters
    ----------
    probabilities : array-like of shape (n_samples, n_classes)
        The output layer's values (``predict_proba``).

    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        The inputs of the output layer.

    Returns
    -------
    embedding : ndarray of shape (n_samples, n_residuals * (n_features + 1))
        Row ``i`` is the gradient of ``-log p_ŷ`` with respect to the output
        layer's weights and intercepts, class by class.

    Examples
    --------
    >>> from skactive.acquisition import gradient_embedding
    >>> gradient_embedding([[0.7, 0.2, 0.1]], [[2.0, -1.0]])
    array([[-0.6,  0.3, -0.3,  0.4, -0.2,  0.2,  0.2, -0.1,  0.1]])
    """
    residuals, features = gradient_embedding_factors(probabilities, X)
    if sp.issparse(features):
        features = features.toarray()
    n_samples = residuals.shape[0]
    return (residuals[:, :, None] * features[:, None, :]).reshape(n_samples, -1)


@validate_params(
    {"residuals": ["array-like"], "features": ["array-like", "sparse matrix"],
     "n_select": [Interval(Integral, 1, None, closed="left")],
     "random_state": ["random_state"],
     "chunk_size": [Interval(Integral, 1, None, closed="left"), None]},
    prefer_skip_nested_validation=True,
)
def factored_kmeans_plusplus(residuals, features, n_select, *, random_state=None,
                             chunk_size=None):
    """Seed k-means++ on the rows ``residuals[i] ⊗ features[i]``, from the factors.

    BADGE's batch (Ash et al., 2020): the first pick is the row of largest
    norm; each next one is drawn with probability proportional to its
    squared distance to the nearest pick so far (the D² sampling of
    k-means++, Arthur & Vassilvitskii, 2007). The squared distance between
    ``a⊗b`` and ``c⊗d`` is ``|a|²|b|² + |c|²|d|² - 2 <a,c><b,d>``, computed
    ``chunk_size`` rows at a time: memory is O(n_samples) plus the factors,
    never the ``n_samples x (n_residuals n_features)`` matrix.

    The draws are exactly those of the same seeding on the explicit matrix
    (``features`` a column of ones and ``residuals`` the matrix): one
    permutation of the pool (for exact ties in the first pick), then one
    uniform number per pick, mapped to the pool through the cumulative sum
    of the squared distances. When every remaining sample lies on a pick
    (all distances 0), the next pick is the first remaining sample of the
    permutation.

    Parameters
    ----------
    residuals : array-like of shape (n_samples, n_residuals)
        The first factor (``p - onehot(argmax p)``).

    features : {array-like, sparse matrix} of shape (n_samples, n_features)
        The second factor (``[x, 1]``); sparse is never densified.

    n_select : int
        Number of picks, at most ``n_samples``.

    random_state : int, RandomState instance or None, default=None
        Seeds the draws. Pass an int for the same batch at every call.

    chunk_size : int, default=None
        Rows compared with a new pick at once; None means 65536. Results do
        not depend on it beyond rounding.

    Returns
    -------
    indices : ndarray of shape (n_select,)
        The picks, in the order they were drawn.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.acquisition import factored_kmeans_plusplus
    >>> residuals = np.array([[-0.9], [-0.8], [0.1], [0.5]])
    >>> features = np.array([[1.0, 1.0], [1.0, 1.0], [2.0, 1.0], [-3.0, 1.0]])
    >>> factored_kmeans_plusplus(residuals, features, 2, random_state=0)
    array([3, 2])
    """
    residuals = check_array(residuals, dtype=np.float64, input_name="residuals")
    features = check_array(features, accept_sparse="csr",
                           dtype=[np.float64, np.float32], input_name="features")
    n_samples = residuals.shape[0]
    if features.shape[0] != n_samples:
        raise ValueError(
            f"residuals has {n_samples} rows but features has "
            f"{features.shape[0]}: pass the two factors of the same samples.")
    if n_select > n_samples:
        raise ValueError(f"n_select={n_select} is larger than the number of "
                         f"samples ({n_samples}).")
    _, (features,) = scaled_for_distances(features)
    rng = check_random_state(random_state)
    tie_rank = rng.permutation(n_samples)
    squared_norms = (row_norms(residuals, squared=True)
                     * row_norms(features, squared=True))
    nearest = np.full(n_samples, np.inf)
    picked = np.zeros(n_samples, dtype=bool)
    picks = np.empty(n_select, dtype=np.intp)
    for position in range(n_select):
        if position == 0:
            pick = first_of_ties(squared_norms, tie_rank)
        else:
            pick = _draw(nearest, picked, rng.uniform(), tie_rank)
        picks[position], picked[pick] = pick, True
        _update_nearest(nearest, residuals, features, squared_norms, pick,
                        chunk_size or _SEEDING_ROWS)
    return picks


def _update_nearest(nearest, residuals, features, squared_norms, center, chunk_size):
    """``nearest = min(nearest, squared distance to row center)``, by chunks."""
    a = residuals[center]
    b = features[center]
    b = b.toarray().ravel() if sp.issparse(b) else b
    for rows in gen_batches(nearest.shape[0], chunk_size):
        inner = residuals[rows] @ a
        inner *= safe_sparse_dot(features[rows], b)
        squared = squared_norms[rows] + squared_norms[center] - 2.0 * inner
        np.maximum(squared, 0.0, out=squared)
        np.minimum(nearest[rows], squared, out=nearest[rows])


def _draw(nearest, picked, uniform, tie_rank):
    """The D² draw: the index whose cumulative weight first exceeds
    ``uniform`` times the total; weights 0 on picked samples."""
    weights = np.where(picked, 0.0, nearest)
    cumulative = np.cumsum(weights)
    total = cumulative[-1]
    if not total > 0:  # every remaining sample lies on a pick
        return first_of_ties(np.where(picked, -1.0, 0.0), tie_rank)
    index = int(np.searchsorted(cumulative, uniform * total, side="right"))
    if index >= weights.shape[0] or weights[index] == 0:  # rounding at the end
        index = int(np.flatnonzero(weights)[-1])
    return index


@validate_params(
    {"probabilities": ["array-like"], "X": ["array-like", "sparse matrix"],
     "n_select": [Interval(Integral, 1, None, closed="left")],
     "random_state": ["random_state"],
     "chunk_size": [Interval(Integral, 1, None, closed="left"), None]},
    prefer_skip_nested_validation=True,
)
def badge(probabilities, X, n_select, *, random_state=None, chunk_size=None):
    """BADGE's batch: k-means++ seeding on the gradient embeddings.

    Batch Active learning by Diverse Gradient Embeddings (Ash et al., 2020):
    :func:`factored_kmeans_plusplus` on the factors of
    :func:`gradient_embedding_factors`. Uncertain samples have large
    gradients (``p`` far from its one-hot), and the D² sampling spreads the
    batch over different directions of the gradient, so the batch is both
    informative and diverse; its size sets the balance, no parameter does.

    Parameters
    ----------
    probabilities : array-like of shape (n_samples, n_classes)
        The output layer's values (``predict_proba``) on the pool.

    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        The inputs of the output layer on the pool (the features of a
        linear model, a network's last hidden layer).

    n_select : int
        Number of picks, at most ``n_samples``.

    random_state : int, RandomState instance or None, default=None
        Seeds the draws.

    chunk_size : int, default=None
        Rows compared with a new pick at once; None means 65536.

    Returns
    -------
    indices : ndarray of shape (n_select,)
        The picks, in the order they were drawn; the first is the sample of
        largest gradient norm.

    Examples
    --------
    >>> from skactive.acquisition import badge
    >>> probabilities = [[0.9, 0.1], [0.6, 0.4], [0.55, 0.45], [0.2, 0.8]]
    >>> X = [[0.0, 1.0], [1.0, 1.0], [1.1, 1.0], [3.0, 0.0]]
    >>> badge(probabilities, X, 2, random_state=0)
    array([2, 3])
    """
    residuals, features = gradient_embedding_factors(probabilities, X)
    return factored_kmeans_plusplus(residuals, features, n_select,
                                    random_state=random_state, chunk_size=chunk_size)

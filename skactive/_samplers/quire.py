"""QUIRE: the pool sample that is both uncertain and poorly represented by the
labeled ones, in closed form, with the factorization kept between rounds."""

# SPDX-License-Identifier: BSD-3-Clause

from dataclasses import replace
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from scipy.linalg import cho_factor, solve_triangular
from sklearn.base import clone
from sklearn.metrics.pairwise import pairwise_kernels
from sklearn.utils import ClassifierTags
from sklearn.utils.extmath import row_norms
from sklearn.utils.validation import validate_data

from ..acquisition import quire_log_scores
from ..utils._sklearn_compat import HasMethods, Interval, StrOptions, _fit_context
from ..utils._validation import binary_classes, check_one_label_per_sample
from .chunked import ChunkedSampler, _inherit_input_tags

KERNELS = ("rbf", "laplacian", "linear", "poly")
# Rows skipped at most when matching a pool or a labeled set with the last one.
_MAX_SKIPS = 256


def _positions_in(short, long, max_skips=_MAX_SKIPS):
    """Where the rows of ``short`` are in ``long``, in order (greedy), or None
    when ``short`` is not ``long`` with at most ``max_skips`` rows removed."""
    n, m = short.shape[0], long.shape[0]
    if n > m or m - n > max_skips or short.shape[1:] != long.shape[1:]:
        return None
    positions = np.empty(n, dtype=np.intp)
    start, offset = 0, 0
    while True:
        same = (short[start:] == long[start + offset:n + offset]).all(axis=1)
        mismatches = np.flatnonzero(~same)
        stop = n if mismatches.size == 0 else start + mismatches[0]
        positions[start:stop] = np.arange(start, stop) + offset
        if stop == n:
            return positions
        start, offset = stop, offset + 1
        if n + offset > m:
            return None


class _PoolCache:
    """``V = C^-1 K_LU`` for the pool, with ``f = V^T w``, ``q = sum V**2``
    and ``k(x, x)`` per column. Columns of samples that left the pool stay
    (dead) until they are half of them, and ``V`` has spare rows for new
    labels, so that a round copies nothing of size ``n_L x n_U``."""

    def __init__(self, features, V, f, q, diagonal):
        self.features, self.f, self.q, self.diagonal = features, f, q, diagonal
        self.n_rows = V.shape[0]
        self.V = np.empty((self.n_rows + 64, V.shape[1]))
        self.V[:self.n_rows] = V
        self.alive = np.arange(V.shape[1])  # the pool's columns, in its order

    def match(self, features):
        """Keep the columns of ``features`` if it is the last pool minus some
        rows, in order; say whether it is."""
        positions = _positions_in(features, self.features[self.alive])
        if positions is None:
            return False
        self.alive = self.alive[positions]
        if 2 * self.alive.shape[0] < self.features.shape[0]:  # compact
            V = self.V[:self.n_rows, self.alive]
            self.__init__(self.features[self.alive], V, self.f[self.alive],
                          self.q[self.alive], self.diagonal[self.alive])
        return True

    def find(self, row):
        """The column of a pool sample equal to ``row``, or None."""
        found = np.flatnonzero((self.features[self.alive] == row).all(axis=1))
        return self.alive[found[0]] if found.size else None

    def append_row(self, row, weight):
        if self.n_rows == self.V.shape[0]:
            grown = np.empty((self.n_rows + max(64, self.n_rows // 2), self.V.shape[1]))
            grown[:self.n_rows] = self.V
            self.V = grown
        self.V[self.n_rows] = row
        self.n_rows += 1
        self.f += row * weight
        self.q += row * row

    def terms(self):
        return self.f[self.alive], self.q[self.alive], self.diagonal[self.alive]


class _QuireState:
    """What the sampler keeps between rounds: the labeled features and
    labels, ``w = C^-1 y`` for the Cholesky factor ``C`` of ``K_LL + alpha I``
    (``C`` itself only after a fresh factorization), and the
    :class:`_PoolCache` of the last pool scored."""

    def __init__(self, key, features, signs, factor, weights):
        self.key, self.features, self.signs = key, features, signs
        self.factor, self.weights = factor, weights
        self.pool = None

    def labeled_rows(self):
        return np.column_stack([self.features, self.signs])


class QUIRESampler(ChunkedSampler):
    """QUIRE, querying informative and representative examples (Huang et al., 2010).

    With a kernel ``k`` over the labeled samples and the pool and
    :math:`L = (K + \\alpha I)^{-1}`, QUIRE queries the candidate :math:`s`
    that minimises :math:`y^T L y` over real labels of the rest of the pool
    (representative: the pool's labels fit in with it) in the worst case
    of its own label :math:`y_s = \\pm 1` (informative). In closed form
    (:func:`~skactive.acquisition.quire_objective`):

    .. math:: J(s) = \\frac{1 + 2 |f(s)|}{k(s, s) + \\alpha - q(s)},

    with :math:`f(s)` the kernel ridge regression's prediction at :math:`s`
    from the labels :math:`\\pm 1` and :math:`q(s) = k_{sL} (K_{LL} + \\alpha
    I)^{-1} k_{Ls}` (:func:`~skactive.acquisition.quire_terms`). Scores are
    :math:`-\\log((1 + \\alpha) J(s))`
    (:func:`~skactive.acquisition.quire_log_scores`), higher first.

    Cost: one Cholesky factorization of the labeled kernel and one
    triangular solve per pool sample, :math:`O(n_L^3 / 3 + n_L^2 n_U)`, not
    an :math:`n_U \\times n_U` inverse per candidate. Between rounds, when
    the new labeled set is the last one plus some rows of the last pool and
    the new pool is the last pool minus some rows (in the same order, as
    :func:`~skactive.experiment.run_experiment` and
    :class:`~skactive.labeling.LabelingPool` pass them), each new label
    appends one row to the factorization (its Schur complement) in
    :math:`O(n_L n_U)`: the whole-pool protocol costs :math:`O(n^3 / 6)`
    instead of :math:`O(n^5)`. Rows are matched by content, so any other
    sequence of calls is computed afresh, with the same results to
    rounding. Features that are sparse (after the transformer) are always
    computed afresh.

    Parameters
    ----------
    transformer : transformer, default=None
        Maps samples to the features the kernel compares (a scaler, an
        encoder, an embedding); fitted on the labeled samples in
        :meth:`fit`. None uses ``X`` as it is.

    alpha : float, default=1.0
        The regularization, the paper's :math:`\\lambda` (libact's
        ``lambda``); positive.

    kernel : {"rbf", "laplacian", "linear", "poly"} or callable, default="rbf"
        The kernel, as :func:`sklearn.metrics.pairwise.pairwise_kernels`
        names it; a callable takes two arrays of features and returns their
        kernel matrix (positive semi-definite).

    gamma : float, default=1.0
        Coefficient of the "rbf", "laplacian" and "poly" kernels (libact's
        default, as Lu, Li & Lin, 2023 ran it).

    degree : int, default=3
        Degree of the "poly" kernel.

    coef0 : float, default=1.0
        Independent term of the "poly" kernel.

    chunk_size : int, default=None
        Pool rows transformed at once (per worker).

    n_jobs : int, default=None
        Number of jobs transforming chunks of the pool. Results do not
        depend on it.

    random_state : int, RandomState instance or None, default=None
        Breaks exact ties.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels seen in :meth:`fit` (one or two); the last is +1, the
        other -1.

    transformer_ : transformer or None
        The fitted clone of ``transformer``.

    n_features_in_ : int
        Number of features seen during ``fit``, when ``X`` has a shape.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    skactive.DensitySampler : Uncertainty weighed by the density of the pool.
    skactive.acquisition.quire_objective : The criterion from kernel matrices.

    References
    ----------
    Huang, S.-J., Jin, R., & Zhou, Z.-H. (2010). Active learning by querying
    informative and representative examples. NeurIPS; and IEEE TPAMI 36(10),
    2014.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skactive import QUIRESampler
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X = StandardScaler().fit_transform(X)
    >>> sampler = QUIRESampler(gamma=0.05, random_state=0)
    >>> sampler.fit(X[:20], y[:20]).select(X[20:], batch_size=3).shape
    (3,)
    """

    _parameter_constraints: dict = {
        **ChunkedSampler._parameter_constraints,
        "transformer": [HasMethods(["fit", "transform"]), None],
        "alpha": [Interval(Real, 0, None, closed="neither")],
        "kernel": [StrOptions(set(KERNELS)), callable],
        "gamma": [Interval(Real, 0, None, closed="neither")],
        "degree": [Interval(Integral, 1, None, closed="left")],
        "coef0": [Real],
    }

    def __init__(self, transformer=None, *, alpha=1.0, kernel="rbf", gamma=1.0,
                 degree=3, coef0=1.0, chunk_size=None, n_jobs=None, random_state=None):
        self.transformer = transformer
        self.alpha = alpha
        self.kernel = kernel
        self.gamma = gamma
        self.degree = degree
        self.coef0 = coef0
        self.chunk_size = chunk_size
        self.n_jobs = n_jobs
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Keep the labeled samples and their labels as -1 and +1.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Labeled samples, in any form the transformer accepts.

        y : array-like of shape (n_samples,)
            Their labels, of at most two classes.

        Returns
        -------
        self : object
            The fitted sampler.
        """
        if self.transformer is None:
            X, y = validate_data(self, X, y, accept_sparse="csr", dtype=np.float64)
        else:
            self._validate_labeled(X, y)
        check_one_label_per_sample(y, "QUIRESampler",
                                   "QUIRE is for binary classification.")
        self.classes_ = binary_classes(y, "QUIRESampler")
        signs = np.where(np.asarray(y) == self.classes_[-1], 1.0, -1.0)
        self.transformer_ = (None if self.transformer is None
                             else clone(self.transformer).fit(X, y))
        features = self._features(X)
        state = getattr(self, "_state", None)
        if not (state is not None and self._extend(state, features, signs)):
            self._state = self._fresh_state(features, signs)
        return self

    def _key(self):
        return (self.alpha, self.kernel, self.gamma, self.degree, self.coef0,
                self.transformer is None)

    def _validate_pool(self, X):
        if self.transformer is None:
            return validate_data(self, X, reset=False, accept_sparse="csr",
                                 dtype=np.float64)
        return super()._validate_pool(X)

    def _inner_validates(self):
        return self.transformer_ is not None

    def _features(self, X):
        """Features for the kernel: float64, dense or CSR."""
        if self.transformer_ is not None:
            X = self._transform(self.transformer_, X)
        if sp.issparse(X):
            return sp.csr_matrix(X, dtype=np.float64)
        return np.asarray(X, dtype=np.float64)

    def _kernel(self, A, B):
        if callable(self.kernel):
            matrix = np.asarray(self.kernel(A, B), dtype=np.float64)
            if matrix.shape != (A.shape[0], B.shape[0]):
                raise ValueError(
                    f"The kernel returned shape {matrix.shape} for "
                    f"{A.shape[0]} and {B.shape[0]} samples, expected "
                    f"({A.shape[0]}, {B.shape[0]}).")
            return matrix
        return pairwise_kernels(A, B, metric=self.kernel, filter_params=True,
                                gamma=self.gamma, degree=self.degree, coef0=self.coef0)

    def _diagonal(self, Z):
        """``k(x, x)`` for each row, without the n x n matrix."""
        if self.kernel in ("rbf", "laplacian"):
            return np.ones(Z.shape[0])
        if self.kernel in ("linear", "poly"):
            norms = row_norms(Z, squared=True)
            if self.kernel == "linear":
                return norms
            return (self.gamma * norms + self.coef0) ** self.degree
        return np.concatenate([np.diag(self._kernel(Z[i:i + 64], Z[i:i + 64]))
                               for i in range(0, Z.shape[0], 64)])

    def _fresh_state(self, features, signs):
        gram = self._kernel(features, features)
        factor, _ = cho_factor(gram + self.alpha * np.eye(signs.shape[0]), lower=True)
        weights = solve_triangular(factor, signs, lower=True)
        return _QuireState(self._key(), features, signs, factor, weights)

    def _extend(self, state, features, signs):
        """Update ``state`` in place to the new labeled set when it is the
        last one plus rows of the last pool; say whether it could."""
        if (state.key != self._key() or state.pool is None or sp.issparse(features)
                or sp.issparse(state.features)):
            return False
        labeled = np.column_stack([features, signs])
        kept = _positions_in(state.labeled_rows(), labeled)
        if kept is None:
            return False
        added = np.setdiff1d(np.arange(labeled.shape[0]), kept)
        columns = [state.pool.find(row) for row in features[added]]
        if any(column is None for column in columns):
            return False
        for column, sign in zip(columns, signs[added]):
            self._append_label(state, column, sign)
        state.features, state.signs = features, signs
        return True

    def _append_label(self, state, column, sign):
        """Append one labeled sample, pool column ``column``: the new row of
        the Cholesky factor is ``[v, sqrt(k + alpha - q)]`` with ``v`` its
        column of ``V``; the new row of ``V`` follows in O(n_L n_U)."""
        pool = state.pool
        V = pool.V[:pool.n_rows]
        v = V[:, column]
        root = np.sqrt(pool.diagonal[column] + self.alpha - pool.q[column])
        kernel_row = self._kernel(pool.features[column:column + 1], pool.features)[0]
        new_weight = (sign - v @ state.weights) / root
        pool.append_row((kernel_row - v @ V) / root, new_weight)
        state.weights = np.append(state.weights, new_weight)
        state.factor = None  # no longer kept: refactored if a new pool needs it

    def _terms(self, features):
        """``f``, ``q`` and ``k(x, x)`` of the pool, from the last pool's when
        it is this one minus some rows, else afresh."""
        state = self._state
        if (state.pool is not None and not sp.issparse(features)
                and state.pool.match(features)):
            return state.pool.terms()
        if state.factor is None:
            fresh = self._fresh_state(state.features, state.signs)
            state.factor, state.weights = fresh.factor, fresh.weights
        V = solve_triangular(state.factor, self._kernel(state.features, features),
                             lower=True)
        f, q = V.T @ state.weights, np.einsum("lu,lu->u", V, V)
        diagonal = self._diagonal(features)
        state.pool = (None if sp.issparse(features)
                      else _PoolCache(features, V, f.copy(), q.copy(), diagonal))
        return f, q, diagonal

    def _score(self, X):
        predictions, explained, diagonal = self._terms(self._features(X))
        return quire_log_scores(predictions, explained, diagonal, alpha=self.alpha)

    def __skactive_tags__(self):
        return replace(super().__skactive_tags__(), task_types={"classification"})

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        # Binary labels only: scikit-learn's checks then fit on two classes.
        tags.classifier_tags = ClassifierTags(multi_class=False)
        tags.input_tags.allow_nan = False
        if self.transformer is None:
            return tags
        return _inherit_input_tags(tags, [self.transformer],
                                   ("sparse", "string", "categorical"))

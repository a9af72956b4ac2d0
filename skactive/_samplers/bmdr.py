"""BMDR: discriminative and representative batches by quadratic programming
(Wang & Ye, 2013)."""

# SPDX-License-Identifier: BSD-3-Clause

from collections import namedtuple
from dataclasses import replace
from numbers import Integral, Real

import numpy as np
import scipy.linalg
import scipy.sparse as sp
from sklearn import get_config
from sklearn.base import clone
from sklearn.metrics.pairwise import rbf_kernel
from sklearn.utils import check_array

from ..acquisition import (
    bmdr_linear_term,
    solve_selection_qp_working_set,
    worst_case_kernel_least_squares,
)
from ..base import BaseSampler
from ..utils._rows_cache import KeptCache
from ..utils._selection import tie_seed, top_k
from ..utils._sklearn_compat import HasMethods, Interval, _fit_context, _num_samples
from ..utils._validation import binary_classes, check_one_label_per_sample
from .chunked import _warn_single_class

_BLOCK = 1024  # pool rows per block of the kernel's row sums


class _LabeledKernel(KeptCache):
    """The RBF kernel of the labeled samples and the Cholesky factors of
    ``K + gamma I`` and ``K``, kept by a sampler between its fits.

    An experiment fits the sampler again after each round on the same
    labeled samples plus the new picks, in any order. When a fit's rows hold
    every row of the last one (the same values, as a multiset), the kernel
    and its factors are extended by the new rows, ``O(n_L^2 k)`` for ``k``
    new rows, instead of recomputed in ``O(n_L^3)``; the rows are then kept
    in the kernel's order: the last fit's first, the new ones after. Any
    other fit (fewer rows, other values, other parameters) starts again.
    The factors are those of the same matrices, so they agree with a fresh
    factorization to rounding.
    """

    attribute = "_labeled_kernel"

    def __init__(self):
        self.rows = self.key = None

    def fit(self, X, y_signed, gamma_kernel, gamma):
        """Kernel and factors for the rows of ``X``: ``order``, such that
        ``X[order]`` are the rows in the kernel's order."""
        key = (X.shape[1], float(gamma_kernel), float(gamma))
        order = None
        if key == self.key and not sp.issparse(X):
            order = self._extension(X)
        if order is not None and order.shape[0] > self.rows.shape[0]:
            new = X[order[self.rows.shape[0]:]]
            B = rbf_kernel(self.rows, new, gamma=gamma_kernel)
            C = rbf_kernel(new, gamma=gamma_kernel)
            ridge = _extend_cholesky(self.ridge, B, C + gamma * np.eye(C.shape[0]))
            if ridge is None:  # lost to rounding: factor afresh
                order = None
            else:
                self.ridge, self.kernel = ridge, _extend_cholesky(self.kernel, B, C)
                self.K = _bordered(self.K, B, B.T, C)
        if order is None:
            order = np.arange(X.shape[0])
            self.K = rbf_kernel(X, gamma=gamma_kernel)
            self.ridge = _cholesky(self.K + gamma * np.eye(X.shape[0]))
            self.kernel = _cholesky(self.K)
        self.rows, self.key = X[order], key
        self.y_signed = y_signed[order]
        return order

    def _extension(self, X):
        """``order`` putting the kept rows first, in their order, then the
        new ones; None when ``X`` does not hold every kept row."""
        if self.rows is None or X.shape[0] < self.rows.shape[0]:
            return None
        where = {}
        for i, row in enumerate(X):
            where.setdefault(row.tobytes(), []).append(i)
        kept = []
        for row in self.rows:
            found = where.get(row.tobytes())
            if not found:
                return None
            kept.append(found.pop(0))
        new = np.setdiff1d(np.arange(X.shape[0]), kept)  # sorted
        return np.concatenate([np.asarray(kept, dtype=np.intp), new])


def _cholesky(A):
    """``cho_solve``'s ``(U, False)`` for ``A = U' U``: ``U`` the transpose
    of a C-ordered lower factor, so Fortran-ordered and read by LAPACK
    without a copy. None when ``A`` is not positive definite."""
    try:
        lower = scipy.linalg.cholesky(A, lower=True, check_finite=False)
    except (np.linalg.LinAlgError, scipy.linalg.LinAlgError):
        return None
    return np.ascontiguousarray(lower).T, False


def _extend_cholesky(factor, B, C):
    """The factor of ``[[A, B], [B', C]]`` from ``A``'s; None when ``A``'s
    is None or the bordered matrix is not positive definite."""
    if factor is None:
        return None
    L = factor[0].T  # A's lower factor, C-ordered
    L21 = scipy.linalg.solve_triangular(L, B, lower=True, check_finite=False).T
    schur = _cholesky(C - L21 @ L21.T)
    if schur is None:
        return None
    return _bordered(L, 0.0, L21, schur[0].T).T, False


def _bordered(A, B, D, C):
    """``[[A, B], [D, C]]``, written into one new array."""
    n, k = A.shape[0], C.shape[0]
    out = np.empty((n + k, n + k))
    out[:n, :n] = A
    out[:n, n:] = B
    out[n:, :n] = D
    out[n:, n:] = C
    return out


_PoolKernels = namedtuple("_PoolKernels", "labeled sums quadratic")


class _KernelQPSampler(BaseSampler):
    """What BMDR and SPAL share: the kernel model on the labeled samples, and
    the alternation between the selection QP and the model step."""

    _parameter_constraints: dict = {
        **BaseSampler._parameter_constraints,
        "transformer": [HasMethods(["fit", "transform"]), None],
        "gamma": [Interval(Real, 0, None, closed="neither")],
        "gamma_kernel": [Interval(Real, 0, None, closed="neither")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
    }

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit the kernel least-squares model on the labeled samples.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Labeled samples: numbers, or any input ``transformer`` takes.

        y : array-like of shape (n_samples,)
            Their labels, of two classes.

        Returns
        -------
        self : object
            The fitted sampler.
        """
        name = type(self).__name__
        self._validate_labeled(X, y)
        check_one_label_per_sample(
            y, name, "its model is a binary kernel least squares.")
        y = np.asarray(y)
        self.classes_ = binary_classes(y, name)
        self.transformer_ = None
        if self.transformer is not None:
            self.transformer_ = clone(self.transformer).fit(X, y)
        self.X_labeled_ = self._features(X)
        self.y_signed_ = np.where(y == self.classes_[-1], 1.0, -1.0)
        self.coef_ = None
        if self.classes_.shape[0] < 2:
            _warn_single_class()
            return self
        labeled = _LabeledKernel.kept_by(self)
        order = labeled.fit(self.X_labeled_, self.y_signed_, self.gamma_kernel,
                            self.gamma)
        # the model in the kernel's order (the last fit's rows first), coef_
        # in the order of X
        self._coef = scipy.linalg.cho_solve(labeled.ridge, labeled.y_signed,
                                            check_finite=False)
        self.coef_ = np.empty_like(self._coef)
        self.coef_[order] = self._coef
        return self

    def _features(self, X):
        if self.transformer_ is not None:
            X = self.transformer_.transform(X)
        return check_array(X, accept_sparse="csr", dtype=np.float64)

    def _inner_validates(self):
        return self.transformer_ is not None

    def _kernels(self, X):
        """The pool's ``K_UL``, the row sums of ``K_UU``, and the
        selection QP's quadratic term ``P = beta / 2 K_UU``: the matrix,
        when it fits in scikit-learn's ``working_memory``, else ``idx ->
        P[:, idx]`` (the pool's kernel never held whole: its rows summed by
        blocks, its columns computed when the QP asks for them)."""
        Z = self._features(X)
        n_pool = _num_samples(Z)
        K_UL = rbf_kernel(Z, self._labeled_kernel.rows, gamma=self.gamma_kernel)
        scale = 0.5 * self._mmd_weight()
        if 8 * n_pool ** 2 <= get_config()["working_memory"] * 2 ** 20:
            P = rbf_kernel(Z, gamma=self.gamma_kernel)
            sums = P.sum(axis=1)
            P *= scale
            return _PoolKernels(K_UL, sums, P)
        sums = np.empty(n_pool)
        for start in range(0, n_pool, _BLOCK):
            sums[start:start + _BLOCK] = rbf_kernel(
                Z[start:start + _BLOCK], Z, gamma=self.gamma_kernel).sum(axis=1)
        return _PoolKernels(K_UL, sums, lambda idx: scale * rbf_kernel(
            Z, Z[idx], gamma=self.gamma_kernel))

    def _select_qp(self, kernels, decision, batch_size, easiness=None, start=None):
        """The selection QP (exact: see
        :func:`~skactive.acquisition.solve_selection_qp_working_set`):
        ``(alpha, working set)``."""
        q = bmdr_linear_term(kernels.labeled.sum(axis=1), kernels.sums, decision,
                             n_labeled=kernels.labeled.shape[1],
                             batch_size=batch_size, beta=self._mmd_weight(),
                             easiness=easiness)
        return solve_selection_qp_working_set(
            kernels.quadratic, q, batch_size=batch_size, weights=easiness, start=start)

    def _score(self, X):
        if self.coef_ is None:
            return self._random_ranking(X)
        return self._selection_weights(X, 1)

    def _select(self, X, batch_size):
        if self.coef_ is None:
            return self._random_ranking(
                X, top=(batch_size, tie_seed(self.random_state)))
        return top_k(self._selection_weights(X, batch_size), batch_size,
                     self.random_state)

    def _model_step(self, K_UL, weights):
        """The model refitted with the worst-case loss on weighted pool samples
        (weights below 1e-6, the solver's noise, left out)."""
        used = np.flatnonzero(weights > 1e-6)
        labeled = self._labeled_kernel
        factors = None
        if labeled.kernel is not None:  # no n_L^3 work per step
            factors = (labeled.ridge, labeled.kernel)
        return worst_case_kernel_least_squares(
            labeled.K, labeled.y_signed, K_UL[used].T, weights[used],
            gamma=self.gamma, factors=factors)

    def __skactive_tags__(self):
        return replace(super().__skactive_tags__(), ranking=False,
                       task_types={"classification"})

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.input_tags.allow_nan = False
        return tags


class BMDRSampler(_KernelQPSampler):
    """Discriminative and representative batches (BMDR; Wang & Ye, 2013).

    A kernel least-squares model :math:`f = \\sum_{j \\in L} \\tau_j k(x_j,
    \\cdot)` (RBF kernel, labels ±1) is fitted on the labeled samples. The
    batch of :math:`b` pool samples minimizes the worst-case squared loss
    of :math:`f` on the batch, :math:`\\max_{y = \\pm 1} (y - f(x))^2 = f^2
    + 2|f| + 1` (small near the boundary: *discriminative*), plus
    :math:`\\beta` times the maximum mean discrepancy between the labeled
    samples with the batch and the rest of the pool (*representative*).
    Relaxed to weights :math:`\\alpha \\in [0, 1]^{n_u}` with :math:`\\sum
    \\alpha = b`, that is a quadratic program
    (:func:`~skactive.acquisition.bmdr_qp_terms`), solved with Clarabel
    (:func:`~skactive.acquisition.solve_selection_qp`); the batch is the
    :math:`b` largest :math:`\\alpha`. The model is then refitted with the
    batch's worst-case labels
    (:func:`~skactive.acquisition.worst_case_kernel_least_squares`, solved
    exactly through its dual where Wang & Ye and ALiPy run ADMM, hence no
    ``rho``), and the two steps alternate until the batch repeats, at most
    ``max_iter`` times. Scores are the weights :math:`\\alpha` of a batch of
    one.

    The method brings its own model (a kernel least squares), so it takes no
    classifier; ``transformer`` maps any input to the features its kernel
    compares. Cost per call: the pool's kernel (:math:`n_u^2` time; held
    whole when it fits in scikit-learn's ``working_memory``, else summed by
    blocks of rows and the QP solved on a working set of its columns), the
    QP exact by its KKT conditions (:math:`|F|^3` per active-set step, :math:`|F|` the
    weights strictly between 0 and 1), and :math:`n_L^3` in :meth:`fit`,
    or :math:`n_L^2` per new sample when the labeled samples are the last
    fit's plus new ones, as in an experiment (see the user guide,
    :ref:`bmdr`).

    Parameters
    ----------
    transformer : transformer, default=None
        Maps samples to numeric features (fitted on the labeled samples in
        :meth:`fit`); None compares ``X`` itself.

    beta : float, default=1000.0
        Weight of the MMD (representativeness) term.

    gamma : float, default=0.1
        Weight of the model's RKHS norm.

    gamma_kernel : float, default=1.0
        The RBF kernel's ``gamma``: ``exp(-gamma_kernel ||x - x'||^2)``.

    max_iter : int, default=16
        At most this many selection QPs per call (ALiPy's limit).

    random_state : int, RandomState instance or None, default=None
        Breaks exact ties between weights (and orders the pool when the
        labeled data hold a single class).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels; the last is +1 for the model.

    coef_ : ndarray of shape (n_labeled,) or None
        :math:`\\tau` of the model fitted on the labeled samples; None when
        they hold a single class.

    transformer_ : transformer or None
        The fitted clone of ``transformer``.

    n_features_in_ : int
        Number of features seen during ``fit``, when ``X`` has a shape.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    skactive.SPALSampler : BMDR with self-paced easiness weights.

    References
    ----------
    Wang, Z., & Ye, J. (2013). Querying discriminative and representative
    samples for batch mode active learning. KDD, 158-166.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skactive import BMDRSampler
    >>> X, y = make_classification(n_samples=60, n_features=4, random_state=0)
    >>> sampler = BMDRSampler(gamma_kernel=0.5, random_state=0).fit(X[:10], y[:10])
    >>> sampler.select(X[10:], batch_size=2).shape
    (2,)
    """

    _parameter_constraints: dict = {
        **_KernelQPSampler._parameter_constraints,
        "beta": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, transformer=None, *, beta=1000.0, gamma=0.1, gamma_kernel=1.0,
                 max_iter=16, random_state=None):
        self.transformer = transformer
        self.beta = beta
        self.gamma = gamma
        self.gamma_kernel = gamma_kernel
        self.max_iter = max_iter
        self.random_state = random_state

    def _mmd_weight(self):
        return self.beta

    def _selection_weights(self, X, batch_size):
        kernels = self._kernels(X)
        K_UL = kernels.labeled
        coef, previous, start = self._coef, None, None
        for _ in range(self.max_iter):
            alpha, working = self._select_qp(kernels, K_UL @ coef, batch_size,
                                             start=start)
            start = (alpha, working)
            batch = set(top_k(alpha, batch_size, self.random_state).tolist())
            if batch == previous:
                break
            previous = batch
            in_batch = np.zeros(_num_samples(K_UL))
            in_batch[list(batch)] = 1.0
            coef = self._model_step(K_UL, in_batch)
        return alpha

"""HintSVM: the pool sample closest to the boundary of an SVM that keeps some
unlabeled "hint" samples near its boundary."""

# SPDX-License-Identifier: BSD-3-Clause

from dataclasses import replace
from numbers import Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.metrics.pairwise import PAIRWISE_KERNEL_FUNCTIONS, pairwise_kernels
from sklearn.utils import ClassifierTags, check_array, check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    validate_data,
)

from ..acquisition import hintsvm_decision, solve_hintsvm
from ..utils._selection import tie_seed
from ..utils._sklearn_compat import (
    HasMethods,
    Interval,
    StrOptions,
    _fit_context,
)
from ..utils._validation import (
    binary_classes,
    check_finite_target,
    check_one_label_per_sample,
)
from .chunked import ChunkedSampler, _inherit_input_tags, _warn_single_class

_POSITIVE = Interval(Real, 0, None, closed="neither")


def _features(X):
    return check_array(X, accept_sparse="csr", dtype=np.float64, input_name="X")


def _stack(top, bottom):
    if sp.issparse(top) or sp.issparse(bottom):
        return sp.vstack([sp.csr_matrix(top), sp.csr_matrix(bottom)], format="csr")
    return np.vstack([top, bottom])


def _decision_chunk(X, *, train, coef, intercept, kernel_params):
    return hintsvm_decision(pairwise_kernels(X, train, **kernel_params), coef,
                            intercept)


class HintSVMSampler(ChunkedSampler):
    """HintSVM: active learning with a hinted SVM (Li, Ferng & Lin, 2012).

    Some pool samples, the *hints* (a random ``hint_ratio`` of the pool,
    seeded by ``random_state``), are asked to lie near the boundary of an
    SVM trained on the labeled samples: on top of the soft-margin SVM's
    hinge losses (weight ``Cl``), each hint costs ``Ch`` times how far its
    decision value lies outside ``[-epsilon, epsilon]``. The hints push the
    boundary through unlabeled regions, so that the samples closest to it are
    both uncertain and representative of the pool. The sampler labels first
    the pool samples closest to this boundary: scores are :math:`-|f(x)|`.

    The dual problem (:func:`~skactive.acquisition.hintsvm_qp`) has one
    variable per labeled sample and two per hint, in a box, with one
    equality; it is solved by PIQP's dense interior-point solver
    (:func:`~skactive.acquisition.solve_hintsvm`), in about
    ``(n_labeled + 2 n_hints)^3 / 3`` operations per iteration (some ten
    iterations), once per call of :meth:`score_samples` or :meth:`select`.

    Binary classification only. The features must be numeric, or
    ``transformer`` maps the samples to numeric features (HintSVM is its own
    model, so it takes no classifier).

    Parameters
    ----------
    transformer : transformer, default=None
        Maps samples (texts, DataFrames...) to numeric features, dense or
        sparse; a clone is fitted on the labeled samples. None uses ``X``
        itself, which must then be numeric.

    Cl : float, default=0.1
        Weight of the labeled samples' hinge losses (libact's default; Lu,
        Li & Lin's benchmark uses 1).

    Ch : float, default=0.1
        Weight of the hints' losses (libact's default; the benchmark uses 1).

    hint_ratio : float, default=0.5
        Share of the pool drawn as hints (``p`` in libact):
        ``int(hint_ratio * n_pool)`` samples, without replacement.

    epsilon : float, default=0.1
        Half-width of the band around the boundary where a hint costs
        nothing (libsvm's default ``p``).

    kernel : str or callable, default="linear"
        A kernel of :func:`sklearn.metrics.pairwise.pairwise_kernels`
        (``"linear"``, ``"rbf"``, ``"poly"``, ``"sigmoid"``...) or a callable.

    gamma : float, default=0.1
        Kernel coefficient of ``"rbf"``, ``"poly"``, ``"sigmoid"``,
        ``"laplacian"`` and ``"chi2"``; None uses ``1 / n_features``.

    degree : float, default=3
        Degree of ``"poly"``.

    coef0 : float, default=0.0
        Constant of ``"poly"`` and ``"sigmoid"``.

    chunk_size : int, default=None
        Pool rows whose kernel with the training samples is computed at
        once (per worker). None picks it from
        ``sklearn.get_config()["working_memory"]``.

    n_jobs : int, default=None
        Number of jobs computing the pool's decision values in parallel.
        Results do not depend on it.

    random_state : int, RandomState instance or None, default=None
        Draws the hints and breaks exact ties. With an int, every call draws
        the same hints from the same pool.

    Attributes
    ----------
    transformer_ : transformer or None
        The fitted clone of ``transformer``.

    classes_ : ndarray of shape (n_classes,)
        The labels seen in :meth:`fit`; ``classes_[1]`` has positive
        decision values.

    X_labeled_ : ndarray or sparse matrix of shape (n_labeled, n_features)
        Features of the labeled samples (after ``transformer``).

    y_signed_ : ndarray of shape (n_labeled,)
        Their labels as -1 and +1; None when they held a single class.

    n_features_in_ : int
        Number of features seen during ``fit``, when ``X`` has a shape.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    skactive.UncertaintySampler : ``strategy="margin"`` with an SVC: the
        closest to the boundary of an SVM without hints.
    skactive.acquisition.solve_hintsvm : The quadratic program's solution.

    Notes
    -----
    libact's ``HintSVM``, which Lu, Li & Lin (2023) ran, queries the
    largest ``|f|`` (libact issue 154), and its hint losses have an
    unbounded weight unless its ``degree`` is 1; this sampler follows the
    paper: the smallest ``|f|``, hint weight ``Ch``.

    References
    ----------
    Li, C.-L., Ferng, C.-S., & Lin, H.-T. (2012). Active learning with
    hinted support vector machine. ACML, PMLR 25, 221-235.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skactive import HintSVMSampler
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> sampler = HintSVMSampler(StandardScaler(), Cl=1.0, Ch=1.0, kernel="rbf",
    ...                          random_state=0)
    >>> sampler.fit(X[:20], y[:20]).select(X[20:200], batch_size=3).shape
    (3,)
    """

    _parameter_constraints: dict = {
        **ChunkedSampler._parameter_constraints,
        "transformer": [HasMethods(["fit", "transform"]), None],
        "Cl": [_POSITIVE],
        "Ch": [_POSITIVE],
        "hint_ratio": [Interval(Real, 0, 1, closed="both")],
        "epsilon": [Interval(Real, 0, None, closed="left")],
        "kernel": [StrOptions(set(PAIRWISE_KERNEL_FUNCTIONS)), callable],
        "gamma": [_POSITIVE, None],
        "degree": [Interval(Real, 0, None, closed="left")],
        "coef0": [Real],
    }

    def __init__(self, transformer=None, *, Cl=0.1, Ch=0.1, hint_ratio=0.5,
                 epsilon=0.1, kernel="linear", gamma=0.1, degree=3, coef0=0.0,
                 chunk_size=None, n_jobs=None, random_state=None):
        self.transformer = transformer
        self.Cl = Cl
        self.Ch = Ch
        self.hint_ratio = hint_ratio
        self.epsilon = epsilon
        self.kernel = kernel
        self.gamma = gamma
        self.degree = degree
        self.coef0 = coef0
        self.chunk_size = chunk_size
        self.n_jobs = n_jobs
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit the transformer and keep the labeled samples' features.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Labeled samples: numeric, or in any form ``transformer`` takes.

        y : array-like of shape (n_samples,)
            Their labels, two classes at most.

        Returns
        -------
        self : object
            The fitted sampler.
        """
        if self.transformer is None:
            X, y = validate_data(self, X, y, accept_sparse="csr", dtype=np.float64,
                                 ensure_2d=True, y_numeric=False)
        else:
            self._validate_labeled(X, y)
        check_consistent_length(X, y)
        check_finite_target(y)
        check_one_label_per_sample(
            y, "HintSVMSampler", "it trains a binary support vector machine.")
        check_classification_targets(y)
        self.classes_ = binary_classes(y, "HintSVMSampler")
        self.transformer_ = None
        if self.transformer is not None:
            self.transformer_ = clone(self.transformer).fit(X, y)
            X = self.transformer_.transform(X)
        self.X_labeled_ = _features(X)
        self.y_signed_ = None
        if self.classes_.shape[0] < 2:
            _warn_single_class()
        else:
            self.y_signed_ = np.where(np.asarray(y) == self.classes_[1], 1.0, -1.0)
        return self

    def decision_function(self, X):
        """HintSVM's decision values on the pool, with hints drawn from it.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The pool; ``int(hint_ratio * n_samples)`` of its samples are
            drawn as hints.

        Returns
        -------
        decision : ndarray of shape (n_samples,)
            :math:`f(x)`, positive on the side of ``classes_[1]``. Scores are
            :math:`-|f(x)|`.
        """
        check_is_fitted(self)
        if self.y_signed_ is None:
            raise ValueError(
                "The labeled data held a single class: there is no boundary "
                "to draw until a second class is labeled.")
        if np.ndim(X) == 1:
            raise ValueError(
                "Expected 2D array, got 1D array instead: the pool must have "
                "shape (n_samples, n_features). Reshape your data with "
                "X.reshape(1, -1) for a single sample.")
        return self._decision(self._validate_pool(X))

    def _kernel_params(self):
        params = {"metric": self.kernel, "degree": self.degree, "coef0": self.coef0}
        if self.gamma is not None:
            params["gamma"] = self.gamma
        if isinstance(self.kernel, str):
            params["filter_params"] = True
        return params

    def _hints(self, n_pool):
        rng = check_random_state(self.random_state)
        n_hints = int(self.hint_ratio * n_pool)
        return np.sort(rng.choice(n_pool, n_hints, replace=False))

    def _decision(self, X):
        features = _features(X if self.transformer_ is None
                             else self._transform(self.transformer_, X))
        hints = self._hints(features.shape[0])
        train = _stack(self.X_labeled_, features[hints])
        params = self._kernel_params()
        coef, intercept = solve_hintsvm(
            pairwise_kernels(train, train, **params), self.y_signed_,
            Cl=self.Cl, Ch=self.Ch, epsilon=self.epsilon)
        return self._map_chunks(_decision_chunk, features,
                                row_bytes=16 * train.shape[0], train=train,
                                coef=coef, intercept=intercept, kernel_params=params)

    def _score(self, X):
        if self.y_signed_ is None:
            return self._random_ranking(X)
        return -np.abs(self._decision(X))

    def _select(self, X, batch_size):
        if self.y_signed_ is None:
            return self._random_ranking(
                X, top=(batch_size, tie_seed(self.random_state)))
        return super()._select(X, batch_size)

    def _inner_validates(self):
        return self.transformer_ is not None

    def __skactive_tags__(self):
        return replace(super().__skactive_tags__(), task_types={"classification"})

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.classifier_tags = ClassifierTags(multi_class=False)
        if self.transformer is not None:
            _inherit_input_tags(tags, [self.transformer],
                                ("sparse", "string", "categorical"))
        tags.input_tags.allow_nan = False  # the kernel takes no NaN
        return tags


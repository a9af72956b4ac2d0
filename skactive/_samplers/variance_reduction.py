"""Variance reduction: the candidate whose label most shrinks the variance of
a logistic regression's predictions over the pool."""

# SPDX-License-Identifier: BSD-3-Clause

from dataclasses import replace
from numbers import Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
from sklearn.utils import check_array

from ..acquisition import fisher_information, variance_reduction
from ..utils._selection import tie_seed
from ..utils._sklearn_compat import HasMethods, Interval, _fit_context
from ..utils._validation import check_one_label_per_sample
from .chunked import ChunkedSampler, _inherit_input_tags, _warn_single_class
from .uncertainty import _split_pipeline


def _probabilities_and_features(X, *, estimator):
    """``[predict_proba, features the final model sees]`` of a chunk, dense."""
    steps, final = _split_pipeline(estimator)
    if steps is not None:
        X = steps.transform(X)
    X = check_array(X, accept_sparse="csr", dtype=np.float64, input_name="X")
    features = X.toarray() if sp.issparse(X) else X
    return np.hstack([final.predict_proba(X), features])


class VarianceReductionSampler(ChunkedSampler):
    """Variance reduction for logistic regression (Schein & Ungar, 2007).

    The A-optimal choice: with the parameters' covariance approximated by
    the inverse of the Fisher information :math:`F` of the labeled samples
    (plus :math:`I / \\sigma`), the variance of the predicted class
    probabilities summed over the pool is :math:`\\operatorname{tr}(A
    F^{-1})`, :math:`A = \\sum_u J_u J_u^T` over the pool's Jacobians of the
    probabilities. Labeling a candidate :math:`x` adds its Fisher
    information :math:`F_x` to :math:`F`, whatever its label, so no refit is
    needed; the score of :math:`x` is the reduction

    .. math:: \\operatorname{tr}(A F^{-1})
              - \\operatorname{tr}\\big(A (F + F_x)^{-1}\\big),

    computed for every candidate at once by the Woodbury identity
    (:func:`~skactive.acquisition.variance_reduction`): one inverse of the
    :math:`D \\times D` Fisher matrix, then O(n_pool D^2), where :math:`D` is
    ``n_features + 1`` for two classes and ``n_classes (n_features + 1)``
    otherwise. Batches are the top of the scores.

    Parameters
    ----------
    estimator : LogisticRegression or Pipeline ending in one
        The model whose variance is reduced (the features are those its
        last step sees). A clone is fitted in :meth:`fit`; a
        :class:`~sklearn.frozen.FrozenEstimator` is used as it is.

    sigma : float, default=1.0
        Prior variance of the parameters: ``1 / sigma`` is added to the
        Fisher information's diagonal, as in libact's ``VarianceReduction``
        (Lu, Li & Lin's benchmark uses ``sigma=100``).

    chunk_size : int, default=None
        Pool rows passed through the model at once (per worker). None picks
        it from ``sklearn.get_config()["working_memory"]``.

    n_jobs : int, default=None
        Number of jobs computing the pool's probabilities in parallel.
        Results do not depend on it.

    random_state : int, RandomState instance or None, default=None
        Breaks exact ties (and orders the pool when the labeled data hold a
        single class).

    Attributes
    ----------
    estimator_ : LogisticRegression or Pipeline
        The fitted clone of ``estimator`` (``estimator`` itself when
        frozen).

    fisher_ : ndarray of shape (n_parameters, n_parameters)
        :math:`F`, the Fisher information of the labeled samples plus
        :math:`I / \\sigma`; None when the labeled data held a single class.

    n_features_in_ : int
        Number of features seen during ``fit``, when ``X`` has a shape.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    skactive.ExpectedErrorReductionSampler : The expected future error of
        any classifier, by refits.

    References
    ----------
    Schein, A. I., & Ungar, L. H. (2007). Active learning for logistic
    regression: an evaluation. Machine Learning, 68(3), 235-265.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skactive import VarianceReductionSampler
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> model = make_pipeline(StandardScaler(), LogisticRegression())
    >>> sampler = VarianceReductionSampler(model, sigma=100.0, random_state=0)
    >>> sampler.fit(X[:20], y[:20]).select(X[20:], batch_size=3).shape
    (3,)
    """

    _parameter_constraints: dict = {
        **ChunkedSampler._parameter_constraints,
        "estimator": [HasMethods(["fit", "predict_proba"])],
        "sigma": [Interval(Real, 0, None, closed="neither")],
    }

    def __init__(self, estimator, *, sigma=1.0, chunk_size=None, n_jobs=None,
                 random_state=None):
        self.estimator = estimator
        self.sigma = sigma
        self.chunk_size = chunk_size
        self.n_jobs = n_jobs
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Fit a clone of the logistic regression and its Fisher information.

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
        check_one_label_per_sample(
            y, "VarianceReductionSampler",
            "it reduces the variance of a logistic regression's class probabilities.")
        final = _split_pipeline(self.estimator)[1]
        if not isinstance(final, (LogisticRegression, LogisticRegressionCV)):
            raise TypeError(
                f"VarianceReductionSampler computes the Fisher information of "
                f"a logistic regression, but the model is "
                f"{type(final).__name__}: pass LogisticRegression (or a "
                "Pipeline ending in one), or use ExpectedErrorReductionSampler, "
                "which takes any classifier.")
        self.estimator_ = clone(self.estimator)
        if isinstance(self.estimator_, FrozenEstimator):
            n_classes = len(self.estimator_.classes_)
        else:
            n_classes = np.unique(np.asarray(y)).shape[0]
            if n_classes > 1:
                self.estimator_.fit(X, y, **fit_params)
        self.fisher_ = None
        if n_classes < 2:
            _warn_single_class()
            return self
        probabilities, features = self._split(
            _probabilities_and_features(X, estimator=self.estimator_))
        self.fisher_ = fisher_information(probabilities, features, sigma=self.sigma)
        return self

    def _split(self, joined):
        n_classes = len(self.estimator_.classes_)
        return joined[:, :n_classes], joined[:, n_classes:]

    def _pool(self, X):
        n_features = getattr(self, "n_features_in_", 1)
        return self._split(self._map_chunks(
            _probabilities_and_features, X, row_bytes=16 * (n_features + 8),
            estimator=self.estimator_))

    def _inner_validates(self):
        return self.fisher_ is not None

    def _score(self, X):
        if self.fisher_ is None:
            return self._random_ranking(X)
        probabilities, features = self._pool(X)
        return variance_reduction(self.fisher_, probabilities, features)

    def _select(self, X, batch_size):
        if self.fisher_ is None:
            return self._random_ranking(
                X, top=(batch_size, tie_seed(self.random_state)))
        return super()._select(X, batch_size)

    def __skactive_tags__(self):
        return replace(super().__skactive_tags__(), task_types={"classification"})

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return _inherit_input_tags(tags, [self.estimator],
                                   ("allow_nan", "sparse", "string", "categorical"))

"""Expected error reduction: the candidate whose label, whatever it turns out
to be, leaves the refitted model expecting the fewest errors on the pool."""

# SPDX-License-Identifier: BSD-3-Clause

from dataclasses import replace
from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator
from sklearn.naive_bayes import GaussianNB
from sklearn.utils import check_array, check_random_state, gen_batches, gen_even_slices
from sklearn.utils.parallel import Parallel, delayed

from ..acquisition import expected_error, future_error, gaussian_nb_future_probabilities
from ..base import BaseSampler
from ..utils._selection import tie_seed
from ..utils._sklearn_compat import (
    HasMethods,
    Interval,
    StrOptions,
    _fit_context,
    _num_samples,
    _safe_indexing,
)
from ..utils._validation import check_one_label_per_sample
from .chunked import _inherit_input_tags, _warn_single_class

# Bytes of future probabilities computed at once on the closed-form path.
_CLOSED_FORM_BYTES = 2**25


def _append_row(X, row):
    """``X`` with ``row`` (one row of the same kind) appended, in X's form."""
    if sp.issparse(X):
        return sp.vstack([X, row], format="csr")
    if hasattr(X, "iloc"):  # a DataFrame
        import pandas as pd

        return pd.concat([X, row])
    if isinstance(X, list):
        return X + list(row)
    return np.concatenate([np.asarray(X), np.asarray(row)])


def _refit_errors(estimator, X_labeled, y_labeled, X_pool, candidates, classes,
                  label_probabilities, loss):
    """Expected future errors of ``candidates`` by explicit refits: one model
    per candidate and label, scored on the rest of the pool."""
    n_pool = _num_samples(X_pool)
    errors = np.empty(len(candidates))
    for position, i in enumerate(candidates):
        X_new = _append_row(X_labeled, _safe_indexing(X_pool, [i]))
        X_rest = _safe_indexing(X_pool, np.delete(np.arange(n_pool), i))
        future = np.empty((1, len(classes), n_pool - 1, len(classes)))
        for k, label in enumerate(classes):
            model = clone(estimator).fit(X_new, np.append(y_labeled, label))
            future[0, k] = model.predict_proba(X_rest)
        errors[position] = expected_error(label_probabilities[[i]], future,
                                          loss=loss)[0]
    return errors


class ExpectedErrorReductionSampler(BaseSampler):
    """Expected error reduction (Roy & McCallum, 2001).

    For each candidate :math:`x` of the pool and each class :math:`c`, the
    model is refitted on the labeled data plus :math:`(x, c)`, and its own
    estimate of its error on the rest of the pool :math:`U` is taken; the
    candidate's expected future error weighs these by the current model's
    :math:`p(c \\mid x)`:

    .. math:: E(x) = \\sum_c p(c \\mid x) \\sum_{u \\in U \\setminus \\{x\\}}
              \\ell\\big(p_{+(x, c)}(\\cdot \\mid u)\\big),

    with the 0/1 loss :math:`\\ell(p) = 1 - \\max_k p_k` or the log loss
    :math:`\\ell(p) = -\\sum_k p_k \\log p_k`
    (:func:`~skactive.acquisition.expected_error`). Scores are
    :math:`-E(x)`: the candidate expected to leave the fewest errors first.

    The refits make it exact for any classifier with ``predict_proba``
    (Pipelines included), at the cost of ``n_classes`` fits per candidate
    per call; they run in parallel over candidates (``n_jobs``). A bare
    :class:`~sklearn.naive_bayes.GaussianNB` is refitted in closed form
    instead (:func:`~skactive.acquisition.gaussian_nb_future_probabilities`),
    the same values to rounding at the cost of a few array operations.
    ``monte_carlo_candidates`` evaluates only a random subsample of the pool,
    as scikit-activeml's Monte-Carlo EER does: an approximation.

    Parameters
    ----------
    estimator : classifier
        With ``predict_proba``; may be a :class:`~sklearn.pipeline.Pipeline`.
        A clone is fitted in :meth:`fit`, and clones of it are refitted for
        every candidate and label. Give it a fixed ``random_state`` if it
        uses randomness (``SVC(probability=True)`` does), or the scores
        change with ``n_jobs``. A :class:`~sklearn.frozen.FrozenEstimator` is
        refused: the method refits.

    loss : {"zero_one", "log_loss"}, default="zero_one"
        The error the refitted models expect on the pool.

    method : {"auto", "refit"}, default="auto"
        ``"auto"`` refits a bare ``GaussianNB`` in closed form and every
        other model by fitting it; ``"refit"`` always fits.

    monte_carlo_candidates : int, default=None
        Evaluate only this many candidates, drawn at random (seeded by
        ``random_state``) from the pool; the others come last: their score
        is below any possible one, ``-((n_pool - 1) * max_loss + 1)``, with
        ``max_loss`` the loss's maximum (``1 - 1 / n_classes`` or
        ``log(n_classes)``). None evaluates every pool sample: exact.

    n_jobs : int, default=None
        Number of jobs refitting candidates in parallel through joblib.
        Results do not depend on it.

    random_state : int, RandomState instance or None, default=None
        Draws the Monte-Carlo candidates and breaks exact ties.

    Attributes
    ----------
    estimator_ : classifier
        The clone of ``estimator`` fitted on the labeled data.

    method_ : {"gaussian_nb", "refit", "random"}
        How the future models are obtained; ``"random"`` when the labeled
        data held a single class (the pool is then ranked in random order).

    classes_ : ndarray of shape (n_classes,)
        The labels a candidate may receive.

    n_features_in_ : int
        Number of features seen during ``fit``, when ``X`` has a shape.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    skactive.VarianceReductionSampler : The variance of a logistic
        regression's predictions instead of its expected error; no refits.
    skactive.acquisition.expected_error : The criterion from the refitted
        models' probabilities.

    References
    ----------
    Roy, N., & McCallum, A. (2001). Toward optimal active learning through
    sampling estimation of error reduction. ICML.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from skactive import ExpectedErrorReductionSampler
    >>> X, y = load_iris(return_X_y=True)
    >>> sampler = ExpectedErrorReductionSampler(GaussianNB(), random_state=0)
    >>> sampler.fit(X[::10], y[::10]).select(X[1::10], batch_size=2).shape
    (2,)
    >>> sampler.method_
    'gaussian_nb'
    """

    _parameter_constraints: dict = {
        **BaseSampler._parameter_constraints,
        "estimator": [HasMethods(["fit", "predict_proba"])],
        "loss": [StrOptions({"zero_one", "log_loss"})],
        "method": [StrOptions({"auto", "refit"})],
        "monte_carlo_candidates": [Interval(Integral, 1, None, closed="left"), None],
        "n_jobs": [Integral, None],
    }

    def __init__(self, estimator, *, loss="zero_one", method="auto",
                 monte_carlo_candidates=None, n_jobs=None, random_state=None):
        self.estimator = estimator
        self.loss = loss
        self.method = method
        self.monte_carlo_candidates = monte_carlo_candidates
        self.n_jobs = n_jobs
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit a clone of the classifier and keep the labeled data for the refits.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Labeled samples, in any form the estimator accepts.

        y : array-like of shape (n_samples,)
            Their labels, one class per sample.

        Returns
        -------
        self : object
            The fitted sampler.
        """
        self._validate_labeled(X, y)
        check_one_label_per_sample(
            y, "ExpectedErrorReductionSampler",
            "it refits a classifier with each possible label of a candidate.")
        if isinstance(self.estimator, FrozenEstimator):
            raise ValueError(
                "ExpectedErrorReductionSampler refits the model for every "
                "candidate and label, so it cannot use a FrozenEstimator: pass "
                "the unfitted estimator.")
        self.X_labeled_, self.y_labeled_ = X, np.asarray(y)
        self.classes_ = np.unique(self.y_labeled_)
        self.estimator_ = clone(self.estimator)
        if self.classes_.shape[0] < 2:
            _warn_single_class()
            self.method_ = "random"
            return self
        self.estimator_.fit(X, y)
        closed_form = self.method == "auto" and type(self.estimator_) is GaussianNB
        self.method_ = "gaussian_nb" if closed_form else "refit"
        if closed_form:
            X = check_array(X, dtype=np.float64)
            self.feature_means_, self.feature_variances_ = X.mean(axis=0), X.var(axis=0)
        return self

    def expected_errors(self, X):
        """Expected future error of each pool sample's candidacy (lower first).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The pool, in any form the estimator accepts.

        Returns
        -------
        errors : ndarray of shape (n_samples,)
            :math:`E(x)` for every candidate; for the samples left out of
            a Monte-Carlo subsample, ``(n_pool - 1) * max_loss + 1``, more
            than any candidate's (see ``monte_carlo_candidates``).
        """
        return -self.score_samples(X)

    def _candidates(self, n_pool):
        if self.monte_carlo_candidates is None or self.monte_carlo_candidates >= n_pool:
            return np.arange(n_pool)
        rng = check_random_state(self.random_state)
        return np.sort(rng.choice(n_pool, self.monte_carlo_candidates, replace=False))

    def _score(self, X):
        if self.method_ == "random":
            return self._random_ranking(X)
        n_pool = _num_samples(X)
        if n_pool == 1:  # no other sample to err on: the sum is empty
            return np.zeros(1)
        label_probabilities = self.estimator_.predict_proba(X)
        candidates = self._candidates(n_pool)
        if self.method_ == "gaussian_nb":
            errors = self._closed_form_errors(X, candidates, label_probabilities)
        else:
            errors = self._refit_errors(X, candidates, label_probabilities)
        scores = np.full(n_pool, -self._unevaluated_error(n_pool))
        scores[candidates] = -errors
        return scores

    def _unevaluated_error(self, n_pool):
        """More than any candidate's possible error: the loss's maximum on
        the rest of the pool, plus one."""
        n_classes = len(self.classes_)
        worst = 1.0 - 1.0 / n_classes if self.loss == "zero_one" else np.log(n_classes)
        return (n_pool - 1) * worst + 1.0

    def _refit_errors(self, X, candidates, label_probabilities):
        n_tasks = min(len(candidates), 4 * max(1, abs(self.n_jobs or 1)))
        parts = Parallel(n_jobs=self.n_jobs)(
            delayed(_refit_errors)(self.estimator, self.X_labeled_, self.y_labeled_, X,
                                   candidates[part], self.classes_,
                                   label_probabilities, self.loss)
            for part in gen_even_slices(len(candidates), n_tasks))
        return np.concatenate(parts)

    def _closed_form_errors(self, X, candidates, label_probabilities):
        X = check_array(X, dtype=np.float64)
        nb, n_pool, n_classes = self.estimator_, X.shape[0], len(self.classes_)
        rows = max(1, _CLOSED_FORM_BYTES // (8 * n_pool * n_classes ** 2))
        errors = []
        for part in gen_batches(len(candidates), rows):
            chosen = candidates[part]
            future = gaussian_nb_future_probabilities(
                nb.theta_, nb.var_ - nb.epsilon_, nb.class_count_, X[chosen], X,
                feature_means=self.feature_means_,
                feature_variances=self.feature_variances_,
                var_smoothing=nb.var_smoothing, priors=nb.priors)
            loss = future_error(future, loss=self.loss)  # (m, C, n_pool)
            loss[np.arange(len(chosen)), :, chosen] = 0.0  # not the candidate
            errors.append(np.einsum("ic,ic->i", label_probabilities[chosen],
                                    loss.sum(axis=2)))
        return np.concatenate(errors)

    def _select(self, X, batch_size):
        if self.method_ == "random":
            return self._random_ranking(
                X, top=(batch_size, tie_seed(self.random_state)))
        return super()._select(X, batch_size)

    def _inner_validates(self):
        return self.method_ != "random"

    def __skactive_tags__(self):
        return replace(super().__skactive_tags__(), task_types={"classification"})

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return _inherit_input_tags(tags, [self.estimator],
                                   ("allow_nan", "sparse", "string", "categorical"))

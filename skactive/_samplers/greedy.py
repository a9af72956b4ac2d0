"""Greedy sampling for regression: far from the labeled samples in the input
space, the output space, or both."""

# SPDX-License-Identifier: BSD-3-Clause

from dataclasses import replace

import numpy as np
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import Pipeline
from sklearn.utils import check_array

from ..acquisition import greedy_distances, greedy_sampling
from ..utils._selection import scaled_for_distances, unscaled
from ..utils._sklearn_compat import HasMethods, StrOptions, _fit_context
from .chunked import ChunkedSampler, _inherit_input_tags

_USES_INPUTS = ("gsx", "igs")
_USES_OUTPUTS = ("gsy", "igs")


def _predict_chunk(X, *, estimator):
    return np.asarray(estimator.predict(X), dtype=float)


class GreedySampler(ChunkedSampler):
    """Select, for a regressor, the pool samples farthest from the labeled ones.

    Greedy sampling (Yu & Kim, 2010; Wu, Lin & Huang, 2019) needs no
    predictive uncertainty, so it works with any regressor. Each pick is the
    sample with the largest distance to the labeled samples and to the picks
    before it (see :func:`~skactive.acquisition.greedy_sampling`):

    ``"gsx"``
        in the input space: the core-set greedy of
        :class:`~skactive.DiversitySampler`, on the regressor's features;
    ``"gsy"``
        in the output space: :math:`\\min_l |f(x) - y_l|`, the distance of the
        model's prediction to the labeled targets (each pick adds its
        prediction);
    ``"igs"``
        in both: :math:`\\min_l \\lVert x - x_l \\rVert \\, |f(x) - y_l|`, the
        minimum over the labeled samples (and the picks) of the product of
        the two distances (Wu et al.'s Algorithm 3, their best on their
        benchmark).

    The batch is built one pick at a time, each updating the minimum
    distances; exact, O(n_samples) memory. Scores (one per sample, higher =
    select earlier) are the distances before any pick: the first pick is the
    highest score.

    Parameters
    ----------
    estimator : regressor, default=None
        The model whose predictions define the output space (``"gsy"``,
        ``"igs"``); may be a :class:`~sklearn.pipeline.Pipeline`. A clone is
        fitted; a :class:`~sklearn.frozen.FrozenEstimator` is used as it is.
        Not needed for ``"gsx"``.

    strategy : {"igs", "gsx", "gsy"}, default="igs"
        The space(s) of the distance; see above.

    transformer : transformer, default=None
        Maps samples to the input space of ``"gsx"`` and ``"igs"``. None uses
        the preprocessing steps of ``estimator`` when it is a pipeline (all
        but its last step), otherwise ``X`` itself, which must then be
        numeric. ``"gsy"``, which has no input space, refuses it.

    chunk_size : int, default=None
        Pool rows predicted, transformed and compared with the labeled
        samples at once (per worker). None picks it from
        ``sklearn.get_config()["working_memory"]``.

    n_jobs : int, default=None
        Number of jobs working on chunks in parallel through joblib. Results
        do not depend on it.

    random_state : int, RandomState instance or None, default=None
        Exact ties in distance go to a random permutation of the pool drawn
        from it.

    Attributes
    ----------
    estimator_ : regressor or None
        The fitted clone of ``estimator``.

    transformer_ : transformer or None
        What maps samples to the input space, fitted; None means ``X``.

    reference_ : ndarray of shape (n_labeled, n_input_features) or None
        The labeled samples in the input space (``"gsx"``, ``"igs"``).

    y_ : ndarray of shape (n_labeled,)
        The labeled targets.

    n_features_in_ : int
        Number of features seen during ``fit``, when ``X`` has a shape.

    See Also
    --------
    skactive.UncertaintySampler : ``strategy="std"``, a regressor's own
        predictive standard deviation.
    skactive.CommitteeSampler : ``strategy="prediction_variance"``, query by
        committee.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.linear_model import Ridge
    >>> from skactive import GreedySampler
    >>> X, y = load_diabetes(return_X_y=True)
    >>> sampler = GreedySampler(Ridge(), strategy="igs", random_state=0)
    >>> sampler.fit(X[:40], y[:40]).select(X[40:], batch_size=5).shape
    (5,)
    """

    _parameter_constraints: dict = {
        **ChunkedSampler._parameter_constraints,
        "estimator": [HasMethods(["fit", "predict"]), None],
        "strategy": [StrOptions({"igs", "gsx", "gsy"})],
        "transformer": [HasMethods(["fit", "transform"]), None],
    }

    def __init__(self, estimator=None, *, strategy="igs", transformer=None,
                 chunk_size=None, n_jobs=None, random_state=None):
        self.estimator = estimator
        self.strategy = strategy
        self.transformer = transformer
        self.chunk_size = chunk_size
        self.n_jobs = n_jobs
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Fit the regressor and keep the labeled samples and targets.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Labeled samples, in any form the estimator accepts.

        y : array-like of shape (n_samples,)
            Their targets, one number per sample.

        **fit_params : dict
            Passed to the estimator's ``fit``.

        Returns
        -------
        self : object
            The fitted sampler.
        """
        self._validate_labeled(X, y)
        if self.strategy not in _USES_INPUTS and self.transformer is not None:
            raise ValueError(
                f"transformer={self.transformer!r} maps samples to the input space "
                f"of 'gsx' and 'igs'; strategy={self.strategy!r} measures distances "
                "between predictions only and would ignore it: leave "
                "transformer=None."
            )
        self.y_ = check_array(y, ensure_2d=False, dtype=np.float64, input_name="y")
        if self.y_.ndim != 1:
            raise ValueError(
                f"y has shape {self.y_.shape}: GreedySampler takes one target per "
                "sample (multi-output regression is not supported)."
            )
        self.estimator_ = None
        if self.strategy in _USES_OUTPUTS:
            if self.estimator is None:
                raise ValueError(
                    f"strategy={self.strategy!r} measures distances between the "
                    "model's predictions and the labeled targets: pass a "
                    "regressor as estimator, or use strategy='gsx'."
                )
            self.estimator_ = clone(self.estimator).fit(X, y, **fit_params)
        self.transformer_ = None
        self.reference_ = None
        if self.strategy in _USES_INPUTS:
            self.transformer_ = self._input_space(X, y)
            self.reference_ = self._inputs(X)
        return self

    def _input_space(self, X, y):
        """The fitted transformer of the input space (None: ``X`` itself)."""
        if self.transformer is not None:
            return clone(self.transformer).fit(X, y)
        model = self.estimator_ if self.estimator_ is not None else self.estimator
        if isinstance(model, FrozenEstimator):
            model = model.estimator
        if isinstance(model, Pipeline) and len(model) > 1:
            steps = model[:-1]
            if self.estimator_ is None:  # gsx: the pipeline was not fitted
                steps = clone(steps).fit(X, y)
            return steps
        return None

    def _inputs(self, X):
        if self.transformer_ is None:
            return check_array(X, accept_sparse="csr", dtype=[np.float64, np.float32],
                               input_name="X")
        return self._transform(self.transformer_, X)

    def _inner_validates(self):
        if self.strategy in _USES_INPUTS:  # X itself is the input space
            return self.transformer_ is not None
        return True

    def _spaces(self, X):
        """The product of the spaces' scales, the pool in the input space,
        and the other arguments of the acquisition functions: the labeled
        samples' inputs (iGS), their squared distances (GSx), the model's
        predictions and the labeled targets (None where the strategy does
        not use them); each space divided by the power of two that keeps its
        squared distances finite."""
        inputs = reference = squared = predictions = targets = None
        scale = 1.0
        if self.strategy in _USES_INPUTS:
            inputs = self._inputs(X)
            if inputs.shape[1] != self.reference_.shape[1]:
                raise ValueError(
                    f"X has {inputs.shape[1]} features in the input space, but "
                    f"the labeled samples had {self.reference_.shape[1]}."
                )
            scale, (inputs, reference) = scaled_for_distances(inputs,
                                                              self.reference_)
        if self.strategy == "gsx":  # chunk by chunk, on n_jobs workers
            squared, reference = self._squared_distances_to(inputs, reference), None
        if self.strategy in _USES_OUTPUTS:
            predictions = self._map_chunks(_predict_chunk, X, row_bytes=8,
                                           estimator=self.estimator_)
            output_scale, (predictions, targets) = scaled_for_distances(
                predictions, self.y_)
            scale *= output_scale
        return scale, inputs, {"X_labeled": reference, "squared_distances": squared,
                               "predictions": predictions, "y_labeled": targets}

    def _score(self, X):
        scale, inputs, spaces = self._spaces(X)
        return unscaled(greedy_distances(inputs, **spaces), scale)

    def _select(self, X, batch_size):
        _, inputs, spaces = self._spaces(X)
        return greedy_sampling(inputs, batch_size, random_state=self.random_state,
                               **spaces)

    def __skactive_tags__(self):
        return replace(super().__skactive_tags__(), ranking=False,
                       task_types={"regression"})

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        inner = [e for e in (self.estimator, self.transformer) if e is not None]
        if not inner:
            tags.input_tags.allow_nan = False
            return tags
        return _inherit_input_tags(tags, inner, ("allow_nan", "sparse", "string"))

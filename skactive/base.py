"""Base class of all samplers: validation, parallel scoring, top-k."""

# SPDX-License-Identifier: BSD-3-Clause

import inspect
from abc import ABCMeta, abstractmethod

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    validate_data,
)

from .utils._dask import (
    check_dask_pool,
    dask_scores,
    dask_top,
    is_dask_dataframe,
    is_dask_pool,
)
from .utils._selection import random_scores, tie_seed, top_k
from .utils._sklearn_compat import _num_samples
from .utils._validation import check_batch_size, check_finite_target


class BaseSampler(BaseEstimator, metaclass=ABCMeta):
    """Base class for samplers.

    A sampler is fitted on the labeled data, then scores pool samples (higher
    means label earlier) and selects a batch of them. Public methods validate
    their input and delegate to ``_score`` and ``_select``.

    Subclasses implement ``fit`` and ``_score(X)``; batch-aware samplers also
    override ``_select(X, batch_size)``. Every sampler has a ``random_state``
    (ties, draws); its constraint is declared here and merged by subclasses.

    A ranking sampler whose ``_score(X, top=None)`` takes ``top=(k, seed)``
    selects by streaming: it returns the best ``k`` indices instead of the
    scores. Such samplers, and those whose :meth:`_supports_dask` says so,
    take pools held as dask arrays.
    """

    _parameter_constraints: dict = {"random_state": ["random_state"]}

    def score_samples(self, X):
        """Informativeness of each pool sample: higher means label earlier.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The pool of unlabeled samples; a ``dask.array`` for the samplers
            that score one block by block (see :ref:`scale`).

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            One score per sample; a lazy dask array for a dask pool.
        """
        check_is_fitted(self)
        X = self._validate_any_pool(X)
        return self._score(X)

    def score(self, X, y=None):
        """Per-sample informativeness; the same array as :meth:`score_samples`.

        This is the name the fit / score / select API uses. Unlike most
        scikit-learn ``score`` methods it returns one value per sample, not
        one number, so ``cross_val_score`` does not apply to a sampler.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The pool of unlabeled samples; a ``dask.array`` for the samplers
            that score one block by block (see :ref:`scale`).

        y : None
            Ignored; present so that a sampler can end a
            :class:`~sklearn.pipeline.Pipeline`.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            One score per sample, higher means label earlier; a lazy dask
            array for a dask pool.
        """
        return self.score_samples(X)

    def select(self, X, batch_size=1):
        """Indices of the pool samples to label next, best first.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The pool of unlabeled samples; a ``dask.array`` for the samplers
            that select from each block on its worker (see :ref:`scale`).

        batch_size : int, default=1
            How many samples to select; between 1 and ``n_samples``.

        Returns
        -------
        indices : ndarray of shape (batch_size,)
            Distinct row indices into ``X``, the most informative first.
        """
        check_is_fitted(self)
        X = self._validate_any_pool(X)
        batch_size = check_batch_size(batch_size, _num_samples(X))
        return self._select(X, batch_size)

    def _validate_labeled(self, X, y=None):
        """Check the labeled ``X`` that an inner estimator will validate itself.

        ``X`` is passed on unconverted (it may be a DataFrame or text for a
        Pipeline): only its feature count and names are recorded.
        """
        validate_data(self, X, y, skip_check_array=True)
        if _num_samples(X) == 0:
            raise ValueError(
                "X is empty (0 samples): fit the sampler on the labeled samples."
            )
        # Frozen models and bootstrap rows meet no fit that would check it.
        if y is not None:
            check_consistent_length(X, y)
        check_finite_target(y)

    def _validate_pool(self, X):
        """Check a pool that is passed on unconverted.

        Where an inner estimator validates the pool (see
        :meth:`_inner_validates`), it decides which columns it needs: a
        ``ColumnTransformer`` that selects columns by name takes them in any
        order. Otherwise the number and names of the features are checked
        against those seen in ``fit``.
        """
        if hasattr(self, "n_features_in_") and np.ndim(X) == 1:
            raise ValueError(
                "Expected 2D array, got 1D array instead: the pool must have "
                "shape (n_samples, n_features). Reshape a single sample with "
                "X.reshape(1, -1)."
            )
        if not self._inner_validates():
            X = validate_data(self, X, reset=False, skip_check_array=True)
        if _num_samples(X) == 0:
            raise ValueError(
                "The pool X is empty (0 samples): pass at least one sample to "
                "score or select from."
            )
        return X

    def _validate_any_pool(self, X):
        """:meth:`_validate_pool`, or for a dask array or DataFrame the checks
        that need no computation (a DataFrame's partition lengths excepted):
        its blocks are validated where they are scored."""
        if not is_dask_pool(X):
            return self._validate_pool(X)
        if not self._supports_dask():
            raise TypeError(
                f"{type(self).__name__} does not take dask arrays or "
                "DataFrames: it needs the whole pool in one place. Compute it "
                "(X.compute(), or np.load(..., mmap_mode='r') for a pool on "
                "disk), or use UncertaintySampler, CommitteeSampler, "
                "RandomSampler or DiversitySampler(strategy='kmeans' or "
                "'coreset'), which score a dask pool block by block."
            )
        if is_dask_dataframe(X):
            # The columns, by the frame's empty pandas metadata, before the
            # pass that counts the rows; as in memory, an inner estimator
            # that validates decides which columns it needs.
            if not self._inner_validates():
                validate_data(self, X._meta, reset=False, skip_check_array=True)
            X = check_dask_pool(X)
        else:
            X = check_dask_pool(X)
            validate_data(self, X, reset=False, skip_check_array=True)
        if X.shape[0] == 0:
            raise ValueError("The dask pool X is empty (0 samples).")
        return X

    def _inner_validates(self):
        """Whether a fitted inner estimator checks the pool's features."""
        return False

    def _supports_dask(self):
        """Whether the pool may be a dask array: by default, the samplers
        whose batch streams from a ranking (see :meth:`_select`)."""
        return self._is_ranking() and self._streams()

    def _streams(self):
        return "top" in inspect.signature(self._score).parameters

    @abstractmethod
    def _score(self, X):
        """Scores of validated pool ``X``, higher means label earlier."""

    def _select(self, X, batch_size):
        """The best ``batch_size`` of the ranking by :meth:`_score`; streamed
        when ``_score`` takes ``top``."""
        if self._streams():
            return self._score(X, top=(batch_size, tie_seed(self.random_state)))
        return top_k(self._score(X), batch_size, self.random_state)

    def _ranked(self, scores, top):
        """``scores``, or their best ``top[0]`` indices when selecting."""
        return scores if top is None else top_k(scores, top[0], top[1])

    def _random_ranking(self, X, top=None):
        """Uniform random scores seeded by ``random_state`` (or their best
        ``top[0]``): the order of a sampler that has nothing to go on. A
        sample's score depends only on its index, in memory or on dask."""
        seed = tie_seed(self.random_state)
        if is_dask_pool(X):
            if top is None:
                return dask_scores(_random_block, X, seed=seed)
            return dask_top(_random_block, X, *top, seed=seed)
        return self._ranked(random_scores(_num_samples(X), seed), top)

    def _is_ranking(self):
        """Whether the batch is the top of one ranking of the pool (the
        default ``_select``): what the ranking checks of
        :mod:`skactive.utils.estimator_checks` test."""
        return type(self)._select is BaseSampler._select

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.sparse = True
        return tags


def _random_block(X, *, offset, seed):
    return random_scores(X.shape[0], seed, offset=offset)

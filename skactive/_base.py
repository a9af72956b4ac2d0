"""Base class of all samplers: validation, chunked parallel scoring, top-k."""

# SPDX-License-Identifier: BSD-3-Clause

from abc import ABCMeta, abstractmethod
from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.utils import _safe_indexing, check_random_state, gen_batches, get_tags
from sklearn.utils._chunking import get_chunk_n_rows
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import _num_samples, check_is_fitted, validate_data

# Cap on the rows of one scoring chunk, so that even a pool that fits in
# working memory is cut into pieces that several workers can share. It does
# not depend on n_jobs: the same chunks, hence the same floating-point
# results, whatever the number of workers.
_MAX_CHUNK_ROWS = 2**14


class BaseSampler(BaseEstimator, metaclass=ABCMeta):
    """Base class for samplers.

    A sampler is fitted on the labeled data, then scores pool samples (higher
    means label earlier) and selects a batch of them. Public methods validate
    their input and delegate to ``_score`` and ``_select``.

    Subclasses implement ``fit`` and ``_score(X)``; batch-aware samplers also
    override ``_select(X, batch_size)``.
    """

    def score_samples(self, X):
        """Informativeness of each pool sample: higher means label earlier.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The pool of unlabeled samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            One score per sample.
        """
        check_is_fitted(self)
        X = self._validate_pool(X)
        return self._score(X)

    def score(self, X, y=None):
        """Per-sample informativeness; the same array as :meth:`score_samples`.

        This is the name the fit / score / select API uses. Unlike most
        scikit-learn ``score`` methods it returns one value per sample, not
        one number, so ``cross_val_score`` does not apply to a sampler.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The pool of unlabeled samples.

        y : None
            Ignored; present so that a sampler can end a
            :class:`~sklearn.pipeline.Pipeline`.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            One score per sample, higher means label earlier.
        """
        return self.score_samples(X)

    def select(self, X, batch_size=1):
        """Indices of the pool samples to label next, best first.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The pool of unlabeled samples.

        batch_size : int, default=1
            How many samples to select; between 1 and ``n_samples``.

        Returns
        -------
        indices : ndarray of shape (batch_size,)
            Distinct row indices into ``X``, the most informative first.
        """
        check_is_fitted(self)
        X = self._validate_pool(X)
        batch_size = _check_batch_size(batch_size, _num_samples(X))
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

    def _validate_pool(self, X):
        """Check a pool that an inner estimator will validate itself."""
        if hasattr(self, "n_features_in_") and np.ndim(X) == 1:
            raise ValueError(
                "Expected 2D array, got 1D array instead: the pool must have "
                "shape (n_samples, n_features). Reshape a single sample with "
                "X.reshape(1, -1)."
            )
        X = validate_data(self, X, reset=False, skip_check_array=True)
        if _num_samples(X) == 0:
            raise ValueError(
                "The pool X is empty (0 samples): pass at least one sample to "
                "score or select from."
            )
        return X

    @abstractmethod
    def _score(self, X):
        """Scores of validated pool ``X``, higher means label earlier."""

    def _select(self, X, batch_size):
        return _top_k(self._score(X), batch_size, self.random_state)

    def _map_chunks(self, func, X, *, row_bytes, max_rows=_MAX_CHUNK_ROWS, **kwargs):
        """Apply ``func(X_chunk, **kwargs)`` over row chunks of ``X`` in parallel.

        Chunks hold ``chunk_size`` rows, or as many as ``row_bytes`` per row
        allows within ``sklearn.get_config()["working_memory"]`` (at most
        ``max_rows``); results are concatenated in order, so they do not
        depend on ``n_jobs`` or the joblib backend.
        """
        if sp.issparse(X) and X.format not in ("csr", "csc"):
            X = X.tocsr()  # formats that can be sliced by rows
        n_samples = _num_samples(X)
        chunk_size = self.chunk_size
        if chunk_size is None:
            chunk_size = get_chunk_n_rows(row_bytes, max_n_rows=max_rows)
            # Chunks of equal size, so that workers share the pool evenly.
            n_chunks = max(1, -(-n_samples // chunk_size))
            chunk_size = max(1, -(-n_samples // n_chunks))
        results = Parallel(n_jobs=self.n_jobs)(
            delayed(func)(_safe_indexing(X, rows), **kwargs)
            for rows in gen_batches(n_samples, chunk_size)
        )
        return np.concatenate(results)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.sparse = True
        return tags


def _inherit_input_tags(tags, estimators, fields=("allow_nan", "sparse")):
    """Accept the inputs that every inner estimator accepts.

    A sampler hands its ``X`` to inner estimators unconverted, so for each of
    ``fields`` of the input tags it can take what all of them take.
    """
    inner = [get_tags(estimator).input_tags for estimator in estimators]
    for field in fields:
        setattr(tags.input_tags, field, all(getattr(t, field) for t in inner))
    return tags


def _check_batch_size(batch_size, n_samples):
    if isinstance(batch_size, bool) or not isinstance(batch_size, Integral):
        raise TypeError(
            f"batch_size must be an integer, got {batch_size!r} "
            f"({type(batch_size).__name__})."
        )
    if batch_size < 1:
        raise ValueError(
            f"batch_size must be at least 1, got {batch_size}: ask for the "
            "number of samples to label next."
        )
    if batch_size > n_samples:
        raise ValueError(
            f"batch_size={batch_size} is larger than the pool ({n_samples} "
            f"samples): ask for at most {n_samples}."
        )
    return int(batch_size)


def _top_k(scores, k, random_state):
    """Indices of the ``k`` highest scores, highest first.

    Exact ties are broken at random with ``random_state``, both at the edge
    of the batch (which of the tied samples get in) and inside it (their
    order). Runs in O(n + k log k): one ``argpartition``, then a sort of the
    ``k`` winners only.
    """
    n_samples = scores.shape[0]
    rng = check_random_state(random_state)
    if k < n_samples:
        winners = np.argpartition(scores, n_samples - k)[n_samples - k:]
        threshold = scores[winners].min()
        above = winners[scores[winners] > threshold]
        tied = np.flatnonzero(scores == threshold)
        n_tied = k - above.shape[0]
        if tied.shape[0] > n_tied:
            tied = rng.choice(tied, size=n_tied, replace=False)
        winners = np.concatenate([above, tied])
    else:
        winners = np.arange(n_samples)
    tie_breaker = rng.permutation(winners.shape[0])
    order = np.lexsort((tie_breaker, -scores[winners]))
    return winners[order]

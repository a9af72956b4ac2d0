"""Random sampling: the baseline every active-learning experiment needs."""

# SPDX-License-Identifier: BSD-3-Clause

from dataclasses import replace

from sklearn.utils.validation import validate_data

from ..base import BaseSampler
from ..utils._sklearn_compat import _fit_context, _num_samples


class RandomSampler(BaseSampler):
    """Select pool samples uniformly at random.

    Each sample gets a uniform score in [0, 1), a hash of its row index and
    the seed (splitmix64); :meth:`select` takes the highest ones, so the
    batch is a uniform random subset of the pool in random order, and
    ``select(X, k)`` is exactly the ``k`` best of ``score_samples(X)`` for
    the same ``random_state``. A sample's score does not depend on the rest
    of the pool, so a pool held as a dask array gets the same scores, block
    by block. It needs no labels
    and no model: compare every other strategy against it.

    Parameters
    ----------
    random_state : int, RandomState instance or None, default=None
        Seed of the draws. Pass an int for the same scores and batch at every
        call.

    Attributes
    ----------
    n_samples_fit_ : int
        Number of samples seen during ``fit``.

    n_features_in_ : int
        Number of features seen during ``fit``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string
        column names.

    See Also
    --------
    skactive.UncertaintySampler : Select what a classifier is unsure about.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive import RandomSampler
    >>> X = np.arange(20).reshape(10, 2)
    >>> sampler = RandomSampler(random_state=0).fit(X)
    >>> sampler.select(X, batch_size=3)
    array([2, 8, 6])
    """

    _parameter_constraints: dict = {**BaseSampler._parameter_constraints}

    def __init__(self, *, random_state=None):
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Record the shape of the data; nothing is learned.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or list of str
            Labeled samples, or documents.

        y : array-like of shape (n_samples,), default=None
            Ignored.

        Returns
        -------
        self : object
            The fitted sampler.
        """
        self.n_samples_fit_ = _num_samples(self._check(X, reset=True))
        return self

    def _validate_pool(self, X):
        return self._check(X, reset=False)

    def _check(self, X, reset):
        """Any 2-D input, or documents: one string per sample."""
        if _is_documents(X):
            X = validate_data(self, X, reset=reset, skip_check_array=True)
            if _num_samples(X) == 0:
                raise ValueError("X is empty (0 samples): pass at least one sample.")
            return X
        return validate_data(self, X, reset=reset, accept_sparse=True, dtype=None,
                             ensure_all_finite=False)

    def __skactive_tags__(self):
        return replace(super().__skactive_tags__(), streaming=True, dask=True)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        return tags

    def _score(self, X, top=None):
        return self._random_ranking(X, top)


def _is_documents(X):
    """Whether ``X`` is a 1-D sequence of strings (texts for a vectorizer)."""
    if hasattr(X, "shape") and len(X.shape) != 1:
        return False
    try:
        first = X.iloc[0] if hasattr(X, "iloc") else X[0]
    except (IndexError, KeyError, TypeError):
        return False
    return isinstance(first, (str, bytes))

"""Random sampling: the baseline every active-learning experiment needs."""

# SPDX-License-Identifier: BSD-3-Clause

from sklearn.utils import check_random_state
from sklearn.utils.validation import validate_data

from ._base import BaseSampler
from .utils._sklearn_compat import _fit_context, _num_samples


class RandomSampler(BaseSampler):
    """Select pool samples uniformly at random.

    Each sample gets an independent uniform score in [0, 1); :meth:`select`
    takes the highest ones, so the batch is a uniform random subset of the
    pool in random order, and ``select(X, k)`` is exactly the ``k`` best of
    ``score_samples(X)`` for the same ``random_state``. It needs no labels
    and no model: compare every other strategy against it.

    Parameters
    ----------
    random_state : int, RandomState instance or None, default=None
        Seed of the draws. Pass an int for the same scores and batch at every
        call.

    Attributes
    ----------
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
    array([8, 7, 1])
    """

    _parameter_constraints: dict = {**BaseSampler._parameter_constraints}

    def __init__(self, *, random_state=None):
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Record the shape of the data; nothing is learned.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Labeled samples.

        y : array-like of shape (n_samples,), default=None
            Ignored.

        Returns
        -------
        self : object
            The fitted sampler.
        """
        validate_data(self, X, accept_sparse=True, dtype=None,
                      ensure_all_finite=False)
        return self

    def _validate_pool(self, X):
        return validate_data(self, X, reset=False, accept_sparse=True, dtype=None,
                             ensure_all_finite=False)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        return tags

    def _score(self, X):
        return check_random_state(self.random_state).uniform(size=_num_samples(X))

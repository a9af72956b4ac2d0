"""The base class of all samplers, for writing your own: :class:`BaseSampler`."""

# SPDX-License-Identifier: BSD-3-Clause

from abc import ABCMeta, abstractmethod

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    validate_data,
)

from .utils import SamplerTags
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

__all__ = ["BaseSampler"]


class BaseSampler(BaseEstimator, metaclass=ABCMeta):
    """Base class for all samplers in skactive, and for yours.

    A sampler is fitted on the labeled data, then scores pool samples (higher
    means label earlier) and selects a batch of them. The public methods
    :meth:`score_samples`, :meth:`score` and :meth:`select` check that the
    sampler is fitted and validate the pool (its number and names of
    features against those seen in ``fit``, not empty, ``batch_size``
    between 1 and the pool size), then delegate to two methods that a
    subclass overrides, as scikit-learn's ``BaseSearchCV`` subclasses
    override ``_run_search``:

    - ``_score(X)`` (required): the scores of the validated pool ``X``, an
      ndarray of shape ``(n_samples,)``, higher means label earlier;
    - ``_select(X, batch_size)`` (optional): the indices of the batch, best
      first. The default takes the ``batch_size`` best scores of ``_score``,
      exact ties broken by keys drawn from ``random_state``, so that the
      batch of ``j`` is the first ``j`` of the batch of ``k``. A batch-aware
      sampler overrides it and declares ``ranking=False`` in its tags.

    A subclass also implements ``fit(X, y=None)``, which validates the
    labeled data with :func:`sklearn.utils.validation.validate_data` (this
    records the features that the pool is checked against), learns what
    scoring needs in attributes ending in ``_``, and returns ``self``; and
    ``__init__``, which only stores its parameters, ``random_state``
    included (``_parameter_constraints`` declares it; merge it into yours).

    Its tags (:class:`~skactive.utils.SamplerTags`, read with
    :func:`~skactive.utils.get_sampler_tags`) say what it promises: whether
    it ranks, streams, takes dask pools, and which targets it takes. Override
    ``__skactive_tags__`` to change them: call ``super().__skactive_tags__()``
    and return a :func:`dataclasses.replace` of it.
    :func:`~skactive.utils.estimator_checks.check_sampler` checks that the
    sampler keeps its promises. See :ref:`extending` for a complete example.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.utils.validation import validate_data
    >>> from skactive.base import BaseSampler
    >>> class FarFromZero(BaseSampler):
    ...     def __init__(self, random_state=None):
    ...         self.random_state = random_state
    ...     def fit(self, X, y=None):
    ...         validate_data(self, X)
    ...         self.fitted_ = True
    ...         return self
    ...     def _score(self, X):
    ...         return np.linalg.norm(np.asarray(X, dtype=float), axis=1)
    >>> X_pool = np.array([[0.0, 1.0], [3.0, 4.0], [1.0, 1.0]])
    >>> FarFromZero().fit(X_pool).select(X_pool, batch_size=2)
    array([1, 2])
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
        if not self.__skactive_tags__().dask:
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

    @abstractmethod
    def _score(self, X):
        """Scores of the validated pool ``X``, higher means label earlier.

        Override it. A sampler whose tags say ``streaming=True`` takes a
        keyword ``top=None`` too: given ``top=(k, seed)``, it returns the
        indices of its ``k`` best scores instead, ties broken by ``seed``
        (``self._ranked(scores, top)`` does it for scores computed at once).
        """

    def _select(self, X, batch_size):
        """The best ``batch_size`` of the ranking by :meth:`_score`, best
        first; streamed when the tags say ``streaming``. Override it for a
        batch-aware selection (and declare ``ranking=False``)."""
        if self.__skactive_tags__().streaming:
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

    def __skactive_tags__(self):
        """The sampler's tags: by default a ranking sampler (the default
        :meth:`_select`) that does not stream and takes no dask pool."""
        return SamplerTags()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.sparse = True
        return tags


def _random_block(X, *, offset, seed):
    return random_scores(X.shape[0], seed, offset=offset)

"""Base class of all samplers: validation, chunked parallel scoring, top-k."""

# SPDX-License-Identifier: BSD-3-Clause

import inspect
import uuid
import warnings
from abc import ABCMeta, abstractmethod
from functools import partial, wraps
from numbers import Integral, Number

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.utils import assert_all_finite, check_array, get_tags
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    validate_data,
)

from .exceptions import SingleClassWarning
from .utils._chunks import MAX_CHUNK_ROWS, map_chunks
from .utils._dask import (
    check_dask_pool,
    dask_scores,
    dask_top,
    is_dask_dataframe,
    is_dask_pool,
)
from .utils._selection import (
    nearest_squared_distances,
    random_scores,
    tie_seed,
    top_k,
)
from .utils._sklearn_compat import Interval, _num_samples
from .utils._validation import check_batch_size

# A chunk of the pool meets a reference set in distance blocks of at most
# _REFERENCE_BLOCK rows and about _DISTANCE_CHUNK_BYTES.
_REFERENCE_BLOCK = 1024
_DISTANCE_CHUNK_BYTES = 16 * 2**20


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


def check_finite_target(y):
    """Refuse a target with NaN or infinity, naming ``y`` (``type_of_target``
    and the inner estimators say only "Input contains NaN")."""
    if y is None:
        return
    try:
        assert_all_finite(y, input_name="y")
    except ValueError as error:
        raise ValueError(f"{error} Fit the sampler on labeled samples only, each "
                         "with a finite target (drop the rows whose target is "
                         "missing).") from None


def _warn_single_class():
    """Say that the model-based sampler will rank the pool at random."""
    warnings.warn(
        "The labeled data hold a single class, so no classifier can be trained "
        "to tell uncertain samples apart; the pool is ranked in random order "
        "(seeded by random_state) until a second class is labeled.",
        SingleClassWarning,
    )


def _inherit_input_tags(tags, estimators, fields=("allow_nan", "sparse")):
    """Accept the inputs that every inner estimator accepts.

    A sampler hands its ``X`` to inner estimators unconverted, so for each of
    ``fields`` of the input tags it can take what all of them take.
    """
    inner = [get_tags(estimator).input_tags for estimator in estimators]
    for field in fields:
        setattr(tags.input_tags, field, all(getattr(t, field) for t in inner))
    return tags


class ChunkedSampler(BaseSampler):
    """Base class of samplers that map a model or a transformer over chunks of
    the pool, in parallel: declares ``chunk_size`` and ``n_jobs``."""

    _parameter_constraints: dict = {
        **BaseSampler._parameter_constraints,
        "chunk_size": [Interval(Integral, 1, None, closed="left"), None],
        "n_jobs": [Integral, None],
    }

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "fit" in vars(cls):
            cls.fit = _renews_fit_token(vars(cls)["fit"])

    def _map_chunks(self, func, X, *, row_bytes, max_rows=MAX_CHUNK_ROWS, top=None,
                    **kwargs):
        """Apply ``func(X_chunk, **kwargs)`` over row chunks of ``X`` in parallel.

        Chunks hold ``chunk_size`` rows, or as many as ``row_bytes`` per row
        allows within ``sklearn.get_config()["working_memory"]`` (at most
        ``max_rows``); results come in order, so they do not depend on
        ``n_jobs`` or the joblib backend. With ``top=(k, seed)``, the best
        ``k`` indices instead, streamed: each chunk keeps its best ``k`` and
        only those are merged, so memory is a chunk plus ``k`` per chunk, not
        a score per pool row.

        A dask pool is mapped block by block on its workers, each block cut
        into the same chunks (``n_jobs`` is then dask's): lazy scores, or the
        best ``k`` of each block merged on the client.
        """
        chunking = dict(row_bytes=row_bytes, chunk_size=self.chunk_size,
                        max_rows=max_rows)
        if is_dask_pool(X):
            block = partial(_chunked_block, func, chunking)
            if top is None:
                return dask_scores(block, X, **kwargs)
            return dask_top(block, X, *top, **kwargs)
        kwargs, keep = self._kept_until_refit(kwargs)
        return map_chunks(func, X, n_jobs=self.n_jobs, top=top, keep=keep,
                          **chunking, **kwargs)

    def _kept_until_refit(self, kwargs):
        """``kwargs`` split in two: those that are fitted attributes (the
        model), which worker processes keep from one call to the next until
        the sampler is fitted again (``map_chunks(keep=...)``, under the
        fit's token and the attributes' names), and the others, sent with
        every call."""
        token = getattr(self, "_fit_token", None)
        fitted = {id(value): name for name, value in vars(self).items()
                  if name.endswith("_") and value is not None
                  and not isinstance(value, (str, bytes, Number))}
        kept = {key: value for key, value in kwargs.items() if id(value) in fitted}
        if token is None or not kept:
            return kwargs, None
        key = (token, tuple(sorted((k, fitted[id(v)]) for k, v in kept.items())))
        return {k: v for k, v in kwargs.items() if k not in kept}, (key, kept)

    def _transform(self, transformer, X):
        """``transformer.transform(X)`` chunk by chunk: embeddings, checked
        finite, dense or CSR as the transformer gives them."""
        n_features = getattr(self, "n_features_in_", 1)
        embeddings = self._map_chunks(_transform_chunk, X, row_bytes=16 * n_features,
                                      transformer=transformer)
        embeddings = check_array(
            embeddings, accept_sparse="csr", dtype=[np.float64, np.float32],
            ensure_all_finite=False, input_name="embeddings",
        )
        values = embeddings.data if sp.issparse(embeddings) else embeddings
        if not np.isfinite(values).all():
            raise ValueError(
                "The transformer produced NaN or infinite embeddings. Check "
                "the transformer and the samples it was given (an imputer "
                "in a Pipeline handles missing values)."
            )
        return embeddings

    def _squared_distances_to(self, embeddings, reference):
        """Squared distance of each embedding to its nearest ``reference`` row,
        chunk by chunk, each chunk's distance blocks within 16 MiB."""
        block_bytes = 8 * min(reference.shape[0], _REFERENCE_BLOCK)
        return self._map_chunks(
            nearest_squared_distances, embeddings, row_bytes=block_bytes,
            max_rows=max(1, _DISTANCE_CHUNK_BYTES // block_bytes),
            reference=reference,
        )


def _renews_fit_token(fit):
    """``fit``, giving the fitted sampler a new token: the key under which
    worker processes keep its fitted attributes between calls. There is no
    token while it fits, so nothing is kept from a model being fitted."""

    @wraps(fit)
    def fit_with_new_token(self, *args, **kwargs):
        self._fit_token = None
        fitted = fit(self, *args, **kwargs)
        self._fit_token = uuid.uuid4().hex
        return fitted

    return fit_with_new_token


def _random_block(X, *, offset, seed):
    return random_scores(X.shape[0], seed, offset=offset)


def _chunked_block(func, chunking, X, *, offset, **kwargs):
    """A dask block scored chunk by chunk, on one worker."""
    return map_chunks(func, X, n_jobs=1, **chunking, **kwargs)


def _transform_chunk(X, *, transformer):
    return transformer.transform(X)

"""Checks that any sampler, yours included, keeps the sampler contract.

scikit-learn's :func:`~sklearn.utils.estimator_checks.check_estimator`
checks the estimator API; these check what a sampler promises on top of it:

- :meth:`select` returns distinct integer indices into the pool, as many as
  asked, and refuses a bad batch size or an empty pool with a clear error;
- a *ranking* sampler (whose batch is the top of one ranking of the pool)
  selects exactly the ``k`` best of its :meth:`score_samples`, and its batch
  of ``j`` is the first ``j`` of its batch of ``k``;
- a fixed ``random_state`` gives the same scores and batch every time, with
  any ``n_jobs`` and ``chunk_size``, and after a pickle round trip;
- nothing passed in is modified;
- a sampler that takes dask pools (when dask is installed) selects from a
  dask array, or a dask DataFrame, valid batches, and a ranking sampler
  that streams the same scores and batch as in memory.

Which checks apply is read from the sampler's public tags
(:func:`~skactive.utils.get_sampler_tags`): ``ranking`` adds the ranking
checks, ``dask`` the dask check, and ``task_types`` chooses the default data
(three classes, or a regression target for a regression-only sampler).

Run them all with :func:`check_sampler`, or one test per check with
:func:`parametrize_with_sampler_checks`. A check that does not apply to the
data (the dask check on texts or a sparse pool) raises
``unittest.SkipTest`` with the reason: pytest reports it as skipped, and
:func:`check_sampler` warns with a ``SkipTestWarning``, as scikit-learn's
``check_estimator`` does.
"""

# SPDX-License-Identifier: BSD-3-Clause

import importlib.util
import pickle
import warnings
from functools import partial
from unittest import SkipTest

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.datasets import (
    make_classification,
    make_multilabel_classification,
    make_regression,
)
from sklearn.exceptions import SkipTestWarning

from ._selection import top_k
from ._tags import get_sampler_tags

__all__ = ["check_sampler", "parametrize_with_sampler_checks", "sampler_checks"]


def _default_data(sampler):
    """Labeled samples and a pool in four dimensions, for a target the sampler
    takes: three classes, else a regression target, else three labels."""
    task_types = get_sampler_tags(sampler).task_types
    if "classification" in task_types:
        X, y = make_classification(n_samples=150, n_features=4, n_informative=3,
                                   n_redundant=0, n_classes=3,
                                   n_clusters_per_class=1, random_state=0)
    elif "regression" in task_types:
        X, y = make_regression(n_samples=150, n_features=4, noise=1.0,
                               random_state=0)
    else:
        X, y = make_multilabel_classification(n_samples=150, n_features=4,
                                              n_classes=3, random_state=0)
    return X[:30], y[:30], X[30:]


def _sampler_params(sampler, name):
    """Keys of ``name`` in ``sampler`` and in the samplers nested in it (not in
    other estimators: a forest's own n_jobs is the forest's business)."""
    params = sampler.get_params(deep=True)
    keys = [name] if name in sampler.get_params(deep=False) else []
    for key in params:
        owner, _, last = key.rpartition("__")
        if last == name and owner and all(
            hasattr(params[owner], method) for method in ("select", "score_samples")
        ):
            keys.append(key)
    return keys


def _seeded(sampler, **params):
    """A clone with ``random_state=0`` (when it has one) and ``params`` set, on
    the sampler and on the samplers nested in it."""
    sampler = clone(sampler)
    if "random_state" in sampler.get_params(deep=False):
        sampler.set_params(random_state=0)
    for name, value in params.items():
        sampler.set_params(**{key: value for key in _sampler_params(sampler, name)})
    return sampler


def _ranks(sampler, ranking):
    if ranking is not None:
        return ranking
    return get_sampler_tags(sampler).ranking


def _n_pool(X_pool):
    return X_pool.shape[0] if hasattr(X_pool, "shape") else len(X_pool)


def _empty(X_pool):
    if hasattr(X_pool, "iloc"):
        return X_pool.iloc[:0]
    return X_pool[:0]


def check_select_returns_distinct_indices(sampler, X, y, X_pool):
    """``select(X_pool, k)``: ``k`` distinct integer indices into the pool."""
    fitted = _seeded(sampler).fit(X, y)
    n_pool = _n_pool(X_pool)
    for k in sorted({1, min(5, n_pool), n_pool}):
        picked = fitted.select(X_pool, k)
        assert isinstance(picked, np.ndarray), (
            f"select must return an ndarray, got {type(picked).__name__}")
        assert np.issubdtype(picked.dtype, np.integer), (
            f"select must return integer indices, got dtype {picked.dtype}")
        assert picked.shape == (k,), (
            f"select(X, {k}) returned shape {picked.shape}, expected ({k},)")
        assert np.unique(picked).size == k, (
            f"select(X, {k}) returned duplicate indices: {picked.tolist()}")
        assert picked.min() >= 0 and picked.max() < n_pool, (
            f"select returned indices outside [0, {n_pool}): {picked.tolist()}")


def check_scores_one_per_sample(sampler, X, y, X_pool):
    """``score_samples`` and ``score``: one finite float per pool sample."""
    fitted = _seeded(sampler).fit(X, y)
    scores = fitted.score_samples(X_pool)
    assert scores.shape == (_n_pool(X_pool),), (
        f"score_samples returned shape {scores.shape}, expected "
        f"({_n_pool(X_pool)},)")
    assert np.isfinite(scores).all(), "score_samples returned NaN or infinity"
    np.testing.assert_array_equal(fitted.score(X_pool), scores)


def check_select_is_top_k_of_scores(sampler, X, y, X_pool):
    """A ranking sampler selects the ``k`` best scores, best first."""
    fitted = _seeded(sampler).fit(X, y)
    scores = fitted.score_samples(X_pool)
    k = max(1, _n_pool(X_pool) // 3)
    picked = fitted.select(X_pool, k)
    rest = np.setdiff1d(np.arange(scores.shape[0]), picked)
    assert np.all(np.diff(scores[picked]) <= 0), (
        "select must return the batch best first: its scores must not increase")
    if rest.size:
        assert scores[picked].min() >= scores[rest].max(), (
            "select left out a sample that scores higher than one it picked")


def check_prefix_property(sampler, X, y, X_pool):
    """A ranking sampler's batch of ``j`` is the first ``j`` of its batch of ``k``."""
    fitted = _seeded(sampler).fit(X, y)
    k = min(12, _n_pool(X_pool))
    full = fitted.select(X_pool, k)
    for j in range(1, k):
        np.testing.assert_array_equal(
            fitted.select(X_pool, j), full[:j],
            err_msg=f"select(X, {j}) is not the first {j} of select(X, {k})")


def check_n_jobs_and_chunks_invariance(sampler, X, y, X_pool):
    """The same scores and batch with any ``n_jobs``; the same scores, to
    rounding, with any ``chunk_size``.

    Chunks do not depend on ``n_jobs``, so neither do the results, to the
    last bit. A model's arithmetic may round differently on chunks of other
    sizes (BLAS blocks a matrix product by its shape), so scores under
    another ``chunk_size`` must agree to a relative 1e-10 (1e-4 for a
    float32 pool, whose models compute in float32).
    """
    k = min(10, _n_pool(X_pool))
    expected = _seeded(sampler).fit(X, y)
    scores, batch = expected.score_samples(X_pool), expected.select(X_pool, k)
    if _sampler_params(sampler, "n_jobs"):
        for n_jobs in (1, 2):
            other = _seeded(sampler, n_jobs=n_jobs).fit(X, y)
            np.testing.assert_array_equal(
                other.score_samples(X_pool), scores,
                err_msg=f"score_samples changes with n_jobs={n_jobs}")
            np.testing.assert_array_equal(
                other.select(X_pool, k), batch,
                err_msg=f"select changes with n_jobs={n_jobs}")
    if _sampler_params(sampler, "chunk_size"):
        other = _seeded(sampler, chunk_size=7).fit(X, y)
        single = getattr(X_pool, "dtype", None) == np.float32
        np.testing.assert_allclose(
            other.score_samples(X_pool), scores, rtol=1e-4 if single else 1e-10,
            atol=1e-6 if single else 1e-12,
            err_msg="score_samples changes with chunk_size=7")


def check_fixed_random_state_is_reproducible(sampler, X, y, X_pool):
    """With an int ``random_state``, every fit and call gives the same batch."""
    k = min(10, _n_pool(X_pool))
    first = _seeded(sampler).fit(X, y)
    again = _seeded(sampler).fit(X, y)
    batch = first.select(X_pool, k)
    np.testing.assert_array_equal(first.select(X_pool, k), batch,
                                  err_msg="two calls of select differ")
    np.testing.assert_array_equal(again.select(X_pool, k), batch,
                                  err_msg="two fits with one random_state differ")


def check_bad_batch_size(sampler, X, y, X_pool):
    """A batch size of 0, 2.5, or more than the pool is refused clearly."""
    fitted = _seeded(sampler).fit(X, y)
    n_pool = _n_pool(X_pool)
    for batch_size, error in ((0, ValueError), (-1, ValueError), (2.5, TypeError),
                              (True, TypeError), (n_pool + 1, ValueError)):
        try:
            fitted.select(X_pool, batch_size)
        except error as exc:
            assert "batch_size" in str(exc), (
                f"the error for batch_size={batch_size!r} does not name "
                f"batch_size: {exc}")
        else:
            raise AssertionError(
                f"select(X, batch_size={batch_size!r}) did not raise "
                f"{error.__name__}")


def check_empty_pool(sampler, X, y, X_pool):
    """An empty pool is refused with a ValueError."""
    fitted = _seeded(sampler).fit(X, y)
    for method in (fitted.score_samples, partial(fitted.select, batch_size=1)):
        try:
            method(_empty(X_pool))
        except ValueError:
            continue
        raise AssertionError("an empty pool did not raise ValueError")


def check_pickle_round_trip(sampler, X, y, X_pool):
    """A pickled and restored sampler scores and selects as before."""
    fitted = _seeded(sampler).fit(X, y)
    restored = pickle.loads(pickle.dumps(fitted))
    k = min(5, _n_pool(X_pool))
    np.testing.assert_array_equal(restored.score_samples(X_pool),
                                  fitted.score_samples(X_pool))
    np.testing.assert_array_equal(restored.select(X_pool, k), fitted.select(X_pool, k))


def check_inputs_not_modified(sampler, X, y, X_pool):
    """Neither the data nor the sampler's parameters are modified."""
    copies = [pickle.dumps(value) for value in (X, y, X_pool)]
    sampler = _seeded(sampler)
    params = pickle.dumps(sampler.get_params(deep=False))
    fitted = clone(sampler).fit(X, y)
    fitted.score_samples(X_pool)
    fitted.select(X_pool, min(3, _n_pool(X_pool)))
    for name, value, copy in zip(("X", "y", "X_pool"), (X, y, X_pool), copies):
        assert pickle.dumps(value) == copy, f"{name} was modified"
    assert pickle.dumps(sampler.get_params(deep=False)) == params, (
        "the sampler's parameters were modified")


def _dask_pool(X_pool):
    """``X_pool`` as a dask array or DataFrame in three blocks; SkipTest, with
    the reason, for a pool that has no such form."""
    import dask.array as da

    if hasattr(X_pool, "iloc"):
        if importlib.util.find_spec("dask.dataframe") is None:
            raise SkipTest(
                "check_dask_pool skipped: the pool is a DataFrame and "
                "dask.dataframe is not installed (pip install 'dask[dataframe]').")
        import dask.dataframe as dd

        return dd.from_pandas(X_pool, npartitions=3, sort=False)
    if isinstance(X_pool, np.ndarray) and X_pool.ndim == 2:
        return da.from_array(X_pool, chunks=(-(-_n_pool(X_pool) // 3), -1))
    kind = "a sparse matrix" if sp.issparse(X_pool) else (
        f"a {type(X_pool).__name__} (texts?)")
    raise SkipTest(
        f"check_dask_pool skipped: the pool is {kind}, and samplers take dask "
        "pools as a numeric dask array or a dask DataFrame; pass a 2-D "
        "ndarray or a DataFrame pool to check them.")


def check_dask_pool(sampler, X, y, X_pool):
    """A dask pool in three blocks: a streaming ranking sampler gives the
    in-memory scores and batch; any sampler a valid batch.

    Raises ``unittest.SkipTest`` with the reason when ``X_pool`` has no dask
    form (texts, a sparse matrix).
    """
    import dask

    dask_pool = _dask_pool(X_pool)
    fitted = _seeded(sampler).fit(X, y)
    n_pool = _n_pool(X_pool)
    # A ranking that streams is computed block by block as chunk by chunk
    # (blocks are other chunks: equal to rounding, as for chunk_size); the
    # diversity samplers use algorithms made for blocks.
    tags = get_sampler_tags(fitted)
    exact = tags.ranking and tags.streaming
    with dask.config.set(scheduler="synchronous"):
        if exact:
            scores = np.asarray(fitted.score_samples(dask_pool))
            expected = fitted.score_samples(X_pool)
            single = getattr(X_pool, "dtype", None) == np.float32
            np.testing.assert_allclose(
                scores, expected, rtol=1e-4 if single else 1e-10,
                atol=1e-6 if single else 1e-12,
                err_msg="the dask pool's scores are not the in-memory scores")
        for k in sorted({1, min(5, n_pool)}):
            picked = fitted.select(dask_pool, k)
            assert picked.shape == (k,) and np.unique(picked).size == k, (
                f"select on a dask pool returned {picked.tolist()} for k={k}")
            assert picked.min() >= 0 and picked.max() < n_pool
            if exact:
                # The in-memory batch, or where rounding differs the best k
                # of the dask scores by the same seeded order.
                same = np.array_equal(scores, expected)
                np.testing.assert_array_equal(
                    picked, fitted.select(X_pool, k) if same
                    else top_k(scores, k, fitted.random_state),
                    err_msg="the dask pool's batch is not its best scores")


_CHECKS = (
    check_select_returns_distinct_indices,
    check_scores_one_per_sample,
    check_n_jobs_and_chunks_invariance,
    check_fixed_random_state_is_reproducible,
    check_bad_batch_size,
    check_empty_pool,
    check_pickle_round_trip,
    check_inputs_not_modified,
)
_RANKING_CHECKS = (check_select_is_top_k_of_scores, check_prefix_property)


def sampler_checks(sampler, *, ranking=None):
    """The checks that apply to ``sampler``, as functions.

    Parameters
    ----------
    sampler : sampler
        An unfitted sampler.

    ranking : bool, default=None
        Whether the batch is the top of one ranking of the pool, so that the
        ranking checks apply. None reads the ``ranking`` tag of the sampler
        (see :class:`~skactive.utils.SamplerTags`; a
        :class:`~skactive.base.BaseSampler` subclass is a ranking sampler
        unless it declares otherwise).

    Returns
    -------
    checks : list of callable
        Each takes ``(sampler, X, y, X_pool)`` and raises AssertionError on
        failure.

    Examples
    --------
    >>> from skactive import RandomSampler
    >>> from skactive.utils.estimator_checks import sampler_checks
    >>> [check.__name__ for check in sampler_checks(RandomSampler())][:2]
    ['check_select_returns_distinct_indices', 'check_scores_one_per_sample']
    """
    checks = list(_CHECKS)
    if _ranks(sampler, ranking):
        checks += _RANKING_CHECKS
    if (importlib.util.find_spec("dask") is not None
            and get_sampler_tags(sampler).dask):
        checks.append(check_dask_pool)
    return checks


def check_sampler(sampler, X=None, y=None, X_pool=None, *, ranking=None):
    """Check that ``sampler`` keeps the sampler contract; raise at the first breach.

    Parameters
    ----------
    sampler : sampler
        An unfitted sampler (a clone is fitted for each check).

    X, y : array-like, default=None
        Labeled data to fit on. None uses a small problem of a task the
        sampler takes (its ``task_types`` tag): three classes, else a
        regression target, else three labels.

    X_pool : array-like, default=None
        The pool to score and select from; given with ``X`` and ``y``.

    ranking : bool, default=None
        See :func:`sampler_checks`.

    Raises
    ------
    AssertionError
        Names the check and what it found.

    Warns
    -----
    SkipTestWarning
        For each check that does not apply to the data, with the reason.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactive import UncertaintySampler
    >>> from skactive.utils.estimator_checks import check_sampler
    >>> check_sampler(UncertaintySampler(LogisticRegression()))
    """
    if X is None:
        X, y, X_pool = _default_data(sampler)
    elif X_pool is None:
        raise ValueError("Pass X_pool with X and y: the pool to select from.")
    for check in sampler_checks(sampler, ranking=ranking):
        try:
            check(sampler, X, y, X_pool)
        except SkipTest as exc:
            warnings.warn(str(exc), SkipTestWarning)
        except AssertionError as exc:
            raise AssertionError(f"{check.__name__} failed for {sampler!r}: {exc}"
                                 ) from exc


def parametrize_with_sampler_checks(samplers, X=None, y=None, X_pool=None):
    """A ``pytest.mark.parametrize`` decorator: one test per sampler and check.

    The decorated test takes ``sampler`` and ``check`` and calls
    ``check(sampler)``.

    Parameters
    ----------
    samplers : list of samplers
        Unfitted samplers.

    X, y, X_pool : array-like, default=None
        The data of the checks; None uses a small problem of a task each
        sampler takes, as :func:`check_sampler` does.

    Returns
    -------
    decorator : callable
        The ``pytest.mark.parametrize`` mark over ``(sampler, check)``.

    Examples
    --------
    >>> from skactive import RandomSampler
    >>> from skactive.utils.estimator_checks import parametrize_with_sampler_checks
    >>> @parametrize_with_sampler_checks([RandomSampler()])
    ... def test_sampler(sampler, check):
    ...     check(sampler)
    """
    import pytest

    cases, ids = [], []
    for sampler in samplers:
        data = (X, y, X_pool) if X is not None else _default_data(sampler)
        for check in sampler_checks(sampler):
            cases.append((sampler, partial(check, X=data[0], y=data[1],
                                           X_pool=data[2])))
            ids.append(f"{sampler!r}-{check.__name__}")
    return pytest.mark.parametrize("sampler, check", cases, ids=ids)

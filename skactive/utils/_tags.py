"""Sampler tags: what a sampler promises, for the checks and for its users.

Modelled on scikit-learn's estimator tags (:mod:`sklearn.utils._tags`): a
sampler describes itself in ``__skactive_tags__``, and everyone reads the
description through :func:`get_sampler_tags`.
"""

# SPDX-License-Identifier: BSD-3-Clause

from dataclasses import dataclass

from ._sklearn_compat import validate_params

TASK_TYPES = frozenset({"classification", "regression", "multilabel"})


@dataclass(frozen=True, slots=True)
class SamplerTags:
    """What a sampler promises about its scores and the pools it takes.

    A sampler returns its tags from ``__skactive_tags__()``; read them with
    :func:`get_sampler_tags`. A subclass of
    :class:`~skactive.base.BaseSampler` changes the tags it inherits with
    :func:`dataclasses.replace`, as in :ref:`extending`.

    Parameters
    ----------
    ranking : bool, default=True
        Whether the batch of ``select(X, k)`` is the ``k`` best of
        ``score_samples(X)``, best first, ties broken by ``random_state``:
        then the batch of ``j`` is the first ``j`` of the batch of ``k``.
        False for batch-aware samplers (diversity, hybrids), whose batch is
        built as a whole.

    streaming : bool, default=False
        Whether ``_score(X, top=(k, seed))`` returns the best ``k`` indices
        instead of the scores, so that :meth:`~skactive.base.BaseSampler.select`
        keeps a running top ``k`` instead of a score per pool sample.

    dask : bool, default=False
        Whether ``score_samples`` and ``select`` take a pool held as a dask
        array or DataFrame.

    task_types : frozenset of str, default=all three
        The targets ``fit`` takes, among ``"classification"``,
        ``"regression"`` and ``"multilabel"``. A sampler that ignores ``y``
        takes all three.

    Examples
    --------
    >>> from sklearn.linear_model import Ridge
    >>> from skactive import GreedySampler
    >>> from skactive.utils import get_sampler_tags
    >>> tags = get_sampler_tags(GreedySampler(Ridge()))
    >>> tags.ranking, sorted(tags.task_types)
    (False, ['regression'])
    """

    ranking: bool = True
    streaming: bool = False
    dask: bool = False
    task_types: frozenset = TASK_TYPES

    def __post_init__(self):
        unknown = set(self.task_types) - TASK_TYPES
        if unknown or not self.task_types:
            raise ValueError(
                f"task_types must be a non-empty subset of {sorted(TASK_TYPES)}, "
                f"got {sorted(self.task_types)}.")
        object.__setattr__(self, "task_types", frozenset(self.task_types))


@validate_params({"sampler": "no_validation"}, prefer_skip_nested_validation=True)
def get_sampler_tags(sampler):
    """The tags of a sampler.

    Parameters
    ----------
    sampler : sampler instance
        Any object with ``select`` and ``score_samples``. One that does not
        define ``__skactive_tags__`` gets the tags that promise least: not a
        ranking, not streaming, no dask pools.

    Returns
    -------
    tags : SamplerTags
        What the sampler promises.

    Examples
    --------
    >>> from skactive import DiversitySampler
    >>> from skactive.utils import get_sampler_tags
    >>> get_sampler_tags(DiversitySampler(strategy="coreset")).dask
    True
    """
    tags_method = getattr(sampler, "__skactive_tags__", None)
    if tags_method is None:
        return SamplerTags(ranking=False)
    tags = tags_method()
    if not isinstance(tags, SamplerTags):
        raise TypeError(
            f"{type(sampler).__name__}.__skactive_tags__() must return a "
            f"SamplerTags, got {type(tags).__name__}.")
    return tags

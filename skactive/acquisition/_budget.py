"""Select a batch under a labeling budget when samples cost differently."""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Real

import numpy as np
from sklearn.utils import check_array

from ..utils._selection import top_k
from ..utils._sklearn_compat import Interval, validate_params


@validate_params(
    {"scores": ["array-like"], "costs": ["array-like"],
     "budget": [Interval(Real, 0, None, closed="neither")],
     "random_state": ["random_state"]},
    prefer_skip_nested_validation=True,
)
def select_within_budget(scores, costs, budget, *, random_state=None):
    """Samples to label next within a labeling budget, best value per cost first.

    When labeling costs differ per sample (a long document takes longer), the
    batch is chosen greedily by informativeness per unit cost (Settles,
    Craven & Friedland, 2008): samples in decreasing order of
    ``utility / cost`` are taken while they fit in what is left of the
    budget (one that does not fit is skipped, and smaller ones after it may
    still be taken). The utility of a sample is its score minus the lowest
    score of the pool, so the scores of any sampler work, whatever their sign
    (margin's are negative): the least informative sample is worth 0.

    It composes with every sampler::

        select_within_budget(sampler.score_samples(X_pool), costs, budget)

    Parameters
    ----------
    scores : array-like of shape (n_samples,)
        Informativeness of each pool sample, higher = label earlier, such as
        a sampler's ``score_samples``.

    costs : array-like of shape (n_samples,)
        Positive labeling cost of each pool sample (seconds, money, words).

    budget : float
        What the batch may cost in total.

    random_state : int, RandomState instance or None, default=None
        Breaks exact ties in value per cost, as the samplers do.

    Returns
    -------
    indices : ndarray of shape (n_selected,)
        The samples taken, in the order of their value per cost; their costs
        add up to at most ``budget``. Empty when no sample fits.

    Examples
    --------
    >>> from skactive import select_within_budget
    >>> scores = [0.9, 0.8, 0.5, 0.1]
    >>> costs = [10.0, 2.0, 1.0, 1.0]
    >>> select_within_budget(scores, costs, budget=4.0)  # value 0.8/10, 0.7/2, 0.4/1
    array([2, 1, 3])
    """
    scores = check_array(scores, ensure_2d=False, dtype=np.float64,
                         input_name="scores")
    costs = check_array(costs, ensure_2d=False, dtype=np.float64, input_name="costs")
    if scores.ndim != 1 or costs.shape != scores.shape:
        raise ValueError(
            f"scores and costs must be 1-D and of one length (one cost per "
            f"sample), got shapes {scores.shape} and {costs.shape}."
        )
    if costs.min() <= 0:
        raise ValueError(
            f"costs must be positive, got {costs.min():.6g} for sample "
            f"{int(costs.argmin())}: every label takes some effort."
        )
    value = (scores - scores.min()) / costs
    order = top_k(value, value.shape[0], random_state)
    picks, left = [], float(budget)
    for index in order:
        if costs[index] <= left:
            picks.append(index)
            left -= costs[index]
    return np.asarray(picks, dtype=np.intp)

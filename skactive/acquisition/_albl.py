"""Active learning by learning (Hsu & Lin, 2015): EXP4.P over strategies.

ALBL treats each query strategy (and, usually, uniform sampling) as an arm
of the contextual bandit algorithm EXP4.P (Beygelzimer et al., 2011). With
``N`` arms of weights ``w`` and a floor ``p_min``, the arms are played with
probabilities ``p_k = (1 - N p_min) w_k / sum(w) + p_min``
(:func:`exp4p_probabilities`); each arm's advice is a distribution
``psi_k`` over the pool (a one-hot on the sample it would query), and the
query is drawn from the mixture ``q = sum_k p_k psi_k``. Once the label is
known, the reward ``r`` is the importance-weighted accuracy of the model
trained on the labeled set (:func:`importance_weighted_accuracy`), and each
arm's weight is updated by :func:`exp4p_update`.

The weights are kept as logarithms: only their ratios matter, and their
products over hundreds of rounds would overflow.
"""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from scipy.special import softmax

from ..utils._sklearn_compat import Interval, validate_params


def _check_p_min(p_min, n_arms):
    if p_min * n_arms > 1:
        raise ValueError(
            f"p_min={p_min} is more than 1 / {n_arms} (the number of arms): the "
            f"arms' floors would exceed a total probability of 1. Pass p_min <= "
            f"{1 / n_arms:.6g}.")


@validate_params(
    {"log_weights": ["array-like"], "p_min": [Interval(Real, 0, 1, closed="both")]},
    prefer_skip_nested_validation=True,
)
def exp4p_probabilities(log_weights, p_min):
    """EXP4.P's probability of each arm, from the logarithms of its weights.

    .. math:: p_k = (1 - N p_{min}) \\frac{w_k}{\\sum_j w_j} + p_{min}

    Parameters
    ----------
    log_weights : array-like of shape (n_arms,)
        ``log w_k`` of each arm (zeros at the start: every weight is 1).

    p_min : float
        The floor of every arm's probability, at most ``1 / n_arms``.

    Returns
    -------
    probabilities : ndarray of shape (n_arms,)
        Positive (when ``p_min > 0``), summing to 1.

    Examples
    --------
    >>> from skactive.acquisition import exp4p_probabilities
    >>> exp4p_probabilities([0.0, 0.0, 0.0, 0.0], p_min=0.1)
    array([0.25, 0.25, 0.25, 0.25])
    >>> exp4p_probabilities([0.0, 100.0], p_min=0.1)
    array([0.1, 0.9])
    """
    log_weights = np.asarray(log_weights, dtype=np.float64)
    if log_weights.ndim != 1 or log_weights.size == 0 or not np.isfinite(
            log_weights).all():
        raise ValueError("log_weights must be a non-empty 1-D array of finite "
                         f"values, got shape {log_weights.shape}.")
    _check_p_min(p_min, log_weights.size)
    return (1 - log_weights.size * p_min) * softmax(log_weights) + p_min


@validate_params(
    {
        "log_weights": ["array-like"],
        "probabilities": ["array-like"],
        "advice": ["array-like"],
        "query_probability": [Interval(Real, 0, 1, closed="right")],
        "reward": [Real],
        "p_min": [Interval(Real, 0, 1, closed="both")],
        "delta": [Interval(Real, 0, None, closed="neither")],
        "budget": [Interval(Integral, 1, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def exp4p_update(log_weights, probabilities, advice, query_probability, reward, *,
                 p_min, delta, budget):
    """EXP4.P's update of the arms' weights after one query and its reward.

    The query ``i`` was drawn from ``q = sum_k p_k psi_k`` with probability
    ``q_i``; arm ``k`` advised it with probability ``psi_k(i)``. Its
    importance-weighted reward and the bound on its variance are

    .. math:: \\hat r_k = r \\frac{\\psi_k(i)}{q_i}, \\qquad
              \\hat v_k = \\frac{1}{p_k},

    and its weight is multiplied by

    .. math:: \\exp\\Big(\\frac{p_{min}}{2}\\big(\\hat r_k + \\hat v_k
              \\sqrt{\\ln(N / \\delta) / (N T)}\\big)\\Big),

    with ``N`` arms and ``T`` the budget (the number of queries), as in
    Hsu & Lin's ALBL, whose arms are the strategies.

    Parameters
    ----------
    log_weights : array-like of shape (n_arms,)
        ``log w_k`` before the update.

    probabilities : array-like of shape (n_arms,)
        ``p_k``, the arms' probabilities when the query was drawn
        (:func:`exp4p_probabilities`).

    advice : array-like of shape (n_arms,)
        ``psi_k(i)``: the probability that each arm gave the queried sample.

    query_probability : float
        ``q_i``, the probability with which the query was drawn (positive).

    reward : float
        ``r``, the reward of the query (ALBL's
        :func:`importance_weighted_accuracy`).

    p_min : float
        The floor of the arms' probabilities, as in
        :func:`exp4p_probabilities`.

    delta : float
        EXP4.P's confidence parameter (the bound holds with probability
        ``1 - delta``).

    budget : int
        ``T``, the number of queries planned.

    Returns
    -------
    log_weights : ndarray of shape (n_arms,)
        ``log w_k`` after the update.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.acquisition import exp4p_probabilities, exp4p_update
    >>> p = exp4p_probabilities([0.0, 0.0], p_min=0.1)
    >>> new = exp4p_update([0.0, 0.0], p, advice=[1.0, 0.0], query_probability=0.5,
    ...                    reward=0.2, p_min=0.1, delta=0.1, budget=10)
    >>> bool(new[0] > new[1])  # the arm that advised the rewarded query gains
    True
    """
    log_weights, probabilities, advice = (
        np.asarray(a, dtype=np.float64) for a in (log_weights, probabilities, advice))
    if not log_weights.shape == probabilities.shape == advice.shape or (
            log_weights.ndim != 1):
        raise ValueError(
            "log_weights, probabilities and advice must be 1-D arrays of one value "
            f"per arm, got shapes {log_weights.shape}, {probabilities.shape} and "
            f"{advice.shape}.")
    if not (probabilities > 0).all():
        raise ValueError("probabilities must be positive: an arm of probability 0 "
                         "has no importance weight (pass p_min > 0).")
    n_arms = log_weights.size
    estimated_reward = reward * advice / query_probability
    variance_bound = 1.0 / probabilities
    confidence = np.sqrt(np.log(n_arms / delta) / (n_arms * budget))
    return log_weights + p_min / 2 * (estimated_reward + variance_bound * confidence)


@validate_params(
    {
        "correct": ["array-like"],
        "importance_weights": ["array-like"],
        "n_samples": [Interval(Integral, 1, None, closed="left")],
        "budget": [Interval(Integral, 1, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def importance_weighted_accuracy(correct, importance_weights, *, n_samples, budget):
    """ALBL's reward: the importance-weighted accuracy (IW-ACC) on the queries.

    .. math:: \\text{IW-ACC}(f, \\tau) = \\frac{1}{n T} \\sum_{t=1}^{\\tau}
              W_t [y_{i_t} = f(x_{i_t})], \\qquad W_t = \\frac{1}{q_{i_t}},

    over the ``tau`` samples queried so far, each weighted by the inverse of
    the probability with which it was drawn, so that the sum estimates the
    number of samples of the data set that ``f`` classifies correctly
    without bias; ``n`` is the number of samples (labeled and unlabeled) and
    ``T`` the budget.

    Parameters
    ----------
    correct : array-like of shape (n_queries,)
        Whether the model classifies each queried sample correctly (bools,
        or 0 and 1).

    importance_weights : array-like of shape (n_queries,)
        ``W_t = 1 / q_{i_t}`` of each query.

    n_samples : int
        ``n``, the number of samples of the data set.

    budget : int
        ``T``, the number of queries planned.

    Returns
    -------
    reward : float
        The importance-weighted accuracy.

    Examples
    --------
    >>> from skactive.acquisition import importance_weighted_accuracy
    >>> importance_weighted_accuracy([True, False, True], [2.0, 4.0, 10.0],
    ...                              n_samples=20, budget=3)
    0.2
    """
    correct = np.asarray(correct, dtype=np.float64)
    importance_weights = np.asarray(importance_weights, dtype=np.float64)
    if correct.ndim != 1 or correct.shape != importance_weights.shape:
        raise ValueError(
            "correct and importance_weights must be 1-D arrays of one value per "
            f"query, got shapes {correct.shape} and {importance_weights.shape}.")
    return float(correct @ importance_weights / (n_samples * budget))

"""Statistics for comparing strategies: paired tests per data set, Friedman
and Nemenyi across data sets (Demšar, 2006). Pure functions of arrays; the
distributions are scipy's."""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from scipy import stats

from ..utils._sklearn_compat import Interval, validate_params


@validate_params({"p_values": ["array-like"]}, prefer_skip_nested_validation=True)
def holm(p_values):
    """Holm's step-down adjustment of p-values for multiple comparisons.

    The ``i``-th smallest p-value is multiplied by ``m - i`` (``m`` tests,
    ``i`` from 0), then made non-decreasing in that order and capped at 1.
    Rejecting where the adjusted p-value is below alpha controls the
    family-wise error rate at alpha.

    Parameters
    ----------
    p_values : array-like of shape (m,)
        The raw p-values (NaN stays NaN and is left out of ``m``).

    Returns
    -------
    adjusted : ndarray of shape (m,)
        Holm-adjusted p-values, in the input order.

    Examples
    --------
    >>> from skactive.experiment import holm
    >>> holm([0.01, 0.04, 0.03])
    array([0.03, 0.06, 0.06])
    """
    p = np.asarray(p_values, dtype=float)
    adjusted = np.full_like(p, np.nan)
    valid = np.flatnonzero(~np.isnan(p))
    order = valid[np.argsort(p[valid], kind="stable")]
    m = order.size
    running = 0.0
    for i, index in enumerate(order):
        running = max(running, (m - i) * p[index])
        adjusted[index] = min(running, 1.0)
    return adjusted


@validate_params(
    {"scores": ["array-like"], "reference": ["array-like"],
     "alpha": [Interval(Real, 0, 1, closed="neither")]},
    prefer_skip_nested_validation=True,
)
def win_tie_loss(scores, reference, alpha=0.05):
    """Paired comparison of strategies against a reference on one data set.

    For each strategy, the Wilcoxon signed-rank test (``scipy.stats.wilcoxon``)
    of its scores against the reference's over the repeats, Holm-adjusted
    over the strategies; a significant difference is a win (higher mean) or
    a loss, anything else a tie.

    Parameters
    ----------
    scores : array-like of shape (n_strategies, n_repeats)
        Each strategy's score (AUBC) in each repeat, higher is better.

    reference : array-like of shape (n_repeats,)
        The reference strategy's scores, paired by repeat.

    alpha : float, default=0.05
        Significance level of the adjusted p-values.

    Returns
    -------
    outcome : ndarray of str of shape (n_strategies,)
        ``"win"``, ``"tie"`` or ``"loss"``.

    p_values : ndarray of shape (n_strategies,)
        Holm-adjusted p-values (1 where the scores equal the reference's).

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.experiment import win_tie_loss
    >>> reference = np.linspace(0.80, 0.85, 10)
    >>> outcome, p = win_tie_loss([reference + 0.02, reference], reference)
    >>> outcome.tolist()
    ['win', 'tie']
    """
    scores = np.atleast_2d(np.asarray(scores, dtype=float))
    reference = np.asarray(reference, dtype=float)
    if scores.shape[1] != reference.shape[0]:
        raise ValueError(
            f"scores have {scores.shape[1]} repeats and the reference "
            f"{reference.shape[0]}: the comparison is paired by repeat."
        )
    adjusted = holm(wilcoxon_p_values(scores, reference))
    difference = scores.mean(axis=1) - reference.mean()
    outcome = np.where(adjusted < alpha, np.where(difference > 0, "win", "loss"),
                       "tie")
    return outcome, adjusted


@validate_params({"scores": ["array-like"], "reference": ["array-like"]},
                 prefer_skip_nested_validation=True)
def wilcoxon_p_values(scores, reference):
    """Raw two-sided Wilcoxon signed-rank p-values against a reference.

    ``scipy.stats.wilcoxon(scores[i], reference).pvalue`` for each strategy,
    1 where its scores equal the reference's (nothing to test).

    Parameters
    ----------
    scores : array-like of shape (n_strategies, n_repeats)
        Each strategy's score in each repeat.

    reference : array-like of shape (n_repeats,)
        The reference's scores, paired by repeat.

    Returns
    -------
    p_values : ndarray of shape (n_strategies,)
        Not adjusted for multiple comparisons (see :func:`holm`).

    Examples
    --------
    >>> from skactive.experiment import wilcoxon_p_values
    >>> wilcoxon_p_values([[0.9, 0.8, 0.7, 0.95]], [0.5, 0.4, 0.3, 0.6])
    array([0.125])
    """
    scores = np.atleast_2d(np.asarray(scores, dtype=float))
    reference = np.asarray(reference, dtype=float)
    if scores.shape[1] != reference.shape[0]:
        raise ValueError(
            f"scores have {scores.shape[1]} repeats and the reference "
            f"{reference.shape[0]}: the comparison is paired by repeat."
        )
    raw = np.ones(scores.shape[0])
    for i, row in enumerate(scores):
        if not np.allclose(row, reference):
            raw[i] = stats.wilcoxon(row, reference).pvalue
    return raw


@validate_params({"n_repeats": [Interval(Integral, 1, None, closed="left")]},
                 prefer_skip_nested_validation=True)
def smallest_wilcoxon_p(n_repeats):
    """The smallest p-value the exact two-sided Wilcoxon test can reach.

    With ``n`` pairs, every difference of one sign gives the most extreme
    statistic, of probability ``2 / 2**n`` (two-sided): with 4 repeats no
    comparison can be significant at 0.05, whatever the scores.

    Parameters
    ----------
    n_repeats : int
        The number of pairs.

    Returns
    -------
    p : float
        ``2 / 2**n_repeats``, capped at 1.

    Examples
    --------
    >>> from skactive.experiment import smallest_wilcoxon_p
    >>> smallest_wilcoxon_p(2), smallest_wilcoxon_p(10)
    (0.5, 0.001953125)
    """
    return min(1.0, 2.0 / 2.0**n_repeats)


@validate_params(
    {"n_strategies": [Interval(Integral, 3, None, closed="left")],
     "n_datasets": [Interval(Integral, 2, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def smallest_friedman_p(n_strategies, n_datasets):
    """The smallest p-value of :func:`friedman` for k strategies, N data sets.

    It is reached when every data set ranks the strategies alike (the
    statistic is then :math:`N (k - 1)`); scipy's chi-square approximation.

    Parameters
    ----------
    n_strategies : int
        Strategies, k (at least 3).

    n_datasets : int
        Data sets, N (at least 2).

    Returns
    -------
    p : float
        ``scipy.stats.chi2.sf(N * (k - 1), k - 1)``.

    Examples
    --------
    >>> from skactive.experiment import smallest_friedman_p
    >>> round(smallest_friedman_p(3, 2), 3)  # two data sets cannot reject
    0.135
    """
    k, n = n_strategies, n_datasets
    return float(stats.chi2.sf(n * (k - 1), k - 1))


@validate_params({"mean_ranks": [dict], "cd": [Real]},
                 prefer_skip_nested_validation=True)
def cliques(mean_ranks, cd):
    """Groups of strategies whose mean ranks differ by less than the CD.

    The bars of the critical-difference diagram (Demšar, 2006): each group
    is a run of strategies, in mean-rank order, whose first and last differ
    by less than ``cd``; only the maximal groups are returned (none is
    contained in another), and single strategies are left out.

    Parameters
    ----------
    mean_ranks : dict of str to float
        Mean rank of each strategy.

    cd : float
        The critical difference.

    Returns
    -------
    groups : list of list of str
        Each group's strategies by increasing mean rank; the groups from the
        best-ranked down.

    Examples
    --------
    >>> from skactive.experiment import cliques
    >>> cliques({"a": 1.0, "b": 1.5, "c": 2.0, "d": 3.5}, cd=1.2)
    [['a', 'b', 'c']]
    """
    names = sorted(mean_ranks, key=mean_ranks.get)
    ranks = np.array([mean_ranks[n] for n in names], dtype=float)
    groups, reach = [], 0
    for start in range(len(names)):
        end = start
        while end + 1 < len(names) and ranks[end + 1] - ranks[start] < cd:
            end += 1
        # The ends never decrease with the start: a group that does not
        # reach further than the previous one is contained in it.
        if end > start and end > reach:
            groups.append(names[start:end + 1])
        reach = max(reach, end)
    return groups


@validate_params({"scores": ["array-like"]}, prefer_skip_nested_validation=True)
def mean_ranks(scores):
    """Mean rank of each strategy over data sets, 1 = best.

    The highest score ranks 1 on each data set; ties share the mean of
    their ranks.

    Parameters
    ----------
    scores : array-like of shape (n_datasets, n_strategies)
        Each strategy's score (mean AUBC) on each data set.

    Returns
    -------
    ranks : ndarray of shape (n_strategies,)
        The mean rank of each strategy.

    Examples
    --------
    >>> from skactive.experiment import mean_ranks
    >>> mean_ranks([[0.9, 0.8, 0.7], [0.6, 0.8, 0.7]])
    array([2. , 1.5, 2.5])
    """
    scores = np.asarray(scores, dtype=float)
    return np.mean([stats.rankdata(-row) for row in scores], axis=0)


@validate_params({"scores": ["array-like"]}, prefer_skip_nested_validation=True)
def friedman(scores):
    """Friedman's test that all strategies rank alike across data sets.

    ``scipy.stats.friedmanchisquare`` on the strategies' scores, data sets
    as blocks (Demšar, 2006). Needs at least 3 strategies and 2 data sets.

    Parameters
    ----------
    scores : array-like of shape (n_datasets, n_strategies)
        Each strategy's score on each data set.

    Returns
    -------
    statistic : float
        The chi-square statistic.

    p_value : float
        Small when some strategy ranks differently from the others.

    Examples
    --------
    >>> from skactive.experiment import friedman
    >>> statistic, p = friedman([[3, 2, 1], [3, 2, 1], [3, 1, 2], [3, 2, 1]])
    >>> round(statistic, 2)
    6.5
    """
    scores = np.asarray(scores, dtype=float)
    if scores.ndim != 2 or scores.shape[1] < 3 or scores.shape[0] < 2:
        raise ValueError(
            f"Friedman's test needs at least 3 strategies and 2 data sets, got "
            f"scores of shape {scores.shape} (data sets x strategies)."
        )
    result = stats.friedmanchisquare(*scores.T)
    return float(result.statistic), float(result.pvalue)


@validate_params(
    {"n_strategies": [Interval(Integral, 2, None, closed="left")],
     "n_datasets": [Interval(Integral, 1, None, closed="left")],
     "alpha": [Interval(Real, 0, 1, closed="neither")]},
    prefer_skip_nested_validation=True,
)
def nemenyi_critical_difference(n_strategies, n_datasets, alpha=0.05):
    """The Nemenyi critical difference of mean ranks (Demšar, 2006).

    .. math:: CD = q_\\alpha \\sqrt{\\frac{k (k + 1)}{6 N}}

    with :math:`q_\\alpha` the studentized range quantile (infinite degrees
    of freedom, ``scipy.stats.studentized_range``) divided by
    :math:`\\sqrt 2`: two strategies whose mean ranks differ by more than
    the CD differ significantly.

    Parameters
    ----------
    n_strategies : int
        Strategies compared, k.

    n_datasets : int
        Data sets, N.

    alpha : float, default=0.05
        Significance level.

    Returns
    -------
    cd : float
        The critical difference.

    Examples
    --------
    >>> from skactive.experiment import nemenyi_critical_difference
    >>> round(nemenyi_critical_difference(4, 14), 3)  # Demšar's q = 2.569
    1.254
    """
    q = stats.studentized_range.ppf(1 - alpha, n_strategies, np.inf) / np.sqrt(2)
    return float(q * np.sqrt(n_strategies * (n_strategies + 1) / (6 * n_datasets)))

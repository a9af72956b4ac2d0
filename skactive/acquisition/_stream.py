"""Decision rules for stream-based active learning, after Žliobaitė, Bifet,
Pfahringer & Holmes (2014), "Active learning with drifting streaming data",
IEEE Transactions on Neural Networks and Learning Systems 25(1).

Each sample arrives once and is labeled now or never. The rules read the
model's highest class probability of each arriving sample (its *max
posterior*) and a budget: the fraction of the stream that may be labeled.
The budget is kept by the paper's estimated-budget manager: over a sliding
window of ``w`` samples, the spent fraction is estimated as ``u / w`` with
``u_t = u_{t-1} (w - 1) / w + labeling_t``, and a sample is labeled only
while that estimate, as it stands before the sample, is below the budget.

Rules that decide each sample by itself (:func:`random_labeling`,
:func:`fixed_uncertainty`) are vectorised; :func:`budget_manager` then
walks only over the samples they want. Rules whose threshold adapts after
every sample (:func:`variable_uncertainty`,
:func:`randomized_variable_uncertainty`, :func:`split_variable_uncertainty`)
are a sequential loop, exactly as in the paper. Every function takes the
state left by the previous mini-batch (``spent``, ``threshold``) and
returns the new state, so a stream is processed in any split into
mini-batches.
"""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_array, check_random_state

from ..utils._sklearn_compat import Interval, validate_params

_BUDGET = Interval(Real, 0, 1, closed="right")
_WINDOW = Interval(Integral, 1, None, closed="left")
_SPENT = Interval(Real, 0, None, closed="left")
_THRESHOLD = Interval(Real, 0, None, closed="left")
_STEP = Interval(Real, 0, 1, closed="left")
_STATE = {"budget": [_BUDGET], "threshold": [_THRESHOLD], "step": [_STEP],
          "window": [_WINDOW], "spent": [_SPENT]}


def _check_max_proba(max_proba):
    """A 1-D float array of probabilities in [0, 1]; it may be empty."""
    values = check_array(max_proba, ensure_2d=False, dtype=np.float64,
                         ensure_min_samples=0, input_name="max_proba")
    if values.ndim != 1:
        raise ValueError(
            f"max_proba must be 1-D (one max posterior per sample), got shape "
            f"{values.shape}: pass predict_proba(X).max(axis=1).")
    if values.size and (values.min() < 0 or values.max() > 1):
        raise ValueError(
            f"max_proba must hold probabilities in [0, 1], got values in "
            f"[{values.min():.6g}, {values.max():.6g}].")
    return values


@validate_params(
    {"n_samples": [Interval(Integral, 0, None, closed="left")],
     "budget": [_BUDGET], "random_state": ["random_state"]},
    prefer_skip_nested_validation=True,
)
def random_labeling(n_samples, budget, *, random_state=None):
    """Which samples the random strategy wants: each with probability ``budget``.

    The paper's *random* strategy: a uniform draw ``xi`` per sample, labeled
    when ``xi < budget``, whatever the model thinks.

    Parameters
    ----------
    n_samples : int
        Number of arriving samples.

    budget : float in (0, 1]
        Fraction of the stream to label.

    random_state : int, RandomState instance or None, default=None
        Seed of the draws, one per sample, in stream order.

    Returns
    -------
    wanted : ndarray of shape (n_samples,), dtype=bool
        Whether each sample is wanted; pass it to :func:`budget_manager`.

    Examples
    --------
    >>> from skactive.acquisition import random_labeling
    >>> random_labeling(6, budget=0.5, random_state=0)
    array([False, False, False, False,  True, False])
    """
    draws = check_random_state(random_state).random_sample(n_samples)
    return draws < budget


@validate_params(
    {"max_proba": ["array-like"], "threshold": [_THRESHOLD]},
    prefer_skip_nested_validation=True,
)
def fixed_uncertainty(max_proba, threshold):
    """Which samples the fixed-uncertainty strategy wants.

    The paper's *fixed uncertainty*: a sample is wanted when the model's
    highest class probability is below a fixed threshold,
    ``max_proba < threshold``.

    Parameters
    ----------
    max_proba : array-like of shape (n_samples,)
        Highest class probability of each arriving sample.

    threshold : float
        Samples whose max posterior is below it are wanted.

    Returns
    -------
    wanted : ndarray of shape (n_samples,), dtype=bool
        Whether each sample is wanted; pass it to :func:`budget_manager`.

    Examples
    --------
    >>> from skactive.acquisition import fixed_uncertainty
    >>> fixed_uncertainty([0.55, 0.9, 0.7], threshold=0.8)
    array([ True, False,  True])
    """
    return _check_max_proba(max_proba) < threshold


@validate_params(
    {"wanted": ["array-like"], "budget": [_BUDGET], "window": [_WINDOW],
     "spent": [_SPENT]},
    prefer_skip_nested_validation=True,
)
def budget_manager(wanted, budget, *, window=100, spent=0.0):
    """Label the wanted samples while the estimated spent fraction is below budget.

    The estimated-budget manager of Žliobaitė et al. (2014): with
    ``lambda = (window - 1) / window``, the labels spent over the last
    ``window`` samples are estimated by ``u_t = lambda * u_{t-1} +
    labeling_t``; a wanted sample is labeled when ``u_{t-1} / window <
    budget``. Only the wanted samples are visited: between two of them
    ``u`` decays by ``lambda`` per sample.

    Parameters
    ----------
    wanted : array-like of shape (n_samples,), dtype=bool
        Whether the strategy wants each sample, in stream order.

    budget : float in (0, 1]
        Fraction of the stream to label.

    window : int, default=100
        Length ``w`` of the sliding window, in samples.

    spent : float, default=0.0
        ``u`` left by the previous mini-batch (0 at the start of a stream).

    Returns
    -------
    labeled : ndarray of shape (n_samples,), dtype=bool
        Whether to request each sample's label.

    spent : float
        ``u`` after the last sample, for the next mini-batch; ``spent /
        window`` is the estimated spent fraction.

    Examples
    --------
    >>> from skactive.acquisition import budget_manager
    >>> labeled, spent = budget_manager([True, True, True], budget=0.5, window=2)
    >>> labeled, spent
    (array([ True, False,  True]), 1.25)
    """
    wanted = check_array(wanted, ensure_2d=False, dtype=bool, ensure_min_samples=0,
                         input_name="wanted")
    decay, limit = (window - 1) / window, budget * window
    labeled = np.zeros(wanted.shape[0], dtype=bool)
    u, position = float(spent), 0
    for i in np.flatnonzero(wanted).tolist():
        u *= decay ** (i - position)
        if u < limit:
            labeled[i] = True
            u = u * decay + 1.0
        else:
            u *= decay
        position = i + 1
    return labeled, u * decay ** (wanted.shape[0] - position)


def _adaptive(max_proba, budget, threshold, step, window, spent, scales=None,
              routes=None):
    """The sequential loop of the variable-uncertainty family.

    ``scales`` multiply the threshold for each comparison (randomized
    variant); ``routes`` send a sample to the random branch: 1 labels it, 2
    skips it, 0 leaves it to variable uncertainty (split).
    """
    n = max_proba.shape[0]
    decay, limit = (window - 1) / window, budget * window
    scales = [1.0] * n if scales is None else scales.tolist()
    routes = [0] * n if routes is None else routes.tolist()
    theta, u = float(threshold), float(spent)
    labeled = []
    for p, scale, route in zip(max_proba.tolist(), scales, routes):
        label = False
        if u < limit:
            if route:
                label = route == 1
            elif p < theta * scale:
                theta *= 1.0 - step
                label = True
            else:
                theta *= 1.0 + step
        u = u * decay + label
        labeled.append(label)
    return np.array(labeled, dtype=bool), theta, u


@validate_params({"max_proba": ["array-like"], **_STATE},
                 prefer_skip_nested_validation=True)
def variable_uncertainty(max_proba, budget, *, threshold=1.0, step=0.01,
                         window=100, spent=0.0):
    """Variable uncertainty: a threshold on the max posterior that adapts.

    The paper's *variable uncertainty*, sample by sample: while the
    estimated spent fraction is below ``budget`` (see
    :func:`budget_manager`), a sample whose max posterior is below the
    threshold ``theta`` is labeled and ``theta *= 1 - step`` (ask for
    more certainty next time); otherwise ``theta *= 1 + step``. Once the
    budget is spent, nothing is labeled and ``theta`` stays. The threshold
    thus follows the model's confidence, so that about ``budget`` of the
    stream is labeled even after the model changes.

    Parameters
    ----------
    max_proba : array-like of shape (n_samples,)
        Highest class probability of each arriving sample, in stream order.

    budget : float in (0, 1]
        Fraction of the stream to label.

    threshold : float, default=1.0
        ``theta`` before the first sample (the paper starts at 1) or as
        left by the previous mini-batch.

    step : float in [0, 1), default=0.01
        Adjusting step ``s`` of the threshold.

    window : int, default=100
        Sliding window ``w`` of the budget manager.

    spent : float, default=0.0
        ``u`` of the budget manager left by the previous mini-batch.

    Returns
    -------
    labeled : ndarray of shape (n_samples,), dtype=bool
        Whether to request each sample's label.

    threshold : float
        ``theta`` after the last sample.

    spent : float
        ``u`` after the last sample.

    Examples
    --------
    >>> from skactive.acquisition import variable_uncertainty
    >>> labeled, theta, spent = variable_uncertainty(
    ...     [0.6, 0.95, 0.7], budget=0.5, threshold=0.8, step=0.1)
    >>> labeled
    array([ True, False,  True])
    >>> round(theta, 4), round(spent, 4)
    (0.7128, 1.9801)
    """
    return _adaptive(_check_max_proba(max_proba), budget, threshold, step,
                     window, spent)


@validate_params(
    {"max_proba": ["array-like"], **_STATE,
     "delta": [Interval(Real, 0, None, closed="left")],
     "random_state": ["random_state"]},
    prefer_skip_nested_validation=True,
)
def randomized_variable_uncertainty(max_proba, budget, *, threshold=1.0, step=0.01,
                                    delta=1.0, window=100, spent=0.0,
                                    random_state=None):
    """Variable uncertainty compared against a randomized threshold.

    The paper's *randomized variable uncertainty*: as
    :func:`variable_uncertainty`, but each sample's max posterior is
    compared with ``theta * eta``, ``eta`` drawn from a normal distribution
    of mean 1 and standard deviation ``delta``, so that confident samples
    are sometimes labeled too, and a change far from the decision boundary
    can be noticed. The adaptation of ``theta`` is unchanged.

    Parameters
    ----------
    max_proba : array-like of shape (n_samples,)
        Highest class probability of each arriving sample, in stream order.

    budget : float in (0, 1]
        Fraction of the stream to label.

    threshold : float, default=1.0
        ``theta`` before the first sample, or as left by the previous
        mini-batch.

    step : float in [0, 1), default=0.01
        Adjusting step ``s`` of the threshold.

    delta : float, default=1.0
        Standard deviation of the multiplier ``eta``.

    window : int, default=100
        Sliding window ``w`` of the budget manager.

    spent : float, default=0.0
        ``u`` of the budget manager left by the previous mini-batch.

    random_state : int, RandomState instance or None, default=None
        Seed of the draws of ``eta``, one per sample, in stream order.

    Returns
    -------
    labeled : ndarray of shape (n_samples,), dtype=bool
        Whether to request each sample's label.

    threshold : float
        ``theta`` after the last sample.

    spent : float
        ``u`` after the last sample.

    Examples
    --------
    >>> from skactive.acquisition import randomized_variable_uncertainty
    >>> labeled, theta, spent = randomized_variable_uncertainty(
    ...     [0.6, 0.95, 0.7, 0.99], budget=0.5, threshold=0.5, delta=0.5,
    ...     random_state=0)
    >>> labeled
    array([ True, False,  True,  True])
    """
    values = _check_max_proba(max_proba)
    scales = check_random_state(random_state).normal(1.0, delta, values.shape[0])
    return _adaptive(values, budget, threshold, step, window, spent, scales=scales)


@validate_params(
    {"max_proba": ["array-like"], **_STATE,
     "random_fraction": [Interval(Real, 0, 1, closed="both")],
     "random_state": ["random_state"]},
    prefer_skip_nested_validation=True,
)
def split_variable_uncertainty(max_proba, budget, *, threshold=1.0, step=0.01,
                               random_fraction=0.2, window=100, spent=0.0,
                               random_state=None):
    """Split: part of the stream labeled at random, the rest by variable uncertainty.

    The paper's *split* strategy: each sample goes, with probability
    ``random_fraction`` (the paper's ``v``), to the random strategy (labeled
    with probability ``budget``, as in :func:`random_labeling`), and
    otherwise to :func:`variable_uncertainty`, whose threshold adapts only
    on its own samples. One budget manager covers both. The random part
    keeps labeling where the model is sure, so that a change there is seen.

    Parameters
    ----------
    max_proba : array-like of shape (n_samples,)
        Highest class probability of each arriving sample, in stream order.

    budget : float in (0, 1]
        Fraction of the stream to label.

    threshold : float, default=1.0
        ``theta`` of the variable-uncertainty part before the first sample,
        or as left by the previous mini-batch.

    step : float in [0, 1), default=0.01
        Adjusting step ``s`` of the threshold.

    random_fraction : float in [0, 1], default=0.2
        Fraction ``v`` of the stream sent to the random strategy.

    window : int, default=100
        Sliding window ``w`` of the budget manager.

    spent : float, default=0.0
        ``u`` of the budget manager left by the previous mini-batch.

    random_state : int, RandomState instance or None, default=None
        Seed of the draws: two per sample (the branch, then the random
        strategy's coin), in stream order.

    Returns
    -------
    labeled : ndarray of shape (n_samples,), dtype=bool
        Whether to request each sample's label.

    threshold : float
        ``theta`` after the last sample.

    spent : float
        ``u`` after the last sample.

    Examples
    --------
    >>> from skactive.acquisition import split_variable_uncertainty
    >>> labeled, theta, spent = split_variable_uncertainty(
    ...     [0.6, 0.95, 0.7, 0.99], budget=0.5, random_fraction=0.5,
    ...     random_state=0)
    >>> labeled
    array([ True,  True, False, False])
    """
    values = _check_max_proba(max_proba)
    draws = check_random_state(random_state).random_sample((values.shape[0], 2))
    routes = np.where(draws[:, 0] < random_fraction,
                      np.where(draws[:, 1] < budget, 1, 2), 0)
    return _adaptive(values, budget, threshold, step, window, spent, routes=routes)

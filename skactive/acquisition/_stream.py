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

Two more rules: :func:`periodic_labeling` labels every ``1 / budget``-th
sample, and :func:`density_focused_uncertainty` is DBALStream (Ienco,
Žliobaitė & Pfahringer, 2014, "High density-focused uncertainty sampling
for active learning over evolving stream data", BigMine, JMLR W&CP 36): the
randomized variable threshold applied to the margin, for the samples whose
:func:`local_density_factor` over a sliding window is positive.
"""

# SPDX-License-Identifier: BSD-3-Clause

import functools
from fractions import Fraction
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from scipy.spatial.distance import cdist
from sklearn.metrics.pairwise import euclidean_distances
from sklearn.utils import check_array, check_random_state

from ..utils._sklearn_compat import Interval, validate_params

_BUDGET = Interval(Real, 0, 1, closed="right")
_WINDOW = Interval(Integral, 1, None, closed="left")
_SPENT = Interval(Real, 0, None, closed="left")
_THRESHOLD = Interval(Real, 0, None, closed="left")
_STEP = Interval(Real, 0, 1, closed="left")
_STATE = {"budget": [_BUDGET], "threshold": [_THRESHOLD], "step": [_STEP],
          "window": [_WINDOW], "spent": [_SPENT]}


def _check_max_proba(max_proba, name="max_proba",
                     hint="predict_proba(X).max(axis=1)"):
    """A 1-D float array of probabilities in [0, 1]; it may be empty.

    A 1-D float64 array (what a model's ``predict_proba`` gives) skips
    :func:`~sklearn.utils.check_array`: the range check below also rejects
    NaN and infinity, which compare false.
    """
    if (isinstance(max_proba, np.ndarray) and max_proba.dtype == np.float64
            and max_proba.ndim == 1):
        values = max_proba
    else:
        values = check_array(max_proba, ensure_2d=False, dtype=np.float64,
                             ensure_min_samples=0, ensure_all_finite=False,
                             input_name=name)
    if values.ndim != 1:
        raise ValueError(
            f"{name} must be 1-D (one value per sample), got shape "
            f"{values.shape}: pass {hint}.")
    if values.size and not (values.min() >= 0 and values.max() <= 1):
        raise ValueError(
            f"{name} must hold values in [0, 1], got values in "
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
    if not (isinstance(wanted, np.ndarray) and wanted.dtype == bool
            and wanted.ndim == 1):  # a rule's output needs no conversion
        wanted = check_array(wanted, ensure_2d=False, dtype=bool,
                             ensure_min_samples=0, input_name="wanted")
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
    skips it, 0 leaves it to variable uncertainty (split). The inputs are
    not checked: the public rules and :class:`~skactive.StreamSampler`
    check them once, before this loop.
    """
    if scales is None and routes is None:
        labeled, theta, u = _plain_loop(max_proba.tolist(), budget, threshold,
                                        step, window, spent)
    else:
        n = max_proba.shape[0]
        labeled, theta, u = _routed_loop(
            max_proba.tolist(), [1.0] * n if scales is None else scales.tolist(),
            [0] * n if routes is None else routes.tolist(), budget, threshold,
            step, window, spent)
    mask = np.zeros(max_proba.shape[0], dtype=bool)
    mask[labeled] = True
    return mask, theta, u


def _plain_loop(max_proba, budget, threshold, step, window, spent):
    """Variable uncertainty, sample by sample; the indices labeled.

    ``u * decay + 0`` is ``u * decay`` exactly, so a skipped sample only
    decays ``u``; the arithmetic is the recurrence's, step for step.
    """
    decay, limit = (window - 1) / window, budget * window
    down, up = 1.0 - step, 1.0 + step
    theta, u = float(threshold), float(spent)
    labeled = []
    for i, p in enumerate(max_proba):
        if u < limit:
            if p < theta:
                theta *= down
                labeled.append(i)
                u = u * decay + 1.0
                continue
            theta *= up
        u *= decay
    return labeled, theta, u


def _routed_loop(max_proba, scales, routes, budget, threshold, step, window, spent):
    """:func:`_plain_loop` with a scale and a route per sample."""
    decay, limit = (window - 1) / window, budget * window
    down, up = 1.0 - step, 1.0 + step
    theta, u = float(threshold), float(spent)
    labeled = []
    for i, (p, scale, route) in enumerate(zip(max_proba, scales, routes)):
        if u < limit:
            if route:
                if route == 1:
                    labeled.append(i)
                    u = u * decay + 1.0
                    continue
            elif p < theta * scale:
                theta *= down
                labeled.append(i)
                u = u * decay + 1.0
                continue
            else:
                theta *= up
        u *= decay
    return labeled, theta, u


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


@validate_params(
    {"n_samples": [Interval(Integral, 0, None, closed="left")],
     "budget": [_BUDGET], "n_seen": [Interval(Integral, 0, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def periodic_labeling(n_samples, budget, *, n_seen=0):
    """Which samples the periodic strategy labels: one every ``1 / budget``.

    The ``t``-th sample of the stream (counting from 1) is labeled when
    ``floor(t * budget) > floor((t - 1) * budget)``, so that after ``t``
    samples exactly ``floor(t * budget)`` are labeled: every 10th for a
    budget of 0.1, and for a budget of 0.3, three in every ten, as evenly
    spread as whole samples allow. No draw, no model: the same samples at
    every run. The budget is read as the nearest fraction with a
    denominator up to 10**6 (0.1 is 1/10, not its binary approximation),
    so that the count is exact however long the stream.

    Parameters
    ----------
    n_samples : int
        Number of arriving samples.

    budget : float in (0, 1]
        Fraction of the stream to label.

    n_seen : int, default=0
        Number of samples of the stream before these (the phase of the
        period), for the next mini-batch.

    Returns
    -------
    labeled : ndarray of shape (n_samples,), dtype=bool
        Whether to request each sample's label.

    Examples
    --------
    >>> from skactive.acquisition import periodic_labeling
    >>> periodic_labeling(8, budget=0.25)
    array([False, False, False,  True, False, False, False,  True])
    >>> periodic_labeling(4, budget=0.25, n_seen=2)
    array([False,  True, False, False])
    """
    rate = _as_fraction(budget)
    t = np.arange(n_seen, n_seen + n_samples, dtype=np.int64)
    labeled_before = t * rate.numerator // rate.denominator
    return (t + 1) * rate.numerator // rate.denominator > labeled_before


@functools.lru_cache(maxsize=64)
def _as_fraction(budget):
    """The nearest fraction to ``budget`` with a denominator up to 10**6;
    kept, as it costs more than a mini-batch's periodic decisions."""
    return Fraction(budget).limit_denominator(10**6)


@validate_params(
    {"X": ["array-like", "sparse matrix"], "window": [_WINDOW],
     "recent": ["array-like", "sparse matrix", None],
     "nearest": ["array-like", None]},
    prefer_skip_nested_validation=True,
)
def local_density_factor(X, *, window=100, recent=None, nearest=None):
    """How many recent samples each arriving sample becomes the nearest neighbour of.

    The local density factor of Ienco, Žliobaitė & Pfahringer (2014): a
    sliding window holds the last ``window`` samples of the stream, each
    with the distance to its nearest neighbour among the samples it has
    met in the window (those before it when it arrived, those after it
    since). The factor of an arriving sample is the number of window
    samples to which it is strictly closer than their nearest neighbour so
    far; their distances then drop to it, the sample enters the window with
    the distance to its nearest neighbour there, and the oldest sample
    leaves. A sample in a dense region, where the stream is now, takes the
    place of many nearest neighbours; an outlier, of none. The factor
    depends on the samples only, not on the model or the labels, so it is
    computed a block of ``max(window, 128)`` samples at a time with array
    operations (memory ``(window + block) x block``, never ``n x n``).
    Distances are Euclidean: exact differences for dense ``X``
    (:func:`scipy.spatial.distance.cdist`), so that exact ties compare as
    ties; :func:`~sklearn.metrics.pairwise.euclidean_distances` for sparse
    ``X``.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        The arriving samples, in stream order.

    window : int, default=100
        Number of recent samples kept.

    recent : {array-like, sparse matrix} of shape (n_recent, n_features), \
default=None
        The window left by the previous mini-batch (``n_recent <=
        window``); None at the start of a stream (an empty window: the
        first sample's factor is 0).

    nearest : array-like of shape (n_recent,), default=None
        Distance of each sample of ``recent`` to its nearest neighbour so
        far, as left by the previous mini-batch.

    Returns
    -------
    factor : ndarray of shape (n_samples,), dtype=int
        The local density factor of each arriving sample.

    recent : ndarray or sparse matrix of shape (n_recent, n_features)
        The window after the last sample, for the next mini-batch.

    nearest : ndarray of shape (n_recent,)
        Its nearest-neighbour distances, for the next mini-batch.

    Examples
    --------
    >>> from skactive.acquisition import local_density_factor
    >>> factor, recent, nearest = local_density_factor(
    ...     [[0.0], [10.0], [4.0], [5.0], [30.0]], window=3)
    >>> factor
    array([0, 1, 2, 2, 0])
    >>> recent.ravel(), nearest
    (array([ 4.,  5., 30.]), array([ 1.,  1., 20.]))
    """
    X = check_array(X, accept_sparse="csr", dtype=np.float64, ensure_min_samples=0,
                    input_name="X")
    recent, nearest = _check_window(X, window, recent, nearest)
    factor = np.zeros(X.shape[0], dtype=np.intp)
    block = max(window, 128)
    for start in range(0, X.shape[0], block):
        stop = min(start + block, X.shape[0])
        factor[start:stop], recent, nearest = _density_block(
            X[start:stop], recent, nearest, window)
    return factor, recent, nearest


def _check_window(X, window, recent, nearest):
    """The window state, empty at the start of a stream, checked against ``X``."""
    if recent is None:
        if nearest is not None:
            raise ValueError("nearest was given without recent: pass both, as "
                             "local_density_factor returned them, or neither.")
        return X[:0], np.empty(0)
    recent = check_array(recent, accept_sparse="csr", dtype=np.float64,
                         ensure_min_samples=0, input_name="recent")
    nearest = np.empty(0) if nearest is None else check_array(
        nearest, ensure_2d=False, dtype=np.float64, ensure_min_samples=0,
        ensure_all_finite=False, input_name="nearest")
    if (nearest.shape != (recent.shape[0],) or recent.shape[0] > window
            or recent.shape[1] != X.shape[1]):
        raise ValueError(
            f"recent {recent.shape} and nearest {nearest.shape} must be the window "
            f"(at most window={window} samples of X's {X.shape[1]} features) and "
            f"its nearest-neighbour distances, as local_density_factor returned them.")
    return recent, nearest


def _density_block(block, recent, nearest, window):
    """The factors of a block of samples, and the window after them.

    ``Z`` is the window followed by the block; ``distances[i, r]`` is the
    distance of ``Z[i]`` to block sample ``r``, which sits at ``q + r`` in
    ``Z`` and sees ``Z[q + r - window : q + r]``.
    """
    q, b = recent.shape[0], block.shape[0]
    if sp.issparse(block):
        Z = sp.vstack([recent, block], format="csr")
        distances = euclidean_distances(Z, block)
    else:
        Z = np.concatenate([recent, block])
        distances = cdist(Z, block)
    row = np.arange(q + b)[:, None]
    position = q + np.arange(b)[None, :]
    seen = (row < position) & (row >= position - window)
    arrival = np.where(seen, distances, np.inf).min(axis=0)
    start = np.concatenate([nearest, arrival])
    # The nearest neighbour of Z[i] when block sample r arrives: its own start,
    # lowered by the block samples after it and before r.
    later = np.where(row < position, distances, np.inf)
    lowest = np.minimum.accumulate(later, axis=1)
    before = np.minimum(start[:, None],
                        np.hstack([np.full((q + b, 1), np.inf), lowest[:, :-1]]))
    factor = (seen & (distances < before)).sum(axis=0)
    final = np.minimum(start, lowest[:, -1])
    return factor, Z[-window:], final[-window:]


@validate_params(
    {"margins": ["array-like"], "local_density": ["array-like"], **_STATE,
     "delta": [Interval(Real, 0, None, closed="left")],
     "random_state": ["random_state"]},
    prefer_skip_nested_validation=True,
)
def density_focused_uncertainty(margins, local_density, budget, *, threshold=1.0,
                                step=0.01, delta=1.0, window=100, spent=0.0,
                                random_state=None):
    """Randomized variable uncertainty on the margin, for samples in dense regions only.

    DBALStream, the density-focused uncertainty sampling of Ienco, Žliobaitė
    & Pfahringer (2014): a sample is a candidate only when its
    :func:`local_density_factor` is positive (it is the new nearest
    neighbour of some recent sample: the stream is dense where it lies);
    a candidate is labeled, while the budget lasts, when its margin
    ``p(1) - p(2)`` (see :func:`margin`) is below ``theta * eta``, ``eta``
    drawn from a normal distribution of mean 1 and standard deviation
    ``delta``; then ``theta *= 1 - step``, else ``theta *= 1 + step``.
    A sample that is not a candidate is not labeled and leaves ``theta``
    as it is. The budget is kept by the estimated-budget manager of
    :func:`budget_manager` (the paper counts the labels since the start,
    ``u / t``; the window forgets, as the rest of this family does).

    Parameters
    ----------
    margins : array-like of shape (n_samples,)
        Margin ``p(1) - p(2)`` of each arriving sample, in [0, 1], in stream
        order.

    local_density : array-like of shape (n_samples,)
        Local density factor of each sample (:func:`local_density_factor`).

    budget : float in (0, 1]
        Fraction of the stream to label.

    threshold : float, default=1.0
        ``theta`` before the first sample, or as left by the previous
        mini-batch.

    step : float in [0, 1), default=0.01
        Adjusting step ``s`` of the threshold.

    delta : float, default=1.0
        Standard deviation of the multiplier ``eta``; 0 makes the rule
        deterministic.

    window : int, default=100
        Sliding window ``w`` of the budget manager.

    spent : float, default=0.0
        ``u`` of the budget manager left by the previous mini-batch.

    random_state : int, RandomState instance or None, default=None
        Seed of the draws of ``eta``, one per sample (candidate or not), in
        stream order.

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
    >>> from skactive.acquisition import density_focused_uncertainty
    >>> labeled, theta, spent = density_focused_uncertainty(
    ...     [0.1, 0.2, 0.9, 0.3], [0, 1, 2, 1], budget=0.5, threshold=0.5,
    ...     step=0.1, delta=0.0)
    >>> labeled, round(theta, 4)
    (array([False,  True, False,  True]), 0.4455)
    """
    values = _check_max_proba(margins, "margins", "margin(predict_proba(X))")
    density = check_array(local_density, ensure_2d=False, ensure_min_samples=0,
                          input_name="local_density")
    if density.shape != values.shape:
        raise ValueError(
            f"margins {values.shape} and local_density {density.shape} must have "
            f"one value per sample each.")
    scales = check_random_state(random_state).normal(1.0, delta, values.shape[0])
    routes = np.where(density > 0, 0, 2)
    return _adaptive(values, budget, threshold, step, window, spent, scales=scales,
                     routes=routes)

"""Synthetic streams with concept drift: SEA concepts and the rotating hyperplane.

Each returns a generator of ``(X_batch, y_batch)`` mini-batches, the same for one
``random_state``, for :func:`run_stream_experiment` or a loop of one's own.
A drift is *abrupt* (the new concept labels every sample after the drift
point) or *gradual*: around a drift point, a sample follows the new
concept with probability ``1 / (1 + exp(-4 (t - t_0) / width))``, MOA's
``ConceptDriftStream`` rule, so the change takes about ``width`` samples.
"""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state

from ..utils._sklearn_compat import Interval, validate_params

_SEA_THETAS = (8.0, 9.0, 7.0, 9.5)
_COMMON = {
    "n_samples": [Interval(Integral, 1, None, closed="left")],
    "batch_size": [Interval(Integral, 1, None, closed="left")],
    "drift_width": [Interval(Integral, 0, None, closed="left")],
    "noise": [Interval(Real, 0, 1, closed="both")],
    "random_state": ["random_state"],
}


def _concepts(positions, drift_points, width, draws):
    """The concept (0, 1, ...) each sample follows: the number of drift points
    it has passed, a passage around a gradual drift being random."""
    concept = np.zeros(positions.size, dtype=np.intp)
    for point in drift_points:
        if width == 0:
            passed = positions >= point
        else:
            exponent = np.clip(-4.0 * (positions - point) / width, -500, 500)
            passed = draws < 1.0 / (1.0 + np.exp(exponent))
        concept += passed
    return concept


def _batches(n_samples, batch_size):
    for start in range(0, n_samples, batch_size):
        yield np.arange(start, min(start + batch_size, n_samples))


@validate_params(
    {**_COMMON, "thetas": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def make_sea_stream(n_samples=100_000, *, batch_size=1000, thetas=_SEA_THETAS,
                    drift_width=0, noise=0.1, random_state=None):
    """SEA concepts (Street & Kim, 2001): a stream with abrupt or gradual drift.

    Three features drawn uniformly in [0, 10]; only the first two matter:
    the label is 1 when ``x0 + x1 <= theta``, else 0, and the threshold
    ``theta`` changes at equally spaced drift points, through ``thetas``
    (8, 9, 7, 9.5 in the paper, whose stream has four concepts of 12,500
    samples). A fraction ``noise`` of the labels is flipped.

    Parameters
    ----------
    n_samples : int, default=100_000
        Length of the stream.

    batch_size : int, default=1000
        Samples per mini-batch (the last may be smaller).

    thetas : array-like of shape (n_concepts,), default=(8, 9, 7, 9.5)
        The threshold of each concept, in stream order; concept ``k`` starts
        at sample ``k * n_samples // n_concepts``.

    drift_width : int, default=0
        0 for abrupt drifts; otherwise the number of samples over which a
        gradual drift replaces one concept by the next (see the module).

    noise : float in [0, 1], default=0.1
        Probability that a label is flipped.

    random_state : int, RandomState instance or None, default=None
        Seed of the features, the noise and the gradual drifts.

    Returns
    -------
    batches : generator of (X_batch, y_batch)
        The mini-batches in stream order: ``X_batch`` of shape
        ``(batch_size, 3)``, ``y_batch`` their labels, 0 or 1.

    References
    ----------
    W. N. Street and Y. Kim, "A streaming ensemble algorithm (SEA) for
    large-scale classification", KDD 2001, 377-382.

    Examples
    --------
    >>> from skactive.experiment import make_sea_stream
    >>> batches = list(make_sea_stream(1000, batch_size=400, random_state=0))
    >>> [X.shape for X, y in batches]
    [(400, 3), (400, 3), (200, 3)]
    """
    thetas = np.asarray(thetas, dtype=float).ravel()
    if thetas.size == 0:
        raise ValueError("thetas must hold at least one threshold, got none.")
    return _sea(n_samples, batch_size, thetas, drift_width, noise,
                check_random_state(random_state))


def _sea(n_samples, batch_size, thetas, drift_width, noise, rng):
    points = [k * n_samples // thetas.size for k in range(1, thetas.size)]
    for index in _batches(n_samples, batch_size):
        X = rng.uniform(0, 10, size=(index.size, 3))
        concept = _concepts(index, points, drift_width, rng.random_sample(index.size))
        y = (X[:, 0] + X[:, 1] <= thetas[concept]).astype(np.intp)
        flip = rng.random_sample(index.size) < noise
        yield X, np.where(flip, 1 - y, y)


@validate_params(
    {**_COMMON, "n_features": [Interval(Integral, 1, None, closed="left")],
     "n_drift_features": [Interval(Integral, 0, None, closed="left")],
     "mag_change": [Interval(Real, 0, None, closed="left")],
     "sigma": [Interval(Real, 0, 1, closed="both")],
     "n_drifts": [Interval(Integral, 0, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def make_hyperplane_stream(n_samples=100_000, *, batch_size=1000, n_features=10,
                           n_drift_features=2, mag_change=0.001, sigma=0.1,
                           n_drifts=0, drift_width=0, noise=0.05, random_state=None):
    """Rotating hyperplane (Hulten, Spencer & Domingos, 2001): continuous drift.

    Features drawn uniformly in [0, 1]; the label is 1 when ``sum_i w_i x_i
    >= sum_i w_i / 2``, else 0. After each sample, the weights of the first
    ``n_drift_features`` features move by ``mag_change`` in their
    direction, and each direction reverses with probability ``sigma`` (as
    in MOA's ``HyperplaneGenerator``): the hyperplane rotates slowly. On top
    of that, ``n_drifts`` equally spaced drift points draw new weights (an
    abrupt drift, or a gradual one over ``drift_width`` samples). A
    fraction ``noise`` of the labels is flipped.

    Parameters
    ----------
    n_samples : int, default=100_000
        Length of the stream.

    batch_size : int, default=1000
        Samples per mini-batch (the last may be smaller).

    n_features : int, default=10
        Number of features.

    n_drift_features : int, default=2
        Number of features whose weight moves (at most ``n_features``).

    mag_change : float, default=0.001
        How far each moving weight goes after each sample; 0 for no
        rotation.

    sigma : float in [0, 1], default=0.1
        Probability that a moving weight reverses its direction, per sample.

    n_drifts : int, default=0
        Number of drift points, equally spaced, at which the weights are
        drawn again.

    drift_width : int, default=0
        0 for abrupt drifts at the drift points, otherwise the number of
        samples a gradual one takes.

    noise : float in [0, 1], default=0.05
        Probability that a label is flipped.

    random_state : int, RandomState instance or None, default=None
        Seed of the weights, the features, the noise and the drifts.

    Returns
    -------
    batches : generator of (X_batch, y_batch)
        The mini-batches in stream order: ``X_batch`` of shape
        ``(batch_size, n_features)``, ``y_batch`` their labels, 0 or 1.

    References
    ----------
    G. Hulten, L. Spencer and P. Domingos, "Mining time-changing data
    streams", KDD 2001, 97-106.

    Examples
    --------
    >>> from skactive.experiment import make_hyperplane_stream
    >>> X, y = next(make_hyperplane_stream(1000, batch_size=500, random_state=0))
    >>> X.shape, sorted(set(y.tolist()))
    ((500, 10), [0, 1])
    """
    if n_drift_features > n_features:
        raise ValueError(f"n_drift_features={n_drift_features} is more than the "
                         f"n_features={n_features} features: pass at most "
                         f"{n_features}.")
    return _hyperplane(n_samples, batch_size, n_features, n_drift_features,
                       mag_change, sigma, n_drifts, drift_width, noise,
                       check_random_state(random_state))


def _hyperplane(n_samples, batch_size, n_features, n_drift_features, mag_change,
                sigma, n_drifts, drift_width, noise, rng):
    weights = rng.uniform(0, 1, size=(n_drifts + 1, n_features))
    direction = np.ones(n_drift_features)
    moved = np.zeros(n_drift_features)  # how far the moving weights went
    points = [k * n_samples // (n_drifts + 1) for k in range(1, n_drifts + 1)]
    for index in _batches(n_samples, batch_size):
        X = rng.uniform(0, 1, size=(index.size, n_features))
        concept = _concepts(index, points, drift_width, rng.random_sample(index.size))
        # The weights each sample sees: those of its concept, plus how far
        # the moving ones went before it.
        flips = rng.random_sample((index.size, n_drift_features)) < sigma
        signs = direction * np.cumprod(np.where(flips, -1.0, 1.0), axis=0)
        steps = np.cumsum(signs * mag_change, axis=0)
        before = moved + np.vstack([np.zeros(n_drift_features), steps[:-1]])
        w = weights[concept]
        w[:, :n_drift_features] += before
        y = (np.einsum("ij,ij->i", w, X) >= w.sum(axis=1) / 2).astype(np.intp)
        flip = rng.random_sample(index.size) < noise
        direction, moved = signs[-1], moved + steps[-1]
        yield X, np.where(flip, 1 - y, y)

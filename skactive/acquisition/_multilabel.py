"""Multilabel acquisition: per-label binary uncertainty aggregated over the
labels, max loss and mean max loss, and MMC.

``Q`` has shape (n_samples, n_labels): the probability that each label is
present, one column per label (``OneVsRestClassifier.predict_proba``, or the
positive column of each label of ``MultiOutputClassifier.predict_proba``).
Rows need not sum to 1.
"""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from scipy.special import entr
from sklearn.utils import check_array

from ..utils._sklearn_compat import StrOptions, validate_params

_STRATEGIES = ("entropy", "least_confidence", "margin")


def _check_label_probabilities(Q):
    Q = check_array(Q, dtype=[np.float64, np.float32], input_name="Q")
    if Q.min() < 0 or Q.max() > 1:
        raise ValueError(
            f"Q has values outside [0, 1] (min {Q.min():.3g}, max {Q.max():.3g}): "
            "pass the probability of each label, such as the output of "
            "OneVsRestClassifier.predict_proba."
        )
    return Q


@validate_params(
    {"Q": ["array-like"], "strategy": [StrOptions(set(_STRATEGIES))],
     "aggregation": [StrOptions({"mean", "max"})]},
    prefer_skip_nested_validation=True,
)
def multilabel_uncertainty(Q, strategy="margin", aggregation="mean"):
    """Binary uncertainty of each label, aggregated over the labels.

    Each label is a binary problem with probabilities :math:`(1 - q, q)`:

    - ``"entropy"``: :math:`-q \\log_2 q - (1 - q) \\log_2 (1 - q)`, in [0, 1];
    - ``"least_confidence"``: :math:`1 - \\max(q, 1 - q)`, in [0, 0.5];
    - ``"margin"``: :math:`|2q - 1|`, in [0, 1], **lower** is more uncertain.

    ``aggregation="mean"`` averages over the labels; ``"max"`` takes the most
    uncertain label (for margin, the smallest margin). Margin with ``"max"``
    is BinMin (Brinker, 2006).

    Parameters
    ----------
    Q : array-like of shape (n_samples, n_labels)
        Probability that each label is present.

    strategy : {"margin", "entropy", "least_confidence"}, default="margin"
        The binary uncertainty of each label.

    aggregation : {"mean", "max"}, default="mean"
        Mean over the labels, or the most uncertain label.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        In the direction of the formula: higher is more uncertain for entropy
        and least confidence, lower for margin.

    Examples
    --------
    >>> from skactive.acquisition import multilabel_uncertainty
    >>> Q = [[0.5, 0.9], [0.8, 0.1]]
    >>> multilabel_uncertainty(Q, "margin", "max")  # BinMin: smallest margin
    array([0. , 0.6])
    >>> multilabel_uncertainty(Q, "least_confidence", "mean")
    array([0.3 , 0.15])
    """
    Q = _check_label_probabilities(Q)
    if strategy == "entropy":
        per_label = (entr(Q) + entr(1 - Q)) / np.log(2)
    elif strategy == "least_confidence":
        per_label = np.minimum(Q, 1 - Q)
    else:
        per_label = np.abs(2 * Q - 1)
    if aggregation == "mean":
        return per_label.mean(axis=1)
    return per_label.min(axis=1) if strategy == "margin" else per_label.max(axis=1)


def _losses(Q):
    """Per-label loss ``(1 - y f) / 2`` of the predicted label set, with
    ``f = 2q - 1`` and ``y = sign(f)``, at least one label predicted present."""
    f = 2 * Q - 1
    y = np.where(f > 0, 1.0, -1.0)
    none = ~(f > 0).any(axis=1)
    y[none, np.argmax(f[none], axis=1)] = 1.0  # the most likely label is present
    return (1 - y * f) / 2


@validate_params({"Q": ["array-like"]}, prefer_skip_nested_validation=True)
def max_loss(Q):
    """Max loss (Li, Wang & Sung, 2004): the largest per-label loss.

    With the decision value :math:`f_l = 2 q_l - 1` of each label and the
    predicted label set :math:`y_l = \\mathrm{sign}(f_l)` (the most likely
    label counted present when none is), the loss of a label is
    :math:`(1 - y_l f_l) / 2`; max loss takes the largest over the labels.
    Where some label is predicted present it equals
    ``multilabel_uncertainty(Q, "least_confidence", "max")``; it differs on
    samples with no predicted label, whose loss exceeds 0.5.

    Parameters
    ----------
    Q : array-like of shape (n_samples, n_labels)
        Probability that each label is present.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        In [0, 1]; higher is more informative.

    Examples
    --------
    >>> from skactive.acquisition import max_loss
    >>> max_loss([[0.9, 0.6], [0.2, 0.3]])  # sample 1: no label predicted
    array([0.4, 0.7])
    """
    return _losses(_check_label_probabilities(Q)).max(axis=1)


@validate_params({"Q": ["array-like"]}, prefer_skip_nested_validation=True)
def mean_max_loss(Q):
    """Mean max loss (Li, Wang & Sung, 2004): the mean per-label loss.

    The loss of each label as in :func:`max_loss`, averaged over the labels.

    Parameters
    ----------
    Q : array-like of shape (n_samples, n_labels)
        Probability that each label is present.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        In [0, 1]; higher is more informative.

    Examples
    --------
    >>> from skactive.acquisition import mean_max_loss
    >>> mean_max_loss([[0.9, 0.6], [0.2, 0.3]])
    array([0.25, 0.45])
    """
    return _losses(_check_label_probabilities(Q)).mean(axis=1)


@validate_params({"Q": ["array-like"], "n_labels": ["array-like"]},
                 prefer_skip_nested_validation=True)
def mmc(Q, n_labels):
    """Maximum loss reduction with maximal confidence (Yang et al., 2009).

    The predicted label set of a sample is its ``n_labels`` most probable
    labels (:math:`y_l = 1` for them, -1 for the others); the score is the
    loss of that set under the decision values :math:`f_l = 2 q_l - 1`,

    .. math:: \\sum_l \\frac{1 - y_l f_l}{2},

    which is large when the model's confidence contradicts the label count
    it expects. ``n_labels`` is the label cardinality predicted per sample;
    :class:`~skactive.UncertaintySampler` with ``strategy="mmc"`` predicts it
    with a logistic regression on the sorted probabilities, as in the paper.

    Parameters
    ----------
    Q : array-like of shape (n_samples, n_labels)
        Probability that each label is present.

    n_labels : array-like of shape (n_samples,)
        Predicted number of labels of each sample, at least 1.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        In [0, n_labels_total]; higher is more informative.

    Examples
    --------
    >>> from skactive.acquisition import mmc
    >>> mmc([[0.9, 0.6, 0.1], [0.5, 0.4, 0.3]], n_labels=[1, 2])
    array([0.8, 1.4])
    """
    Q = _check_label_probabilities(Q)
    n_labels = check_array(n_labels, ensure_2d=False, dtype=np.intp,
                           input_name="n_labels")
    if n_labels.shape != (Q.shape[0],) or n_labels.min() < 1:
        raise ValueError("n_labels must hold one count of at least 1 per sample.")
    ranks = np.argsort(np.argsort(-Q, axis=1, kind="stable"), axis=1)
    y = np.where(ranks < n_labels[:, None], 1.0, -1.0)
    return ((1 - y * (2 * Q - 1)) / 2).sum(axis=1)

"""Multilabel acquisition: per-label binary uncertainty aggregated over the
labels, max loss and mean max loss, and MMC with its model of the number of
labels.

``Q`` has shape (n_samples, n_labels): the probability that each label is
present, one column per label (``OneVsRestClassifier.predict_proba``, or the
positive column of each label of ``MultiOutputClassifier.predict_proba``;
:func:`label_probabilities` turns either into ``Q``). Rows need not sum to 1.
"""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from scipy.special import entr
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
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


@validate_params({"Q": ["array-like"], "label_counts": ["array-like"]},
                 prefer_skip_nested_validation=True)
def mmc(Q, label_counts):
    """Maximum loss reduction with maximal confidence (Yang et al., 2009).

    The predicted label set of a sample is its ``label_counts`` most
    probable labels (:math:`y_l = 1` for them, -1 for the others); the score
    is the loss of that set under the decision values :math:`f_l = 2 q_l - 1`,

    .. math:: \\sum_l \\frac{1 - y_l f_l}{2},

    which is large when the model's confidence contradicts the number of
    labels it expects. ``label_counts`` is that number, predicted per
    sample: :func:`label_count_model` predicts it from ``Q``, as in the
    paper, and :class:`~skactive.UncertaintySampler` with ``strategy="mmc"``
    uses it.

    Parameters
    ----------
    Q : array-like of shape (n_samples, n_labels)
        Probability that each label is present.

    label_counts : array-like of shape (n_samples,)
        Predicted number of labels present in each sample, at least 1.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        In [0, n_labels]; higher is more informative.

    Examples
    --------
    >>> from skactive.acquisition import mmc
    >>> mmc([[0.9, 0.6, 0.1], [0.5, 0.4, 0.3]], label_counts=[1, 2])
    array([0.8, 1.4])
    """
    Q = _check_label_probabilities(Q)
    label_counts = check_array(label_counts, ensure_2d=False, dtype=np.intp,
                               input_name="label_counts")
    if label_counts.shape != (Q.shape[0],) or label_counts.min() < 1:
        raise ValueError(
            "label_counts must hold one count of at least 1 per sample: the "
            "number of labels predicted present, not the number of label columns."
        )
    ranks = np.argsort(np.argsort(-Q, axis=1, kind="stable"), axis=1)
    y = np.where(ranks < label_counts[:, None], 1.0, -1.0)
    return ((1 - y * (2 * Q - 1)) / 2).sum(axis=1)


def _sorted_shares(Q):
    """Each row of ``Q`` sorted in decreasing order and divided by its sum."""
    ordered = -np.sort(-Q, axis=1)
    return ordered / np.maximum(ordered.sum(axis=1, keepdims=True), 1e-12)


@validate_params({"Q": ["array-like"], "Y": ["array-like"]},
                 prefer_skip_nested_validation=True)
def label_count_model(Q, Y):
    """MMC's model of the number of labels of a sample (Yang et al., 2009).

    A logistic regression from the sorted, normalised label probabilities of
    a sample, :math:`q_{(1)} / \\sum_l q_l \\geq q_{(2)} / \\sum_l q_l \\geq
    \\dots`, to its number of labels, fitted on labeled samples; its
    predictions are the ``label_counts`` of :func:`mmc`. When every labeled
    sample has as many labels, that number is predicted for every sample.

    Parameters
    ----------
    Q : array-like of shape (n_samples, n_labels)
        Probability that each label is present, for the labeled samples.

    Y : array-like of shape (n_samples, n_labels)
        Their labels, a binary indicator matrix. A sample with no label
        counts as one.

    Returns
    -------
    model : Pipeline
        Fitted; ``model.predict(Q_pool)`` gives the number of labels of each
        row of ``Q_pool``, at least 1.

    Examples
    --------
    >>> from skactive.acquisition import label_count_model, mmc
    >>> Q = [[0.9, 0.8, 0.1], [0.9, 0.1, 0.1], [0.7, 0.6, 0.2], [0.8, 0.2, 0.1]]
    >>> Y = [[1, 1, 0], [1, 0, 0], [1, 1, 0], [1, 0, 0]]
    >>> label_count_model(Q, Y).predict([[0.6, 0.6, 0.1], [0.95, 0.1, 0.05]])
    array([2, 1])
    >>> label_count_model(Q[1::2], Y[1::2]).predict([[0.6, 0.6, 0.1]])
    array([1])
    """
    Q = _check_label_probabilities(Q)
    Y = check_array(Y, input_name="Y")
    if Y.shape != Q.shape:
        raise ValueError(f"Y has shape {Y.shape} but Q has shape {Q.shape}: pass "
                         "one row of labels per row of probabilities.")
    counts = np.maximum(Y.sum(axis=1), 1).astype(np.intp)
    model = (LogisticRegression(max_iter=1000) if np.unique(counts).size > 1
             else DummyClassifier(strategy="most_frequent"))
    features = FunctionTransformer(_sorted_shares, validate=True)
    return make_pipeline(features, model).fit(Q, counts)


@validate_params({"proba": ["array-like"], "classes": ["array-like", None]},
                 prefer_skip_nested_validation=True)
def label_probabilities(proba, classes=None):
    """The probability of each label, from a multilabel ``predict_proba``.

    Multilabel models give it in one of two forms: one array of shape
    (n_samples, n_labels) (``OneVsRestClassifier``, ``ClassifierChain``,
    ``MLPClassifier``), returned as it is; or a list of (n_samples, 2)
    arrays, one per label (``MultiOutputClassifier``, forests), whose
    second columns are stacked. In the list form a label that took one
    value in training has a single column, which says nothing of the label:
    its entry of ``classes`` (the model's ``classes_``) says which value it
    took, and its probability is 1 if that was present (1), else 0.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_labels) or list of arrays
        Output of a multilabel model's ``predict_proba``.

    classes : list of array-like, default=None
        The model's ``classes_`` in the list form: for each label, the
        values it took in training. Needed only for a label with one
        column; None counts such a label absent.

    Returns
    -------
    Q : ndarray of shape (n_samples, n_labels)
        Probability that each label is present.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.acquisition import label_probabilities
    >>> proba = [np.array([[0.2, 0.8], [0.6, 0.4]]),  # label 0
    ...          np.array([[1.0], [1.0]])]            # label 1: always present
    >>> label_probabilities(proba, classes=[[0, 1], [1]])
    array([[0.8, 1. ],
           [0.4, 1. ]])
    """
    if not isinstance(proba, list):
        return check_array(proba, dtype=np.float64, input_name="proba")
    columns = []
    for j, label in enumerate(proba):
        label = np.asarray(label, dtype=np.float64)
        if label.shape[1] == 2:
            columns.append(label[:, 1])
        else:
            only = 0 if classes is None else np.asarray(classes[j])[0]
            columns.append(np.full(label.shape[0], float(only == 1)))
    return np.column_stack(columns)

"""Committee disagreement: vote entropy, and BALD (which is also the mean KL
divergence to the consensus).

``P`` here has shape (n_members, n_samples, n_classes): the class
probabilities of every member of a committee (an ensemble, or models trained
on bootstrap samples) for every sample, columns aligned on one set of
classes; or an iterator that yields them one member at a time, so that a
committee of any size is scored in the memory of one member. Values are in
bits, like :func:`entropy`.
"""

# SPDX-License-Identifier: BSD-3-Clause

from collections.abc import Iterable, Iterator
from numbers import Integral

import numpy as np
from scipy.special import entr
from sklearn.utils import check_array

from ..utils._sklearn_compat import Interval, validate_params
from ._uncertainty import entropy


def _members(P):
    """The members' probability matrices of ``P``, one after the other.

    ``P`` is an array of shape (n_members, n_samples, n_classes) or any
    iterable of (n_samples, n_classes) matrices, such as a generator that
    predicts one member at a time.
    """
    if not isinstance(P, Iterator):
        P = np.asarray(P)
        if P.ndim != 3:
            raise ValueError(
                f"P must have shape (n_members, n_samples, n_classes), got {P.ndim} "
                "dimensions. Stack the members' predict_proba outputs with "
                "np.stack, or pass an iterator of them."
            )
        if 0 in P.shape[:2]:
            raise ValueError(f"P is empty: shape {P.shape}; it needs at least one "
                             "member and one sample.")
    for proba in P:
        proba = check_array(proba, dtype=[np.float64, np.float32],
                            ensure_all_finite=False, input_name="P")
        if proba.shape[1] < 2:
            raise ValueError(f"P has {proba.shape[1]} class column; it needs at "
                             "least two.")
        yield proba


def _mutual_information(P):
    """H(mean p) - mean H(p) over the members of ``P``, in bits, streamed.

    Members are accumulated one at a time, so memory is one member's
    probabilities whatever the size of the committee. :func:`entropy` checks
    each member's rows (and the consensus) as it goes.
    """
    consensus = member_entropy = None
    n_members = 0
    for proba in _members(P):
        if consensus is None:
            consensus = np.zeros(proba.shape)
            member_entropy = np.zeros(proba.shape[0])
        elif proba.shape != consensus.shape:
            raise ValueError(
                f"Member {n_members} has probabilities of shape {proba.shape}, "
                f"member 0 of shape {consensus.shape}: align every member on "
                "the same samples and classes."
            )
        member_entropy += entropy(proba)
        consensus += proba
        n_members += 1
    if n_members == 0:
        raise ValueError("P holds no member; a committee needs at least one.")
    consensus /= n_members
    return np.maximum(entropy(consensus) - member_entropy / n_members, 0)


@validate_params(
    {"votes": ["array-like"],
     "n_classes": [Interval(Integral, 1, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def vote_entropy(votes, n_classes):
    """Entropy of the committee's hard votes for each sample, in bits.

    .. math:: VE(x) = -\\sum_c \\frac{V_c(x)}{M} \\log_2 \\frac{V_c(x)}{M}

    where :math:`V_c(x)` is the number of the :math:`M` members that predict
    class :math:`c` for sample :math:`x` (Dagan & Engelson, 1995).

    Parameters
    ----------
    votes : array-like of shape (n_samples, n_members)
        Class index (in ``[0, n_classes)``) predicted by each member for each
        sample.

    n_classes : int
        Number of classes.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        In ``[0, log2 min(n_members, n_classes)]``. Higher means more
        disagreement: 0 when all members agree.

    Examples
    --------
    >>> from skactive.acquisition import vote_entropy
    >>> vote_entropy([[0, 0, 0, 0], [0, 0, 1, 1], [0, 1, 2, 2]], n_classes=3)
    array([0. , 1. , 1.5])
    """
    votes = check_array(votes, dtype=None, input_name="votes")
    if votes.dtype.kind not in "biuf":
        votes = _numeric_votes(votes, n_classes)
    if not np.issubdtype(votes.dtype, np.integer):
        if not np.all(np.mod(votes, 1) == 0):
            raise ValueError("votes must be integer class indices.")
        votes = votes.astype(np.intp)
    if votes.min() < 0 or votes.max() >= n_classes:
        raise ValueError(
            f"votes must be class indices in [0, {n_classes}), got values from "
            f"{votes.min()} to {votes.max()}."
        )
    n_samples, n_members = votes.shape
    counts = np.zeros((n_samples, n_classes))
    rows = np.arange(n_samples)
    for member in range(n_members):
        np.add.at(counts, (rows, votes[:, member]), 1)
    return entr(counts / n_members).sum(axis=1) / np.log(2)


def _numeric_votes(votes, n_classes):
    """Votes of an object array as numbers; class labels (strings) refused
    with what to do."""
    try:
        if votes.dtype.kind == "O":
            return votes.astype(np.float64)
    except (TypeError, ValueError):
        pass
    bad = next(v for v in votes.ravel() if not isinstance(v, (int, float, np.number)))
    bad = bad.item() if isinstance(bad, np.generic) else bad
    raise ValueError(
        f"votes must be integer class indices in [0, {n_classes}), got {bad!r}. "
        "Map class labels to indices first: np.searchsorted(classes, votes) "
        "with the sorted classes (a classifier's classes_)."
    )


@validate_params({"P": ["array-like", Iterable]}, prefer_skip_nested_validation=True)
def bald(P):
    """BALD: entropy of the mean prediction minus the mean entropy.

    .. math:: I(x) = H\\left(\\bar p\\right) - \\frac{1}{M} \\sum_m H(p_m),
              \\qquad \\bar p = \\frac{1}{M} \\sum_m p_m

    The mutual information between the label and the committee member
    (Houlsby et al., 2011): high when members are each confident but
    disagree, low when they agree, even if they agree on being unsure.
    Rounding below zero is clipped to 0.

    It is also McCallum & Nigam's (1998) disagreement, the mean
    Kullback-Leibler divergence of each member from the consensus:

    .. math:: \\frac{1}{M} \\sum_m \\sum_c p_{mc} \\log_2
              \\frac{p_{mc}}{\\bar p_c}
              = \\frac{1}{M} \\sum_m \\sum_c p_{mc} \\log_2 p_{mc}
              - \\sum_c \\bar p_c \\log_2 \\bar p_c = I(x),

    since :math:`\\frac{1}{M} \\sum_m p_{mc} = \\bar p_c`. One function
    serves both names; it is computed in the entropy form, one member at a
    time, which needs no division by :math:`\\bar p_c`.

    Parameters
    ----------
    P : array-like of shape (n_members, n_samples, n_classes) or iterator
        Class probabilities of each member, columns aligned; or an iterator
        of (n_samples, n_classes) arrays, one per member (streamed).

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        In ``[0, log2 min(n_members, n_classes)]``. Higher means more
        disagreement.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.acquisition import bald
    >>> P = np.array([[[1.0, 0.0], [0.5, 0.5]],
    ...               [[0.0, 1.0], [0.5, 0.5]]])
    >>> bald(P)  # sample 0: confident members disagree; sample 1: all unsure
    array([1., 0.])
    """
    return _mutual_information(P)

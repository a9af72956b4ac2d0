"""Committee disagreement: vote entropy, KL divergence to the consensus, BALD.

``P`` here has shape (n_members, n_samples, n_classes): the class
probabilities of every member of a committee (an ensemble, or models trained
on bootstrap samples) for every sample, columns aligned on one set of
classes. Values are in bits, like :func:`entropy`.
"""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from scipy.special import entr, rel_entr
from sklearn.utils import check_array

from ._uncertainty import _blocks


def _check_committee_probabilities(P):
    P = np.asarray(P)
    if P.ndim != 3:
        raise ValueError(
            f"P must have shape (n_members, n_samples, n_classes), got {P.ndim} "
            "dimensions. Stack the members' predict_proba outputs with np.stack."
        )
    n_members, n_samples, n_classes = P.shape
    if n_members == 0 or n_samples == 0:
        raise ValueError(f"P is empty: shape {P.shape}; it needs at least one "
                         "member and one sample.")
    if n_classes < 2:
        raise ValueError(f"P has {n_classes} class column; it needs at least two.")
    P = check_array(P.reshape(-1, n_classes), dtype=[np.float64, np.float32],
                    ensure_all_finite=False, input_name="P")
    for _ in _blocks(P):  # the same checks as for one model's probabilities
        pass
    return P.reshape(n_members, n_samples, n_classes)


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


def kl_consensus(P):
    """Mean Kullback-Leibler divergence of each member from the consensus.

    .. math:: KL(x) = \\frac{1}{M} \\sum_m \\sum_c p_{mc} \\log_2
              \\frac{p_{mc}}{\\bar p_c}, \\qquad
              \\bar p = \\frac{1}{M} \\sum_m p_m

    (McCallum & Nigam, 1998). It is mathematically equal to :func:`bald`,
    the mutual information between the prediction and the member; both
    names are in use.

    Parameters
    ----------
    P : array-like of shape (n_members, n_samples, n_classes)
        Class probabilities of each member, columns aligned.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        In ``[0, log2 min(n_members, n_classes)]``. Higher means more
        disagreement: 0 when all members give the same probabilities.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.acquisition import kl_consensus
    >>> P = np.array([[[1.0, 0.0], [0.5, 0.5]],
    ...               [[0.0, 1.0], [0.5, 0.5]]])  # 2 members, 2 samples
    >>> kl_consensus(P)
    array([1., 0.])
    """
    P = _check_committee_probabilities(P)
    consensus = P.mean(axis=0)
    return rel_entr(P, consensus[None]).sum(axis=2).mean(axis=0) / np.log(2)


def bald(P):
    """BALD: entropy of the mean prediction minus the mean entropy.

    .. math:: I(x) = H\\left(\\bar p\\right) - \\frac{1}{M} \\sum_m H(p_m)

    The mutual information between the label and the committee member
    (Houlsby et al., 2011): high when members are each confident but
    disagree, low when they agree, even if they agree on being unsure.
    Rounding below zero is clipped to 0.

    Parameters
    ----------
    P : array-like of shape (n_members, n_samples, n_classes)
        Class probabilities of each member, columns aligned.

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
    P = _check_committee_probabilities(P)
    total = entr(P.mean(axis=0)).sum(axis=1)
    expected = entr(P).sum(axis=2).mean(axis=0)
    return np.maximum(total - expected, 0) / np.log(2)

"""Stopping rules as pure functions of arrays: the statistics each round
produces, and the decisions taken from their history."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn.metrics import cohen_kappa_score

from ..acquisition import entropy


def agreement(previous, current):
    """Cohen's kappa between two rounds' predictions on the stop set.

    Two identical constant predictions (kappa undefined) count as full
    agreement, 1.0.
    """
    previous, current = np.asarray(previous), np.asarray(current)
    if np.array_equal(previous, current):
        return 1.0
    return float(cohen_kappa_score(previous, current))


def stabilized(kappas, window=3, threshold=0.99):
    """Bloodgood & Vijay-Shanker (2009): the mean kappa of the last ``window``
    rounds has reached ``threshold``."""
    kappas = np.asarray(kappas, dtype=float)
    return kappas.size >= window and kappas[-window:].mean() >= threshold


def normalized_entropy(P):
    """Entropy of each row of class probabilities divided by its maximum,
    log2 of the number of classes: in [0, 1] whatever the classes."""
    P = np.asarray(P, dtype=float)
    return entropy(P) / np.log2(P.shape[1])


def n_changed(previous, current):
    """How many predictions on the stop set changed between two rounds."""
    return int(np.sum(np.asarray(previous) != np.asarray(current)))


def confidence_dropped(confidences, patience=1):
    """Vlachos (2008): the mean confidence on the stop set has fallen for
    ``patience`` rounds in a row (it has passed its peak)."""
    confidences = np.asarray(confidences, dtype=float)
    if confidences.size < patience + 1:
        return False
    return bool(np.all(np.diff(confidences[-patience - 1:]) < 0))

"""What a label of a :class:`LabelingPool` may be: checks shared by its
constructor, ``teach`` and ``relabel``, each error naming the sample."""

# SPDX-License-Identifier: BSD-3-Clause

from difflib import SequenceMatcher
from numbers import Integral, Real

import numpy as np


def plain(value):
    """A label as the Python value it stands for (numpy scalars and rows
    become Python numbers, strings and lists), as a state file holds it."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def kind(value):
    """"strings" or "numbers", or the type's name for anything else."""
    if isinstance(value, (str, bytes)):
        return "strings"
    if isinstance(value, (Real, np.number, np.bool_)):
        return "numbers"
    return type(value).__name__


def is_missing(value, missing_label=None):
    """None and NaN are always missing; so is ``missing_label``, if given."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):  # pandas
        return True
    if isinstance(value, (float, np.floating)) and np.isnan(value):
        return True
    if missing_label is None or kind(value) != kind(missing_label):
        return False
    return bool(value == missing_label)


def check_indices(indices, n_samples):
    """``indices`` as a 1-D integer array of distinct samples of the pool."""
    indices = np.asarray(indices)
    if indices.ndim != 1:
        raise ValueError(f"indices must be 1-D, got shape {indices.shape}.")
    if indices.size and not np.issubdtype(indices.dtype, np.integer):
        raise ValueError(f"indices must be integers, got {indices.dtype}.")
    indices = indices.astype(np.intp, copy=False)
    unknown = indices[(indices < 0) | (indices >= n_samples)]
    if unknown.size:
        raise ValueError(f"Unknown sample index {unknown[0]}: the pool has "
                         f"{n_samples} samples, indices 0 to {n_samples - 1}.")
    if np.unique(indices).size != indices.size:
        raise ValueError("An index appears twice: give one label per sample.")
    return indices


def check_labels(pool, indices, labels):
    """The labels of ``indices`` as Python values, checked against the pool:
    their shape, missing values, ``classes`` and the kinds already known."""
    labels = np.asarray(labels, dtype=object)
    if pool.labels_.ndim == 2 or (labels.ndim == 2 and pool.n_labeled == 0):
        n_labels = pool.labels_.shape[1] if pool.labels_.ndim == 2 else labels.shape[1]
        return check_rows(labels, indices.size, n_labels, pool.classes)
    if labels.shape != indices.shape:
        raise ValueError(
            f"indices and labels must be 1-D and of one length, got shapes "
            f"{indices.shape} and {labels.shape}.")
    values = [plain(v) for v in labels]
    for i, value in zip(indices, values):
        if is_missing(value, pool.missing_label):
            raise ValueError(
                f"The label of sample {i} is missing ({value!r}); to take a "
                "label away, use unlabel().")
        check_class(pool.classes, value, i)
    check_kinds([*pool.labels_[pool.labeled_].tolist(), *values])
    return values


def check_rows(labels, n_rows, n_labels, classes=None):
    """Multilabel rows as lists of ints: one 0 or 1 per label."""
    if classes is not None:
        raise ValueError("classes= lists the classes of a single-label target; "
                         "a multilabel row holds 0 or 1 for each label.")
    try:
        rows = np.asarray(labels.tolist(), dtype=float)
    except (TypeError, ValueError):
        rows = None
    if (rows is None or rows.shape != (n_rows, n_labels)
            or not np.isin(rows, (0, 1)).all()):
        raise ValueError(
            f"This pool holds multilabel rows of {n_labels} labels, each 0 or 1: "
            f"labels must have shape ({n_rows}, {n_labels}), got "
            f"{labels.tolist()!r:.200}.")
    return rows.astype(int).tolist()


def initial_labels(y, labeled, n_samples, classes, missing_label):
    """The labels and the labeled mask of a new pool, from ``y`` and
    ``labeled`` as the constructor takes them."""
    if y is None:
        return np.full(n_samples, None, dtype=object), np.zeros(n_samples, dtype=bool)
    y = np.asarray(y, dtype=object)
    if y.ndim not in (1, 2) or y.shape[0] != n_samples:
        raise ValueError(f"y has shape {y.shape}; it needs one entry (or one row "
                         f"of labels) per sample of X: {n_samples} of them.")
    missing = np.vectorize(lambda v: is_missing(plain(v), missing_label),
                           otypes=[bool])(y) if y.size else np.zeros(y.shape, bool)
    if y.ndim == 2:
        partly = np.flatnonzero(missing.any(axis=1) & ~missing.all(axis=1))
        if partly.size:
            raise ValueError(f"Row {partly[0]} of y is partly missing: a multilabel "
                             "row is labeled whole or not at all.")
        missing = missing.any(axis=1)
    labeled = ~missing if labeled is None else np.asarray(labeled, dtype=bool)
    if labeled.shape != (n_samples,):
        raise ValueError("labeled must hold one bool per sample of X.")
    indices = np.flatnonzero(labeled)
    if y.ndim == 2:
        labels = np.zeros(y.shape, dtype=int)
        labels[indices] = check_rows(y[indices], indices.size, y.shape[1], classes)
        return labels, labeled.copy()
    labels = np.full(n_samples, None, dtype=object)
    for i in indices:
        labels[i] = plain(y[i])
        if is_missing(labels[i], missing_label):
            raise ValueError(f"Sample {i} is marked labeled, but its label "
                             f"{labels[i]!r} is missing.")
        check_class(classes, labels[i], i)
    check_kinds(labels[indices].tolist())
    return labels, labeled.copy()


def check_class(classes, value, index):
    """Refuse a label that is not one of ``classes``, naming the closest."""
    if classes is None or any(kind(c) == kind(value) and c == value
                              for c in classes):
        return
    raise ValueError(
        f"The label {value!r} of sample {index} is not one of the classes "
        f"{list(classes)!r}: did you mean {closest(value, classes)!r}? Fix the "
        "label, or add the class to classes=.")


def closest(value, classes):
    """The class nearest to ``value``: by difference between numbers, else
    by spelling (ignoring case and surrounding spaces)."""
    if kind(value) == "numbers" and all(kind(c) == "numbers" for c in classes):
        return min(classes, key=lambda c: abs(c - value))
    key = str(value).strip().casefold()
    return max(classes, key=lambda c: SequenceMatcher(
        None, key, str(c).strip().casefold()).ratio())


def check_kinds(values):
    """Labels are all numbers or all strings."""
    kinds = {kind(v) for v in values}
    if len(kinds) > 1:
        raise ValueError(
            "Labels must all be numbers or all be strings; these mix "
            f"{' and '.join(sorted(kinds))}. Check the label that was given.")


def check_settings(classes, missing_label):
    """``classes`` as a list of distinct plain labels (or None), and
    ``missing_label`` as a plain scalar (NaN as None)."""
    missing_label = plain(missing_label)
    if is_missing(missing_label):
        missing_label = None
    elif kind(missing_label) not in ("strings", "numbers"):
        raise ValueError(f"missing_label must be a number or a string, got "
                         f"{missing_label!r}.")
    if classes is None:
        return None, missing_label
    if isinstance(classes, (str, bytes)) or isinstance(classes, Integral):
        raise ValueError(f"classes must be a list of labels, got {classes!r}.")
    classes = [plain(c) for c in classes]
    if not classes or any(is_missing(c, missing_label) for c in classes):
        raise ValueError(f"classes must list at least one label and no missing "
                         f"one, got {classes!r}.")
    if len({(kind(c), c) for c in classes}) != len(classes):
        raise ValueError(f"classes lists a class twice: {classes!r}.")
    check_kinds(classes)
    return classes, missing_label

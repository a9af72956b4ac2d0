"""Checks of arguments (integers, cost matrices, targets), shared by samplers,
experiments and the CLI."""

# SPDX-License-Identifier: BSD-3-Clause

import sys
from numbers import Integral

import numpy as np
from sklearn.utils import assert_all_finite, check_array
from sklearn.utils.multiclass import type_of_target


def check_integer(value, name, *, min_value=1, hint=""):
    """Return ``value`` as an int, or raise if it is not an integer >= ``min_value``.

    Booleans are refused although they are integers in Python: ``True`` is
    never meant as a size. ``hint`` ends the message of a value that is too
    small (say what to pass instead).
    """
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(
            f"{name} must be an integer, got {value!r} ({type(value).__name__})."
        )
    if value < min_value:
        raise ValueError(f"{name} must be at least {min_value}, got {value}{hint}.")
    return int(value)


def check_batch_size(batch_size, n_samples):
    """A batch size between 1 and the pool size ``n_samples``."""
    batch_size = check_integer(
        batch_size, "batch_size", hint=": ask for the number of samples to label next"
    )
    if batch_size > n_samples:
        raise ValueError(
            f"batch_size={batch_size} is larger than the pool ({n_samples} "
            f"samples): ask for at most {n_samples}."
        )
    return batch_size


def check_cost_matrix(cost_matrix, n_classes, *, classes=None):
    """A square, finite, non-negative cost matrix of ``n_classes`` classes.

    ``C[i, j]`` is the cost of deciding class ``j`` when the truth is ``i``.
    An array is read by position, in the order of ``classes`` (the model's
    ``classes_``). With ``classes`` given, a pandas DataFrame is read by its
    labels (index: true class, columns: decision) and may hold more classes
    than ``classes``, such as classes the labeled data lack: the rows and
    columns of ``classes`` are returned, in their order.
    """
    if classes is not None and _is_dataframe(cost_matrix):
        cost_matrix = _costs_by_label(cost_matrix, classes)
    C = check_array(cost_matrix, dtype=np.float64, input_name="cost_matrix")
    if C.shape != (n_classes, n_classes):
        named = "" if classes is None else f" (classes_ = {_labels(classes)})"
        hint = ("; an array carries no labels: for costs of more classes, pass "
                "a pandas DataFrame indexed by class label (index: true class, "
                "columns: decision)" if classes is not None else "")
        raise ValueError(
            f"cost_matrix has shape {C.shape}, but there are {n_classes} "
            f"classes{named}: pass a ({n_classes}, {n_classes}) matrix, C[i, j] "
            f"the cost of predicting class j when the truth is i, in the order "
            f"of classes_{hint}."
        )
    if C.min() < 0:
        raise ValueError("cost_matrix has negative costs: every cost must be >= 0.")
    return C


def _is_dataframe(X):
    """Whether ``X`` is a pandas DataFrame (without importing pandas)."""
    module = sys.modules.get("pandas")
    return module is not None and isinstance(X, module.DataFrame)


def _labels(values):
    """Labels as plain Python values, for messages."""
    return np.asarray(values, dtype=object).tolist()


def _costs_by_label(frame, classes):
    """The rows and columns of ``classes`` of a cost DataFrame, in that order,
    or a ValueError naming the labels that are missing, duplicated or on one
    side only."""
    for axis, labels in (("index", frame.index), ("columns", frame.columns)):
        if labels.has_duplicates:
            raise ValueError(
                f"cost_matrix has duplicated labels in its {axis}: "
                f"{_labels(labels[labels.duplicated()].unique())}; give each "
                "class one row (true class) and one column (decision)."
            )
    for what, labels in (("row", frame.index), ("column", frame.columns)):
        missing = [c for c in _labels(classes) if c not in labels]
        if missing:
            raise ValueError(
                f"cost_matrix has no {what} for the class(es) {missing} of the "
                f"model (classes_ = {_labels(classes)}); its "
                f"{'index' if what == 'row' else 'columns'} holds "
                f"{_labels(labels)}. Index the DataFrame by true class and "
                "name its columns by decision, with the labels of y."
            )
    for axis, labels, other in (("index", frame.index, frame.columns),
                                ("columns", frame.columns, frame.index)):
        alone = _labels(labels.difference(other, sort=False))
        if alone:
            raise ValueError(
                f"cost_matrix holds {alone} only in its {axis}: its index "
                "(true classes) and columns (decisions) must hold the same "
                "class labels."
            )
    return frame.iloc[frame.index.get_indexer(classes),
                      frame.columns.get_indexer(classes)]


def check_finite_target(y):
    """Refuse a target with NaN or infinity, naming ``y`` (``type_of_target``
    and the inner estimators say only "Input contains NaN")."""
    if y is None:
        return
    try:
        assert_all_finite(y, input_name="y")
    except ValueError as error:
        raise ValueError(f"{error} Fit the sampler on labeled samples only, each "
                         "with a finite target (drop the rows whose target is "
                         "missing).") from None


def check_one_label_per_sample(y, who, why=""):
    """Refuse a ``y`` that is not one class label per sample (binary or
    multiclass), naming the sampler (``who``) and, after a colon, ``why``."""
    if (isinstance(y, np.ndarray) and y.ndim == 1 and y.size
            and y.dtype.kind in "biuU"):
        return  # integer, boolean or string codes: type_of_target's answer
    target = type_of_target(y, input_name="y", raise_unknown=True)
    if target not in ("binary", "multiclass"):
        raise ValueError(f"{who} takes one class label per sample, but y is "
                         f"{target!r}" + (f": {why}" if why else "."))


def binary_classes(y, who):
    """The classes of a binary sampler's ``y`` (one or two, sorted), or a
    ValueError naming the sampler (``who``) and what to do instead. The
    last class is the positive one (+1) of the samplers' models."""
    classes = np.unique(np.asarray(y))
    if classes.shape[0] > 2:
        shown = ", ".join(map(repr, classes[:5].tolist()))
        raise ValueError(
            f"{who} is for binary classification, but y holds "
            f"{classes.shape[0]} classes ({shown}"
            f"{', ...' if classes.shape[0] > 5 else ''}). Label one class "
            "against the rest, or use a multiclass sampler (UncertaintySampler, "
            "CommitteeSampler).")
    return classes

"""Checks of integer arguments, shared by samplers, experiments and the CLI."""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral

import numpy as np
from sklearn.utils import assert_all_finite, check_array


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


def check_cost_matrix(cost_matrix, n_classes):
    """A square, finite, non-negative cost matrix of ``n_classes`` classes."""
    C = check_array(cost_matrix, dtype=np.float64, input_name="cost_matrix")
    if C.shape != (n_classes, n_classes):
        raise ValueError(
            f"cost_matrix has shape {C.shape}, but there are {n_classes} classes: "
            f"pass a ({n_classes}, {n_classes}) matrix, C[i, j] the cost of "
            "predicting class j when the truth is i, in the order of classes_."
        )
    if C.min() < 0:
        raise ValueError("cost_matrix has negative costs: every cost must be >= 0.")
    return C


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

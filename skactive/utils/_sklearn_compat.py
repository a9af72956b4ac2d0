"""The one place where skactive imports scikit-learn's private API.

Everything below is private in scikit-learn and may move between releases;
importing it from here keeps the adaptation to one module, and
``pyproject.toml`` caps scikit-learn at the releases this was tested with.
"""

# SPDX-License-Identifier: BSD-3-Clause

from sklearn.base import _fit_context
from sklearn.utils import _safe_indexing
from sklearn.utils._chunking import get_chunk_n_rows
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    InvalidParameterError,
    StrOptions,
    validate_params,
)
from sklearn.utils.validation import _num_samples

__all__ = [
    "HasMethods",
    "Interval",
    "InvalidParameterError",
    "StrOptions",
    "_fit_context",
    "_num_samples",
    "_safe_indexing",
    "get_chunk_n_rows",
    "validate_params",
]

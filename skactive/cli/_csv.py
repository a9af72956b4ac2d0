"""The command line's CSV options, and the preprocessing they imply.

The library's one reader (``skactive.utils._csv``, which the benchmark's
``load_datasets`` also uses) checks the file, pandas types the columns;
scikit-learn's ``ColumnTransformer`` with ``make_column_selector`` encodes
them inside the pipeline: numbers imputed and scaled, categories imputed
and one-hot encoded, free text (several words per cell, mostly distinct
cells: the reader's docstring gives the rule and its reason) encoded with
TF-IDF, one ``TfidfVectorizer`` per text column. skrub's ``TableVectorizer``
does more (dates, high-cardinality strings) at the price of another
dependency; the three column types here are what the samplers' models need.

The reader also checks the labels (``--classes``, near-copies such as
"chrun" and "churn", numbers mixed with text) and blanks (``--missing``);
its warnings are printed here, one line each, naming the lines of the file.
"""

# SPDX-License-Identifier: BSD-3-Clause

import sys

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ..utils._csv import read_csv, text_dtype
from ._common import UsageError


def data_options():
    """The options of every command that reads a CSV file."""
    import argparse
    from pathlib import Path

    from ._strategies import TASKS

    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--data", type=Path, required=True, help="CSV file")
    options.add_argument("--target", required=True,
                         help="name of the label column")
    options.add_argument("--drop", nargs="+", default=[], metavar="COLUMN",
                         help="columns that are not features, such as an ID")
    options.add_argument("--task", choices=TASKS, default=None,
                         help="default: regression for a numeric target with "
                         "fractional values or more than 20 distinct ones, "
                         "classification otherwise")
    options.add_argument("--classes", type=_comma_list, default=None,
                         metavar="A,B,...",
                         help="the allowed labels, comma-separated: any other "
                         "label is refused, naming its line and the closest "
                         "class (without it, a label one edit or a case away "
                         "from a more frequent one is warned about)")
    options.add_argument("--missing", type=_comma_list, action="append",
                         default=[], metavar="MARKER",
                         help="cells that mean blank, in the label and the "
                         "feature columns, besides empty cells (the only blanks "
                         "by default: NA, None or null are values); repeatable "
                         "or comma-separated, such as --missing '?,n/a'")
    return options


def _comma_list(text):
    return [item.strip() for item in text.split(",") if item.strip()]


def missing_markers(args):
    """The blank markers of ``--missing``, flattened."""
    return [marker for markers in args.missing for marker in markers]


def read_data(args):
    """:func:`read_table` with the options of :func:`data_options`."""
    return read_table(args.data, args.target, args.drop, classes=args.classes,
                      missing=missing_markers(args))


def read_table(path, target, drop=(), classes=None, missing=()):
    """Features and target of a CSV file with a header row, read and checked
    by the library's reader (``skactive.utils._csv``); its warnings are
    printed to stderr, one line each.

    Returns
    -------
    X : pandas.DataFrame
        Every column but ``target`` and ``drop``: numeric, categorical
        (``object``) or free text.

    y : pandas.Series
        The target column; blank cells are missing values (NaN).
    """
    try:
        table = read_csv(path, target, drop)
        X, y = table.to_frame(missing=missing, classes=classes)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc
    except (ValueError, ImportError) as exc:
        raise UsageError(str(exc)) from exc
    for note in table.notes:
        print(f"skactive: warning: {note}", file=sys.stderr)
    return X, y


def require_labels(y, path):
    """The labels as an array; every row must have one."""
    missing = np.flatnonzero(y.isna().to_numpy())
    if missing.size:
        lines = ", ".join(str(i + 2) for i in missing[:10])
        more = f" and {missing.size - 10} more" if missing.size > 10 else ""
        raise UsageError(
            f"{missing.size} of {y.shape[0]} rows of {path} have no label in "
            f"column {y.name!r} (lines {lines}{more}): this command needs every "
            "label; fill them in or remove those rows"
        )
    return y.to_numpy()


def make_preprocessor():
    """Numbers imputed (median) and scaled; categories imputed and one-hot
    encoded; free text (the reader's text dtype) encoded with TF-IDF."""
    from sklearn.compose import ColumnTransformer, make_column_selector
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    return ColumnTransformer([
        ("numbers", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
         make_column_selector(dtype_include=np.number)),
        ("categories", make_pipeline(SimpleImputer(strategy="most_frequent"),
                                     OneHotEncoder(handle_unknown="ignore")),
         category_columns),
        ("texts", TextColumns(), text_columns),
    ])


def text_columns(X):
    """The free-text columns of the reader's frame (its text dtype)."""
    return [c for c in X.columns if X[c].dtype == text_dtype()]


def category_columns(X):
    """The columns that are neither numeric nor free text."""
    numeric = set(X.select_dtypes(include=np.number).columns)
    texts = set(text_columns(X))
    return [c for c in X.columns if c not in numeric and c not in texts]


class TextColumns(TransformerMixin, BaseEstimator):
    """One :class:`~sklearn.feature_extraction.text.TfidfVectorizer` per
    column of texts, side by side (a sparse matrix).

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"a": ["red apple", "green pear"],
    ...                   "b": ["big box", "box lid"]})
    >>> TextColumns().fit_transform(X).shape
    (2, 7)
    """

    def fit(self, X, y=None):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizers_ = [TfidfVectorizer().fit(_texts(X, j))
                             for j in range(X.shape[1])]
        return self

    def transform(self, X):
        from scipy import sparse

        check_is_fitted(self)
        return sparse.hstack([vectorizer.transform(_texts(X, j)) for j, vectorizer
                              in enumerate(self.vectorizers_)], format="csr")

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self)
        names = (input_features if input_features is not None
                 else range(len(self.vectorizers_)))
        return np.array([f"{name}__{word}" for name, vectorizer
                         in zip(names, self.vectorizers_)
                         for word in vectorizer.get_feature_names_out()], dtype=object)


def _texts(X, j):
    """Column ``j`` of ``X`` as a list of strings (a blank is an empty text)."""
    import pandas as pd

    column = X.iloc[:, j] if hasattr(X, "iloc") else np.asarray(X)[:, j]
    return [value if isinstance(value, str) else "" if pd.isna(value)
            else str(value) for value in column]


def describe_columns(X):
    """One line on how the feature columns will be encoded."""
    numeric = X.select_dtypes(include=np.number).columns
    categories, texts = category_columns(X), text_columns(X)
    parts = [f"{len(numeric)} numeric (scaled)"]
    if categories:
        parts.append(f"{len(categories)} categorical (one-hot: "
                     f"{', '.join(categories)})")
    if texts:
        parts.append(f"{len(texts)} text (TF-IDF: {', '.join(texts)})")
    missing = [c for c in X.columns if X[c].isna().any()]
    if missing:
        parts.append(f"missing values imputed in {', '.join(missing)}")
    return "; ".join(parts)


def feature_summary(X):
    """The line ``run`` and ``select`` print about the feature columns."""
    return f"features: {describe_columns(X)}"


def print_features(X):
    """Print :func:`feature_summary`."""
    print(feature_summary(X), flush=True)


def detect_task(y):
    """Regression for a numeric target with fractional values or more than 20
    distinct ones; classification otherwise."""
    y = np.asarray(y)
    if not np.issubdtype(y.dtype, np.number):
        return "classification"
    fractional = not np.all(np.mod(y, 1) == 0)
    return "regression" if fractional or np.unique(y).size > 20 else "classification"

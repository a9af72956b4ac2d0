"""The command line's CSV options, and the preprocessing they imply.

The library's one reader (``skactive.utils._csv``, which the benchmark's
``load_datasets`` also uses) checks the file, pandas types the columns;
scikit-learn's ``ColumnTransformer`` with ``make_column_selector`` encodes
them inside the pipeline: numbers imputed and scaled, strings imputed and
one-hot encoded. skrub's ``TableVectorizer`` does more
(dates, high-cardinality strings) at the price of another dependency; the
two column types here are what the samplers' models need.
"""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from ..utils._csv import read_csv
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
    return options


def read_table(path, target, drop=()):
    """Features and target of a CSV file with a header row, read by the
    library's reader (``skactive.utils._csv.read_csv``).

    Returns
    -------
    X : pandas.DataFrame
        Every column but ``target`` and ``drop``, as pandas typed them.

    y : pandas.Series
        The target column; blank cells are missing values (NaN).
    """
    try:
        return read_csv(path, target, drop).to_frame()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc
    except (ValueError, ImportError) as exc:
        raise UsageError(str(exc)) from exc


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
    """Numbers imputed (median) and scaled; strings imputed and one-hot encoded."""
    from sklearn.compose import ColumnTransformer, make_column_selector
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    return ColumnTransformer([
        ("numbers", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
         make_column_selector(dtype_include=np.number)),
        ("categories", make_pipeline(SimpleImputer(strategy="most_frequent"),
                                     OneHotEncoder(handle_unknown="ignore")),
         make_column_selector(dtype_exclude=np.number)),
    ])


def describe_columns(X):
    """One line on how the feature columns will be encoded."""
    numeric = X.select_dtypes(include=np.number).columns
    other = [c for c in X.columns if c not in set(numeric)]
    parts = [f"{len(numeric)} numeric (scaled)"]
    if other:
        parts.append(f"{len(other)} categorical (one-hot: {', '.join(other)})")
    missing = [c for c in X.columns if X[c].isna().any()]
    if missing:
        parts.append(f"missing values imputed in {', '.join(missing)}")
    return "; ".join(parts)


def detect_task(y):
    """Regression for a numeric target with fractional values or more than 20
    distinct ones; classification otherwise."""
    y = np.asarray(y)
    if not np.issubdtype(y.dtype, np.number):
        return "classification"
    fractional = not np.all(np.mod(y, 1) == 0)
    return "regression" if fractional or np.unique(y).size > 20 else "classification"

"""The one CSV reader of the command line, and the preprocessing it implies.

pandas reads the file (separator sniffed from its first lines) and types the
columns; scikit-learn's ``ColumnTransformer`` with ``make_column_selector``
encodes them inside the pipeline: numbers imputed and scaled, strings
imputed and one-hot encoded. skrub's ``TableVectorizer`` does more
(dates, high-cardinality strings) at the price of another dependency; the
two column types here are what the samplers' models need.
"""

# SPDX-License-Identifier: BSD-3-Clause

import csv
import difflib

import numpy as np

from ._common import UsageError

_DELIMITERS = ",;\t|"


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
    """Features and target of a CSV file with a header row.

    Returns
    -------
    X : pandas.DataFrame
        Every column but ``target`` and ``drop``, as pandas typed them.

    y : pandas.Series
        The target column; blank cells are missing values (NaN).
    """
    try:
        import pandas as pd
    except ImportError:
        raise UsageError("reading CSV files needs pandas: pip install "
                         "'skactive[cli]'") from None
    try:
        with open(path, newline="") as f:
            head = f.read(64 * 1024)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path} is not a text CSV file") from exc
    try:
        sep = csv.Sniffer().sniff(head, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        sep = ","
    try:
        table = pd.read_csv(path, sep=sep, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise UsageError(f"{path} is not a readable CSV file: "
                         f"{str(exc).strip().splitlines()[0]}") from exc
    if table.shape[0] == 0:
        raise UsageError(f"{path} needs a header row and at least one data row")
    table.columns = [str(c).strip() for c in table.columns]
    for name in (target, *drop):
        _check_column(name, table.columns, path)
    features = [c for c in table.columns if c != target and c not in drop]
    if not features:
        raise UsageError(f"{path} has no feature column besides {target!r}"
                         + (f" and the dropped {', '.join(drop)}" if drop else ""))
    return table[features], table[target]


def _check_column(name, columns, path):
    if name in columns:
        return
    lowered = {str(c).lower(): c for c in columns}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=1)
    hint = f" (did you mean {lowered[close[0]]!r}?)" if close else ""
    raise UsageError(f"no column {name!r} in {path}{hint}; its columns are: "
                     f"{', '.join(columns)}")


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

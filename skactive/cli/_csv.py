"""The one CSV reader of the command line."""

# SPDX-License-Identifier: BSD-3-Clause

import csv

import numpy as np

from ._common import UsageError


def read_csv(path, target):
    """Numeric features and the target column of a CSV file with a header."""
    try:
        with open(path, newline="") as f:
            rows = list(csv.reader(f))
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path} is not a text CSV file") from exc
    if len(rows) < 2:
        raise UsageError(f"{path} needs a header row and at least one data row")
    header, rows = rows[0], [row for row in rows[1:] if row]
    if target not in header:
        raise UsageError(
            f"no column {target!r} in {path}; its columns are: {', '.join(header)}"
        )
    widths = {len(row) for row in rows}
    if widths != {len(header)}:
        raise UsageError(f"{path}: every row must have {len(header)} fields, like "
                         "the header")
    columns = list(zip(*rows))
    t = header.index(target)
    features, non_numeric, missing = [], [], []
    for j, (name, values) in enumerate(zip(header, columns)):
        if j == t:
            continue
        if any(v.strip() == "" for v in values):
            missing.append(name)
            continue
        try:
            features.append([float(v) for v in values])
        except ValueError:
            non_numeric.append(name)
    if non_numeric:
        raise UsageError(f"non-numeric feature columns: {', '.join(non_numeric)}. "
                         "Encode them as numbers or drop them first.")
    if missing:
        raise UsageError(f"columns with missing values: {', '.join(missing)}. "
                         "Fill or drop them first.")
    if not features:
        raise UsageError(f"{path} has no feature column besides {target!r}")
    return np.array(features).T, np.array(columns[t])

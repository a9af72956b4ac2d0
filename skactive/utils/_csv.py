"""The one CSV reader: ``skactive run``/``select`` and the benchmark's
``load_datasets(data_dir=...)`` both read files through it."""

# SPDX-License-Identifier: BSD-3-Clause

import csv
import difflib
import io

import numpy as np

_DELIMITERS = ",;\t|"


def read_csv(path, target=None, drop=()):
    """Read a CSV file with a header row and check its shape.

    The separator (``, ; tab |``) is sniffed from the first lines; a
    spreadsheet's byte-order mark is not part of the first name; blank lines
    are skipped. Every error names the file, in one line.

    Parameters
    ----------
    path : str or path-like
        A UTF-8 text file.

    target : str, default=None
        The target column; None means the last one.

    drop : iterable of str, default=()
        Columns that are neither features nor the target (an ID).

    Returns
    -------
    table : CsvTable
        The rows as text, with the target and feature columns; an OSError
        (no such file) is left to the caller.
    """
    try:  # utf-8-sig: a byte-order mark is not part of a column name
        with open(path, newline="", encoding="utf-8-sig") as f:
            text = f.read()
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path} is not UTF-8 text ({exc.reason} at byte "
                         f"{exc.start}): save it as UTF-8 CSV.") from exc
    try:
        delimiter = csv.Sniffer().sniff(text[:64 * 1024],
                                        delimiters=_DELIMITERS).delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter,
                        skipinitialspace=True)
    rows = [(reader.line_num, row) for row in reader if row]
    header = _check_rows(path, rows)
    target = header[-1] if target is None else target
    for name in (target, *drop):
        _check_column(name, header, path)
    features = [name for name in header if name != target and name not in drop]
    if not features:
        raise ValueError(f"{path} has no feature column besides {target!r}"
                         + (f" and the dropped {', '.join(drop)}" if drop else ""))
    return CsvTable(path, text, delimiter, header, [row for _, row in rows[1:]],
                    target, features)


def _check_rows(path, rows):
    """The header (names stripped); every row must have its number of fields."""
    if not rows:
        raise ValueError(f"{path} is empty: a CSV file needs a header row and "
                         "data rows.")
    (_, header), body = rows[0], rows[1:]
    if not body:
        raise ValueError(f"{path} has a header row but no data rows: add data "
                         "rows.")
    for line, row in body:
        if len(row) != len(header):
            raise ValueError(f"{path} line {line} has {len(row)} fields, the "
                             f"header {len(header)}: give every row one value "
                             "per column.")
    return [name.strip() for name in header]


def _check_column(name, columns, path):
    if name in columns:
        return
    lowered = {str(c).lower(): c for c in columns}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=1)
    hint = f" (did you mean {lowered[close[0]]!r}?)" if close else ""
    raise ValueError(f"no column {name!r} in {path}{hint}; its columns are: "
                     f"{', '.join(columns)}")


class CsvTable:
    """A CSV file read by :func:`read_csv`: its rows as text, the target and
    the feature columns; :meth:`to_frame` and :meth:`to_numbers` type them."""

    def __init__(self, path, text, delimiter, columns, rows, target, features):
        self.path = path
        self.text = text
        self.delimiter = delimiter
        self.columns = columns
        self.rows = rows
        self.target = target
        self.features = features

    def to_frame(self):
        """Features (a DataFrame, columns typed by pandas) and target (a
        Series, blank cells NaN): for a pipeline with a ColumnTransformer."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("reading CSV files needs pandas: pip install "
                              "'skactive[cli]'") from None
        try:
            table = pd.read_csv(io.StringIO(self.text), sep=self.delimiter,
                                skipinitialspace=True)
        except (pd.errors.ParserError, ValueError) as exc:
            raise ValueError(f"{self.path} is not a readable CSV file: "
                             f"{str(exc).strip().splitlines()[0]}") from exc
        table.columns = self.columns
        return table[self.features], table[self.target]

    def to_numbers(self):
        """Features as floats and the target as text, with no dependency."""
        column = {name: j for j, name in enumerate(self.columns)}
        features = [column[name] for name in self.features]
        try:
            X = np.array([[float(row[j]) for j in features] for row in self.rows])
        except ValueError as exc:
            raise ValueError(f"{self.path} has a non-numeric feature: {exc}") from exc
        return X, np.array([row[column[self.target]] for row in self.rows])

"""The rows of a ``skactive select`` campaign: their keys and lines, and the
to-label sheet a person fills in.

A row is known by a key, never by its position, so that sorting the file,
deleting a row or fixing a cell never moves a label to another row. The key
is the ``--id`` column's value when there is one; otherwise a digest of the
row's feature cells (identical rows are told apart by their order of
occurrence: ``a1b2c3d4e5f6#2`` is the second of them). Without an ID, a row
whose cells are edited gets a new key: it reads as removed and added.
"""

# SPDX-License-Identifier: BSD-3-Clause

import csv
import hashlib
import io
from collections import Counter, defaultdict
from contextlib import contextmanager
from numbers import Number

import numpy as np

from ..utils._files import atomic_write
from ._common import UsageError, cannot_write

# The sheet's key column when the rows have no ID.
KEY_COLUMN = "row key"
_SHOWN = 10


def shown(items, n=_SHOWN):
    """The first ``n`` items joined by commas, and how many more."""
    items = [str(item) for item in items]
    more = f" and {len(items) - n} more" if len(items) > n else ""
    return ", ".join(items[:n]) + more


def record_lines(text, delimiter):
    """The line (1-based) where each data row of a CSV text starts, header
    excluded, with blank lines skipped as the reader skips them; a quoted
    cell may span lines."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter,
                        skipinitialspace=True)
    lines, end = [], 0
    for row in reader:
        start, end = end + 1, reader.line_num
        if row:
            lines.append(start)
    return lines[1:]


def cell_text(value):
    """A cell as the text a digest is taken of: numbers as floats (``3`` and
    ``3.0`` are one value), text stripped, blanks empty."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, Number) and not isinstance(value, bool):
        return repr(float(value))
    return str(value).strip()


def row_digests(X):
    """A digest of each row's feature cells (12 hexadecimal digits)."""
    columns = [X[name].tolist() for name in X.columns]
    return [hashlib.sha256("\x1f".join(cell_text(c[i]) for c in columns)
                           .encode()).hexdigest()[:12]
            for i in range(X.shape[0])]


def id_keys(values, lines, column, path):
    """The ``--id`` column's values as keys: none blank, none repeated."""
    keys = [str(value).strip() for value in values]
    blank = [line for key, line in zip(keys, lines) if not key]
    if blank:
        raise UsageError(f"--id {column}: {len(blank)} rows of {path} have no "
                         f"{column} (lines {shown(blank)}): give every row an ID")
    where = defaultdict(list)
    for key, line in zip(keys, lines):
        where[key].append(line)
    repeated = {key: at for key, at in where.items() if len(at) > 1}
    if repeated:
        raise UsageError(f"--id {column}: IDs must be unique, but {path} repeats "
                         + shown(f"{key!r} (lines {', '.join(map(str, at))})"
                                 for key, at in repeated.items()))
    return keys


def digest_keys(digests, lines):
    """Keys of rows without an ID: their digest, ``#2``, ``#3``... for the
    second and later of identical rows; and a note naming those."""
    seen, keys, twins = Counter(), [], []
    for digest, line in zip(digests, lines):
        seen[digest] += 1
        keys.append(digest if seen[digest] == 1 else f"{digest}#{seen[digest]}")
        if seen[digest] > 1:
            twins.append(f"line {line} ({keys[-1]})")
    note = None
    if twins:
        note = (f"{len(twins)} rows repeat an earlier row cell for cell, told "
                f"apart by their order: {shown(twins)}; pass --id COLUMN to "
                "name rows for sure")
    return keys, note


@contextmanager
def replacing(path, mode="w", **open_kwargs):
    """:func:`atomic_write`, an error writing ``path`` worded for the user."""
    try:
        with atomic_write(path, mode, **open_kwargs) as f:
            yield f
    except OSError as exc:
        raise cannot_write(exc, path) from None


def write_sheet(path, header, rows):
    """The to-label sheet, written atomically."""
    with replacing(path, newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def read_sheet(path, key_column, target):
    """The labels typed into a to-label sheet: ``(line, key, text)`` for each
    row whose ``target`` cell is filled in.

    The sheet may have been saved by a spreadsheet (another separator, a
    byte-order mark); its columns are found by name. A filled label whose
    key cell is blank cannot be placed: refused, naming the line.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the to-label sheet {path}: "
                         f"{getattr(exc, 'strerror', None) or exc}") from None
    if not text.strip():
        return []
    try:
        delimiter = csv.Sniffer().sniff(text[:64 * 1024], delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter,
                           skipinitialspace=True))
    rows = [row for row in rows if row]
    header = [name.strip() for name in rows[0]]
    for name in (key_column, target):
        if name not in header:
            raise UsageError(f"the to-label sheet {path} has no column {name!r} "
                             "(its columns: " + ", ".join(header) + "): restore "
                             "it, or remove the sheet to drop what was typed in it")
    k, t = header.index(key_column), header.index(target)
    typed = []
    for line, row in zip(record_lines(text, delimiter), rows[1:]):
        label = row[t].strip() if t < len(row) else ""
        key = row[k].strip() if k < len(row) else ""
        if label and not key:
            raise UsageError(f"{path} line {line}: the label {label!r} has no "
                             f"{key_column}, so it cannot be placed: fill the "
                             f"{key_column} in (copy it from the row)")
        if label:
            typed.append((line, key, label))
    return typed

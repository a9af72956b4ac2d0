"""The one CSV reader: ``skactive run``/``select`` and the benchmark's
``load_datasets(data_dir=...)`` both read files through it.

:meth:`CsvTable.to_frame` types the columns and checks the labels; every
message names the lines of the user's file (the header is line 1).

Blank cells
    Empty cells, and the markers the caller passes (``--missing ?``), are
    missing values. Nothing else is: pandas would also read ``NA``, ``None``,
    ``null`` or ``nan`` as blanks, but "NA" (North America) or "None" (no
    symptom) can be a real class or category, so they stay values; a label
    that looks like a marker is warned about, and stray markers in a numeric
    column are reported with the option that blanks them.

Labels
    Spaces around a label are stripped, with a warning naming the lines. A
    column holds numbers or text, never both ("1", "1.0" and "churn" are
    refused, naming the lines of each kind); numbers are compared as numbers,
    so "1" and "1.0" are one class. With a list of classes, any other label
    is refused, naming its line and the closest allowed class. Without one,
    a class that differs from a more frequent one by case only, or (for
    labels of three characters or more) by one edit -- an inserted, deleted
    or replaced character, or two swapped neighbours, but not one digit for
    another, as in "type1" and "type2" -- is warned about with its lines.

Feature columns
    Cells are stripped of surrounding spaces. A column whose filled cells
    are all numbers is numeric. A column whose filled cells are mostly
    (more than half) numbers but not all is refused, naming the other cells:
    one-hot encoding would turn every number into a category of its own and
    lose their order, and a stray "forty" or "n/a" is far likelier than a
    category written in digits. A column of free text is one whose filled
    cells average three words or more and are distinct in more than half of
    the rows: one-hot encoding of values seen once each learns nothing
    (unknown at test time), while the words they share carry the signal, so
    these columns get the ``TEXT`` dtype, blank cells as empty texts, and
    the command line encodes them with TF-IDF. The other columns are
    categorical (``object`` dtype, blanks NaN).
"""

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
    rows, line = [], 1  # the line each row starts on, blank lines skipped
    for row in reader:
        if row:
            rows.append((line, row))
        line = reader.line_num + 1
    header = _check_rows(path, rows)
    target = header[-1] if target is None else target
    for name in (target, *drop):
        _check_column(name, header, path)
    features = [name for name in header if name != target and name not in drop]
    if not features:
        raise ValueError(f"{path} has no feature column besides {target!r}"
                         + (f" and the dropped {', '.join(drop)}" if drop else ""))
    return CsvTable(path, text, delimiter, header, [row for _, row in rows[1:]],
                    target, features, [line for line, _ in rows[1:]])


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


def _pandas():
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("reading CSV files needs pandas: pip install "
                          "'skactive[cli]'") from None
    return pd


def text_dtype():
    """The dtype of free-text columns in :meth:`CsvTable.to_frame`'s frame:
    pandas' string dtype stored in Python objects; categorical columns are
    ``object``, so that the two never mix."""
    return _pandas().StringDtype("python")


def is_number(cell):
    """A finite number as Python writes it (no ``nan``, ``inf``, ``1_000``)."""
    if "_" in cell:
        return False
    try:
        return bool(np.isfinite(float(cell)))
    except ValueError:
        return False


def format_lines(lines, limit=10):
    """``line 5`` or ``lines 2, 3, 4``: the first ``limit``, then a count."""
    lines = list(lines)
    if len(lines) == 1:
        return f"line {lines[0]}"
    more = f" and {len(lines) - limit} more" if len(lines) > limit else ""
    return f"lines {', '.join(str(line) for line in lines[:limit])}{more}"


class CsvTable:
    """A CSV file read by :func:`read_csv`: its rows as text, the line each
    starts on, the target and the feature columns; :meth:`to_frame` and
    :meth:`to_numbers` type them."""

    def __init__(self, path, text, delimiter, columns, rows, target, features,
                 lines=None):
        self.path = path
        self.text = text
        self.delimiter = delimiter
        self.columns = columns
        self.rows = rows
        self.target = target
        self.features = features
        self.lines = list(range(2, len(rows) + 2)) if lines is None else lines
        self.notes = []

    def column(self, name):
        """The cells of column ``name``, as written."""
        j = self.columns.index(name)
        return [row[j] for row in self.rows]

    def to_frame(self, missing=(), classes=None):
        """Features (a DataFrame) and target (a Series) typed and checked as
        the module's docstring says; warnings go to :attr:`notes`.

        Parameters
        ----------
        missing : iterable of str, default=()
            Cells that mean "blank", besides empty ones.

        classes : iterable of str, default=None
            The allowed labels; None allows any, warning about near-copies.

        Returns
        -------
        X : pandas.DataFrame
            Numeric columns, categorical ones (``object``, blanks NaN) and
            free-text ones (:func:`text_dtype`, blanks empty).

        y : pandas.Series
            The labels; blank cells NaN.
        """
        pd = _pandas()
        blank = {""} | {marker.strip() for marker in missing}
        self.notes = []
        X = pd.DataFrame({name: self._feature(name, blank) for name in self.features})
        labels = _Labels(self, blank)
        y = labels.series(classes)
        self.notes = labels.notes
        return X, y

    def _feature(self, name, blank):
        """One feature column, typed."""
        pd = _pandas()
        cells = [cell.strip() for cell in self.column(name)]
        filled = [i for i, cell in enumerate(cells) if cell not in blank]
        numbers = [i for i in filled if is_number(cells[i])]
        values = [np.nan if cell in blank else cell for cell in cells]
        if len(numbers) == len(filled):
            return pd.to_numeric(pd.Series(values, dtype=object))
        if 2 * len(numbers) > len(filled):
            others = sorted(set(filled) - set(numbers))
            shown = ", ".join(f"line {self.lines[i]} {cells[i]!r}" for i in others[:10])
            more = f" and {len(others) - 10} more" if len(others) > 10 else ""
            raise ValueError(
                f"{self.path}: column {name!r} holds numbers but {len(others)} "
                f"cell{'s are' if len(others) > 1 else ' is'} not: {shown}{more}; "
                "fix them, or mark them as blank with --missing (imputed then)")
        if _is_free_text([cells[i] for i in filled]):
            return pd.Series(["" if cell in blank else cell for cell in cells],
                             dtype=text_dtype())
        return pd.Series(values, dtype=object)

    def to_numbers(self):
        """Features as floats and the target as text, with no dependency."""
        column = {name: j for j, name in enumerate(self.columns)}
        features = [column[name] for name in self.features]
        try:
            X = np.array([[float(row[j]) for j in features] for row in self.rows])
        except ValueError as exc:
            raise ValueError(f"{self.path} has a non-numeric feature: {exc}") from exc
        return X, np.array([row[column[self.target]] for row in self.rows])


def _is_free_text(cells):
    """Three words or more per cell on average, distinct in more than half."""
    if not cells:
        return False
    words = sum(len(cell.split()) for cell in cells) / len(cells)
    return words >= 3 and 2 * len(set(cells)) > len(cells)


_BLANK_LOOKALIKES = {"na", "n/a", "nan", "null", "none", "?", "-", "#n/a",
                     "missing", "unknown"}


class _Labels:
    """The target column's cells checked: stripped (noted), one kind only,
    against the allowed classes or for near-copies (noted)."""

    def __init__(self, table, blank):
        self.path, self.name = table.path, table.target
        self.lines = table.lines
        self.notes = []
        raw = table.column(table.target)
        padded = [i for i, c in enumerate(raw) if c != c.strip() and c.strip()
                  not in blank]
        if padded:
            self.notes.append(
                f"{self.path}: stripped the spaces around the label on "
                f"{format_lines(self.lines[i] for i in padded)} of column "
                f"{self.name!r}")
        self.cells = [cell.strip() for cell in raw]
        self.filled = [i for i, cell in enumerate(self.cells) if cell not in blank]
        self.numeric = self._kind()

    def _kind(self):
        """True for numbers, False for text; both is refused."""
        numbers = [i for i in self.filled if is_number(self.cells[i])]
        if not numbers or len(numbers) == len(self.filled):
            return bool(numbers)
        text = sorted(set(self.filled) - set(numbers))
        raise ValueError(
            f"{self.path}: column {self.name!r} mixes numbers "
            f"({format_lines(self.lines[i] for i in numbers)}) and text "
            f"({format_lines(self.lines[i] for i in text)}); a label column "
            "holds one kind: fix those cells, or mark blanks with --missing")

    def series(self, classes):
        """The labels as a Series, after the checks."""
        pd = _pandas()
        if classes is not None:
            self._check_allowed([c.strip() for c in classes if c.strip()])
        elif not self.numeric:
            self._note_near_copies()
        values = pd.Series(np.nan, index=range(len(self.cells)), dtype=object,
                           name=self.name)
        values.iloc[self.filled] = [self.cells[i] for i in self.filled]
        return pd.to_numeric(values) if self.numeric else values

    def _key(self, label):
        return float(label) if self.numeric and is_number(label) else label

    def _check_allowed(self, classes):
        """Every label one of ``classes``; else name the lines and closest."""
        allowed = {self._key(c) for c in classes}
        wrong = [i for i in self.filled if self._key(self.cells[i]) not in allowed]
        if not wrong:
            return
        lowered = {c.casefold(): c for c in classes}

        def closest(label):
            match = difflib.get_close_matches(label.casefold(), list(lowered),
                                              n=1, cutoff=0.0)
            return f"closest: {lowered[match[0]]!r}" if match else "no close class"

        first, rest = wrong[0], wrong[1:6]
        more = f" and {len(wrong) - 6} more" if len(wrong) > 6 else ""
        others = "".join(f"; line {self.lines[i]}: label {self.cells[i]!r} "
                         f"({closest(self.cells[i])})" for i in rest)
        raise ValueError(
            f"{self.path} line {self.lines[first]}: label {self.cells[first]!r} "
            f"is not one of --classes {', '.join(classes)} "
            f"({closest(self.cells[first])}){others}{more}; fix the cells or "
            "add the class to --classes")

    def _note_near_copies(self):
        """A note per class that a more frequent class is one edit, or a case,
        away from, or that looks like a blank marker."""
        rows = {}
        for i in self.filled:
            rows.setdefault(self.cells[i], []).append(self.lines[i])
        if len(rows) > 500:  # an identifier, not classes: no pairwise check
            return
        for label, lines in rows.items():
            where = f"{label!r} ({format_lines(lines)})"
            if label.casefold() in _BLANK_LOOKALIKES:
                self.notes.append(
                    f"{self.path}: class {where} looks like a blank marker; if it "
                    f"means no label, pass --missing {label}")
                continue
            near = [(len(rows[other]), other, reason) for other in rows
                    if (reason := _near_copy(label, other))
                    and (len(rows[other]), other) > (len(lines), label)]
            if near:
                _, other, reason = max(near)
                self.notes.append(
                    f"{self.path}: class {where} differs from {other!r} "
                    f"({len(rows[other])} rows) {reason}: a typo? Fix the cells, "
                    "or pass --classes to list the classes")


def check_new_labels(typed, known, *, numeric, classes=None, blank=("",)):
    """Labels typed elsewhere (a to-label sheet) held to the label column's
    rules.

    Parameters
    ----------
    typed : list of (str, str)
        ``(where, cell)``: where the label was typed (a line and a key, for
        the messages) and what was typed.

    known : list
        The labels known so far (the data file's and earlier ones): the
        classes a typed one may be a near-copy of.

    numeric : bool
        Whether the label column holds numbers.

    classes : list of str, default=None
        The allowed labels; None allows any, warning about near-copies.

    blank : iterable of str, default=("",)
        Cells that mean no label.

    Returns
    -------
    labels : list of (int, object)
        For each typed label that is not blank: its position in ``typed``
        and its value (a float for a numeric column, stripped text
        otherwise).

    notes : list of str
        Warnings: spaces stripped, near-copies of a known class.

    Raises
    ------
    ValueError
        A label of the wrong kind, or outside ``classes``, naming where it
        was typed.
    """
    blank = {cell.strip() for cell in blank}
    labels, notes = [], []
    counts = {}
    for label in known:
        counts[str(label)] = counts.get(str(label), 0) + 1
    for k, (where, cell) in enumerate(typed):
        text = cell.strip()
        if text in blank:
            continue
        if text != cell:
            notes.append(f"{where}: stripped the spaces around the label {cell!r}")
        if numeric != is_number(text) and (numeric or counts):
            kind = "is not a number" if numeric else "is a number"
            raise ValueError(f"{where}: the label {text!r} {kind}, but the label "
                             "column holds " + ("numbers" if numeric else "text")
                             + ": correct it")
        if classes is not None and not _allowed(text, classes, numeric):
            match = difflib.get_close_matches(text.casefold(),
                                              [c.casefold() for c in classes],
                                              n=1, cutoff=0.0)
            closest = [c for c in classes if c.casefold() in match][:1]
            raise ValueError(
                f"{where}: label {text!r} is not one of --classes "
                f"{', '.join(classes)}"
                + (f" (closest: {closest[0]!r})" if closest else "")
                + "; correct it or add the class to --classes")
        if classes is None and not numeric and text not in counts:
            near = [(n, other, reason) for other, n in counts.items()
                    if (reason := _near_copy(text, other))]
            if near:
                n, other, reason = max(near)
                notes.append(f"{where}: label {text!r} differs from {other!r} "
                             f"({n} rows) {reason}: a typo? Correct it, or pass "
                             "--classes to list the classes")
        labels.append((k, float(text) if numeric else text))
    return labels, notes


def _allowed(text, classes, numeric):
    if numeric:
        return any(is_number(c) and float(c) == float(text) for c in classes)
    return text in {c.strip() for c in classes}


def _near_copy(a, b):
    """How ``a`` and ``b`` differ if by case only, or by one edit; else ''."""
    if a == b:
        return ""
    if a.casefold() == b.casefold():
        return "by case only"
    if min(len(a), len(b)) >= 3 and _one_edit(a.casefold(), b.casefold()):
        return "by one edit"
    return ""


def _one_edit(a, b):
    """One insertion, deletion, substitution (not digit for digit) or swap of
    neighbours turns ``a`` into ``b``."""
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return not (a[diff[0]].isdigit() and b[diff[0]].isdigit())
        return (len(diff) == 2 and diff[1] == diff[0] + 1
                and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    if abs(len(a) - len(b)) != 1:
        return False
    short, long = sorted((a, b), key=len)
    i = next((k for k in range(len(short)) if short[k] != long[k]), len(short))
    return short[i:] == long[i + 1:]

"""The state of a ``skactive select`` campaign, kept between runs.

A campaign is named after its data file: ``customers.csv`` has its sheet
``customers.to-label.csv`` and its state ``customers.skactive.json`` (in
the folder of ``--output`` when it is given), so a second data file in the
folder starts its own campaign and overwrites nothing.

The state is data, never a pickle (:func:`skactive.utils._state.write_state`:
JSON with a checksum and a write counter): the labels typed into the sheet,
by row key; a digest of each row, to say what changed in the data file since
the last run; the stop set's keys and the stopping criteria's histories.
A run holds the state's write lock (:func:`skactive.utils._files.locked`)
from reading it to writing it, so two runs at once take turns and the
second sees the first's labels; the write counter is checked before
writing, and a state changed meanwhile by a writer that ignored the lock
is refused, not overwritten.

Labels typed into the sheet are merged into the state before anything else
is written, so that the next sheet never drops them. The data file is only
read. Where the data file and the sheet give one row different labels, the
data file wins (it is the user's own record, the sheet a form that each
run replaces) and the conflict is reported with the row's key each run
until the two agree; the sheet's label stays in the state.
"""

# SPDX-License-Identifier: BSD-3-Clause

import shutil
import sys
import time
from pathlib import Path

from ..exceptions import StateFileError
from ..utils._state import read_state, write_state
from ._common import UsageError
from ._sheet import shown

KIND = "SelectCampaign"


def campaign_paths(data, output):
    """The to-label sheet and the state file of the campaign on ``data``."""
    stem = Path(data).stem
    sheet = Path(output) if output is not None else Path(data).with_name(
        f"{stem}.to-label.csv")
    return sheet, sheet.parent / f"{stem}.skactive.json"


def legacy_pickles(sheet, data):
    """Stopping states of older versions (pickles) next to the sheet or the
    data file: never loaded, only named."""
    candidates = {sheet.with_name(sheet.name + ".stopping"),
                  Path(data).with_name("to-label.csv.stopping"),
                  Path("to-label.csv.stopping")}
    return sorted(p for p in candidates if p.exists())


def load(path, data):
    """The campaign's state and write counter (``None, 0`` for a new one).

    A state that cannot be read is an error naming the file: the campaign is
    never started anew over it.
    """
    if not path.exists():
        return None, 0
    try:
        payload, version = read_state(path, KIND)
    except StateFileError as exc:
        raise UsageError(f"{exc} The campaign was not reset: move {path} away "
                         "to start a new one.") from None
    if payload.get("data") != Path(data).name:
        raise UsageError(f"{path} is the campaign of {payload.get('data')}, not "
                         f"of {Path(data).name}: pass --output in another folder "
                         "for this file")
    return payload, version


def save(path, payload, version):
    """Write the state as the next version, unless another writer changed
    it since it was read (then nothing is written)."""
    if path.exists():
        try:
            _, on_disk = read_state(path, KIND)
        except StateFileError:
            on_disk = None
        if on_disk != version:
            raise UsageError(f"{path} was changed by another run while this one "
                             "ran; nothing was written: run the command again")
    try:
        write_state(path, KIND, payload, version=version + 1)
    except OSError as exc:
        raise UsageError(f"cannot write {exc.filename or path}: "
                         f"{exc.strerror or exc}") from None


def back_up(*paths):
    """Copy each existing file to ``<file>.bak-<timestamp>``; the copies."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    copies = []
    for path in paths:
        if path.exists():
            copy = path.with_name(f"{path.name}.bak-{stamp}")
            shutil.copy2(path, copy)
            copies.append(copy)
    return copies


def what_changed(state, keys, digests, lines):
    """The rows added, removed and edited since the last run, by key, and
    whether the rows were reordered."""
    before = state["rows"]
    now = dict(zip(keys, digests))
    line = dict(zip(keys, lines))
    added = [k for k in keys if k not in before]
    removed = [k for k in state["order"] if k not in now]
    edited = [k for k in keys if k in before and before[k] != now[k]]
    common_now = [k for k in keys if k in before]
    common_before = [k for k in state["order"] if k in now]
    return {"added": [(k, line[k]) for k in added], "removed": removed,
            "edited": [(k, line[k]) for k in edited],
            "reordered": common_now != common_before}


def _rows(items):
    return f"{len(items)} row" + ("" if len(items) == 1 else "s")


def report_changes(changes, data, with_id):
    """Say what changed in the data file, by key; nothing when nothing did."""
    parts = []
    if changes["added"]:
        parts.append(f"{_rows(changes['added'])} added: " + shown(
            f"{k} (line {n})" for k, n in changes["added"]))
    if changes["removed"]:
        parts.append(f"{_rows(changes['removed'])} removed: "
                     f"{shown(changes['removed'])}")
    if changes["edited"]:
        parts.append(f"{_rows(changes['edited'])} edited (feature cells): "
                     + shown(f"{k} (line {n})" for k, n in changes["edited"]))
    if changes["reordered"]:
        parts.append("rows reordered: their labels follow them by key")
    if not parts:
        return
    print(f"{data} changed since the last run:", file=sys.stderr)
    for part in parts:
        print(f"  {part}", file=sys.stderr)
    if not with_id and changes["added"] and changes["removed"]:
        print("  (without --id, a row whose cells were edited counts as removed "
              "and added: pass --id COLUMN to follow it)", file=sys.stderr)


def merge_typed(labels, typed, sheet):
    """Merge the labels typed into the sheet (``(line, key, value)``, checked
    by the reader) into the campaign's ``labels`` (by key, in place); a label
    typed again over an earlier one replaces it, saying so."""
    for line, key, value in typed:
        old = labels.get(key)
        if old is not None and old != value:
            print(f"{sheet} line {line} ({key}): label {old!r} replaced by "
                  f"{value!r}", file=sys.stderr)
        labels[key] = value


def combine(y, keys, lines, labels, data):
    """The labels of the rows: the data file's, and the campaign's where the
    data file has none. Where both have one and they differ, the data file's
    wins and the conflict is reported by key and line."""
    values = y.to_numpy(dtype=object).copy()
    blank = y.isna().to_numpy().copy()
    conflicts = []
    for i, key in enumerate(keys):
        if key not in labels:
            continue
        if blank[i]:
            values[i], blank[i] = labels[key], False
        elif values[i] != labels[key]:
            conflicts.append(f"{key} (line {lines[i]}): {values[i]!r} in {data}, "
                             f"{labels[key]!r} typed in the sheet")
    if conflicts:
        print(f"{len(conflicts)} rows have one label in {data} and another in "
              f"the campaign; the data file's is used: {shown(conflicts)}",
              file=sys.stderr)
    absent = sorted(set(labels) - set(keys))
    if absent:
        print(f"the campaign holds labels for {len(absent)} rows that are not in "
              f"{data} (kept, in case they come back): {shown(absent)}",
              file=sys.stderr)
    return values, ~blank

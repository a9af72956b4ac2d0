"""``skactive select``: the rows of a CSV file to label next, and whether to stop.

Rows with a label are the labeled set, rows with a blank label the pool. The
rows to label next go to a to-label sheet the user opens in a spreadsheet
and fills in; the next run merges what was typed into the campaign, by row
key (``--id``, or a digest of the row's cells), and the user's data file is
only read. The campaign's state (:mod:`._campaign`) is named after the data
file and follows the data through sorting, added, removed and edited rows.
"""

# SPDX-License-Identifier: BSD-3-Clause

import sys
from pathlib import Path

import numpy as np
from sklearn.base import clone

from ..utils._csv import check_new_labels, read_csv
from ..utils._files import locked
from . import _campaign, _sheet, _stopping
from ._common import UsageError, check_task, check_writable, positive_int
from ._csv import (
    data_options,
    detect_task,
    make_preprocessor,
    missing_markers,
    print_features,
    read_table,
)
from ._strategies import DEFAULT_ESTIMATOR, ESTIMATORS, STRATEGIES, make_estimator

_DEFAULT_STRATEGY = {"classification": "margin", "regression": "igs"}


def add_parser(commands):
    select = commands.add_parser(
        "select", parents=[data_options()],
        help="the rows of your CSV file to label next",
        description="Read a CSV file whose label column is filled in for some "
        "rows and blank for the others; write the blank rows to label next, "
        "best first, to a to-label sheet, and say whether the stopping "
        "criteria advise to stop. Type the labels into the sheet (or into "
        "your file) and run the same command again: the typed labels are "
        "merged into the campaign by row key.",
    )
    select.add_argument("--id", default=None, metavar="COLUMN",
                        help="the column that names each row (not a feature); "
                        "without it, rows are known by a digest of their cells")
    select.add_argument("--batch-size", type=positive_int, default=20,
                        help="rows to label next (default: %(default)s)")
    select.add_argument("--estimator", choices=list(ESTIMATORS), default=None,
                        help="the model (default: logistic, or ridge for "
                        "regression)")
    select.add_argument("--strategy", choices=list(STRATEGIES), default=None,
                        help="how to choose (default: margin, or igs for "
                        "regression)")
    select.add_argument("--max-labels", type=positive_int, default=None,
                        help="a labeling budget: say stop at this many labels")
    select.add_argument("--output", type=Path, default=None,
                        help="the to-label sheet (default: DATA's name with "
                        ".to-label.csv, next to it); the campaign's state, "
                        "named after DATA (.skactive.json), goes next to it")
    select.add_argument("--seed", type=int, default=0,
                        help="random seed (default: %(default)s)")
    select.set_defaults(handler=main)


def main(args):
    sheet, state_path = _campaign.campaign_paths(args.data, args.output)
    if args.id is not None and args.id == args.target:
        raise UsageError(f"--id {args.id} is the label column: pass the column "
                         "that names the rows")
    drop = list(dict.fromkeys([*args.drop, *([args.id] if args.id else [])]))
    X, y = read_table(args.data, args.target, drop, classes=args.classes,
                      missing=missing_markers(args))
    print_features(X)
    rows = _rows(args, X, drop)
    _check_output(sheet, state_path)
    with locked(state_path):
        state, version = _open_campaign(args, sheet, state_path, rows)
        values, labeled = _merge(args, state, rows, y)
        task, estimator_name, strategy_name, y_known = _check_labels(
            args, values, labeled)
        model, picked, scores, predictions = _fit_and_select(
            args, X, y_known, labeled, task, estimator_name, strategy_name)
        stopping, criteria = _stop(args, state, state_path, rows, X, labeled,
                                   y_known, model, task, estimator_name)
        state.update(sheet=str(sheet), task=task, stopping=stopping)
        _campaign.save(state_path, state, version)
        _write_sheet(sheet, args, rows, y.name, picked, scores, predictions, task)
    print(f"{args.data}: {labeled.sum()} labeled rows, {(~labeled).sum()} to go; "
          f"{strategy_name} with {estimator_name} ({task})")
    print(f"wrote the {picked.size} rows to label next, best first, to {sheet}: "
          f"type their labels in its column {args.target!r} and run again")
    _stopping.report(stopping, criteria, state_path)
    return 0


def _rows(args, X, drop):
    """The data file's rows as the campaign knows them: key, line, digest of
    the feature cells, and the text of every column but the label."""
    table = read_csv(args.data, args.target, drop)
    lines = _sheet.record_lines(table.text, table.delimiter)
    if len(lines) != X.shape[0]:  # pragma: no cover - a reader disagreement
        lines = list(range(2, X.shape[0] + 2))
    column = {name: j for j, name in enumerate(table.columns)}
    others = [name for name in table.columns if name not in (args.target, args.id)]
    digests = _sheet.row_digests(X)
    if args.id is not None:
        keys = _sheet.id_keys([row[column[args.id]] for row in table.rows], lines,
                              args.id, args.data)
    else:
        keys, note = _sheet.digest_keys(digests, lines)
        if note:
            print(f"{args.data}: {note}", file=sys.stderr)
    return _Rows(keys, digests, lines, others,
                 [[row[column[name]] for name in others] for row in table.rows],
                 args.id or _sheet.KEY_COLUMN)


class _Rows:
    def __init__(self, keys, digests, lines, others, cells, key_column):
        self.keys, self.digests, self.lines = keys, digests, lines
        self.others, self.cells, self.key_column = others, cells, key_column
        self.index = {key: i for i, key in enumerate(keys)}


def _check_output(sheet, state_path):
    """Before any work: the sheet must be a file that can be written, and
    so must the campaign's state next to it."""
    if sheet.is_dir():
        raise UsageError(f"--output {sheet} is a folder: pass a CSV file name, such "
                         f"as {sheet / 'to-label.csv'}")
    if sheet.parent.exists() and not sheet.parent.is_dir():
        raise UsageError(f"cannot write to --output {sheet}: {sheet.parent} is a "
                         "file")
    check_writable(sheet.parent, sheet, [sheet, state_path])


def _open_campaign(args, sheet, state_path, rows):
    """The campaign's state, with what changed in the data since the last
    run reported; a new state when there is none (or, backed up first, when
    the label or ID column changed)."""
    state, version = _campaign.load(state_path, args.data)
    if state is not None and (state["target"], state["id"]) != (args.target, args.id):
        copies = _campaign.back_up(state_path, Path(state["sheet"]))
        print(f"{state_path} is a campaign on label column {state['target']!r} "
              f"with --id {state['id']}, not {args.target!r} with --id {args.id}: "
              f"a new campaign starts; the old one is backed up as "
              f"{', '.join(map(str, copies))}", file=sys.stderr)
        state = None
    if state is None:
        _new_campaign_notes(args, sheet)
        state = {"data": Path(args.data).name, "target": args.target,
                 "id": args.id, "labels": {}, "sheet": None, "stopping": None}
    else:
        changes = _campaign.what_changed(state, rows.keys, rows.digests, rows.lines)
        _campaign.report_changes(changes, args.data, args.id is not None)
    state.update(rows=dict(zip(rows.keys, rows.digests)), order=rows.keys)
    return state, version


def _new_campaign_notes(args, sheet):
    """Say what a new campaign leaves alone: the pickles of older versions,
    and a sheet it did not write (backed up before it is replaced)."""
    for path in _campaign.legacy_pickles(sheet, args.data):
        print(f"{path}: a stopping state of an older skactive (a pickle) is "
              "ignored and was not deleted; it is never loaded, as loading a "
              "pickle can run code", file=sys.stderr)
    if sheet.exists():
        copies = _campaign.back_up(sheet)
        print(f"{sheet} was not written by this campaign: backed up as "
              f"{copies[0]} before it is replaced", file=sys.stderr)


def _merge(args, state, rows, y):
    """Merge the labels typed into the campaign's last sheet (the one it
    wrote) into the campaign, then the labels of the rows: the data file's,
    and the campaign's."""
    numeric = y.dtype.kind in "fiu" and bool(y.notna().any())
    last = state["sheet"] and Path(state["sheet"])
    if last and last.exists():
        typed = _checked(args, _sheet.read_sheet(last, rows.key_column,
                                                 args.target), y, state, numeric, last)
        _campaign.merge_typed(state["labels"], typed, last)
    return _campaign.combine(y, rows.keys, rows.lines, state["labels"], args.data)


def _checked(args, typed, y, state, numeric, sheet):
    """The labels typed into the sheet, held to the data file's rules
    (``--classes``, ``--missing``, one kind, near-copies warned about)."""
    known = [*y.dropna().tolist(), *state["labels"].values()]
    try:
        labels, notes = check_new_labels(
            [(f"{sheet} line {line} ({key})", text) for line, key, text in typed],
            known, numeric=numeric, classes=args.classes,
            blank=["", *missing_markers(args)])
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    for note in notes:
        print(f"skactive: warning: {note}", file=sys.stderr)
    return [(typed[k][0], typed[k][1], value) for k, value in labels]


def _check_labels(args, values, labeled):
    """The task, model and strategy; the labels must allow a model and leave
    rows to select from."""
    if not labeled.any():
        raise UsageError(f"no row of {args.data} has a label in column "
                         f"{args.target!r}: label a few rows (two classes at "
                         "least) and run again")
    if labeled.all():
        raise UsageError(f"every row of {args.data} has a label: no unlabeled row "
                         "left to select from")
    y_known = _as_array(values[labeled])
    task = args.task or detect_task(y_known)
    if task == "classification" and np.unique(y_known).size < 2:
        raise UsageError(f"the labeled rows hold a single class "
                         f"({y_known.tolist()[0]!r}): label a row of another "
                         "class first")
    estimator_name = args.estimator or DEFAULT_ESTIMATOR[task]
    strategy_name = args.strategy or _DEFAULT_STRATEGY[task]
    check_task(task, estimator_name, [strategy_name])
    return task, estimator_name, strategy_name, y_known


def _as_array(values):
    """Labels as an array: floats when they are numbers, objects otherwise."""
    array = np.asarray(values.tolist())
    return array.astype(object) if array.dtype.kind == "U" else array


def _fit_and_select(args, X, y_known, labeled, task, estimator_name,
                    strategy_name):
    """Fit the sampler and the model on the labeled rows; the rows to label
    next (indices into ``X``), best first, their scores and predictions."""
    preprocessor = make_preprocessor()
    estimator = make_estimator(estimator_name, args.seed, preprocessor, task)
    sampler = STRATEGIES[strategy_name].make(strategy_name, estimator, preprocessor)
    if "random_state" in sampler.get_params():
        sampler.set_params(random_state=args.seed)
    pool = np.flatnonzero(~labeled)
    X_labeled, X_pool = X.iloc[np.flatnonzero(labeled)], X.iloc[pool]
    try:
        sampler.fit(X_labeled, y_known)
        picked = sampler.select(X_pool, batch_size=min(args.batch_size, pool.size))
        scores = sampler.score_samples(X_pool)[picked]
        model = clone(estimator).fit(X_labeled, y_known)
    except ValueError as exc:
        raise UsageError(str(exc).splitlines()[0]) from exc
    return model, pool[picked], scores, model.predict(X_pool.iloc[picked])


def _stop(args, state, state_path, rows, X, labeled, y_known, model, task,
          estimator_name):
    """This round of the stopping criteria, from the campaign's state; they
    start anew (the old state backed up) when the task or model changed or
    the stop set's rows are all gone."""
    stopping = state["stopping"]
    if stopping is not None and (stopping["task"], stopping["estimator"]) != (
            task, estimator_name):
        copies = _campaign.back_up(state_path)
        print(f"the stopping criteria start anew: the model is {estimator_name} "
              f"({task}), it was {stopping['estimator']} ({stopping['task']}); "
              f"their rounds so far are in {copies[0]}", file=sys.stderr)
        stopping = None
    stop_rows = None if stopping is None else _stopping.stop_set(stopping, rows.index)
    if stopping is not None and not stop_rows:
        copies = _campaign.back_up(state_path)
        print("the stopping criteria start anew: every row of their stop set "
              f"was removed from the data; their rounds so far are in {copies[0]}",
              file=sys.stderr)
        stopping = None
    if stopping is None:
        stopping = _stopping.new_stopping(task, estimator_name, rows.keys,
                                          ~labeled, args.seed)
        stop_rows = _stopping.stop_set(stopping, rows.index)
    criteria = _stopping.make_criteria(task, estimator_name, args.max_labels)
    keys = [key for key, known in zip(rows.keys, labeled) if known]
    _stopping.update(stopping, criteria, model, X.iloc[stop_rows], int(labeled.sum()),
                     _stopping.labeled_digest(keys, y_known.tolist()))
    return stopping, criteria


def _write_sheet(sheet, args, rows, target, picked, scores, predictions, task):
    """The to-label sheet: the row's ID (or its every column) first, the
    column to type the label in, rank, score and prediction."""
    shown = [_prediction(p, task) for p in predictions]
    if args.id is not None:
        header = [args.id, target, "rank", "score", f"predicted {target}",
                  *rows.others]
        body = [[rows.keys[i], "", rank, f"{s:.6g}", p, *rows.cells[i]]
                for rank, (i, s, p) in enumerate(zip(picked, scores, shown), 1)]
    else:
        header = [*rows.others, target, "rank", "score", f"predicted {target}",
                  _sheet.KEY_COLUMN]
        body = [[*rows.cells[i], "", rank, f"{s:.6g}", p, rows.keys[i]]
                for rank, (i, s, p) in enumerate(zip(picked, scores, shown), 1)]
    _sheet.write_sheet(sheet, header, body)


def _prediction(value, task):
    """A prediction as text: 4 significant digits for a regression, a class
    as the labels spell it (``1``, not ``1.0``)."""
    value = value.item() if isinstance(value, np.generic) else value
    if task == "regression":
        return f"{value:.4g}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)

"""``skactive select``: the rows of a CSV file to label next, and whether to stop.

Rows with a label are the labeled set, rows with a blank label the pool. The
rows to label next go to a CSV file the user opens in a spreadsheet; the
user fills the labels in in their own file (never modified here) and runs
the same command again. The stopping criteria need the previous rounds'
predictions on a stop set: they live in a state file next to the output,
keyed to the data's feature columns, so that filling labels in keeps it and
another file starts anew.
"""

# SPDX-License-Identifier: BSD-3-Clause

import csv
import sys
from contextlib import contextmanager
from pathlib import Path

import joblib
import numpy as np
from sklearn.base import clone

from ..labeling import (
    ClassificationChange,
    ConfidenceDrop,
    LabelBudget,
    StabilizingPredictions,
    UncertaintyThreshold,
)
from ..utils._files import atomic_write
from ..utils._selection import draw_stop_set
from ._common import (
    UsageError,
    cannot_write,
    check_task,
    check_writable,
    positive_int,
)
from ._csv import (
    data_options,
    detect_task,
    make_preprocessor,
    print_features,
    read_data,
)
from ._strategies import (
    DEFAULT_ESTIMATOR,
    ESTIMATORS,
    STRATEGIES,
    make_estimator,
)

_DEFAULT_STRATEGY = {"classification": "margin", "regression": "igs"}


def add_parser(commands):
    select = commands.add_parser(
        "select", parents=[data_options()],
        help="the rows of your CSV file to label next",
        description="Read a CSV file whose label column is filled in for some "
        "rows and blank for the others; write the blank rows to label next, "
        "best first, with their score and the model's prediction, and say "
        "whether the stopping criteria advise to stop. Fill the labels in in "
        "your file and run the same command again.",
    )
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
    select.add_argument("--output", type=Path, default=Path("to-label.csv"),
                        help="CSV file of the rows to label (default: "
                        "%(default)s); the stopping state goes next to it")
    select.add_argument("--seed", type=int, default=0,
                        help="random seed (default: %(default)s)")
    select.set_defaults(handler=main)


def main(args):
    X, y = read_data(args)
    print_features(X)
    labeled = ~y.isna().to_numpy()
    if not labeled.any():
        raise UsageError(f"no row of {args.data} has a label in column "
                         f"{args.target!r}: label a few rows (two classes at "
                         "least) and run again")
    if labeled.all():
        raise UsageError(f"every row of {args.data} has a label: no unlabeled row "
                         "left to select from")
    y_known = y[labeled].to_numpy()
    task = args.task or detect_task(y_known)
    if task == "classification" and np.unique(y_known).size < 2:
        raise UsageError(f"the labeled rows hold a single class "
                         f"({y_known.tolist()[0]!r}): label a row of another "
                         "class first")
    estimator_name = args.estimator or DEFAULT_ESTIMATOR[task]
    strategy_name = args.strategy or _DEFAULT_STRATEGY[task]
    check_task(task, estimator_name, [strategy_name])
    _check_output(args.output)
    preprocessor = make_preprocessor()
    estimator = make_estimator(estimator_name, args.seed, preprocessor, task)
    sampler = STRATEGIES[strategy_name].make(strategy_name, estimator, preprocessor)
    if "random_state" in sampler.get_params():
        sampler.set_params(random_state=args.seed)

    pool = np.flatnonzero(~labeled)
    X_labeled, X_pool = X.iloc[np.flatnonzero(labeled)], X.iloc[pool]
    batch_size = min(args.batch_size, pool.size)
    try:
        sampler.fit(X_labeled, y_known)
        picked = sampler.select(X_pool, batch_size=batch_size)
        scores = sampler.score_samples(X_pool)[picked]
        model = clone(estimator).fit(X_labeled, y_known)
    except ValueError as exc:
        raise UsageError(str(exc).splitlines()[0]) from exc
    predictions = model.predict(X_pool.iloc[picked])
    rows = pool[picked]
    _write_batch(args.output, X, y.name, rows, scores, predictions)
    print(f"{args.data}: {labeled.sum()} labeled rows, {pool.size} to go; "
          f"{strategy_name} with {estimator_name} ({task})")
    print(f"wrote the {rows.size} rows to label next, best first, to {args.output} "
          "(their line numbers in your file are in column 'line')")
    if task == "classification":
        _report_stopping(args, X, labeled, model)
    return 0


def _state_path(output):
    return output.with_name(output.name + ".stopping")


def _check_output(path):
    """Before any work: ``path`` must be a file that can be written, and so
    must the stopping state next to it."""
    if path.is_dir():
        raise UsageError(f"--output {path} is a folder: pass a CSV file name, such "
                         f"as {path / 'to-label.csv'}")
    if path.parent.exists() and not path.parent.is_dir():
        raise UsageError(f"cannot write to --output {path}: {path.parent} is a "
                         "file")
    check_writable(path.parent, path, [path, _state_path(path)])


@contextmanager
def _replacing(path, mode="w", **open_kwargs):
    """:func:`atomic_write`, an error writing ``path`` worded for the user."""
    try:
        with atomic_write(path, mode, **open_kwargs) as f:
            yield f
    except OSError as exc:
        raise cannot_write(exc, path) from None


def _write_batch(path, X, target, rows, scores, predictions):
    """The rows to label, best first: line in the user's file, rank, score,
    prediction, then the row's own columns."""
    with _replacing(path, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["line", "rank", "score", f"predicted {target}",
                         *X.columns])
        for rank, (row, score, prediction) in enumerate(
                zip(rows, scores, predictions), start=1):
            values = ["" if _blank(v) else v for v in X.iloc[row].tolist()]
            writer.writerow([row + 2, rank, f"{score:.6g}", prediction, *values])


def _blank(value):
    return value is None or (isinstance(value, float) and np.isnan(value))


def _criteria(max_labels):
    criteria = {
        "stabilizing predictions (kappa, window 3, 0.99)": StabilizingPredictions(),
        "overall uncertainty (< 0.1)": UncertaintyThreshold("mean", 0.1),
        "classification change (none)": ClassificationChange(),
        "confidence drop": ConfidenceDrop(),
    }
    if max_labels is not None:
        criteria[f"labeling budget ({max_labels})"] = LabelBudget(max_labels)
    return criteria


def _report_stopping(args, X, labeled, model):
    """Update the stopping state with this round (when labels were added
    since the last call) and print each criterion's verdict."""
    state_path = _state_path(args.output)
    key = joblib.hash((X, args.target, args.drop))
    state = None
    if state_path.exists():
        try:
            state = joblib.load(state_path)
        except Exception:  # noqa: BLE001 - a broken state starts anew
            state = None
        if state is not None and state.get("key") != key:
            print(f"{state_path} belongs to other data: starting the stopping "
                  "state anew", file=sys.stderr)
            state = None
    if state is None:
        stop_rows = draw_stop_set(np.flatnonzero(~labeled), args.seed)
        state = {"key": key, "stop_rows": stop_rows, "n_labeled": -1,
                 "criteria": _criteria(args.max_labels)}
    n_labeled = int(labeled.sum())
    if n_labeled != state["n_labeled"]:
        X_stop = X.iloc[state["stop_rows"]]
        state["verdicts"] = {
            name: criterion.update(model, X_stop, n_labeled)
            for name, criterion in state["criteria"].items()
        }
        state["n_labeled"] = n_labeled
        with _replacing(state_path, "wb") as f:
            joblib.dump(state, f)
    rounds = len(next(iter(state["criteria"].values())).history_)
    print(f"\nstopping criteria, after {rounds} round(s) with new labels "
          f"(state in {state_path}):")
    for name, stop in state["verdicts"].items():
        value = state["criteria"][name].history_[-1]
        shown = "n/a (first round)" if _blank(value) or value == -1 else (
            f"{value:.4g}" if isinstance(value, float) else str(value))
        print(f"  {'STOP' if stop else 'go  '}  {name}: {shown}")
    n_stop = sum(state["verdicts"].values())
    print(f"{n_stop} of {len(state['verdicts'])} criteria say stop"
          + ("." if n_stop else "; label the rows above and run again."))

"""``skactive stream``: the user's CSV file replayed as a stream, in file order.

The rows arrive in mini-batches; each stream strategy decides which labels
to request, under a budget, while an ``SGDClassifier(loss="log_loss")``
learns them with ``partial_fit``. The evaluation is prequential (each
mini-batch is predicted before any of its labels is revealed). The feature
encoding (the shared CSV reader's: scaling, one-hot, TF-IDF) is fitted on
the first ``--initial-size`` rows, the only ones a stream has seen when it
starts.
"""

# SPDX-License-Identifier: BSD-3-Clause

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

from .. import StreamSampler
from ..exceptions import ParameterError
from ..experiment import run_stream_experiment
from ._common import (
    UsageError,
    cannot_write,
    check_output,
    in_flags,
    positive_int,
    show_progress,
)
from ._csv import (
    data_options,
    detect_task,
    feature_summary,
    make_preprocessor,
    read_data,
    require_labels,
)

# The rules of Žliobaitė et al. (2014) first, then any other the sampler has.
_PAPER = ("random", "fixed_uncertainty", "variable_uncertainty",
          "randomized_variable_uncertainty", "split")
EVERYTHING = "everything"  # the reference: every label requested
STREAM_FILES = ("curves.png", "curves.csv", "summary.csv")
_FLAGS = {"initial_size": "--initial-size", "batch_size": "--batch-size"}


def stream_strategies():
    """The strategies of :class:`~skactive.StreamSampler`, and the reference."""
    known = StreamSampler._parameter_constraints["strategy"][0].options
    return [*(s for s in _PAPER if s in known),
            *sorted(set(known) - set(_PAPER)), EVERYTHING]


def _strategies(text):
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in stream_strategies()]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown stream strategy {', '.join(unknown) or text!r}; choose from "
            f"{', '.join(stream_strategies())}")
    return names


def _budget(text):
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not 0 < value <= 1:
        raise argparse.ArgumentTypeError(
            f"{text} is not a fraction of the stream in (0, 1], such as 0.1")
    return value


def add_parser(commands):
    stream = commands.add_parser(
        "stream", parents=[data_options()],
        help="replay your CSV file as a stream: label now or never, on a budget",
        description="Replay a CSV file, in file order, as a stream of "
        "mini-batches: each stream strategy requests labels within the budget "
        "while SGDClassifier(loss='log_loss') learns them (partial_fit). Each "
        "mini-batch is predicted before its labels are requested (prequential "
        "evaluation). Writes the accuracy over the stream and the labels spent.")
    stream.add_argument("--budget", type=_budget, default=0.1,
                        help="fraction of the stream to label (default: "
                        "%(default)s)")
    stream.add_argument("--strategies", type=_strategies, default=None,
                        help="comma-separated, from "
                        f"{', '.join(stream_strategies())} (default: all; "
                        f"{EVERYTHING} labels every row)")
    stream.add_argument("--batch-size", type=positive_int, default=100,
                        help="rows per mini-batch (default: %(default)s)")
    stream.add_argument("--initial-size", type=positive_int, default=100,
                        help="first rows, labeled to start the model (default: "
                        "%(default)s)")
    stream.add_argument("--window", type=positive_int, default=500,
                        help="rows of the sliding-window accuracy (default: "
                        "%(default)s)")
    stream.add_argument("--repeats", type=positive_int, default=5,
                        help="repeats, each with its own seeds for the random "
                        "strategies (default: %(default)s)")
    stream.add_argument("--n-jobs", type=int, default=-1,
                        help="parallel runs; -1 uses every core (default: "
                        "%(default)s)")
    stream.add_argument("--seed", type=int, default=0,
                        help="random seed (default: %(default)s)")
    stream.add_argument("--output", type=Path, default=Path("skactive-output"),
                        help=f"folder for {', '.join(STREAM_FILES)} (default: "
                        "%(default)s)")
    stream.add_argument("--no-progress", action="store_true",
                        help="no progress bar")
    stream.set_defaults(handler=main)


def main(args):
    X, y = read_data(args)
    y = require_labels(y, args.data)
    if (args.task or detect_task(y)) == "regression":
        raise UsageError(f"stream needs class labels; {args.target!r} looks like a "
                         "regression target (pass --task classification if its "
                         "numbers are classes)")
    classes = np.unique(y)
    if classes.size < 2:
        raise UsageError(f"the target has a single class ({classes[0]!r}): "
                         "nothing to classify")
    if args.initial_size >= y.shape[0]:
        raise UsageError(f"--initial-size {args.initial_size} leaves no row of the "
                         f"{y.shape[0]} of {args.data} to stream: pass at most "
                         f"{y.shape[0] - 1}")
    check_output(args.output, STREAM_FILES)
    strategies = args.strategies or stream_strategies()
    print(f"{args.data}: {y.shape[0]} rows, {X.shape[1]} features, "
          f"{classes.size} classes; a stream of mini-batches of {args.batch_size}, "
          f"budget {args.budget:.0%}, {args.repeats} repeats", flush=True)
    print(feature_summary(X), flush=True)
    # The encoding learns from the first rows only, as a stream would.
    features = make_preprocessor().fit(X.iloc[:args.initial_size]).transform(X)
    result = _run(args, features, y, classes, strategies)
    _report(result, args)
    return 0


def _samplers(strategies, budget, seed):
    from sklearn.linear_model import SGDClassifier

    model = SGDClassifier(loss="log_loss", random_state=seed)
    samplers = {name: StreamSampler(model, strategy=name, budget=budget)
                for name in strategies if name != EVERYTHING}
    if EVERYTHING in strategies:
        samplers[EVERYTHING] = StreamSampler(model, strategy="random", budget=1.0)
    return model, samplers


def _run(args, features, y, classes, strategies):
    model, samplers = _samplers(strategies, args.budget, args.seed)
    try:
        return run_stream_experiment(
            model, samplers, (features, y), batch_size=args.batch_size,
            initial_size=args.initial_size, window=args.window, classes=classes,
            n_repeats=args.repeats, random_state=args.seed, n_jobs=args.n_jobs,
            progress=show_progress(args))
    except ParameterError as exc:
        raise UsageError(in_flags(exc, _FLAGS)) from exc
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def _report(result, args):
    print()
    print(result.summary())
    print(f"\naccuracy: prequential accuracy over the stream (each mini-batch "
          f"predicted\nbefore its labels are requested); last window: over the "
          f"last {args.window} rows;\nlabeled: fraction of the rows labeled, the "
          f"first {args.initial_size} included.\nMean ± std over {args.repeats} "
          "repeats, best accuracy first.")
    try:
        written = _save(result, args)
    except OSError as exc:
        raise cannot_write(exc, args.output) from None
    print(f"\nwrote {', '.join(written)} to {args.output}/")


def _save(result, args):
    """The curves, the summary and (with matplotlib) the plot."""
    result.to_csv(args.output / "curves.csv")
    final = result.final_scores()
    with open(args.output / "summary.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["strategy", "accuracy_mean", "accuracy_std",
                         "labeled_fraction"])
        for name in result.strategies:
            seen, labels = result.curves(name, "n_labeled")
            writer.writerow([name, *final[name], labels[:, -1].mean() / seen[-1]])
    written = ["curves.csv", "summary.csv"]
    try:
        from matplotlib.figure import Figure
    except ImportError:
        print("matplotlib is not installed: no curves.png "
              "(pip install 'skactive[plot]')", file=sys.stderr)
        return written
    figure = Figure(figsize=(8, 8))
    top, bottom = figure.subplots(2, 1, sharex=True)
    reference = EVERYTHING if EVERYTHING in result.strategies else None
    result.plot(ax=top, score_name="prequential accuracy", reference=reference)
    result.plot(ax=bottom, column="window_score", reference=reference,
                score_name=f"accuracy, last {args.window} rows")
    top.set_title(f"{args.data.name}: budget {args.budget:.0%}, mean ± std over "
                  f"{args.repeats} repeats")
    figure.savefig(args.output / "curves.png", dpi=120, bbox_inches="tight")
    written.append("curves.png")
    return written

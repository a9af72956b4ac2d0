"""What every command shares: errors, common options, the experiment report."""

# SPDX-License-Identifier: BSD-3-Clause

import argparse
import csv
import os
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from ..exceptions import ParameterError
from ..experiment import run_experiment
from ..utils._validation import check_integer
from ._strategies import (
    DEFAULT_ESTIMATOR,
    ESTIMATORS,
    STRATEGIES,
    TASKS,
    default_strategies,
    estimators_for,
    make_estimator,
    make_samplers,
    strategies_for,
)


class UsageError(Exception):
    """A problem with what the user asked for: printed, never a traceback."""


class Interrupted(Exception):
    """Ctrl-C during an experiment: say what was kept, in one line."""

    def __init__(self, checkpoint, n_runs):
        if checkpoint is None:
            message = ("interrupted; nothing was saved (add --checkpoint to keep "
                       "finished runs and resume them)")
        else:
            # A benchmark keeps one folder per data set and strategy.
            saved = sum(1 for _ in checkpoint.rglob("run-*.json"))
            message = (f"interrupted: {saved} of {n_runs} runs are saved in "
                       f"{checkpoint}; run the same command again to resume")
        super().__init__(message)


# run_experiment's parameters and the options that set them.
_FLAGS = {"batch_size": "--batch-size", "n_rounds": "--rounds",
          "initial_size": "--initial-size"}


def in_flags(exc, flags=_FLAGS, fix=None):
    """A :class:`~skactive.exceptions.ParameterError` of the library, worded
    with the option that sets its parameter (its own message otherwise);
    ``fix`` replaces the library's when the remedy lies in other options."""
    if exc.param not in flags:
        return str(exc)
    fix = exc.fix if fix is None else fix
    return f"{flags[exc.param]} {exc.value} {exc.problem}" + (
        f": pass {fix}." if fix else ".")


def positive_int(text):
    """argparse type: an integer >= 1."""
    try:
        return check_integer(int(text), "value")
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text} is not a positive integer") from None


def parse_strategies(text):
    """argparse type: comma-separated names from the registry."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in STRATEGIES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown strategy {', '.join(unknown) or text!r}; choose from "
            f"{', '.join(STRATEGIES)}"
        )
    return names


def show_progress(args):
    """A progress bar unless --no-progress, when tqdm is installed."""
    if args.no_progress:
        return False
    try:
        import tqdm  # noqa: F401
    except ImportError:
        return False
    return True


def _per_task(tasks, names, default):
    """``for TASK a, b, c (default: a)`` for each task, in a line of help."""
    return "; ".join(f"for {task} {', '.join(names(task))} (default: "
                     f"{default(task)})" for task in tasks)


CURVE_FILES = ("curves.png", "curves.csv", "summary.csv")


def experiment_options(outputs=CURVE_FILES, tasks=TASKS):
    """The options of every command that runs an experiment, which writes
    ``outputs`` and serves ``tasks``."""
    common = argparse.ArgumentParser(add_help=False)
    estimators = [n for n in ESTIMATORS if any(n in estimators_for(t) for t in tasks)]
    common.add_argument("--estimator", choices=estimators, default=None,
                        help="model trained at each round; " + _per_task(
                            tasks, estimators_for, DEFAULT_ESTIMATOR.get))
    common.add_argument("--strategies", type=parse_strategies, default=None,
                        help="comma-separated strategies; " + _per_task(
                            tasks, strategies_for,
                            lambda task: ", ".join(default_strategies(task))))
    common.add_argument("--repeats", type=positive_int, default=10,
                        help="repeats, each with its own split (default: %(default)s)")
    common.add_argument("--batch-size", type=positive_int, default=20,
                        help="labels per round (default: %(default)s)")
    common.add_argument("--rounds", type=positive_int, default=10,
                        help="rounds of selection (default: %(default)s)")
    common.add_argument("--initial-size", type=positive_int, default=None,
                        help="initial labeled set (default: the batch size, at "
                        "least one per class)")
    common.add_argument("--test-size", type=float, default=0.25,
                        help="fraction held out for testing (default: %(default)s)")
    common.add_argument("--n-jobs", type=int, default=-1,
                        help="parallel runs; -1 uses every core (default: %(default)s)")
    common.add_argument("--seed", type=int, default=0,
                        help="random seed (default: %(default)s)")
    common.add_argument("--output", type=Path, default=Path("skactive-output"),
                        help=f"folder for {', '.join(outputs[:-1])} and "
                        f"{outputs[-1]} (default: %(default)s)")
    common.add_argument("--checkpoint", action="store_true",
                        help="save finished runs in OUTPUT/checkpoint and resume "
                        "from them")
    common.add_argument("--no-progress", action="store_true",
                        help="no progress bar")
    return common


def check_output(folder, files):
    """Create ``folder`` if missing and check that ``files`` can be written in
    it, before any work: a one-line error now, not a traceback after it."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--output {folder} is a file: pass a folder (created if "
                         "missing)")
    check_writable(folder, folder, [folder / name for name in files])


def check_writable(folder, shown, paths):
    """Files can be created in ``folder`` and ``paths`` overwritten; errors
    name the option's value, ``shown``."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise UsageError(f"cannot write to --output {shown}: "
                         f"{exc.strerror or exc}") from None
    for path in paths:
        if path.is_dir():
            raise UsageError(f"cannot write {path}: it is a folder")
        if path.exists() and not os.access(path, os.W_OK):
            raise UsageError(f"cannot write {path}: it is read-only")


def cannot_write(exc, path):
    """An OSError while writing ``path``, as a one-line error."""
    return UsageError(f"cannot write {exc.filename or path}: {exc.strerror or exc}")


def check_task(task, estimator_name, strategies):
    """The estimator and the strategies must serve ``task``."""
    other = TASKS_OTHER[task]
    if ESTIMATORS[estimator_name][0] not in (None, task):
        raise UsageError(f"--estimator {estimator_name} is for {other}; for "
                         f"{task} choose {', '.join(estimators_for(task))}")
    wrong = [name for name in strategies if task not in STRATEGIES[name].tasks]
    if wrong:
        raise UsageError(f"{', '.join(wrong)} {'is' if len(wrong) == 1 else 'are'} "
                         f"for {other}; for {task} choose "
                         f"{', '.join(strategies_for(task))}")


TASKS_OTHER = {"classification": "regression", "regression": "classification"}
_NEEDS = {"predict_proba": "class probabilities (predict_proba)",
          "std": "a predictive standard deviation (--estimator gp or forest)"}


def run_and_report(args, X, y, source, task="classification", preprocessor=None,
                   columns=None):
    """Run the experiment the options describe on ``X, y``; print and save it.

    ``preprocessor`` (default: ``StandardScaler``) starts the model's pipeline
    and gives the diversity strategies their embeddings; ``columns`` says in
    a line how the features are encoded (``_csv.feature_summary``, which
    ``select`` prints too).
    """
    if preprocessor is None:
        from sklearn.preprocessing import StandardScaler

        preprocessor = StandardScaler()
    estimator_name = args.estimator or DEFAULT_ESTIMATOR[task]
    strategies = args.strategies or default_strategies(task)
    check_task(task, estimator_name, strategies)
    target = _describe_target(task, y)
    if not 0 < args.test_size < 1:
        raise UsageError(f"--test-size must be between 0 and 1, got {args.test_size}")
    check_output(args.output, CURVE_FILES)

    estimator = make_estimator(estimator_name, args.seed, preprocessor, task)
    samplers = _samplers_that_run(strategies, estimator_name, estimator,
                                  preprocessor)
    print(f"{source}: {X.shape[0]} samples, {X.shape[1]} features, {target}; "
          f"{estimator_name}, {args.repeats} repeats of {args.rounds} rounds of "
          f"{args.batch_size} labels", flush=True)
    if columns:
        print(columns, flush=True)
    result = _run(args, estimator, samplers, X, y)
    _report(result, args, task, f"{source}: {estimator_name}, mean ± std over "
            f"{args.repeats} repeats")
    return 0


def _samplers_that_run(strategies, estimator_name, estimator, preprocessor):
    """The samplers of ``strategies``; those the estimator cannot serve are
    skipped, saying why."""
    samplers, dropped = make_samplers(strategies, estimator_name, estimator,
                                      preprocessor)
    for needs in sorted(set(dropped.values())):
        names = [name for name, n in dropped.items() if n == needs]
        verb = "they need" if len(names) > 1 else "it needs"
        print(f"skipped {', '.join(names)}: {verb} {_NEEDS[needs]}, which "
              f"{estimator_name} has not", file=sys.stderr)
    if not samplers:
        raise UsageError("no strategy left to run")
    return samplers


def _run(args, estimator, samplers, X, y):
    """The experiment; the library's errors and Ctrl-C as one line each."""
    checkpoint = args.output / "checkpoint" if args.checkpoint else None
    try:
        with warnings.catch_warnings():
            # Models fitted on a handful of labels often stop at a bound (a
            # Gaussian process's noise level, an iteration limit): expected
            # in the first rounds, and a screenful in the terminal.
            warnings.simplefilter("ignore", ConvergenceWarning)
            return run_experiment(
                estimator, samplers, X, y, test_size=args.test_size,
                initial_size=args.initial_size, batch_size=args.batch_size,
                n_rounds=args.rounds, n_repeats=args.repeats,
                random_state=args.seed, n_jobs=args.n_jobs,
                progress=show_progress(args), checkpoint=checkpoint,
            )
    except ParameterError as exc:
        raise UsageError(in_flags(exc)) from exc
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    except KeyboardInterrupt:
        raise Interrupted(checkpoint, len(samplers) * args.repeats) from None


def _report(result, args, task, title):
    """Print the summary and write the curves, the summary and the plot."""
    print()
    print(result.summary())
    score_name = "accuracy" if task == "classification" else "R²"
    print(f"\nAUBC: mean test {score_name} over the labeling budget (the area under "
          f"the\nlearning curve divided by its width); final score: test "
          f"{score_name} after\nthe last round. Mean ± std over repeats, best AUBC "
          "first.")
    try:
        written = _save(result, args.output, score_name, title)
    except OSError as exc:
        raise cannot_write(exc, args.output) from None
    print(f"\nwrote {', '.join(written)} to {args.output}/")


def _describe_target(task, y):
    """The target in a few words; a classification target needs two classes of
    two samples at least."""
    if task == "regression":
        return f"regression of a numeric target (mean {np.mean(y):.4g})"
    classes, counts = np.unique(y, return_counts=True)
    names = classes.tolist()  # Python values: 'x' and 0, not np.int64(0)
    if classes.size < 2:
        raise UsageError(f"the target has a single class ({names[0]!r}): "
                         "nothing to classify")
    if counts.min() < 2:
        raise UsageError(f"class {names[counts.argmin()]!r} has a single sample; "
                         "every class needs two, one for the pool and one for the "
                         "test set")
    return f"{classes.size} classes"


def _save(result, output, score_name, title):
    """Write the curves, the summary and (with matplotlib) the plot."""
    result.to_csv(output / "curves.csv")
    _write_summary(result, output / "summary.csv")
    written = ["curves.csv", "summary.csv"]
    try:
        # A Figure of its own, outside pyplot: the user's backend and open
        # figures stay as they were.
        from matplotlib.figure import Figure

        ax = Figure(figsize=(8, 4.5)).subplots()
        reference = "random" if "random" in result.strategies else None
        result.plot(ax=ax, score_name=f"test {score_name}", reference=reference)
        ax.set_title(title)
        ax.figure.savefig(output / "curves.png", dpi=120, bbox_inches="tight")
        written.append("curves.png")
    except ImportError:
        print("matplotlib is not installed: no curves.png "
              "(pip install 'skactive[plot]')", file=sys.stderr)
    return written


def _write_summary(result, path):
    areas, final = result.aubc(), result.final_scores()
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["strategy", "aubc_mean", "aubc_std", "final_mean",
                         "final_std"])
        for s in result.strategies:
            writer.writerow([s, *areas[s], *final[s]])

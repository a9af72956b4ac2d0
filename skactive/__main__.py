"""Command line: ``skactive demo`` and ``skactive run`` (or ``python -m skactive``)."""

# SPDX-License-Identifier: BSD-3-Clause

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

from . import DiversitySampler, HybridSampler, RandomSampler, UncertaintySampler
from .experiment import run_experiment

UNCERTAINTY = ("entropy", "least_confidence", "margin", "ratio", "variance")
DEMO_STRATEGIES = UNCERTAINTY + ("kmeans", "coreset", "random")
HYBRID = ("weighted_kmeans", "cluster_margin")
STRATEGIES = DEMO_STRATEGIES + HYBRID + ("typiclust",)
DATASETS = ("digits", "breast_cancer", "wine", "iris")
ESTIMATORS = ("logistic", "svc", "forest")


class UsageError(Exception):
    """A problem with what the user asked for: printed, never a traceback."""


def make_estimator(name, seed):
    """The evaluation model named on the command line, inputs standardised."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    if name == "logistic":
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    if name == "svc":
        return make_pipeline(StandardScaler(), SVC(kernel="rbf"))
    return RandomForestClassifier(n_estimators=100, random_state=seed)


def make_samplers(names, estimator):
    """Samplers by strategy name; those the estimator cannot serve are dropped."""
    from sklearn.preprocessing import StandardScaler

    has_proba = hasattr(estimator, "predict_proba")
    samplers, dropped = {}, []
    for name in names:
        if name in UNCERTAINTY:
            if not has_proba and name not in ("margin", "least_confidence"):
                dropped.append(name)
                continue
            samplers[name] = UncertaintySampler(estimator, strategy=name)
        elif name in ("kmeans", "coreset", "typiclust"):
            samplers[name] = DiversitySampler(StandardScaler(), strategy=name)
        elif name in HYBRID:
            samplers[name] = HybridSampler(
                UncertaintySampler(estimator, strategy="margin"),
                DiversitySampler(StandardScaler()), strategy=name,
            )
        else:
            samplers[name] = RandomSampler()
    return samplers, dropped


def load_dataset(name):
    from sklearn import datasets

    return getattr(datasets, f"load_{name}")(return_X_y=True)


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


def parse_strategies(text):
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in STRATEGIES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown strategy {', '.join(unknown) or text!r}; choose from "
            f"{', '.join(STRATEGIES)}"
        )
    return names


def positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive integer")
    return value


def build_parser():
    parser = argparse.ArgumentParser(
        prog="skactive",
        description="Compare active-learning strategies on a labeled data set: "
        "simulated labeling rounds, learning curves and their area (AUBC).",
    )
    commands = parser.add_subparsers(dest="command", required=True,
                                     metavar="{demo,run}")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--estimator", choices=ESTIMATORS, default="logistic",
                        help="model trained at each round (default: %(default)s)")
    common.add_argument("--strategies", type=parse_strategies,
                        default=list(DEMO_STRATEGIES),
                        help="comma-separated strategies among "
                        f"{','.join(STRATEGIES)} (default: "
                        f"{','.join(DEMO_STRATEGIES)})")
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
                        help="folder for curves.png, curves.csv and summary.csv "
                        "(default: %(default)s)")
    common.add_argument("--checkpoint", action="store_true",
                        help="save finished runs in OUTPUT/checkpoint and resume "
                        "from them")
    common.add_argument("--no-progress", action="store_true",
                        help="no progress bar")

    demo = commands.add_parser(
        "demo", parents=[common],
        help="the seed's tutorial on a data set that ships with scikit-learn",
        description="Uncertainty (entropy, least confidence, margin, ratio, "
        "variance), diversity (k-means, core-set) and random sampling compared "
        "on a scikit-learn data set.",
    )
    demo.add_argument("--dataset", choices=DATASETS, default="digits",
                      help="data set (default: %(default)s)")

    run = commands.add_parser(
        "run", parents=[common], help="the same on your CSV file",
        description="Compare strategies on a CSV file with a header row, numeric "
        "feature columns and a target column.",
    )
    run.add_argument("--data", type=Path, required=True, help="CSV file")
    run.add_argument("--target", required=True, help="name of the label column")
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _main(args)
    except UsageError as exc:
        parser.exit(2, f"skactive: error: {exc}\n")


def _main(args):
    if args.command == "demo":
        X, y = load_dataset(args.dataset)
        source = args.dataset
    else:
        X, y = read_csv(args.data, args.target)
        source = str(args.data)
    classes, counts = np.unique(y, return_counts=True)
    if classes.size < 2:
        raise UsageError(f"the target has a single class ({classes[0]!r}): "
                         "nothing to classify")
    if counts.min() < 2:
        raise UsageError(f"class {classes[counts.argmin()]!r} has a single sample; "
                         "every class needs two, one for the pool and one for "
                         "the test set")
    if not 0 < args.test_size < 1:
        raise UsageError(f"--test-size must be between 0 and 1, got {args.test_size}")

    estimator = make_estimator(args.estimator, args.seed)
    samplers, dropped = make_samplers(args.strategies, estimator)
    if dropped:
        print(f"skipped {', '.join(dropped)}: they need predict_proba, which "
              f"{args.estimator} has not", file=sys.stderr)
    if not samplers:
        raise UsageError("no strategy left to run")
    progress = not args.no_progress
    if progress:
        try:
            import tqdm  # noqa: F401
        except ImportError:
            progress = False
    print(f"{source}: {X.shape[0]} samples, {X.shape[1]} features, "
          f"{classes.size} classes; {args.estimator}, {args.repeats} repeats of "
          f"{args.rounds} rounds of {args.batch_size} labels", flush=True)
    output = args.output
    output.mkdir(parents=True, exist_ok=True)
    try:
        result = run_experiment(
            estimator, samplers, X, y, test_size=args.test_size,
            initial_size=args.initial_size, batch_size=args.batch_size,
            n_rounds=args.rounds, n_repeats=args.repeats, random_state=args.seed,
            n_jobs=args.n_jobs, progress=progress,
            checkpoint=output / "checkpoint" if args.checkpoint else None,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from exc

    print()
    print(result.summary())
    result.to_csv(output / "curves.csv")
    _write_summary(result, output / "summary.csv")
    written = ["curves.csv", "summary.csv"]
    try:
        import matplotlib

        matplotlib.use("Agg")
        display = result.plot(score_name="accuracy")
        display.ax_.set_title(f"{source}: {args.estimator}, {args.repeats} repeats")
        display.figure_.tight_layout()
        display.figure_.savefig(output / "curves.png", dpi=120)
        written.append("curves.png")
    except ImportError:
        print("matplotlib is not installed: no curves.png "
              "(pip install 'skactive[plot]')", file=sys.stderr)
    print(f"\nwrote {', '.join(written)} to {output}/")
    return 0


def _write_summary(result, path):
    areas, final = result.aubc(), result.final_scores()
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["strategy", "aubc_mean", "aubc_std", "final_mean",
                         "final_std"])
        for s in result.strategies:
            writer.writerow([s, *areas[s], *final[s]])


if __name__ == "__main__":
    sys.exit(main())

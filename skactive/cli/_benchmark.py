"""``skactive benchmark``: strategies compared over several data sets, with
statistics and a self-contained HTML report."""

# SPDX-License-Identifier: BSD-3-Clause

import sys

from ..exceptions import ParameterError
from ..experiment import get_protocol, load_datasets, run_benchmark
from ._common import (
    Interrupted,
    UsageError,
    cannot_write,
    check_output,
    check_task,
    experiment_options,
    in_flags,
    show_progress,
)
from ._strategies import (
    DEFAULT_ESTIMATOR,
    default_strategies,
    make_estimator,
    make_samplers,
    strategies_for,
)

REPORT_FILES = ("report.html", "aubc.csv", "aubc_repeats.csv", "curves.csv",
                "win_tie_loss.csv", "ranks.csv", "protocol.csv", "aubc.tex",
                "curves.svg", "curves.pdf")


def add_parser(commands):
    bench = commands.add_parser(
        "benchmark",
        parents=[experiment_options(REPORT_FILES, tasks=("classification",))],
        help="compare strategies over several data sets, with statistics",
        description="Run the same active-learning protocol on several data sets "
        "and write report.html (the protocol, AUBC tables, win/tie/loss against "
        "the reference by Wilcoxon + Holm with p-values, mean ranks, Friedman's "
        "test and, when it rejects, the Nemenyi critical-difference diagram, "
        "learning curves), the tables as CSV, a LaTeX table and the figures as "
        "SVG and PDF to the output folder.",
    )
    bench.add_argument("--datasets", default="iris,wine,breast_cancer,digits",
                       help="comma-separated bundled data sets (default: "
                       "%(default)s); '' for none")
    bench.add_argument("--openml", default="", metavar="ID,...",
                       help="OpenML data ids (downloaded once, needs a network)")
    bench.add_argument("--data-dir", default=None, metavar="FOLDER",
                       help="a folder of numeric CSV files, the target last "
                       "(or --target)")
    bench.add_argument("--target", default=None,
                       help="the target column of the --data-dir files")
    bench.add_argument("--protocol", choices=PROTOCOL_NAMES, default=None,
                       help="a published protocol, which fixes the model, the "
                       "splits, the scaling and the labeling plan (lu2023: Lu, Li "
                       "& Lin 2023, SVC rbf gamma=auto, 40%% test redrawn per "
                       "seed, StandardScaler on the pool, 20 initial labels, "
                       "batches of 1, the whole pool); --repeats and --seed "
                       "still apply")
    bench.add_argument("--reference", default="random",
                       choices=strategies_for("classification"), metavar="STRATEGY",
                       help="the strategy the others are tested against "
                       "(default: %(default)s)")
    bench.set_defaults(handler=main, parser_defaults={
        dest: bench.get_default(dest) for dest in FIXED_BY_PROTOCOL})


PROTOCOL_NAMES = ("lu2023",)  # get_protocol's names
# What a protocol fixes: the flags that cannot be given with --protocol.
FIXED_BY_PROTOCOL = {"estimator": "--estimator", "batch_size": "--batch-size",
                     "rounds": "--rounds", "initial_size": "--initial-size",
                     "test_size": "--test-size"}


def main(args):
    from sklearn.preprocessing import StandardScaler

    estimator_name = _estimator_name(args)
    strategies = args.strategies or default_strategies("classification")
    check_task("classification", estimator_name, strategies)
    if args.reference not in strategies:
        strategies = [*strategies, args.reference]
    output = args.output
    check_output(output, REPORT_FILES)
    datasets = _load(args)
    preprocessor = StandardScaler()
    if args.protocol is None:
        estimator = make_estimator(estimator_name, args.seed, preprocessor,
                                   "classification")
    else:
        estimator = get_protocol(args.protocol).estimator()
    samplers, dropped = make_samplers(strategies, estimator_name, estimator,
                                      preprocessor)
    if dropped:
        print(f"skipped {', '.join(dropped)}: {estimator_name} has no "
              "predict_proba", file=sys.stderr)
    checkpoint = output / "checkpoint" if args.checkpoint else None
    print(f"{len(datasets)} data sets ({', '.join(datasets)}), {len(samplers)} "
          f"strategies, {args.repeats} repeats of " + (
              f"protocol {args.protocol}" if args.protocol else
              f"{args.rounds} rounds of {args.batch_size} labels"), flush=True)
    plan = (dict(protocol=args.protocol) if args.protocol else
            dict(batch_size=args.batch_size, n_rounds=args.rounds,
                 test_size=args.test_size, initial_size=args.initial_size))
    try:
        bench = run_benchmark(
            None if args.protocol else estimator, samplers, datasets,
            reference=args.reference, checkpoint=checkpoint,
            progress=show_progress(args), n_jobs=args.n_jobs,
            n_repeats=args.repeats, random_state=args.seed, **plan)
    except ValueError as exc:
        raise UsageError(str(exc).splitlines()[0]) from exc
    except KeyboardInterrupt:
        raise Interrupted(checkpoint, len(datasets) * len(samplers) * args.repeats
                          ) from None
    for dataset, strategy, message in bench.failures:
        print(f"could not run {dataset}{'' if strategy is None else ' / ' + strategy}"
              f": {message}", file=sys.stderr)
    if not bench.results:
        raise UsageError("no data set could run")
    _print_statistics(bench, args.reference)
    try:
        bench.write_report(output)
    except OSError as exc:
        raise cannot_write(exc, output) from None
    written = [*REPORT_FILES, *(name for name in ("critical_difference.svg",
                                                  "critical_difference.pdf")
                                if (output / name).exists())]
    print(f"\nwrote {', '.join(written)} to {output}/")
    return 0


def _estimator_name(args):
    """The --estimator (svc under --protocol); refuse flags a protocol fixes."""
    if args.protocol is None:
        return args.estimator or DEFAULT_ESTIMATOR["classification"]
    defaults = args.parser_defaults
    given = [flag for dest, flag in FIXED_BY_PROTOCOL.items()
             if getattr(args, dest) != defaults[dest]]
    if given:
        raise UsageError(f"--protocol {args.protocol} fixes {', '.join(given)}: "
                         "leave them out (--repeats and --seed still apply)")
    return "svc"


def _load(args):
    """The data sets that --datasets, --data-dir and --openml name."""
    names = [n.strip() for n in args.datasets.split(",") if n.strip()]
    openml = [n.strip() for n in args.openml.split(",") if n.strip()]
    wrong = [n for n in openml if not n.isdigit()]
    if wrong:
        raise UsageError(f"--openml takes OpenML data ids (numbers), got "
                         f"{', '.join(wrong)}")
    try:
        datasets = load_datasets(names, data_dir=args.data_dir, target=args.target,
                                 openml=[int(i) for i in openml])
    except ParameterError as exc:
        raise UsageError(in_flags(
            exc, {"names": "--datasets"}, fix="others with --data-dir FOLDER (CSV "
            "files) or --openml ID,... (OpenML data ids)")) from exc
    except (ValueError, OSError) as exc:
        raise UsageError(str(exc).splitlines()[0]) from exc
    if not datasets:
        raise UsageError("no data set: pass --datasets, --data-dir or --openml")
    return datasets


def _print_statistics(bench, reference):
    ranks = bench.ranks()
    print("\nmean rank (1 = best): " + ", ".join(
        f"{s} {r:.2f}" for s, r in sorted(ranks["mean_ranks"].items(),
                                          key=lambda kv: kv[1])))
    test = ranks["friedman"]
    if test is not None:
        print(f"Friedman chi² = {test[0]:.3f}, p = {test[1]:.4g}; Nemenyi critical "
              f"difference {ranks['critical_difference']:.3f}")
    totals = bench.win_tie_loss()["totals"]
    print(f"against {reference} (win/tie/loss over data sets): " + ", ".join(
        f"{s} {w}/{t}/{lo}" for s, (w, t, lo) in totals.items()))

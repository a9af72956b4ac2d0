"""Regenerate every figure the README and the user guide quote.

The docs never hand-type a measured number: the sphinx pages use the
substitutions ``|name|`` defined from ``doc/figures/figures.json`` (see
``doc/conf.py``) and include the demo's printout from
``doc/figures/demo_digits.txt``; a test checks that every decimal in the
README is one of these values. This script runs the sources (the command
line demo and the gallery examples whose numbers the guide discusses) and
writes those files::

    python benchmarks/doc_figures.py           # rewrite doc/figures/
    python benchmarks/doc_figures.py --check   # exit 1 if a figure drifted

``--check`` runs everything (about four minutes on two cores) and compares
with the files on disk; a value may differ by one unit in its last printed
place (floating-point noise between machines), anything more is drift.
"""

import argparse
import contextlib
import csv
import io
import json
import os
import re
import runpy
import sys
import tempfile
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIGURES = ROOT / "doc" / "figures"

# name -> arguments of ``skactive``; the printout of "demo" is included verbatim
DEMOS = {
    "demo": ["demo"],
    "hybrid": ["demo", "--strategies",
               "margin,weighted_kmeans,cluster_margin,typiclust,random"],
    "svc": ["demo", "--dataset", "breast_cancer", "--estimator", "svc",
            "--strategies", "margin,random"],
}
# gallery examples whose variables hold the numbers the guide discusses
EXAMPLES = ["plot_diversity_digits", "plot_multilabel_costs", "plot_benchmark",
            "plot_stopping", "plot_regression"]


def slug(*parts):
    """``slug("results", ("diabetes", "GP"), "iGS")`` -> "results-diabetes-gp-igs"."""
    flat = []
    for part in parts:
        flat.extend(part if isinstance(part, tuple) else [part])
    text = "-".join(str(p) for p in flat).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def fmt(value, decimals=None):
    """Four decimals for scores in [-1, 1], three beyond (RMSE, costs)."""
    if decimals is None:
        decimals = 4 if abs(value) <= 1 else 3
    return f"{value:.{decimals}f}"


def result_figures(prefix, result):
    """AUBC and final score (mean, std) of every strategy of an ExperimentResult,
    and what stopping at each criterion kept."""
    figures = {}
    areas, final = result.aubc(), result.final_scores()
    for strategy in result.strategies:
        for metric, (mean, std) in (("aubc", areas[strategy]),
                                    ("final", final[strategy])):
            key = slug(prefix, strategy, metric)
            decimals = 4 if abs(mean) <= 1 else 3
            figures[key] = fmt(mean, decimals)
            figures[key + "-std"] = fmt(std, decimals)
            if mean < 0:  # a negated scorer (RMSE, cost): the docs quote -mean
                figures[key + "-abs"] = fmt(-mean, decimals)
    if result.criteria:
        for row in result.stopping():
            key = slug(prefix, row["strategy"], "stop", row["criterion"])
            figures[key + "-labels"] = fmt(row["labels_at_stop"], 1)
            figures[key + "-saved"] = fmt(100 * row["labels_saved"], 1)
            figures[key + "-score"] = fmt(row["score_at_stop"])
            figures[key + "-lost"] = fmt(row["score_lost"])
            figures[key + "-budget"] = fmt(row["score_at_budget"])
    return figures


def benchmark_figures(prefix, bench):
    """Mean ranks, Friedman's test, the critical difference, win/tie/loss."""
    ranks = bench.ranks()
    figures = {slug(prefix, "rank", s): fmt(r, 2)
               for s, r in ranks["mean_ranks"].items()}
    statistic, p_value = ranks["friedman"]
    figures[slug(prefix, "friedman-chi2")] = fmt(statistic, 2)
    figures[slug(prefix, "friedman-p")] = fmt(p_value, 3)
    figures[slug(prefix, "cd")] = fmt(ranks["critical_difference"], 2)
    for s, wtl in bench.win_tie_loss()["totals"].items():
        figures[slug(prefix, "wtl", s)] = "/".join(map(str, wtl))
    for dataset, row in bench.aubc_table().items():
        for s, (mean, _) in row.items():
            figures[slug(prefix, dataset, s, "aubc")] = fmt(mean)
    return figures


def diversity_figures(prefix, namespace):
    """Classes covered by the first 10 and 20 picks, and by random picks."""
    np, y = namespace["np"], namespace["y"]
    figures = {}
    for name, order in namespace["picks"].items():
        for n in (10, 20):
            figures[slug(prefix, name, n)] = str(np.unique(y[order[:n]]).size)
    for n, mean in namespace["random_coverage"].items():
        figures[slug(prefix, "random", n)] = fmt(mean, 1)
    return figures


def namespace_figures(prefix, namespace):
    """The figures of every result an example leaves in its namespace."""
    from skactive.experiment import BenchmarkResult, ExperimentResult

    figures = {}
    # a loop's last value (``result`` after ``for ...: result = ...``) is
    # already in the dict the loop filled: count it once
    in_dicts = {id(v) for value in namespace.values() if isinstance(value, dict)
                for v in value.values()}
    for name, value in namespace.items():
        if id(value) in in_dicts:
            continue
        items = value.items() if isinstance(value, dict) else [((), value)]
        for key, item in items:
            path = slug(prefix, name, key)
            if isinstance(item, ExperimentResult):
                figures.update(result_figures(path, item))
            elif isinstance(item, BenchmarkResult):
                figures.update(benchmark_figures(path, item))
    if "random_coverage" in namespace:
        figures.update(diversity_figures(prefix, namespace))
    return figures


def run_demo(name, argv):
    """Run ``skactive ARGV``; return its figures and its printout."""
    from skactive.cli import main

    with tempfile.TemporaryDirectory() as folder:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            main([*argv, "--no-progress", "--output", folder])
        with open(os.path.join(folder, "summary.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
    figures = {}
    for row in rows:
        for metric in ("aubc", "final"):
            key = slug(name, row["strategy"], metric)
            figures[key] = fmt(float(row[f"{metric}_mean"]), 4)
            figures[key + "-std"] = fmt(float(row[f"{metric}_std"]), 4)
    printout = "".join(line for line in out.getvalue().splitlines(keepends=True)
                       if not line.startswith("wrote "))
    return figures, printout.strip() + "\n"


def run_example(name):
    """Run a gallery example (figures closed, not shown); return its figures."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        namespace = runpy.run_path(str(ROOT / "examples" / f"{name}.py"),
                                   run_name="__main__")
    plt.close("all")
    return namespace_figures(name.removeprefix("plot_"), namespace)


def generate():
    """Every figure (name -> formatted value) and the demo's printout."""
    figures, printout = {}, None
    for name, argv in DEMOS.items():
        print(f"skactive {' '.join(argv)}", file=sys.stderr)
        demo, text = run_demo(name, argv)
        figures.update(demo)
        printout = text if name == "demo" else printout
    for name in EXAMPLES:
        print(f"examples/{name}.py", file=sys.stderr)
        figures.update(run_example(name))
    return dict(sorted(figures.items())), printout


def drifted(old, new):
    """Names whose values differ by more than one unit in the last place."""
    def close(a, b):
        try:
            last = 10.0 ** -len(a.partition(".")[2])
            same_format = len(a.partition(".")[2]) == len(b.partition(".")[2])
            return same_format and abs(float(a) - float(b)) <= 1.5 * last
        except ValueError:  # not a number, e.g. "1/3/0"
            return a == b
    names = sorted(set(old) | set(new))
    return [n for n in names
            if n not in old or n not in new or not close(old[n], new[n])]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with doc/figures/ instead of writing it")
    args = parser.parse_args(argv)
    figures, printout = generate()
    json_path, text_path = FIGURES / "figures.json", FIGURES / "demo_digits.txt"
    if args.check:
        old = json.loads(json_path.read_text())
        bad = drifted(old, figures)
        for name in bad:
            print(f"{name}: doc/figures has {old.get(name)}, the sources give "
                  f"{figures.get(name)}")
        if bad:
            print(f"{len(bad)} figure(s) drifted: run `python "
                  "benchmarks/doc_figures.py` and read the prose around them.")
            return 1
        print(f"{len(figures)} figures match doc/figures/.")
        return 0
    FIGURES.mkdir(exist_ok=True)
    json_path.write_text(json.dumps(figures, indent=1) + "\n")
    text_path.write_text(printout)
    print(f"wrote {len(figures)} figures to {json_path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

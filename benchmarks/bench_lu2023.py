"""All of Lu, Li & Lin's strategies on their Wdbc protocol, next to their table.

Run: ``python benchmarks/bench_lu2023.py [--strategies A,B] [--seeds N]
[--first-seed S] [--n-jobs J] [--quick] [--results FILE] [--summary CSV]``.

The protocol and the published numbers are in ``_lu2023.py`` (SVC rbf
gamma="auto", 40 % test redrawn per seed, standardised on the pool, 20
initial labels, batch 1, the whole pool, their AUBC). The strategies carry
the settings of Lu et al.'s ``src/config.py``, under their names (the same
dictionary as the user guide's page "The strategies of Lu, Li & Lin's
re-benchmark"). Each experiment runs on one thread; ``--n-jobs`` runs seeds
side by side (the time per experiment is then measured under that load:
compare times from runs with the same ``--n-jobs``).

``--results FILE`` keeps each finished experiment as one JSON line (strategy,
seed, budget, AUBC, seconds) and skips those already in the file, so that a
long run (EER's exact refits take tens of minutes per experiment) can be
stopped and resumed; the table is printed from the file. ``--no-run`` runs
nothing and prints the table of the experiments in the file (a strategy
with fewer seeds there shows how many). ``--summary CSV`` writes the table
as a CSV file (the user guide's page on Lu et al.'s strategies and its
gallery example read ``doc/user_guide/lu2023_wdbc.csv``).

For each strategy: the mean ± std AUBC over the seeds, the published mean
± std, whether ours is within one published std, the mean wall time of one
experiment, the published time and the ratio of the two (their machine,
their implementations), and the *ceiling*: the published time divided by
the time of uniform sampling in this run (always run, first). Uniform
sampling costs only the protocol's 321 SVC fits and test scores, which
every strategy pays whatever its implementation, so no strategy can be
faster than the ceiling says.
"""

import argparse
import csv
import json
import os
import time

import numpy as np
from _lu2023 import PUBLISHED, header, one_experiment, one_thread, table_row, task_model
from joblib import Parallel, delayed
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC

import skactive
from skactive import (
    ALBLSampler,
    BMDRSampler,
    CommitteeSampler,
    DensitySampler,
    DiversitySampler,
    ExpectedErrorReductionSampler,
    HierarchicalSampler,
    HintSVMSampler,
    LALSampler,
    MarginClusterSampler,
    RandomSampler,
    SPALSampler,
    UncertaintySampler,
    VarianceReductionSampler,
)


def samplers(seed):
    """Lu et al.'s 17 strategies with their settings, by their names."""
    svc = task_model()

    def hintsvm():
        return HintSVMSampler(Cl=1.0, Ch=1.0, kernel="rbf", gamma=0.1,
                              random_state=seed)

    chosen = {
        "Uniform": RandomSampler(random_state=seed),
        "US-C": UncertaintySampler(svc, strategy="margin", random_state=seed),
        "US-NC": UncertaintySampler(LogisticRegression(), strategy="entropy",
                                    random_state=seed),
        "QBC": CommitteeSampler([LogisticRegression(),
                                 SVC(kernel="linear", probability=True),
                                 SVC(probability=True),
                                 LinearDiscriminantAnalysis()],
                                random_state=seed),
        "HintSVM": hintsvm(),
        "ALBL": ALBLSampler(
            [UncertaintySampler(LogisticRegression(C=1.0),
                                strategy="least_confidence"),
             UncertaintySampler(LogisticRegression(C=0.01),
                                strategy="least_confidence"),
             hintsvm()],
            svc, delta=0.1, random_state=seed),
        "DWUS": DensitySampler(strategy="dwus", random_state=seed),
        "VR": VarianceReductionSampler(LogisticRegression(), sigma=100.0,
                                       random_state=seed),
        "Core-Set": DiversitySampler(strategy="coreset", random_state=seed),
        "Graph": DensitySampler(strategy="graph_density", random_state=seed),
        "Hier": HierarchicalSampler(random_state=seed),
        "InfoDiv": MarginClusterSampler(svc, strategy="cluster_proportions",
                                        random_state=seed),
        "MCM": MarginClusterSampler(svc, strategy="cluster_mean",
                                    random_state=seed),
        "EER": ExpectedErrorReductionSampler(task_model(probability=True),
                                             loss="log_loss", random_state=seed),
        "BMDR": BMDRSampler(random_state=seed),
        "SPAL": SPALSampler(random_state=seed),
        "LAL": LALSampler(random_state=seed),
    }
    quire = getattr(skactive, "QUIRESampler", None)
    if quire is not None:
        chosen["QUIRE"] = quire(random_state=seed)
    return chosen


def run(name, seed, budget):
    """One experiment of one strategy, on one thread."""
    with one_thread():
        return one_experiment(name, samplers(seed)[name], seed, budget)


def read_results(path):
    """``{(strategy, seed, budget): (aubc, seconds)}`` from a results file; a
    line cut short by a killed run is skipped."""
    done = {}
    if path is None or not os.path.exists(path):
        return done
    with open(path, encoding="utf-8") as file:
        for line in file:
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            done[row["strategy"], row["seed"], row["budget"]] = (row["aubc"],
                                                                 row["seconds"])
    return done


def append_result(path, name, seed, budget, aubc, seconds):
    """One finished experiment, appended as one line and flushed to disk."""
    row = {"strategy": name, "seed": seed, "budget": budget, "aubc": aubc,
           "seconds": seconds, "skactive": skactive.__version__}
    with open(path, "a", encoding="utf-8") as file:
        file.write(json.dumps(row) + "\n")
        file.flush()
        os.fsync(file.fileno())


def run_strategy(name, seeds, budget, n_jobs, results, run_missing=True):
    """AUBC and seconds of each seed, run or read back from ``results``
    (only those read back when not ``run_missing``)."""
    done = read_results(results)
    todo = [seed for seed in seeds if (name, seed, budget) not in done]
    if not run_missing:
        seeds, todo = [seed for seed in seeds if seed not in todo], []
    runs = Parallel(n_jobs=n_jobs, return_as="generator")(
        delayed(run)(name, seed, budget) for seed in todo)
    for seed, (aubc, seconds) in zip(todo, runs):
        done[name, seed, budget] = (aubc, seconds)
        if results is not None:
            append_result(results, name, seed, budget, aubc, seconds)
    return [done[name, seed, budget] for seed in seeds]


SUMMARY_COLUMNS = ["strategy", "seeds", "AUBC mean", "AUBC std", "published mean",
                   "published std", "within one std", "s / experiment",
                   "published s", "speed-up", "ceiling"]


def summary_row(name, aubc, seconds, floor):
    """One row of the ``--summary`` CSV file (published values blank when
    Lu et al. have none)."""
    aubc = np.asarray(aubc, dtype=float)
    p_mean, p_std, p_seconds = PUBLISHED.get(name, (None, None, None))
    row = {"strategy": name, "seeds": aubc.size}
    if p_mean is not None:
        row.update({"published mean": f"{p_mean:.4f}", "published std": f"{p_std:.4f}"})
    if p_seconds is not None:
        row["published s"] = f"{p_seconds:.1f}"
    if aubc.size == 0:  # not run: the published numbers only
        return row
    mean = aubc.mean()
    row.update({"AUBC mean": f"{mean:.4f}", "s / experiment": f"{seconds:.2f}",
                # a single seed has no standard deviation: left blank
                "AUBC std": f"{aubc.std(ddof=1):.4f}" if aubc.size > 1 else ""})
    if p_mean is not None:
        row["within one std"] = "yes" if abs(mean - p_mean) <= p_std else "no"
    if p_seconds is not None:
        row.update({"speed-up": f"{p_seconds / seconds:.1f}x",
                    "ceiling": f"{p_seconds / floor:.1f}x"})
    return row


def write_summary(path, rows):
    """The summary as CSV, written to a temporary file then moved in place."""
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, SUMMARY_COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(rows)
    os.replace(temporary, path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strategies", default=None,
                        help="comma-separated names of Lu et al. (default: all "
                             "but EER, whose exact refits take minutes per experiment)")
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--first-seed", type=int, default=0,
                        help="run seeds first-seed .. first-seed + seeds - 1: "
                             "two processes on disjoint seeds can share --results")
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--quick", action="store_true",
                        help="2 seeds and 60 labels: checks that it runs")
    parser.add_argument("--results", default=None,
                        help="JSON-lines file: keep each finished experiment, "
                             "skip those already there (resume a long run)")
    parser.add_argument("--summary", default=None,
                        help="write the table to this CSV file")
    parser.add_argument("--no-run", action="store_true",
                        help="run nothing: the table of the experiments in --results")
    args = parser.parse_args(argv)
    if args.no_run and args.results is None:
        parser.error("--no-run reads the experiments of --results: give the file")
    known = samplers(0)
    names = (args.strategies.split(",") if args.strategies
             else [n for n in known if n != "EER"])
    unknown = [n for n in names if n not in known]
    if unknown:
        parser.error(f"unknown strategies {unknown}: choose among {list(known)}")
    seeds, budget = ((range(2), 60) if args.quick else
                     (range(args.first_seed, args.first_seed + args.seeds), None))
    print(f"Wdbc (load_breast_cancer), {len(seeds)} seeds, "
          f"{'60 labels' if budget else 'whole pool'}, batch 1, SVC rbf, "
          f"{args.n_jobs} experiment(s) at a time, one thread each")
    print(header(ceiling=True))
    floor, rows = None, []
    for name in ["Uniform"] + [n for n in names if n != "Uniform"]:
        start = time.perf_counter()
        runs = run_strategy(name, seeds, budget, args.n_jobs, args.results,
                            run_missing=not args.no_run)
        if not runs:
            print(f"{name:<10} (no experiment in {args.results})")
            rows.append(summary_row(name, [], None, floor))
            continue
        aubc = [area for area, _ in runs]
        seconds = float(np.mean([s for _, s in runs]))
        floor = seconds if floor is None else floor
        if name not in names:
            continue
        published = name if name in PUBLISHED else None
        print(table_row(name, aubc, seconds, published, floor_seconds=floor)
              + f"   ({time.perf_counter() - start:.0f} s for all seeds)", flush=True)
        rows.append(summary_row(name, aubc, seconds, floor))
    if args.summary:
        write_summary(args.summary, rows)


if __name__ == "__main__":
    main()

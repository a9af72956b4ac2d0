"""Every strategy of Lu, Li & Lin on the four largest bundled classification sets.

Run: ``python benchmarks/bench_bundled.py [--state FOLDER] [--datasets A,B]
[--strategies A,B] [--eer-jobs J] [--no-run] [--summary CSV]``.

Lu et al.'s reference implementations did not finish EER, VR, BMDR, SPAL
and QUIRE on their larger data sets within their time limit. This runs all
17 of their strategies and uniform sampling, with their settings (the
dictionary of ``bench_lu2023.py``), under their whole-pool protocol (SVC rbf
gamma="auto", 40 % stratified test set, standardised on the pool, 20
initial labels, batches of 1 until the pool is labeled), one seed, on the
four largest classification sets that ship with scikit-learn: digits
(1,797 samples, pool 1,078), breast_cancer (569, pool 341), wine (178, pool
106) and iris (150, pool 90). Their strategies are binary, so the classes
are split in two halves by label order: digits 0-4 against 5-9, wine
classes 0-1 against 2, iris setosa and versicolor against virginica.

Each experiment runs round by round and keeps its state in ``--state``
(``_resumable.whole_pool``, the rounds of ``run_experiment``): stopped
and started again, the script goes on where it stopped, and the seconds it
prints are the rounds' own, summed over the sittings. EER's exact refits
dominate (about 10^6 ``SVC(probability=True)`` fits on digits): it runs
last within each data set, and ``--eer-jobs`` refits its candidates on
that many processes (its picks do not depend on it). One thread per
process. The table (AUBC and seconds per experiment, ``...`` for a run
not finished) is printed at the end; ``--no-run`` only prints it, and
``--summary CSV`` writes it as the CSV file the user guide includes
(``--no-run --state benchmarks/results/bundled --summary
doc/user_guide/lu2023_bundled.csv``).
"""

import argparse
import csv
import json
import os
from pathlib import Path

import numpy as np
from _lu2023 import one_thread, task_model
from _resumable import whole_pool
from bench_lu2023 import samplers
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine

from skactive.experiment import aubc, get_protocol

LOADERS = {"iris": load_iris, "wine": load_wine, "breast_cancer": load_breast_cancer,
           "digits": load_digits}
SEED = 0


def binary_problem(name):
    """A bundled set with its classes split in two halves by label order."""
    X, y = LOADERS[name](return_X_y=True)
    n_classes = np.unique(y).shape[0]
    return X, (y >= (n_classes + 1) // 2).astype(int)


def experiment(dataset, name, folder, eer_jobs):
    """Run (or resume) one strategy on one data set: AUBC and its run."""
    X, y = binary_problem(dataset)
    X_pool, X_test, y_pool, y_test = get_protocol("lu2023").split(X, y, SEED)
    sampler = samplers(SEED)[name]
    if name == "EER":
        sampler.set_params(n_jobs=eer_jobs)
    with one_thread():
        return whole_pool(name, sampler, task_model(), X_pool, y_pool, X_test,
                          y_test, random_state=SEED,
                          state=Path(folder) / f"{dataset}-{name}.json",
                          log=lambda line: print(f"  {dataset} {line}", flush=True))


def saved(folder, dataset, name):
    """The saved run of a strategy on a data set, or None."""
    path = Path(folder) / f"{dataset}-{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def cells(run):
    """``(AUBC, seconds)`` of a saved run as printed; a run not finished
    says how far it is, with no time."""
    if run is None:
        return "", ""
    if run["n_labeled"] and run["n_labeled"][-1] == run["final"]:
        return f"{aubc(run['n_labeled'], run['scores']):.4f}", f"{run['seconds']:.1f}"
    labels = run["n_labeled"][-1] if run["n_labeled"] else 0
    return f"... {labels}/{run['final']} labels", ""


def table(folder, datasets, names):
    """AUBC and seconds of every saved run; ``...`` for one not finished."""
    print(f"{'strategy':<10}" + "".join(f"{d:>24}" for d in datasets))
    for name in names:
        row = []
        for dataset in datasets:
            area, seconds = cells(saved(folder, dataset, name))
            row.append(f"{area} {seconds:>9} s" if seconds else area)
        print(f"{name:<10}" + "".join(f"{cell:>24}" for cell in row), flush=True)


def write_summary(path, folder, datasets, names):
    """The table as CSV (an AUBC and a seconds column per data set),
    written to a temporary file then moved in place."""
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["strategy"] + [f"{dataset} {column}" for dataset in datasets
                                        for column in ("AUBC", "s")])
        for name in names:
            writer.writerow([name] + [cell for dataset in datasets
                                      for cell in cells(saved(folder, dataset, name))])
    os.replace(temporary, path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--state", default="bench_bundled_state",
                        help="folder of the resumable runs")
    parser.add_argument("--datasets", default=",".join(LOADERS))
    parser.add_argument("--strategies", default=None,
                        help="comma-separated names of Lu et al. (default: all)")
    parser.add_argument("--eer-jobs", type=int, default=1)
    parser.add_argument("--no-run", action="store_true",
                        help="print the table of the saved runs only")
    parser.add_argument("--summary", default=None,
                        help="also write the table to this CSV file")
    args = parser.parse_args(argv)
    known = list(samplers(SEED))
    names = args.strategies.split(",") if args.strategies else known
    unknown = [n for n in names if n not in known]
    if unknown:
        parser.error(f"unknown strategies {unknown}: choose among {known}")
    names = [n for n in names if n != "EER"] + (["EER"] if "EER" in names else [])
    datasets = args.datasets.split(",")
    if not args.no_run:
        for dataset in datasets:
            for name in names:
                area, run = experiment(dataset, name, args.state, args.eer_jobs)
                print(f"{dataset:<14} {name:<10} AUBC {area:.4f} "
                      f"{run['seconds']:9.1f} s", flush=True)
    table(args.state, datasets, names)
    if args.summary:
        write_summary(args.summary, args.state, datasets, names)


if __name__ == "__main__":
    main()

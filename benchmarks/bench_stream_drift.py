"""Stream-based active learning on a drifting stream: prequential accuracy of
each strategy against random at the same budget and against labeling
everything (issue 27's evidence).

Run: ``python benchmarks/bench_stream_drift.py [--samples N] [--repeats R]
[--n-jobs J] [--stream sea|hyperplane] [--batch-size B]`` (mini-batches
of 1,000 by default).

The stream is SEA concepts (Street & Kim, 2001;
:func:`skactive.experiment.make_sea_stream`): 100,000 samples by default,
the threshold switching 8, 9, 7, 9.5 at every quarter (three abrupt
drifts), 10 % label noise; or the rotating hyperplane (Hulten et al., 2001)
with a continuous rotation and two abrupt drifts. Each repeat draws its own
stream. The model is ``SGDClassifier(loss="log_loss")`` learning with
``partial_fit``; the first 100 samples are labeled to start it; the
evaluation is prequential (:func:`skactive.experiment.run_stream_experiment`:
each mini-batch is predicted before its labels are requested). Strategies of
:class:`skactive.StreamSampler` at budgets 5 % and 10 %, window 100, and
``everything`` (``strategy="random", budget=1``).

The table: prequential accuracy over the whole stream, mean ± std over
repeats; the paired difference (same stream) to random at the same budget
and to labeling everything, mean ± std; the fraction of the stream labeled.
"""

import argparse
import time
from functools import partial

import numpy as np
from sklearn.linear_model import SGDClassifier

from skactive import StreamSampler
from skactive.experiment import (
    make_hyperplane_stream,
    make_sea_stream,
    run_stream_experiment,
)

STRATEGIES = ("random", "fixed_uncertainty", "variable_uncertainty",
              "randomized_variable_uncertainty", "split")
BUDGETS = (0.05, 0.1)


def samplers(model):
    made = {f"{strategy} @{budget:.0%}": StreamSampler(
        model, strategy=strategy, budget=budget)
        for budget in BUDGETS for strategy in STRATEGIES}
    made["everything"] = StreamSampler(model, strategy="random", budget=1.0)
    return made


def table(result):
    final = {s: result.curves(s)[1][:, -1] for s in result.strategies}
    seen = result.curves("everything")[0][-1]
    lines = [f"{'strategy':<40} {'accuracy':>16} {'vs random':>17} "
             f"{'vs everything':>17} {'labeled':>8}"]
    for name in result.strategies:
        acc = final[name]
        budget = name.rpartition("@")[2]
        random_ = final.get(f"random @{budget}", acc)
        labeled = result.curves(name, "n_labeled")[1][:, -1].mean() / seen
        lines.append(f"{name:<40} {_pm(acc):>16} {_pm(acc - random_, '+'):>17} "
                     f"{_pm(acc - final['everything'], '+'):>17} {labeled:>8.2%}")
    return "\n".join(lines)


def _pm(values, sign=""):
    std = values.std(ddof=1) if values.size > 1 else 0.0
    return f"{values.mean():{sign}.4f} ± {std:.4f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--stream", choices=("sea", "hyperplane"), default="sea")
    args = parser.parse_args()
    if args.stream == "sea":
        stream = partial(make_sea_stream, args.samples, batch_size=args.batch_size)
    else:
        stream = partial(make_hyperplane_stream, args.samples,
                         batch_size=args.batch_size, n_drifts=2)
    model = SGDClassifier(loss="log_loss", random_state=0)
    start = time.perf_counter()
    result = run_stream_experiment(model, samplers(model), stream,
                                   n_repeats=args.repeats, n_jobs=args.n_jobs)
    elapsed = time.perf_counter() - start
    print(f"{args.stream}: {args.samples} samples in mini-batches of "
          f"{args.batch_size}, {args.repeats} repeats, SGDClassifier(log_loss) "
          f"partial_fit; prequential accuracy, mean ± std over repeats "
          f"({elapsed:.0f} s, n_jobs={args.n_jobs})")
    print(table(result))
    windows = {s: result.curves(s, "window_score")[1].mean(axis=0)
               for s in result.strategies}
    seen = result.curves("everything")[0]
    drifts = [args.samples * k // 4 for k in (1, 2, 3)] if args.stream == "sea" \
        else [args.samples * k // 3 for k in (1, 2)]
    print("\nmean accuracy over the 5,000 samples after each drift:")
    for name in result.strategies:
        after = [windows[name][(seen > d) & (seen <= d + 5000)].mean()
                 for d in drifts]
        print(f"{name:<40} " + "  ".join(f"{a:.4f}" for a in after)
              + f"  mean {np.mean(after):.4f}")


if __name__ == "__main__":
    main()

"""
==========================================================
The strategies of Lu, Li & Lin's re-benchmark, on Wdbc
==========================================================

Lu, Li & Lin (2023) compare 17 pool-based strategies and uniform sampling
under one protocol: an RBF support vector machine as the task model,
standardised features, 40 % of the data as a test set redrawn per seed,
20 random initial labels, one label per round until the pool is labeled,
and the area under the accuracy curve (AUBC). Every one of their
strategies is a sampler of skactive; :func:`skactive.experiment.get_protocol`
gives the protocol's split and task model.

This example runs a few of them for the first rounds of one seed, then
shows the 20-seed result of all of them on the whole pool, measured by
``benchmarks/bench_lu2023.py`` and stored beside the user guide, next to
the published numbers.
"""

import csv
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer

from skactive import (
    DensitySampler,
    HierarchicalSampler,
    HintSVMSampler,
    QUIRESampler,
    RandomSampler,
    UncertaintySampler,
)
from skactive.experiment import get_protocol, run_experiment

# %%
# The protocol's first rounds
# ---------------------------
# One seed of the protocol on scikit-learn's breast-cancer data (their
# *Wdbc*), with Lu et al.'s settings, for the first 60 labels: uniform
# sampling, margin sampling with the task model (US-C), QUIRE, HintSVM,
# graph density and hierarchical sampling.

protocol = get_protocol("lu2023")
X, y = load_breast_cancer(return_X_y=True)
X_pool, X_test, y_pool, y_test = protocol.split(X, y, 0)
samplers = {
    "Uniform": RandomSampler(random_state=0),
    "US-C": UncertaintySampler(protocol.estimator(), strategy="margin"),
    "QUIRE": QUIRESampler(random_state=0),
    "HintSVM": HintSVMSampler(Cl=1.0, Ch=1.0, kernel="rbf", gamma=0.1,
                              random_state=0),
    "Graph": DensitySampler(strategy="graph_density", random_state=0),
    "Hier": HierarchicalSampler(random_state=0),
}
result = run_experiment(protocol.estimator(), samplers, X_pool, y_pool,
                        X_test=X_test, y_test=y_test, initial_size=20,
                        batch_size=1, budget=60, n_repeats=1, random_state=0)
for name, area in result.aubc().items():
    print(f"{name:<8} AUBC over the first 60 labels: {area[0]:.4f}")
fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
result.plot(ax=ax, score_name="accuracy")
ax.set_title("Wdbc, one seed, the first 40 queries")
plt.show()

# %%
# Twenty seeds on the whole pool
# ------------------------------
# ``python benchmarks/bench_lu2023.py --seeds 20 --summary
# doc/user_guide/lu2023_wdbc.csv`` runs every strategy on the whole pool
# (321 queries per seed) and writes the table that this example reads:
# our mean AUBC and standard deviation over the seeds, and the published
# ones. A strategy whose mean lies inside the published band (one standard
# deviation) reproduces the published result; the band is wide because
# each seed redraws the test set.

try:
    examples = Path(__file__).resolve().parent
except NameError:  # sphinx-gallery runs each example from its own folder
    examples = Path.cwd()
table = examples.parent / "doc" / "user_guide" / "lu2023_wdbc.csv"
with open(table, newline="", encoding="utf-8") as file:
    rows = [row for row in csv.DictReader(file) if row["AUBC mean"]]
rows.sort(key=lambda row: float(row["published mean"]))
names = [row["strategy"] if row["seeds"] == "20" else
         f"{row['strategy']} ({row['seeds']} seed{'s' if row['seeds'] != '1' else ''})"
         for row in rows]
# (a strategy run with a single seed has no standard deviation: no error bar)
ours = np.array([[float(row["AUBC mean"]), float(row["AUBC std"] or 0)]
                 for row in rows])
theirs = np.array([[float(row["published mean"]), float(row["published std"])]
                   for row in rows])
print(f"{'strategy':<9} {'ours':>17} {'published':>17} within  seeds")
for row in rows:
    print(f"{row['strategy']:<9} {row['AUBC mean']} ± {row['AUBC std']}   "
          f"{row['published mean']} ± {row['published std']}   "
          f"{row['within one std']:>4}  {row['seeds']:>5}")

fig, ax = plt.subplots(figsize=(6, 0.35 * len(rows) + 1), layout="constrained")
position = np.arange(len(rows))
ax.errorbar(theirs[:, 0], position + 0.15, xerr=theirs[:, 1], fmt="s", color="0.6",
            capsize=2, label="published (Lu et al.), mean ± std")
ax.errorbar(ours[:, 0], position - 0.15, xerr=ours[:, 1], fmt="o", color="C0",
            capsize=2, label="skactive, mean ± std")
ax.set_yticks(position, names)
ax.set_xlabel("AUBC (area under the accuracy curve)")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize="small")
plt.show()

# %%
# Every mean within one published standard deviation of Lu et al.'s is a
# reproduction; the user guide's page "The strategies of Lu, Li & Lin's
# re-benchmark" prints the same table with the time of one experiment next
# to the published time, and says where and why the implementations differ
# (libact's HintSVM queries the farthest sample, skactive the closest, as
# the paper does).

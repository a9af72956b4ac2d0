"""
=====================================================
Benchmark over data sets: ranks, tests and CD diagram
=====================================================

One protocol over scikit-learn's four bundled classification sets (iris,
wine, breast cancer, digits): margin and entropy sampling, the core-set,
weighted k-means and random, 10 repeats of 10 rounds of 10 labels. Per data
set, each strategy is compared with random by the Wilcoxon signed-rank test
over the repeats (Holm-adjusted); across data sets, Friedman's test on the
mean ranks and the Nemenyi critical difference (Demšar, 2006), drawn as the
critical-difference diagram. ``bench.write_report(folder)`` writes all of
it as one HTML file.
"""

import matplotlib.pyplot as plt
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skactive import DiversitySampler, HybridSampler, RandomSampler, UncertaintySampler
from skactive.experiment import plot_critical_difference, run_benchmark

model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
samplers = {
    "margin": UncertaintySampler(model),
    "entropy": UncertaintySampler(model, strategy="entropy"),
    "core-set": DiversitySampler(StandardScaler(), strategy="coreset"),
    "weighted k-means": HybridSampler(UncertaintySampler(model),
                                      DiversitySampler(StandardScaler())),
    "random": RandomSampler(),
}
bench = run_benchmark(model, samplers, ["iris", "wine", "breast_cancer", "digits"],
                      batch_size=10, n_rounds=10, n_repeats=10, random_state=0,
                      n_jobs=-1)

print("AUBC, mean over 10 repeats")
for dataset, row in bench.aubc_table().items():
    print(f"  {dataset:<14}" + "".join(f"{s} {m:.4f}  " for s, (m, _) in row.items()))
totals = bench.win_tie_loss()["totals"]
print("against random, win/tie/loss:",
      ", ".join(f"{s} {w}/{t}/{lo}" for s, (w, t, lo) in totals.items()))
ranks = bench.ranks()
statistic, p_value = ranks["friedman"]
print("mean ranks:", {s: round(r, 2) for s, r in ranks["mean_ranks"].items()})
print(f"Friedman chi² = {statistic:.2f}, p = {p_value:.4f}; "
      f"Nemenyi CD = {ranks['critical_difference']:.2f}")

# %%
# The critical-difference diagram: strategies joined by a bar do not differ
# significantly. It follows a rejection of Friedman's test only (Demšar,
# 2006), as in the report that ``bench.write_report(folder)`` writes.

if p_value < 0.05:
    ax = plot_critical_difference(ranks["mean_ranks"], ranks["critical_difference"])
    plt.show()
else:
    print("Friedman's test does not reject: no critical-difference diagram")

# %%
# What is and isn't significant
# -----------------------------
# Friedman's test rejects that the five strategies rank alike (its p-value,
# printed above, is below 0.05), but with four data sets the Nemenyi
# critical difference is large (three ranks for five strategies): even the
# gap between weighted k-means (the best mean rank) and random stays just
# below it, so no pair differs significantly. Per data set, against
# random, most comparisons are ties after Holm's correction: ten repeats
# are few for a paired test. More data sets shrink the critical difference
# as one over the square root of their number; that is what
# ``run_benchmark`` with ``load_datasets(data_dir=..., openml=...)`` is for.

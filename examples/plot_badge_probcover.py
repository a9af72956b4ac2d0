"""
=====================================================
BADGE batches and ProbCover cold starts, side by side
=====================================================

Two strategies of issue 26, on scikit-learn's own data sets and a small
budget of repeats (the full evidence, with ten repeats, is printed by
``benchmarks/bench_badge_probcover.py`` and tabled in the user guide).

1. Cold start: no label yet. The digits are embedded by PCA fitted on the
   pool; ProbCover, TypiClust, k-means diversity and random picks choose the
   first labels, and a logistic regression trained on them is scored on a
   test split.
2. Batches: a scaled logistic regression labels the breast cancer data in
   batches of 20, chosen by BADGE, margin sampling, weighted k-means or at
   random.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skactive import (
    BadgeSampler,
    DiversitySampler,
    HybridSampler,
    RandomSampler,
    UncertaintySampler,
)
from skactive.experiment import run_experiment

# %%
# Cold start on the digits
# ------------------------
# Each repeat draws a new split; the samplers are fitted on no sample (the
# cold start), except the random one, which learns nothing and is fitted on
# the pool.

X, y = load_digits(return_X_y=True)
budgets = [10, 20, 40]
names = ["probcover", "typiclust", "kmeans", "random"]
accuracy = {name: np.zeros((3, len(budgets))) for name in names}
for seed in range(3):
    X_pool, X_test, y_pool, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=seed)
    pca = PCA(n_components=20, random_state=seed).fit(X_pool)
    E_pool, E_test = pca.transform(X_pool), pca.transform(X_test)
    for j, budget in enumerate(budgets):
        samplers = {
            "probcover": DiversitySampler(strategy="probcover", n_clusters=10,
                                          random_state=seed),
            "typiclust": DiversitySampler(strategy="typiclust", random_state=seed),
            "kmeans": DiversitySampler(n_clusters=budget, random_state=seed),
            "random": RandomSampler(random_state=seed),
        }
        for name, sampler in samplers.items():
            labeled = E_pool if name == "random" else E_pool[:0]
            picks = sampler.fit(labeled).select(E_pool, budget)
            model = LogisticRegression(max_iter=2000).fit(E_pool[picks],
                                                          y_pool[picks])
            accuracy[name][seed, j] = model.score(E_test, y_test)

fig, ax = plt.subplots()
for name in names:
    ax.errorbar(budgets, accuracy[name].mean(axis=0), yerr=accuracy[name].std(axis=0),
                marker="o", capsize=3, label=name)
ax.set_xlabel("labels")
ax.set_ylabel("test accuracy")
ax.set_title("Cold start on the digits (PCA embedding)")
ax.legend()

for name in names:
    print(f"{name:<10}", " ".join(f"{a:.3f}" for a in accuracy[name].mean(axis=0)))

# %%
# Every strategy that looks at the embeddings beats random picks at these
# budgets. On this PCA of pixels, ProbCover's purity radius gives small
# balls, so its first picks cover less of the pool than TypiClust's and
# k-means' picks, which take one typical sample per cluster: the paper's
# order (ProbCover first at the lowest budgets) comes with self-supervised
# embeddings, whose classes form denser regions, or here with a lower
# ``purity``, which makes the balls larger (see the user guide's table).
#
# Batches of 20 on the breast cancer data
# ---------------------------------------

X, y = load_breast_cancer(return_X_y=True)
estimator = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
result = run_experiment(
    estimator,
    {"badge": BadgeSampler(estimator),
     "margin": UncertaintySampler(estimator, strategy="margin"),
     "weighted_kmeans": HybridSampler(UncertaintySampler(estimator),
                                      strategy="weighted_kmeans"),
     "random": RandomSampler()},
    X, y, batch_size=20, n_rounds=5, n_repeats=3, random_state=0,
)
print(result.summary())
result.plot()
plt.show()

# %%
# The curves are close: a linear model on this data set learns from almost
# any labels, and the three model-based strategies sit together above
# random. BADGE needs no parameter to balance uncertainty against
# diversity; weighted k-means needs its candidate factor ``beta``.

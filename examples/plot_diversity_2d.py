"""
==============================================
Which points do the diversity strategies pick?
==============================================

Five blobs of very different sizes in two dimensions, and five points already
labeled, all in the biggest blob. Random sampling spends most of its batch
where most of the data is. The k-means round-robin takes the point nearest
each cluster's centre, one cluster after another. The core-set picks each
point as far as possible from everything labeled or picked before: it
reaches the outskirts first, outliers included.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_blobs

from skactive import DiversitySampler, RandomSampler

X, blob = make_blobs(n_samples=[400, 150, 60, 30, 15],
                     centers=[[0, 0], [6, 0], [0, 6], [6, 6], [3, 10]],
                     cluster_std=[1.2, 0.8, 0.6, 0.5, 0.4], random_state=0)
labeled = np.flatnonzero(blob == 0)[:5]
pool = np.setdiff1d(np.arange(len(X)), labeled)
batch_size = 10

samplers = {
    "random": RandomSampler(random_state=0),
    "k-means round-robin (5 clusters)": DiversitySampler(n_clusters=5,
                                                         random_state=0),
    "core-set from the 5 labeled points": DiversitySampler(strategy="coreset",
                                                           random_state=0),
}
fig, axes = plt.subplots(1, 3, figsize=(13, 4.4), sharex=True, sharey=True)
for ax, (name, sampler) in zip(axes, samplers.items()):
    sampler.fit(X[labeled], blob[labeled])
    picked = pool[sampler.select(X[pool], batch_size=batch_size)]
    ax.scatter(*X.T, s=6, c="lightgray")
    ax.scatter(*X[labeled].T, s=40, marker="s", c="black", label="labeled")
    ax.scatter(*X[picked].T, s=60, c="C3", label="picked")
    for order, index in enumerate(picked, start=1):
        ax.annotate(str(order), X[index], xytext=(4, 4), textcoords="offset points",
                    fontsize=8)
    ax.set_title(name, fontsize=10)
    print(f"{name:<36} blobs reached by the first {batch_size}: "
          f"{np.unique(blob[picked]).size} of 5")
axes[0].legend(loc="lower right", fontsize="small")
fig.suptitle(f"The first {batch_size} picks, numbered in order")
fig.tight_layout()
plt.show()

"""
===============================================
Selecting from a pool in blocks: dask core-sets
===============================================

A pool held as a dask array is never gathered in one place: each block is
scored where it lives. For uncertainty sampling that changes nothing, since
each block's best ``k`` contain the pool's best ``k``. The core-set is
different: a pick depends on every pick before it. The *composable*
core-set (Indyk et al., 2014) runs the greedy on each block, then once more
on the union of the blocks' picks. Its covering radius (the distance from
the worst-covered sample to its nearest pick) is within 4 times the
optimum, against 2 for the greedy on the whole pool; in practice it is
close to the greedy's.

Here the pool is cut into four blocks. Without a ``distributed.Client``
dask's threads score the blocks in this process; with one, the same calls
run on the cluster's workers.
"""

import dask.array as da
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_blobs
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import pairwise_distances_argmin_min

from skactive import DiversitySampler, UncertaintySampler
from skactive.acquisition import k_center_greedy

X, y = make_blobs(n_samples=4000, centers=8, cluster_std=1.5, random_state=0)
pool = da.from_array(X, chunks=(1000, 2))  # four blocks of 1,000 samples
batch_size = 12

# %%
# Uncertainty sampling: the batch of the dask pool is the in-memory batch.
sampler = UncertaintySampler(LogisticRegression(max_iter=1000), random_state=0)
sampler.fit(X[:40], y[:40])
print("same batch as in memory:",
      np.array_equal(sampler.select(pool, batch_size), sampler.select(X, batch_size)))

# %%
# The core-set, from no labeled sample (a cold start), on the blocks and on
# the whole pool. Each block's own picks are what travels to the client.
coreset = DiversitySampler(strategy="coreset", random_state=0).fit(X[:0])
composed = coreset.select(pool, batch_size)
exact = coreset.select(X, batch_size)
block_picks = [1000 * b + k_center_greedy(X[1000 * b:1000 * (b + 1)], batch_size)
               for b in range(pool.numblocks[0])]


def covering_radius(picks):
    return pairwise_distances_argmin_min(X, X[picks])[1].max()


fig, axes = plt.subplots(1, 3, figsize=(13, 4.4), sharex=True, sharey=True)
block = np.repeat(np.arange(4), 1000)
axes[0].scatter(*X.T, s=4, c=block, cmap="Pastel1", vmax=8)
for b, picks in enumerate(block_picks):
    axes[0].scatter(*X[picks].T, s=30, color=plt.cm.Set1(b), edgecolor="black",
                    linewidth=0.5)
axes[0].set_title(f"each block's {batch_size} picks (on its worker)")
for ax, picks, name in ((axes[1], composed, "composed from the blocks' picks"),
                        (axes[2], exact, "greedy on the whole pool")):
    ax.scatter(*X.T, s=4, c="lightgray")
    ax.scatter(*X[picks].T, s=60, c="C3", edgecolor="black", linewidth=0.5)
    ax.set_title(f"{name}\ncovering radius {covering_radius(picks):.2f}")
fig.tight_layout()
plt.show()

# %%
# The two radii are of the same size, and either may be the smaller: the
# greedy on the whole pool is itself an approximation. The union of the
# blocks' picks holds points near every part of the pool, and the second
# greedy keeps the spread-out ones. Only ``batch_size`` samples per block
# reach the client.
print(f"composed / exact covering radius: "
      f"{covering_radius(composed) / covering_radius(exact):.2f}")

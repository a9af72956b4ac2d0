"""
=============================================
Diversity sampling without a model or a label
=============================================

Encord Active's second tutorial: rank unlabeled images by diversity alone. The
digits are embedded with PCA (no labels, no classifier), clustered with
k-means into 10 clusters, and picked one cluster at a time, the image
nearest each centroid first. The core-set strategy, from a cold start, picks
each image as far as possible from those picked before.

How many of the 10 digit classes do the first picks cover, compared with
picking at random?
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.frozen import FrozenEstimator

from skactive import DiversitySampler

X, y = load_digits(return_X_y=True)
images = X.reshape(-1, 8, 8)
pca = PCA(n_components=16, random_state=0)

# k-means needs no reference set: fitting on the pool only fits the PCA.
kmeans = DiversitySampler(pca, n_clusters=10, random_state=0).fit(X)
# The core-set from a cold start: no labeled image yet (fit on zero rows),
# with the PCA fitted on the pool beforehand and frozen.
coreset = DiversitySampler(
    FrozenEstimator(PCA(n_components=16, random_state=0).fit(X)),
    strategy="coreset", random_state=0,
).fit(X[:0])

picks = {
    "k-means round-robin": kmeans.select(X, batch_size=20),
    "core-set (cold start)": coreset.select(X, batch_size=20),
}

rng = np.random.RandomState(0)
random_coverage = {
    n: np.mean([np.unique(y[rng.choice(len(y), n, replace=False)]).size
                for _ in range(2000)])
    for n in (10, 20)
}
print(f"{'strategy':<24} {'classes in first 10':>20} {'in first 20':>12}")
for name, order in picks.items():
    print(f"{name:<24} {np.unique(y[order[:10]]).size:>20} "
          f"{np.unique(y[order[:20]]).size:>12}")
print(f"{'random (mean of 2000)':<24} {random_coverage[10]:>20.1f} "
      f"{random_coverage[20]:>12.1f}")

fig, axes = plt.subplots(2, 10, figsize=(10, 2.6))
for row, order in zip(axes, picks.values()):
    for ax, index in zip(row, order[:10]):
        ax.imshow(images[index], cmap="gray_r")
        ax.set_title(str(y[index]), fontsize=9)
        ax.set_axis_off()
fig.suptitle("The first ten picks of each strategy (true digit above each image)")
fig.subplots_adjust(left=0.22)
for row, name in zip(axes, picks):
    box = row[0].get_position()
    fig.text(0.01, (box.y0 + box.y1) / 2, name, fontsize=10, va="center")
plt.show()

"""
======================================================
Overconfident probabilities and CalibratedClassifierCV
======================================================

Encord Active's documentation warns that model probabilities are often
overconfident. Naive Bayes is the classic case: on the digits, most of its
predictions have a top probability of almost exactly 1, so least confidence
and entropy see almost no uncertainty to rank by, and ties and rounding
decide the batch.
:class:`~sklearn.calibration.CalibratedClassifierCV` learns a mapping from
the model's outputs to calibrated probabilities; this example shows how it
changes the scores and the batch that is selected.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB

from skactive import UncertaintySampler

X, y = load_digits(return_X_y=True)
X_labeled, X_pool, y_labeled, y_pool = train_test_split(
    X, y, train_size=300, stratify=y, random_state=0
)

raw = UncertaintySampler(GaussianNB(), strategy="least_confidence", random_state=0)
calibrated = UncertaintySampler(
    CalibratedClassifierCV(GaussianNB(), method="sigmoid", cv=3),
    strategy="least_confidence", random_state=0,
)
scores, batches, errors = {}, {}, {}
for name, sampler in (("GaussianNB", raw), ("calibrated", calibrated)):
    sampler.fit(X_labeled, y_labeled)
    scores[name] = sampler.score(X_pool)
    batches[name] = sampler.select(X_pool, batch_size=30)
    predicted = sampler.estimator_.predict(X_pool[batches[name]])
    errors[name] = np.mean(predicted != y_pool[batches[name]])

# %%
# How much uncertainty is there to rank by?
for name, s in scores.items():
    print(f"{name:<11} least confidence < 1e-6 for {np.mean(s < 1e-6):6.1%} of the "
          f"pool; {np.unique(s).size} distinct scores")
shared = np.intersect1d(batches["GaussianNB"], batches["calibrated"]).size
print(f"the two batches of 30 share {shared} samples")
for name, error in errors.items():
    print(f"{name:<11} its model is wrong on {error:.0%} of the batch it selects")

# %%
# The scores of the pool, before and after calibration. The raw model puts
# most of the pool at zero uncertainty; after calibration the scores spread
# out and the batch goes to the samples the model really gets wrong.
fig, axes = plt.subplots(1, 2, figsize=(9, 3.2), sharey=True)
for ax, (name, s) in zip(axes, scores.items()):
    ax.hist(s, bins=40, color="C0" if name == "GaussianNB" else "C1")
    ax.set_yscale("log")
    ax.set_title(name)
    ax.set_xlabel("least confidence (1 - max p)")
axes[0].set_ylabel("pool samples (log scale)")
fig.tight_layout()
plt.show()

"""
=============================================
Multilabel targets and costs that differ
=============================================

Two settings beyond one-label classification, on scikit-learn's digits.

**Multilabel.** Each image gets three labels at once: *even*, *greater than
4* and *prime*. A ``OneVsRestClassifier`` gives the probability of each
label; the multilabel strategies score them: per-label margin averaged over
the labels or at the most uncertain label (BinMin), max loss and mean max
loss, and MMC, which also predicts how many labels an image has. The score
is micro-F1 (``run_experiment``'s default for a multilabel target).

**Costs.** Confusing 3 with 8, 4 with 9, 1 with 7 or 5 with 6 costs 20;
any other mistake costs 1. The expected-cost strategy ranks by the cost of
the model's best decision, :math:`\\min_j \\sum_i p_i C_{ij}`; the score is
minus the mean cost of the model's Bayes decisions on the test set.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits, make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skactive import RandomSampler, UncertaintySampler
from skactive.experiment import run_experiment

X, digit = load_digits(return_X_y=True)
Y = np.column_stack([digit % 2 == 0, digit > 4, np.isin(digit, [2, 3, 5, 7])])
Y = Y.astype(int)

model = make_pipeline(StandardScaler(),
                      OneVsRestClassifier(LogisticRegression(max_iter=1000)))
samplers = {
    "random": RandomSampler(),
    "margin (mean)": UncertaintySampler(model, strategy="margin"),
    "BinMin": UncertaintySampler(model, strategy="margin", aggregation="max"),
    "max loss": UncertaintySampler(model, strategy="max_loss"),
    "mean max loss": UncertaintySampler(model, strategy="mean_max_loss"),
    "MMC": UncertaintySampler(model, strategy="mmc"),
}
multilabel = run_experiment(model, samplers, X, Y, batch_size=10, n_rounds=10,
                            n_repeats=10, random_state=0, n_jobs=-1)
print("digits as three labels (even, > 4, prime), micro-F1, 10 repeats")
print(multilabel.summary())

# %%
# Costs: a cost matrix, and the score that pays it.

C = 1 - np.eye(10)
for a, b in [(3, 8), (4, 9), (1, 7), (5, 6)]:
    C[a, b] = C[b, a] = 20


def negative_cost(cost_matrix):
    """A scorer: minus the mean cost of the Bayes decisions on (X, y)."""
    def score(estimator, X, y):
        decisions = np.argmin(estimator.predict_proba(X) @ cost_matrix, axis=1)
        return -cost_matrix[np.searchsorted(estimator.classes_, y), decisions].mean()
    return score


classifier = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
costs = run_experiment(
    classifier,
    {"random": RandomSampler(),
     "least confidence": UncertaintySampler(classifier, strategy="least_confidence"),
     "expected cost": UncertaintySampler(classifier, strategy="expected_cost",
                                         cost_matrix=C)},
    X, digit, batch_size=20, n_rounds=10, n_repeats=10, scoring=negative_cost(C),
    random_state=0, n_jobs=-1)
print("\ndigits with dear confusions, minus the mean test cost, 10 repeats")
print(costs.summary())

# %%
# Asymmetric costs on an imbalanced, noisy problem: missing the rare class
# costs 20, a false alarm 1. The Bayes decision then flips near
# :math:`p_1 = 1/21`, far from the :math:`p_1 = 1/2` that least confidence
# labels around.

X_rare, y_rare = make_classification(
    n_samples=2000, n_features=10, n_informative=4, flip_y=0.03,
    weights=[0.8, 0.2], class_sep=0.8, random_state=0)
C_rare = np.array([[0, 1], [20, 0.0]])


rare = run_experiment(
    classifier,
    {"random": RandomSampler(),
     "least confidence": UncertaintySampler(classifier, strategy="least_confidence"),
     "expected cost": UncertaintySampler(classifier, strategy="expected_cost",
                                         cost_matrix=C_rare)},
    X_rare, y_rare, batch_size=10, n_rounds=15, n_repeats=10,
    scoring=negative_cost(C_rare), random_state=0, n_jobs=-1)
print("\nrare class, missing it costs 20, minus the mean test cost, 10 repeats")
print(rare.summary())

# %%
# The learning curves.

fig, (left, middle, right) = plt.subplots(1, 3, figsize=(15, 4.2))
multilabel.plot(ax=left, score_name="test micro-F1", reference="random")
left.set_title("three labels per digit")
costs.plot(ax=middle, score_name="minus the mean test cost", reference="random")
middle.set_title("digits, dear confusions")
rare.plot(ax=right, score_name="minus the mean test cost", reference="random")
right.set_title("rare class, missing it costs 20")
fig.tight_layout()
plt.show()

# %%
# Reading the numbers
# -------------------
# On the three digit labels only BinMin (the smallest margin over the
# labels) beats random over the budget (the AUBC printed above); the
# averaged margin, the losses and MMC fall behind it. With three labels that
# are far from independent (a prime above 4 is odd), the most uncertain
# label carries the information, and averaging dilutes it; max loss and MMC
# lean on the predicted label set, which the first models get wrong. With
# costs on the digits, the expected-cost strategy does *not* lower the cost
# of the learning curve against least confidence: it spends its labels on
# the images where a dear confusion is plausible (a 3 that might be an 8),
# the hardest to learn, while least confidence improves the model
# everywhere, the dear pairs included. On the rare-class problem it does: the
# decision that matters flips near :math:`p_1 = 1/21`, and least confidence
# keeps labeling around :math:`p_1 = 1/2`, where no decision changes: its
# AUBC is far below expected cost's; random sampling, which labels the rare
# class as often as it occurs, lies in between, closer to expected cost.

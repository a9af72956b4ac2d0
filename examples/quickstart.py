"""
===========================================
Active learning on digits: margin vs random
===========================================

Encord Active's first tutorial in a few lines: start from 20 labeled digits, and
at each round label 20 more, chosen either by margin uncertainty sampling or
at random. The accuracy on a held-out test set is printed after every round.
"""

import numpy as np
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from skactive import RandomSampler, UncertaintySampler

X, y = load_digits(return_X_y=True)
X = X / 16.0
X_pool, X_test, y_pool, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)

# The same 20 initial labels (two per digit) for both strategies.
rng = np.random.RandomState(0)
initial = np.concatenate(
    [rng.choice(np.flatnonzero(y_pool == c), 2, replace=False) for c in range(10)]
)

model = LogisticRegression(max_iter=1000)
samplers = {
    "margin": UncertaintySampler(model, strategy="margin", random_state=0),
    "random": RandomSampler(random_state=0),
}
n_rounds, batch_size = 10, 20
accuracy = {name: [] for name in samplers}
n_labeled = []

for name, sampler in samplers.items():
    labeled = np.zeros(len(y_pool), dtype=bool)
    labeled[initial] = True
    for round_ in range(n_rounds + 1):
        clf = clone(model).fit(X_pool[labeled], y_pool[labeled])
        accuracy[name].append(clf.score(X_test, y_test))
        if name == "margin":
            n_labeled.append(int(labeled.sum()))
        if round_ == n_rounds:
            break
        pool = np.flatnonzero(~labeled)
        sampler.fit(X_pool[labeled], y_pool[labeled])
        picked = sampler.select(X_pool[pool], batch_size=batch_size)
        labeled[pool[picked]] = True

print(f"{'labels':>6}  {'margin':>7}  {'random':>7}")
for i, n in enumerate(n_labeled):
    print(f"{n:>6}  {accuracy['margin'][i]:>7.3f}  {accuracy['random'][i]:>7.3f}")
print(
    f"mean accuracy over the rounds: margin {np.mean(accuracy['margin']):.3f}, "
    f"random {np.mean(accuracy['random']):.3f}"
)

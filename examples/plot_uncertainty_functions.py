"""
===================================
The uncertainty functions, compared
===================================

Each uncertainty function turns a row of predicted class probabilities into
one number. This example draws them for a binary problem, where they all
rank samples the same way, and on the triangle of three-class probability
vectors, where they disagree; then it works through three rows by hand.

The functions in :mod:`skactive.acquisition` return the formula as it is
(for ``margin`` and ``probability_variance`` lower means more uncertain);
:class:`~skactive.UncertaintySampler` negates those two so that its score
always reads *higher = label first*.
"""

import matplotlib.pyplot as plt
import numpy as np

from skactive.acquisition import (
    entropy,
    least_confidence,
    margin,
    probability_variance,
    ratio,
)

FUNCTIONS = {
    "entropy": entropy,
    "least_confidence": least_confidence,
    "margin": margin,
    "ratio": ratio,
    "probability_variance": probability_variance,
}

# %%
# Two classes
# -----------
# For ``p = P(class 1)``, every function is a function of ``|p - 1/2|``:
# they differ in shape, not in the order they give to samples.
p = np.linspace(0, 1, 201)
P = np.column_stack([1 - p, p])
fig, ax = plt.subplots(figsize=(6, 3.5))
for name, function in FUNCTIONS.items():
    ax.plot(p, function(P), label=name)
ax.set_xlabel("predicted probability of class 1")
ax.set_ylabel("value of the formula")
ax.legend(fontsize="small")
ax.set_title("Binary problem: all peak (or dip) at p = 1/2")
fig.tight_layout()

# %%
# Three classes
# -------------
# On the triangle of probability vectors ``(p1, p2, p3)`` the functions
# differ: least confidence and margin care about the top one or two
# classes, entropy and probability variance about all three. Colours show the sampler's
# score (higher = picked first), so every panel is darkest where it picks
# first.
n = 120
a, b = np.meshgrid(np.linspace(0, 1, n), np.linspace(0, 1, n))
inside = a + b <= 1
P3 = np.column_stack([a[inside], b[inside], 1 - a[inside] - b[inside]])
P3 = np.clip(P3, 0, 1)
P3 /= P3.sum(axis=1, keepdims=True)
x = P3[:, 1] + P3[:, 2] / 2  # triangle coordinates
y = P3[:, 2] * np.sqrt(3) / 2
sign = {"margin": -1, "probability_variance": -1}
fig, axes = plt.subplots(1, 5, figsize=(13, 3))
for ax, (name, function) in zip(axes, FUNCTIONS.items()):
    score = sign.get(name, 1) * function(P3)
    ax.tricontourf(x, y, score, levels=20, cmap="viridis_r")
    ax.set_title(name)
    ax.set_aspect("equal")
    ax.set_axis_off()
fig.suptitle("Sampler score on three classes (dark = picked first; corners = "
             "certain)")
fig.tight_layout()

# %%
# Worked example
# --------------
# Three samples, three classes. Row 0 hesitates between two classes, row 1
# spreads its probability over all three, row 2 is confident. Margin and
# ratio (top two classes only) pick row 0; entropy, least confidence and
# probability variance pick row 1.
P_example = np.array([[0.5, 0.5, 0.0], [0.4, 0.3, 0.3], [0.9, 0.05, 0.05]])
print("rows:", P_example.tolist())
print(f"{'function':<22}{'row 0':>8}{'row 1':>8}{'row 2':>8}  picked first")
for name, function in FUNCTIONS.items():
    values = function(P_example)
    first = np.argmax(sign.get(name, 1) * values)
    print(f"{name:<22}" + "".join(f"{v:>8.3f}" for v in values) + f"  row {first}")
plt.show()

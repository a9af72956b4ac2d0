"""
==================================================
Learning curves: uncertainty, diversity and random
==================================================

An active-learning experiment as in Encord Active's MNIST tutorial, on
scikit-learn's digits: start from 20 labeled images, label 20 more per
round for 10 rounds, and compare margin and entropy sampling, the core-set
and random sampling over 5 repeats. Every strategy of a repeat starts from
the same split and the same initial labels. The area under each learning
curve (AUBC) sums a curve up in one number.
"""

import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skactive import DiversitySampler, RandomSampler, UncertaintySampler
from skactive.experiment import run_experiment

X, y = load_digits(return_X_y=True)
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
samplers = {
    "margin": UncertaintySampler(model, strategy="margin"),
    "entropy": UncertaintySampler(model, strategy="entropy"),
    "core-set": DiversitySampler(StandardScaler(), strategy="coreset"),
    "random": RandomSampler(),
}
result = run_experiment(model, samplers, X, y, batch_size=20, n_rounds=10,
                        n_repeats=5, random_state=0, n_jobs=-1)
print(result.summary())

# %%
# Mean accuracy with a band of one standard deviation over the repeats.
display = result.plot(score_name="accuracy")
display.ax_.set_title("digits, logistic regression, 5 repeats")
plt.show()

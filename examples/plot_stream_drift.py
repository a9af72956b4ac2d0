"""
==========================================================
Stream-based active learning on a drifting stream
==========================================================

Samples arrive in mini-batches and each label is requested now or never,
within a budget. This example replays a SEA concepts stream (Street & Kim,
2001: the class boundary ``x0 + x1 = theta`` jumps at every quarter of the
stream) and compares the rules of Žliobaitė et al. (2014) with random
labeling at the same budget and with labeling everything. The evaluation is
prequential: each mini-batch is predicted before its labels are requested.
The full evidence (100,000 samples, two budgets, ten repeats) is
``benchmarks/bench_stream_drift.py``.
"""

from functools import partial

import matplotlib.pyplot as plt
from sklearn.linear_model import SGDClassifier

from skactive import StreamSampler
from skactive.experiment import make_sea_stream, run_stream_experiment

# %%
# A stream of 20,000 samples in mini-batches of 500, drifting abruptly at
# every quarter; each repeat draws a stream of its own.
n_samples = 20_000
stream = partial(make_sea_stream, n_samples, batch_size=500)

# %%
# The strategies learn with ``partial_fit``; ``everything`` requests every
# label (the random rule with a budget of 1), the reference.
model = SGDClassifier(loss="log_loss", random_state=0)
budget = 0.1
samplers = {name: StreamSampler(model, strategy=name, budget=budget)
            for name in ("fixed_uncertainty", "variable_uncertainty", "split",
                         "random")}
samplers["everything"] = StreamSampler(model, strategy="random", budget=1.0)
result = run_stream_experiment(model, samplers, stream, n_repeats=3, window=1000)
print(result.summary())

# %%
# The accuracy over the last 1,000 samples, against the samples seen: each
# drift makes it fall, and the curves show how fast each rule recovers. The
# labels spent grow at the budget's pace, except for fixed uncertainty,
# which stops asking once the model is confident.
fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 8), sharex=True,
                                layout="constrained")
result.plot(ax=top, column="window_score", reference="everything",
            score_name="accuracy, last 1,000 samples")
result.plot(ax=bottom, column="n_labeled", reference="everything",
            score_name="labels spent", std_display_style=None)
bottom.set_yscale("log")
for ax in (top, bottom):
    for quarter in (1, 2, 3):
        ax.axvline(quarter * n_samples // 4, color="grey", linestyle=":")
top.set_title(f"SEA concepts, budget {budget:.0%}")
plt.show()

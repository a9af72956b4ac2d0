"""The one registry of what the command line can run: strategies and models.

``--strategies``, its help text and the rule that drops strategies a model
cannot serve are all derived from :data:`STRATEGIES`.
"""

# SPDX-License-Identifier: BSD-3-Clause

from dataclasses import dataclass

from sklearn.base import clone

from .. import DiversitySampler, HybridSampler, RandomSampler, UncertaintySampler


@dataclass(frozen=True)
class Strategy:
    """How to build one strategy's sampler for the model under evaluation."""

    family: str  # "uncertainty", "diversity", "hybrid" or "random"
    needs_proba: bool  # needs predict_proba (else decision_function will do)
    in_demo: bool  # run by default

    def make(self, name, estimator, preprocessor):
        """The sampler; diversity compares samples after ``preprocessor``."""
        if self.family == "uncertainty":
            return UncertaintySampler(estimator, strategy=name)
        if self.family == "diversity":
            return DiversitySampler(clone(preprocessor), strategy=name)
        if self.family == "hybrid":
            return HybridSampler(UncertaintySampler(estimator, strategy="margin"),
                                 DiversitySampler(clone(preprocessor)), strategy=name)
        return RandomSampler()


STRATEGIES = {
    "entropy": Strategy("uncertainty", needs_proba=True, in_demo=True),
    "least_confidence": Strategy("uncertainty", needs_proba=False, in_demo=True),
    "margin": Strategy("uncertainty", needs_proba=False, in_demo=True),
    "ratio": Strategy("uncertainty", needs_proba=True, in_demo=True),
    "variance": Strategy("uncertainty", needs_proba=True, in_demo=True),
    "kmeans": Strategy("diversity", needs_proba=False, in_demo=True),
    "coreset": Strategy("diversity", needs_proba=False, in_demo=True),
    "random": Strategy("random", needs_proba=False, in_demo=True),
    "weighted_kmeans": Strategy("hybrid", needs_proba=False, in_demo=False),
    "cluster_margin": Strategy("hybrid", needs_proba=False, in_demo=False),
    "typiclust": Strategy("diversity", needs_proba=False, in_demo=False),
}
DEMO_STRATEGIES = tuple(name for name, s in STRATEGIES.items() if s.in_demo)
ESTIMATORS = ("logistic", "svc", "forest")


def make_estimator(name, seed, preprocessor):
    """The evaluation model named on the command line, after ``preprocessor``."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import SVC

    if name == "logistic":
        model = LogisticRegression(max_iter=1000)
    elif name == "svc":
        model = SVC(kernel="rbf")
    else:
        model = RandomForestClassifier(n_estimators=100, random_state=seed)
    return make_pipeline(clone(preprocessor), model)


def make_samplers(names, estimator, preprocessor):
    """Samplers by strategy name; those the estimator cannot serve are dropped."""
    has_proba = hasattr(estimator, "predict_proba")
    samplers, dropped = {}, []
    for name in names:
        strategy = STRATEGIES[name]
        if strategy.needs_proba and not has_proba:
            dropped.append(name)
        else:
            samplers[name] = strategy.make(name, estimator, preprocessor)
    return samplers, dropped

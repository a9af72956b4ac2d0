"""The one registry of what the command line can run: strategies and models,
per task.

``--strategies``, its help text, the default of each task and the rule that
drops strategies a model cannot serve are all derived from
:data:`STRATEGIES` and :data:`ESTIMATORS`.
"""

# SPDX-License-Identifier: BSD-3-Clause

from dataclasses import dataclass

from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from .. import (
    ALBLSampler,
    BadgeSampler,
    BMDRSampler,
    CommitteeSampler,
    DensitySampler,
    DiversitySampler,
    ExpectedErrorReductionSampler,
    GreedySampler,
    HierarchicalSampler,
    HintSVMSampler,
    HybridSampler,
    LALSampler,
    MarginClusterSampler,
    QUIRESampler,
    RandomSampler,
    SPALSampler,
    UncertaintySampler,
    VarianceReductionSampler,
)

TASKS = ("classification", "regression")


@dataclass(frozen=True)
class Strategy:
    """How to build one strategy's sampler for the model under evaluation."""

    family: str  # uncertainty, diversity, hybrid, badge, density, committee,
    # greedy, hierarchical, margin_clusters, error_reduction, bmdr, hintsvm,
    # albl, lal, quire or random
    tasks: tuple  # the tasks it serves
    needs: str = ""  # "predict_proba" or "std": what the model must offer
    in_demo: bool = True  # run by default

    def make(self, name, estimator, preprocessor):
        """The sampler of strategy ``name`` (the library's own name for it);
        diversity compares samples after ``preprocessor``."""
        if self.family == "uncertainty":
            return UncertaintySampler(estimator, strategy=name)
        if self.family == "diversity":
            return DiversitySampler(clone(preprocessor), strategy=name)
        if self.family == "hybrid":
            return HybridSampler(UncertaintySampler(estimator, strategy="margin"),
                                 DiversitySampler(clone(preprocessor)), strategy=name)
        if self.family == "badge":  # gradients at the features the model sees
            return BadgeSampler(estimator)
        if self.family == "density":  # density after the preprocessor
            model = estimator if name == "information_density" else None
            return DensitySampler(model, clone(preprocessor), strategy=name)
        if self.family == "committee":  # five bootstrap copies of the model
            return CommitteeSampler([estimator] * 5, strategy=name, bootstrap=True)
        if self.family == "greedy":
            return GreedySampler(estimator, strategy=name)
        if self.family == "hierarchical":  # the tree of the preprocessed data
            return HierarchicalSampler(clone(preprocessor))
        if self.family == "hintsvm":  # Lu, Li & Lin's settings, after the preprocessor
            return HintSVMSampler(clone(preprocessor), Cl=1.0, Ch=1.0, kernel="rbf")
        if self.family == "margin_clusters":  # MCM and InfoDiv
            return MarginClusterSampler(estimator, strategy=name)
        if self.family == "error_reduction":
            if name == "eer":  # refits of the model under evaluation
                return ExpectedErrorReductionSampler(estimator)
            # Variance reduction is defined for logistic regression only (as
            # in Lu et al.): on the preprocessed data, whatever the model.
            return VarianceReductionSampler(make_pipeline(
                clone(preprocessor), LogisticRegression(max_iter=1000)))
        if self.family == "bmdr":  # their own kernel model, after the preprocessor
            Sampler = BMDRSampler if name == "bmdr" else SPALSampler
            return Sampler(clone(preprocessor))
        if self.family == "albl":  # a bandit over margin and the uniform arm
            return ALBLSampler(
                [UncertaintySampler(estimator, strategy="margin")], estimator)
        if self.family == "lal":  # its own forest, on the preprocessed data
            return _lal_sampler(preprocessor)
        if self.family == "quire":  # kernel on the preprocessed data, no model
            return QUIRESampler(clone(preprocessor))
        return RandomSampler()


def _lal_sampler(preprocessor):
    """LAL (iterative) describes its own forest, as Lu et al.'s (50 trees)."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.pipeline import make_pipeline

    forest = RandomForestClassifier(n_estimators=50, oob_score=True, random_state=0)
    return LALSampler(make_pipeline(clone(preprocessor), forest))


_C, _R = ("classification",), ("regression",)
STRATEGIES = {
    "entropy": Strategy("uncertainty", _C, needs="predict_proba"),
    "least_confidence": Strategy("uncertainty", _C),
    "margin": Strategy("uncertainty", _C),
    "ratio": Strategy("uncertainty", _C, needs="predict_proba"),
    "probability_variance": Strategy("uncertainty", _C, needs="predict_proba"),
    "kmeans": Strategy("diversity", _C),
    "coreset": Strategy("diversity", _C),
    "weighted_kmeans": Strategy("hybrid", _C, in_demo=False),
    "cluster_margin": Strategy("hybrid", _C, in_demo=False),
    "typiclust": Strategy("diversity", _C, in_demo=False),
    "probcover": Strategy("diversity", _C, in_demo=False),
    "badge": Strategy("badge", _C, needs="predict_proba", in_demo=False),
    "hierarchical": Strategy("hierarchical", _C, in_demo=False),
    "cluster_mean": Strategy("margin_clusters", _C, in_demo=False),
    "cluster_proportions": Strategy("margin_clusters", _C, in_demo=False),
    "information_density": Strategy("density", _C, needs="predict_proba",
                                    in_demo=False),
    "graph_density": Strategy("density", _C, in_demo=False),
    "dwus": Strategy("density", _C, in_demo=False),
    "eer": Strategy("error_reduction", _C, needs="predict_proba", in_demo=False),
    "vr": Strategy("error_reduction", _C, in_demo=False),
    "bmdr": Strategy("bmdr", _C, in_demo=False),
    "spal": Strategy("bmdr", _C, in_demo=False),
    "hintsvm": Strategy("hintsvm", _C, in_demo=False),  # binary only
    "albl": Strategy("albl", _C, in_demo=False),
    "lal": Strategy("lal", _C, in_demo=False),  # binary classification only
    "quire": Strategy("quire", _C, in_demo=False),
    "std": Strategy("uncertainty", _R, needs="std"),
    "prediction_variance": Strategy("committee", _R, in_demo=False),
    "gsx": Strategy("greedy", _R),
    "gsy": Strategy("greedy", _R),
    "igs": Strategy("greedy", _R),
    "random": Strategy("random", TASKS),
}
# name -> (task, what it offers)
ESTIMATORS = {
    "logistic": ("classification", {"predict_proba"}),
    "svc": ("classification", set()),
    "forest": (None, {"predict_proba", "std"}),  # either task
    "ridge": ("regression", set()),
    "gp": ("regression", {"std"}),
}
DEFAULT_ESTIMATOR = {"classification": "logistic", "regression": "ridge"}


def default_strategies(task):
    return [name for name, s in STRATEGIES.items() if task in s.tasks and s.in_demo]


def strategies_for(task):
    return [name for name, s in STRATEGIES.items() if task in s.tasks]


def estimators_for(task):
    return [name for name, (t, _) in ESTIMATORS.items() if t in (None, task)]


def make_estimator(name, seed, preprocessor, task):
    """The evaluation model named on the command line, after ``preprocessor``."""
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import SVC

    models = {
        "logistic": lambda: LogisticRegression(max_iter=1000),
        "svc": lambda: SVC(kernel="rbf"),
        "ridge": lambda: Ridge(alpha=1.0),
        "gp": lambda: GaussianProcessRegressor(
            ConstantKernel() * RBF(length_scale=3.0)
            + WhiteKernel(noise_level=0.1, noise_level_bounds=(1e-8, 10.0)),
            normalize_y=True, random_state=seed),
        "forest": lambda: (RandomForestRegressor if task == "regression"
                           else RandomForestClassifier)(n_estimators=100,
                                                        random_state=seed),
    }
    preprocessor = clone(preprocessor)
    if name == "gp" and "sparse_threshold" in preprocessor.get_params():
        # GaussianProcessRegressor takes dense input only; one-hot and TF-IDF
        # columns would otherwise make the encoded table sparse.
        preprocessor.set_params(sparse_threshold=0.0)
    return make_pipeline(preprocessor, models[name]())


def make_samplers(names, estimator_name, estimator, preprocessor):
    """Samplers by strategy name; those the estimator cannot serve are dropped
    (returned with the reason)."""
    offers = ESTIMATORS[estimator_name][1]
    samplers, dropped = {}, {}
    for name in names:
        strategy = STRATEGIES[name]
        if strategy.needs and strategy.needs not in offers:
            dropped[name] = strategy.needs
        else:
            samplers[name] = strategy.make(name, estimator, preprocessor)
    return samplers, dropped

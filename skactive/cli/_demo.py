"""``skactive demo``: the strategies compared on a data set that ships with
scikit-learn."""

# SPDX-License-Identifier: BSD-3-Clause

from ._common import experiment_options, run_and_report

# name -> task
DATASETS = {"digits": "classification", "breast_cancer": "classification",
            "wine": "classification", "iris": "classification",
            "diabetes": "regression", "friedman1": "regression"}


def add_parser(commands):
    demo = commands.add_parser(
        "demo", parents=[experiment_options()],
        help="the active-learning tutorial of Encord Active's documentation on a "
        "data set that ships with scikit-learn",
        description="Uncertainty (entropy, least confidence, margin, ratio, "
        "probability variance), diversity (k-means, core-set) and random sampling "
        "compared on a scikit-learn data set; for the regression sets (diabetes, "
        "friedman1) predictive std, greedy sampling (GSx, GSy, iGS) and random.",
    )
    demo.add_argument("--dataset", choices=list(DATASETS), default="digits",
                      help="data set (default: %(default)s)")
    demo.set_defaults(handler=main)


def load(name, seed=0):
    """A data set by name: scikit-learn's bundled sets, or make_friedman1."""
    from sklearn import datasets

    if name == "friedman1":
        return datasets.make_friedman1(n_samples=600, noise=1.0, random_state=seed)
    return getattr(datasets, f"load_{name}")(return_X_y=True)


def main(args):
    X, y = load(args.dataset)
    return run_and_report(args, X, y, args.dataset, DATASETS[args.dataset])

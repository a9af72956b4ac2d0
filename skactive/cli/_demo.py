"""``skactive demo``: the strategies compared on a data set that ships with
scikit-learn."""

# SPDX-License-Identifier: BSD-3-Clause

from ._common import run_and_report

DATASETS = ("digits", "breast_cancer", "wine", "iris")


def add_parser(commands, parents):
    demo = commands.add_parser(
        "demo", parents=parents,
        help="the active-learning tutorial of Encord Active's documentation on a "
        "data set that ships with scikit-learn",
        description="Uncertainty (entropy, least confidence, margin, ratio, "
        "variance), diversity (k-means, core-set) and random sampling compared "
        "on a scikit-learn data set.",
    )
    demo.add_argument("--dataset", choices=DATASETS, default="digits",
                      help="data set (default: %(default)s)")
    demo.set_defaults(handler=main)


def main(args):
    from sklearn import datasets

    X, y = getattr(datasets, f"load_{args.dataset}")(return_X_y=True)
    return run_and_report(args, X, y, args.dataset)

"""``skactive run``: the strategies compared on the user's CSV file."""

# SPDX-License-Identifier: BSD-3-Clause


import numpy as np

from ._common import UsageError, experiment_options, run_and_report
from ._csv import (
    data_options,
    detect_task,
    feature_summary,
    make_preprocessor,
    read_data,
    require_labels,
)


def add_parser(commands):
    run = commands.add_parser(
        "run", parents=[experiment_options(), data_options()],
        help="the same on your CSV file",
        description="Compare strategies on a CSV file with a header row and a "
        "target column. The separator (, ; tab |) is detected; numeric columns "
        "are scaled, free-text columns (three words or more per cell on average, "
        "mostly distinct) encoded with TF-IDF, the others with one column per "
        "category, missing feature values imputed, all inside the model's "
        "pipeline. Labels: see --classes and --missing.",
    )
    run.set_defaults(handler=main)


def main(args):
    X, y = read_data(args)
    y = require_labels(y, args.data)
    task = args.task or detect_task(y)
    if task == "regression" and not np.issubdtype(y.dtype, np.number):
        raise UsageError(f"--task regression needs a numeric target; {args.target!r} "
                         "holds text")
    return run_and_report(args, X, y, str(args.data), task, make_preprocessor(),
                          feature_summary(X))

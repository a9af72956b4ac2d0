"""``skactive run``: the strategies compared on the user's CSV file."""

# SPDX-License-Identifier: BSD-3-Clause

from pathlib import Path

from ._common import run_and_report
from ._csv import describe_columns, make_preprocessor, read_table, require_labels


def add_parser(commands, parents):
    run = commands.add_parser(
        "run", parents=parents, help="the same on your CSV file",
        description="Compare strategies on a CSV file with a header row and a "
        "target column. The separator (, ; tab |) is detected; numeric columns "
        "are scaled, the others encoded with one column per category, missing "
        "feature values imputed, all inside the model's pipeline.",
    )
    run.add_argument("--data", type=Path, required=True, help="CSV file")
    run.add_argument("--target", required=True, help="name of the label column")
    run.add_argument("--drop", nargs="+", default=[], metavar="COLUMN",
                     help="columns that are not features, such as an ID")
    run.set_defaults(handler=main)


def main(args):
    X, y = read_table(args.data, args.target, args.drop)
    y = require_labels(y, args.data)
    return run_and_report(args, X, y, str(args.data), make_preprocessor(),
                          describe_columns(X))

"""``skactive run``: the strategies compared on the user's CSV file."""

# SPDX-License-Identifier: BSD-3-Clause

from pathlib import Path

from ._common import run_and_report
from ._csv import read_csv


def add_parser(commands, parents):
    run = commands.add_parser(
        "run", parents=parents, help="the same on your CSV file",
        description="Compare strategies on a CSV file with a header row, numeric "
        "feature columns and a target column.",
    )
    run.add_argument("--data", type=Path, required=True, help="CSV file")
    run.add_argument("--target", required=True, help="name of the label column")
    run.set_defaults(handler=main)


def main(args):
    X, y = read_csv(args.data, args.target)
    return run_and_report(args, X, y, str(args.data))

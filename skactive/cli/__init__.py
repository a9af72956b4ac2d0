"""The command line, ``skactive`` (or ``python -m skactive``): one module per
command, one registry of strategies, one CSV reader. The library never
imports this package."""

# SPDX-License-Identifier: BSD-3-Clause

import argparse
import sys

from .. import __version__
from . import _benchmark, _demo, _run, _select, _stream
from ._common import Interrupted, UsageError


def build_parser():
    parser = argparse.ArgumentParser(
        prog="skactive",
        description="Active learning from the command line. demo, run and "
        "benchmark compare strategies on labeled data (a bundled data set, your "
        "CSV file, several data sets): simulated labeling rounds, learning "
        "curves and their area (AUBC). select picks the rows of your CSV file "
        "to label next and says whether to stop. stream replays your CSV file as "
        "a stream, each label requested now or never within a budget.",
    )
    parser.add_argument("--version", action="version",
                        version=f"skactive {__version__}")
    commands = parser.add_subparsers(dest="command", required=True,
                                     metavar="{demo,run,select,benchmark,stream}")
    for command in (_demo, _run, _benchmark, _select, _stream):
        command.add_parser(commands)
    return parser


def main(argv=None):
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except UsageError as exc:
        parser.exit(2, f"skactive: error: {exc}\n")
    except Interrupted as exc:
        print(f"\nskactive: {exc}", file=sys.stderr)
        sys.exit(130)

"""The command line, ``skactive`` (or ``python -m skactive``): one module per
command, one registry of strategies, one CSV reader. The library never
imports this package."""

# SPDX-License-Identifier: BSD-3-Clause

import argparse
import sys

from .. import __version__
from . import _benchmark, _demo, _run, _select
from ._common import Interrupted, UsageError, experiment_options


def build_parser():
    parser = argparse.ArgumentParser(
        prog="skactive",
        description="Compare active-learning strategies on a labeled data set: "
        "simulated labeling rounds, learning curves and their area (AUBC).",
    )
    parser.add_argument("--version", action="version",
                        version=f"skactive {__version__}")
    commands = parser.add_subparsers(dest="command", required=True,
                                     metavar="{demo,run,select,benchmark}")
    common = experiment_options()
    for command in (_demo, _run, _benchmark):
        command.add_parser(commands, [common])
    _select.add_parser(commands, [])
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

"""``skactive benchmark --protocol``: a published protocol in one command."""

import csv

import pytest

from skactive.cli import main
from tests.test_cli import exit_code_and_stderr


@pytest.mark.parametrize("flag, value", [
    ("--batch-size", "5"), ("--rounds", "3"), ("--initial-size", "4"),
    ("--test-size", "0.3"), ("--estimator", "logistic")])
def test_a_protocol_refuses_the_flags_it_fixes(flag, value, tmp_path, capsys):
    code, stderr = exit_code_and_stderr(
        ["benchmark", "--protocol", "lu2023", "--datasets", "iris", flag, value,
         "--output", str(tmp_path)], capsys)
    assert code == 2
    assert stderr == (f"skactive: error: --protocol lu2023 fixes {flag}: leave "
                      "them out (--repeats and --seed still apply)\n")


def test_the_report_says_which_protocol_ran(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    assert main(["benchmark", "--protocol", "lu2023", "--datasets", "iris",
                 "--strategies", "margin,random", "--repeats", "1", "--seed", "2",
                 "--n-jobs", "1", "--no-progress", "--output", str(tmp_path)]) == 0
    assert "1 repeats of protocol lu2023" in capsys.readouterr().out
    with open(tmp_path / "protocol.csv", newline="") as f:
        record = dict(csv.reader(f))
    assert record["protocol"].startswith("lu2023: Lu, Li & Lin (2023)")
    assert record["batch size"] == "1" and record["budget"] == "the whole pool"
    assert "gamma='auto'" in record["estimator"]
    assert record["seeds"].startswith("2 to 2")
    assert "Protocol: <b>lu2023: Lu, Li &amp; Lin (2023)" in (
        tmp_path / "report.html").read_text(encoding="utf-8")


def test_the_command_line_offers_every_protocol():
    from skactive.cli._benchmark import PROTOCOL_NAMES
    from skactive.experiment._protocols import PROTOCOLS

    assert set(PROTOCOL_NAMES) == set(PROTOCOLS)

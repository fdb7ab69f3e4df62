"""The README's example session stays true: every example shown in full is run and compared line by
line (examples abbreviated with '...' are only run, and must exit as they did)."""

import pathlib
import shlex

import pytest

from tests.helpers import run_cli

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"


def examples():
    """(command argv, expected output lines) for each '$ verifier ...' in the README's example session."""
    text = README.read_text(encoding="utf-8")
    session = text.split("## Example session", 1)[1].split("```text", 1)[1].split("```", 1)[0]
    out, current = [], None
    for line in session.splitlines():
        if line.startswith("$ verifier "):
            current = (shlex.split(line[2:].split("#")[0])[1:], [])
            out.append(current)
        elif current is not None and line.strip():
            current[1].append(line)
    return out


CASES = [(argv, lines) for argv, lines in examples() if argv[0] != "prove"]  # prove: tests/test_cli.py, CI


def test_examples_found():
    """The session has the examples this test relies on."""
    assert len(CASES) >= 4


@pytest.mark.parametrize("argv,expected", CASES, ids=[" ".join(a) for a, _ in CASES])
def test_example(capsys, argv, expected):
    """Run the example; compare its output when the README shows it in full."""
    code, out, err = run_cli(capsys, *argv)
    shown = "\n".join(expected)
    if "..." in shown:
        assert code == 0
        return
    got = [line for line in (out + err).splitlines() if line.strip()]
    assert got == expected

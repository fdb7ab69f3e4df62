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


def readme_grids():
    """The sweep grids the README shows (the three jobs' echo and the sweeps section's cat)."""
    import json
    import re

    text = README.read_text(encoding="utf-8")
    found = [m.group(1).replace("\n", " ") for m in re.finditer(r"echo '(\{\"rank\".*?\})' > grid\.json", text, re.S)]
    found += [m.group(1) for m in re.finditer(r"\$ cat grid\.json\n(\{.*\})\n", text)]
    return [json.loads(g) for g in found]


def test_readme_grids_use_zip_and_have_no_error_rows():
    """Both grids use "zip", and every combination is a certified rank (no widths that do not fit N)."""
    from verifier.cli.sweep import rank_row, sweep_flags
    from verifier.rank.sweep import expand_grid

    grids = readme_grids()
    assert len(grids) == 2 and all("zip" in g["rank"] for g in grids)
    for grid in grids:
        rows = [rank_row(t.argv) for t in expand_grid(grid, sweep_flags())]
        assert len(rows) == 12 and all("error" not in r and r["certified"] for r in rows), rows


def test_readme_leads_with_the_three_jobs():
    """The README opens with the three jobs, each a command to copy, before installation details."""
    text = README.read_text(encoding="utf-8")
    head = text.split("## On a fresh machine", 1)[0]
    for command in ("verifier theorem1 --net deep --N 32", "verifier table --from ranks.jsonl",
                    "verifier plot --from ranks.jsonl", "docs/MATH.md"):
        assert command in head

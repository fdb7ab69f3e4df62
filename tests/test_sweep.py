"""``verifier sweep`` (issue 13): a grid of ``verifier rank`` flags, one JSON line per combination, the same
rows as ``verifier rank --json`` run alone, resume without duplicates, the same rows on Dask, and every bad
input refused with one line naming the argument."""

import json

import pytest
from helpers import run_cli

from verifier.errors import InvalidArgumentError
from verifier.rank.sweep import Task, expand_grid, pending, scan_results

#: The issue's grid with three seeds: 2 x 2 x 2 x 3 = 24 combinations, half with widths of the wrong length.
GRID = {"rank": {"net": ["deep"], "N": [4, 8], "M": [2, 3], "widths": ["2,2", "2,2,2"], "seed": [0, 1, 2]}}


def sweep(capsys, tmp_path, grid, *flags, out="r.jsonl"):
    path = tmp_path / "grid.json"
    path.write_text(json.dumps(grid) if not isinstance(grid, str) else grid)
    code, stdout, err = run_cli(capsys, "sweep", path, "--out", tmp_path / out, *flags)
    return code, stdout, err, tmp_path / out


def lines(path):
    return path.read_text().splitlines()


@pytest.fixture(scope="module")
def local_rows(tmp_path_factory):
    """The grid run once with the local executor (its lines)."""
    from verifier.cli import main

    tmp = tmp_path_factory.mktemp("sweep")
    (tmp / "grid.json").write_text(json.dumps(GRID))
    assert main(["sweep", str(tmp / "grid.json"), "--out", str(tmp / "r.jsonl")]) == 0
    return lines(tmp / "r.jsonl")


def test_grid_rows_are_rank_json_or_its_error(capsys, local_rows):
    """24 lines: 12 certified ranks equal to `verifier rank --json` alone, 12 exact exit-2 messages."""
    rows = [json.loads(line) for line in local_rows]
    assert len(rows) == 24
    ranks = [r for r in rows if "error" not in r]
    errors = [r for r in rows if "error" in r]
    assert len(ranks) == 12 and len(errors) == 12
    for row in rows:
        argv = [f"--{k}={v}" for k, v in row["args"].items()]
        code, out, err = run_cli(capsys, "rank", *argv, "--json")
        if "error" in row:
            assert code == 2 and err == f"verifier: error: {row['error']}\n"
        else:
            alone = json.loads(out)
            assert code == 0 and alone["certified"]
            assert {k: v for k, v in row.items() if k not in ("args", "command")} == alone


def test_resume_after_a_crash_restores_the_rows_without_duplicates(capsys, tmp_path, local_rows):
    """Delete the last lines and leave half a line (a crash mid-write): the rerun restores all 24 rows."""
    out = tmp_path / "r.jsonl"
    out.write_text("\n".join(local_rows[:17]) + "\n" + local_rows[17][:40])
    code, stdout, err, _ = sweep(capsys, tmp_path, GRID)
    assert code == 0 and err == ""
    assert "7 new rows" in stdout and "17 already done" in stdout
    assert sorted(lines(out)) == sorted(local_rows) and len(set(lines(out))) == 24
    code, stdout, _, _ = sweep(capsys, tmp_path, GRID)
    assert code == 0 and "0 new rows" in stdout and len(lines(out)) == 24


def test_dask_gives_the_same_rows(capsys, tmp_path, local_rows):
    """A LocalCluster of 2 worker processes gives the same rows (in completion order)."""
    pytest.importorskip("distributed")
    code, stdout, err, out = sweep(capsys, tmp_path, GRID, "--executor", "dask", "--workers", "2")
    assert code == 0, stdout + err
    assert sorted(lines(out)) == sorted(local_rows)


def test_expand_grid_order_and_switches():
    """The last flag varies fastest; on/off flags become `--flag` or nothing; duplicates run once."""
    flags = {"rank": {"N": "value", "shared": "switch", "widths": "value"}}
    tasks = expand_grid({"rank": {"N": [4, 8], "shared": [False, True], "widths": ["2,1"]}}, flags)
    assert [t.argv for t in tasks] == [["rank", "--N=4", "--widths=2,1"], ["rank", "--N=4", "--shared", "--widths=2,1"],
                                       ["rank", "--N=8", "--widths=2,1"], ["rank", "--N=8", "--shared", "--widths=2,1"]]
    twice = [Task("rank", (("N", 4),))] * 2
    assert len(pending(twice, set())) == 1


def test_a_corrupt_line_in_the_middle_is_refused():
    """Only an unfinished LAST line is dropped; any other bad line is an error naming --out."""
    good = b'{"command": "rank", "args": {"N": 4}}\n'
    assert scan_results(good + b'{"half').keep == len(good)
    assert scan_results(good[:-1]).newline and len(scan_results(good[:-1]).done) == 1
    with pytest.raises(InvalidArgumentError, match=r"Argument '--out' must be a JSON-lines file .* line 1"):
        scan_results(b'{"rank": {"N": [4]}}')   # a grid, not rows: never truncated
    with pytest.raises(InvalidArgumentError, match=r"Argument '--out' must be a JSON-lines file .* line 2"):
        scan_results(good + b"{half\n" + good)


@pytest.mark.parametrize("grid,message", [
    ("{not json", "Argument 'GRID' must be a JSON file"),
    ("[1, 2]", "Argument 'GRID' must be a nonempty JSON object"),
    ({"table": {"N": [4]}}, "Argument 'GRID' must have commands among rank, got 'table'"),
    ({"rank": {"colour": [1]}}, "Argument 'GRID' must use flags of 'rank' without '--'"),
    ({"rank": {"N": 4}}, "Argument 'GRID' must give rank.N a nonempty list of values, got int: 4"),
    ({"rank": {"N": [4.5]}}, "Argument 'GRID' must give rank.N strings or integers, got a number: 4.5"),
    ({"rank": {"shared": ["yes"]}}, "Argument 'GRID' must give rank.shared true or false"),
    ({"rank": {"N": list(range(100)), "M": list(range(100)), "seed": list(range(100))}},
     "Argument 'GRID' must have at most 100000 combinations, got 1000000"),
])
def test_bad_grids_exit_2_with_one_line(capsys, tmp_path, grid, message):
    """Bad grids are refused before anything runs (no output file is created)."""
    code, out, err, path = sweep(capsys, tmp_path, grid)
    assert code == 2 and out == "" and err.startswith(f"verifier: error: {message}") and err.count("\n") == 1
    assert len(err) < 300 and not path.exists()


@pytest.mark.parametrize("flags,message", [
    (["--workers", "2"], "Argument '--workers' must only be given with --executor dask, got 2"),
    (["--executor", "dask", "--workers", "0"], "argument --workers: must be a positive integer, got '0'"),
    (["--executor", "dask", "--workers", "100000"], "Argument '--workers' must be an integer in 1..256, got 100000"),
    (["--executor", "dask", "--workers", "2", "--scheduler", "tcp://h:1"], "Argument '--workers' must not be given"),
    (["--executor", "dask", "--scheduler", "no port"], "Argument '--scheduler' must be an address such as"),
    (["--executor", "dask", "--scheduler", "nohost"], "Argument '--scheduler' must be the address of a running Dask"),
])
def test_bad_executor_flags_exit_2_with_one_line(capsys, tmp_path, flags, message):
    """--workers bounds and a bad --scheduler fail with one line (the unreachable address within seconds)."""
    if "nohost" in flags:
        pytest.importorskip("distributed")
    code, _, err, path = sweep(capsys, tmp_path, GRID, *flags)
    assert code == 2 and err.startswith(f"verifier: error: {message}") and err.count("\n") == 1
    assert not path.exists()


def test_bad_out_exit_2(capsys, tmp_path):
    """--out a directory, in a missing directory, or a file that is not sweep rows."""
    grid = tmp_path / "grid.json"
    grid.write_text(json.dumps(GRID))
    for out, message in ((tmp_path, "Argument '--out' must be a file, got the directory"),
                         (tmp_path / "no" / "r.jsonl", "Argument '--out' must be in an existing, writable directory"),
                         (grid, "Argument '--out' must be a JSON-lines file of sweep rows")):
        code, _, err = run_cli(capsys, "sweep", grid, "--out", out)
        assert code == 2 and err.startswith(f"verifier: error: {message}"), err

"""Issue 19: a sweep with ``zip`` (flags that vary together), ``verifier table --from`` and ``verifier plot
--from`` on its rows: every rank shown exactly, the same PDF/SVG bytes twice, bad input refused in one line."""

import json

import pytest
from helpers import run_cli

from verifier.errors import InvalidArgumentError
from verifier.rank.sweep import expand_grid
from verifier.render.rows import Compact, rows_plot, rows_table

#: The issue's sweep: N = 8, 16, 32 with widths 2 per level (zipped) x M in {2, 3} x seed in {0, 1}.
GRID = {"rank": {"net": ["deep"], "M": [2, 3], "seed": [0, 1],
                 "zip": [{"N": 8, "widths": "2,2,2"}, {"N": 16, "widths": "2,2,2,2"},
                         {"N": 32, "widths": "2,2,2,2,2"}]}}
FLAGS = {"rank": {"net": "value", "N": "value", "M": "value", "widths": "value", "seed": "value",
                  "shared": "switch"}}


@pytest.fixture(scope="module")
def rows_file(tmp_path_factory):
    """The issue's sweep, run once."""
    from verifier.cli import main

    tmp = tmp_path_factory.mktemp("rows")
    (tmp / "grid.json").write_text(json.dumps(GRID))
    assert main(["sweep", str(tmp / "grid.json"), "--out", str(tmp / "R.jsonl")]) == 0
    return tmp / "R.jsonl"


def test_zip_rows_all_certified(rows_file):
    """12 rows, every one certified, rank 2^(N/2) (r_0 = 2 <= M), widths always matching N."""
    rows = [json.loads(line) for line in rows_file.read_text().splitlines()]
    assert len(rows) == 12 and all(r["certified"] and "error" not in r for r in rows)
    assert sorted((r["N"], r["M"], r["seed"], r["rank"]) for r in rows) == sorted(
        (n, m, s, 2 ** (n // 2)) for n in (8, 16, 32) for m in (2, 3) for s in (0, 1))


def test_zip_expansion_order():
    """A zip object is one axis: its flags enter together, at its place in the grid's order."""
    tasks = expand_grid(GRID, FLAGS)
    assert len(tasks) == 12
    assert tasks[0].argv == ["rank", "--net=deep", "--M=2", "--seed=0", "--N=8", "--widths=2,2,2"]
    assert tasks[2].arg_dict == {"net": "deep", "M": 2, "seed": 0, "N": 32, "widths": "2,2,2,2,2"}


@pytest.mark.parametrize("zipped,match", [
    ({}, "nonempty list of nonempty objects"), ([], "nonempty list"), ([{"N": 8}, {"M": 2}], "the same flags"),
    ([{"foo": 8}], "flags of 'rank' in rank.zip"), ([{"N": 1.5}], "a string or an integer"),
    ([{"shared": 1}], "true or false"), ([3], "nonempty objects"),
])
def test_zip_bad(zipped, match):
    """Malformed zips are refused naming GRID and rank.zip."""
    with pytest.raises(InvalidArgumentError, match=match):
        expand_grid({"rank": {"zip": zipped}}, FLAGS)
    with pytest.raises(InvalidArgumentError, match="both as an axis and in rank.zip"):
        expand_grid({"rank": {"N": [8], "zip": [{"N": 8}]}}, FLAGS)


def test_table_from_rows(capsys, rows_file, tmp_path):
    """Every rank appears, exactly (2^16 as a power: shorter); constant fields go to the caption."""
    code, out, err = run_cli(capsys, "table", "--from", rows_file, "--format", "markdown")
    assert code == 0 and err == ""
    body = [ln for ln in out.splitlines() if ln.startswith("| ") and "---" not in ln][1:]
    assert len(body) == 12 and sorted(ln.split(" | ")[4] for ln in body) == ["16"] * 4 + ["256"] * 4 + ["2^16"] * 4
    assert "In every row: net = deep" in out
    code, out, _ = run_cli(capsys, "table", "--from", rows_file, "--columns", "N,M,seed,rank", "--format", "latex",
                           "--caption", "My ranks >= 16", "--label", "tab:mine")
    assert code == 0 and "$2^{16}$" in out and "\\label{tab:mine}" in out and "My ranks $\\geq$ 16" in out
    assert "$N$ & $M$ & seed & $\\mathrm{rank}\\,[A]$" in out and "\\toprule" in out
    target = tmp_path / "t.txt"
    assert run_cli(capsys, "table", "--from", rows_file, "--format", "text", "--out", target)[0] == 0
    assert target.read_text().count("2^16") == 4


def test_compact_ints():
    """Powers only when shorter; the exact value is kept."""
    assert [Compact(n).text() for n in (16, 256, 65536, 3**16, 2**512)] == ["16", "256", "2^16", "3^16", "2^512"]
    t = rows_table([{"N": 4, "rank": "2^20"}, {"N": 8, "rank": None}])
    assert t.to_dict()["rows"] == [{"N": 4, "rank": 2**20}, {"N": 8, "rank": None}]


def test_plot_from_rows_deterministic(capsys, rows_file, tmp_path):
    """The same PDF and SVG bytes twice; the PNG is a PNG; one series per M."""
    pytest.importorskip("matplotlib")
    for ext in ("pdf", "svg"):
        paths = [tmp_path / f"a{k}.{ext}" for k in (1, 2)]
        for p in paths:
            code, out, _ = run_cli(capsys, "plot", "--from", rows_file, "--x", "N", "--y", "rank", "--group", "M",
                                   "--out", p)
            assert code == 0 and out.startswith("wrote ")
        assert paths[0].read_bytes() == paths[1].read_bytes()
    png = tmp_path / "r.png"
    assert run_cli(capsys, "plot", "--from", rows_file, "--x", "N", "--y", "rank", "--out", png)[0] == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = [json.loads(line) for line in rows_file.read_text().splitlines()]
    default = rows_file.with_suffix(".png")
    assert not default.exists()
    assert run_cli(capsys, "plot", "--from", rows_file, "--x", "N", "--y", "rank")[0] == 0 and default.exists()
    p = rows_plot(rows, "N", "rank", "M")
    assert [s.label for s in p.series] == ["M = 2", "M = 3"] and p.log_y and p.log2_x
    assert p.to_dict()["series"][0]["y"][-1] == "65536"


@pytest.mark.parametrize("argv,needle", [
    (["table", "--from", "{missing}"], "'--from'"), (["table", "--from", "{bad}"], "line 2"),
    (["table", "--from", "{rows}", "--columns", "foo"], "'--columns'"),
    (["table", "--from", "{rows}", "--kind", "params"], "'--kind'"), (["table", "--columns", "N"], "'--columns'"),
    (["table", "--from", "{rows}", "--label", "a b"], "'--label'"),
    (["plot", "--from", "{rows}", "--x", "N", "--y", "route", "--out", "{png}"], "'--y'"),
    (["plot", "--from", "{rows}", "--x", "foo", "--y", "rank", "--out", "{png}"], "'--x'"),
    (["plot", "--from", "{rows}", "--x", "N", "--y", "rank", "--group", "foo", "--out", "{png}"], "'--group'"),
    (["plot", "--x", "N", "--out", "{png}"], "'--x'"), (["plot", "--out", "{png}"], "'--kind'"),
    (["plot", "--from", "{empty}", "--x", "N", "--y", "rank", "--out", "{png}"], "'--from'"),
])
def test_bad_input(capsys, rows_file, tmp_path, argv, needle):
    """One line naming the flag, exit 2, no file written."""
    (tmp_path / "bad.jsonl").write_text('{"a": 1}\nnot json\n')
    (tmp_path / "empty.jsonl").write_text("\n")
    names = {"missing": tmp_path / "none.jsonl", "bad": tmp_path / "bad.jsonl", "rows": rows_file,
             "png": tmp_path / "x.png", "empty": tmp_path / "empty.jsonl"}
    code, out, err = run_cli(capsys, *[str(a).format(**names) for a in argv])
    assert code == 2 and out == "" and len(err.splitlines()) == 1 and needle in err and len(err) < 300
    assert not (tmp_path / "x.png").exists()


def test_table_from_rows_compiles(capsys, rows_file, tmp_path):
    """The issue's sweep as a LaTeX table: every rank shown, compiles in a one-column article, no overfull box
    (skipped only without pdflatex)."""
    import shutil

    if shutil.which("pdflatex") is None:
        pytest.skip("no TeX installation: pdflatex is not on PATH")
    from test_latex import compile_clean

    tex = tmp_path / "ranks.tex"
    assert run_cli(capsys, "table", "--from", rows_file, "--standalone", "--out", tex)[0] == 0
    text = tex.read_text(encoding="utf-8")
    body = [ln.split(" & ") for ln in text.split("\\midrule\n")[1].split("\n\\bottomrule")[0].splitlines()]
    head = text.split("\\toprule\n")[1].splitlines()[0].split(" & ")
    ranks = sorted(row[head.index("$\\mathrm{rank}\\,[A]$")] for row in body)
    assert ranks == sorted(["$16$"] * 4 + ["$256$"] * 4 + ["$2^{16}$"] * 4)
    compile_clean(tmp_path, "ranks-doc", text)

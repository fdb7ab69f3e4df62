"""Every LaTeX file the package writes compiles with pdflatex in a one-column article without an overfull box
(issue 19): the tables of ``verifier table`` (fixed kinds and ``--from`` rows), the reports of ``verifier prove
--out``, ``verifier theorem1`` and ``theorem2``, and the pooling-geometry table. Skipped only when pdflatex is
not installed."""

import json
import re
import shutil
import subprocess

import pytest
from helpers import run_cli

from verifier.render.latex import fit_tabular, text_width
from verifier.render.rows import rows_table

PDFLATEX = shutil.which("pdflatex")
needs_tex = pytest.mark.skipif(PDFLATEX is None, reason="no TeX installation: pdflatex is not on PATH")
PREAMBLE = "\\documentclass{article}\n\\usepackage{booktabs}\n\\begin{document}\n"


def compile_clean(folder, name: str, body: str) -> str:
    """Compile ``body`` (a fragment, or a whole document) in a one-column article; returns the log after
    asserting it compiled and has no overfull box."""
    doc = body if body.lstrip().startswith("\\documentclass") else PREAMBLE + body + "\n\\end{document}\n"
    (folder / f"{name}.tex").write_text(doc, encoding="utf-8")
    proc = subprocess.run([PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"], cwd=folder,
                          capture_output=True, text=True, timeout=120)
    log = (folder / f"{name}.log").read_text(encoding="latin-1")
    assert proc.returncode == 0, f"{name}: " + proc.stdout[-1500:]
    overfull = re.findall(r"Overfull \\[hv]box \([^)]*\)[^\n]*", log)
    assert not overfull, f"{name}: {overfull}"
    return log


@needs_tex
def test_prove_out_reports_and_tables(tmp_path):
    """What prove --out writes as .tex reports (Report.to_latex), for every check but measure_zero and
    receptive_fields (which only repeat the report layout, at 10 s and 4 s); built through the same library
    calls as cli/prove.py, without drawing its figures. The tables prove --out writes are every kind of
    ``verifier table``, compiled by tests/test_tables.py::test_latex_compiles."""
    from verifier.theorems.prove import run_checks

    names = ["theorem1", "corollary1", "theorem2", "pooling_geometry", "simnets"]
    bodies = [rep.to_latex() for _, reps in run_checks(names) for rep in reps]
    assert len(bodies) >= 10
    assert not any(">=" in b for b in bodies)  # typeset as $\\geq$, never as the OT1 glyph of '>'
    compile_clean(tmp_path, "all-reports", "\n\\clearpage\n".join(bodies))  # one run; the log names every box


@needs_tex
def test_theorem_reports(capsys, tmp_path):
    """verifier theorem1 (with and without SKIP lines), theorem2 and geometry in LaTeX."""
    bodies = []
    for k, argv in enumerate([["theorem1", "--net", "deep", "--N", 32, "--M", 2, "--widths", "2,2,2,2,2"],
                              ["theorem1", "--net", "depth", "--Lc", 2, "--N", 32, "--M", 2, "--widths", "2,2"],
                              ["theorem2", "--N", 8, "--M", 2, "--widths", "2,2,2", "--Lc", 2],
                              ["geometry", "--geometry", "image:4x4", "--N", 16, "--M", 2, "--widths", "2,2"]]):
        _, out, _ = run_cli(capsys, *argv, "--format", "latex")
        assert "\\toprule" in out
        bodies.append(out)
    compile_clean(tmp_path, "reports", "\n\\clearpage\n".join(bodies))


@needs_tex
def test_rows_tables(tmp_path):
    """table --from: wide rows (every field of a rank row) wrap or split, and compile clean."""
    rows = [{"net": "deep", "N": n, "M": m, "widths": [2] * (n.bit_length() - 1), "seed": s, "rank": 2 ** (n // 2),
             "route": "pair-diagonal", "lower_method": "Lemma D: " + "x " * 40, "rows": m ** (n // 2),
             "cols": m ** (n // 2), "certified": True}
            for n in (8, 16, 32, 64) for m in (2, 3) for s in (0, 1)]
    for k, cols in enumerate([None, ["N", "M", "widths", "seed", "rank", "route", "lower_method", "rows", "cols",
                                     "certified", "net"]]):
        compile_clean(tmp_path, f"rows{k}", rows_table(rows, cols).to_latex())


def test_fit_tabular_layouts():
    """Narrow tables stay plain; wide ones stack headers, wrap text columns, or split with the first column
    repeated; the estimate is generous (never below the printed width of the digits)."""
    assert fit_tabular(["a"], [["$1$"]], "r")[0] == "\\begin{tabular}{r}"
    wide = fit_tabular(["key"] + [f"column number {k}" for k in range(12)], [["x"] + ["$123456$"] * 12], "l" * 13)
    assert sum(line.startswith("\\begin{tabular}{") for line in wide) >= 2 and "\\par\\medskip" in wide
    assert all(line.startswith("key & ") for line in wide if line.startswith("key"))
    assert text_width("$" + "9" * 10 + "$") >= 50


def test_rows_json_roundtrip():
    """Big ranks written by JSON as exact strings come back exactly, and are shown as the power."""
    t = rows_table([{"N": 2**15, "rank": "2^16384"}])
    assert t.rows[0]["rank"].value == 2**16384 and json.loads(t.to_json())["rows"][0]["rank"] == "2^16384"
    assert "$2^{16384}$" in t.to_latex()

"""``verifier table`` and verifier.render.tables / verifier.theorems.tables: golden strings compared line by line, byte
identity across runs, exact values in CSV/JSON, and LaTeX that compiles (when a TeX installation is present)."""

import json
import shutil
import subprocess
from fractions import Fraction

import pytest

from tests.helpers import run_cli
from verifier.errors import InvalidArgumentError
from verifier.render.tables import Column, Power, Table, show_fraction, show_int
from verifier.theorems.tables import KINDS, build_table

GOLDEN_PARAMS_LATEX = r"""\begin{table}[ht]
\centering
\caption{Parameter counts (one output; representation layer not counted): the deep net against the smallest shallow net the rank argument admits, $Z^* = \min(r_0, M)^{N/2}$; ratio = shallow / deep (unshared), exact.}
\label{tab:params}
\begin{tabular}{rrlrrr}
\toprule
$N$ & $M$ & $r_0,\dots,r_{L-1}$ & deep & deep, shared & $Z^*$ \\
\midrule
$8$ & $3$ & 3,3,3 & $129$ & $30$ & $3^{4} = 81$ \\
$1024$ & $3$ & 2,2,2,2,2,2,2,2,2,2 & $10234$ & $44$ & $2^{512}$ \\
\bottomrule
\end{tabular}
\par\medskip
\begin{tabular}{rrrr}
\toprule
$N$ & shallow at $Z^*$ & shallow at $Z^*$, shared & ratio \\
\midrule
$8$ & $2025$ & $324$ & $\frac{675}{43}$ \\
$1024$ & $3073 \cdot 2^{512}$ & $2^{514}$ & $\frac{439 \cdot 2^{511}}{731}$ \\
\bottomrule
\end{tabular}
\end{table}"""

GOLDEN_APPROX_LATEX = r"""\begin{table}[ht]
\centering
\caption{Corollary 1 (approximation): every shallow net with $Z$ channels is at distance at least $(\sum_{i>Z} \sigma_i([A])^2)^{1/2}$ from the deep net (Eckart-Young); exact where a closed form is known, else certified intervals with outward-rounded decimals. Random weights uniform on [-1000000, 1000000] from seed 0; L2 rows use the Gram matrix F of the representation functions.}
\label{tab:approx}
\begin{tabular}{rrllrrl}
\toprule
$N$ & $M$ & $r_0,\dots,r_{L-1}$ & weights & $Z$ & $\mathrm{rank}\,[A]$ & norm \\
\midrule
$8$ & $2$ & 2,1,1 & witness & $10$ & $16$ & Frobenius \\
$4$ & $2$ & 2,1 & random & $3$ & $4$ & Frobenius \\
\bottomrule
\end{tabular}
\par\medskip
\begin{tabular}{rr}
\toprule
$N$ & $\sum_{i>Z}\sigma_i^2$ \\
\midrule
$8$ & $6$ \\
$4$ & $[8.80068 \cdot 10^{74}, 8.80069 \cdot 10^{74}]$ \\
\bottomrule
\end{tabular}
\par\medskip
\begin{tabular}{rrl}
\toprule
$N$ & distance $\geq$ & route \\
\midrule
$8$ & $\sqrt{6}$ & structure \\
$4$ & $[2.96659 \cdot 10^{37}, 2.9666 \cdot 10^{37}]$ & dense \\
\bottomrule
\end{tabular}
\end{table}"""

GOLDEN_THEOREM2_MARKDOWN = """**Theorem 2 (corrected): block rank (blocks of 2^(L_c-1) modes, odd blocks as rows) of the deep net, against r^(N/2^L_c) with r = min(r_0..r_(L_c-1), M); the uncorrected min(r_0, M)^(N/2^L_c) fails when a middle width is smaller. A depth-L_c net needs last width >= r^(N/2^L_c).**

| N | M | widths | L_c | blocks | block rank | certified by (lower / upper) | witness | r^(N/2^L_c) | min(r_0,M)^(N/2^L_c) | deep params | depth-L_c params >= |
|---:|---:|:---|---:|:---|---:|:---|---:|---:|---:|---:|---:|
| 8 | 2 | 2,1,1 | 2 | blocks:2 | 1 | Lemmas K, R / Lemmas K, R | 1 | 1^2 = 1 | 2^2 = 4 | 43 | 21 |

Random weights uniform on [-1000000, 1000000] from seed 0."""

GOLDEN_THEOREM1_CSV = '''N,M,widths,weights,rank,bound,how,deep,shallow
4,2,"2,1",random,4,4,"Lemmas K, R / Lemmas K, R",21,36
8,3,"3,3,3",random,81,81,mod p / shape,129,2025'''

GOLDEN = [
    ("params", [(8, 3, (3, 3, 3)), (1024, 3, (2,) * 10)], "latex", GOLDEN_PARAMS_LATEX),
    ("approx", [(8, 2, (2, 1, 1), "witness", 10, None), (4, 2, (2, 1), "random", 3, None)], "latex", GOLDEN_APPROX_LATEX),
    ("theorem2", [(8, 2, (2, 1, 1), 2)], "markdown", GOLDEN_THEOREM2_MARKDOWN),
    ("theorem1", [(4, 2, (2, 1)), (8, 3, (3, 3, 3))], "csv", GOLDEN_THEOREM1_CSV),
]


@pytest.mark.parametrize("kind,grid,fmt,golden", GOLDEN, ids=[f"{k}-{f}" for k, _, f, _ in GOLDEN])
def test_golden(kind, grid, fmt, golden):
    """Rendered tables equal the golden strings, line by line (seed 0, bound 10^6)."""
    got = build_table(kind, grid=grid).render(fmt).split("\n")
    want = golden.split("\n")
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, f"line {i + 1} differs"
    assert len(got) == len(want)


@pytest.mark.parametrize("kind", KINDS)
def test_booktabs_structure(kind):
    """Every LaTeX table is a booktabs tabular (no siunitx), one row per grid point, and no floats leak:
    every number is an integer, a power, a fraction or an outward-rounded decimal of an enclosure."""
    t = build_table(kind)
    tex = t.to_latex()
    parts = tex.count("\\toprule")  # a table wider than the text is split into stacked tabulars (issue 19)
    assert parts >= 1 and tex.count("\\midrule") == tex.count("\\bottomrule") == parts
    assert "siunitx" not in tex and "\\num{" not in tex and "\\SI{" not in tex
    shown = 0
    for chunk in tex.split("\\midrule\n")[1:]:
        body = chunk.split("\n\\bottomrule")[0].split("\n")
        assert len(body) == len(t.rows) and all(line.endswith((" \\\\", " \\tabularnewline")) for line in body)
        width = body[0].count(" & ") + 1
        assert all(line.count(" & ") == width - 1 for line in body)
        shown += width - (1 if shown else 0)  # later parts repeat the first column
    assert shown == len(t.columns)


def test_cli_table_byte_identical(capsys, tmp_path):
    """Same arguments and seed give byte-identical output (stdout and --out)."""
    first = run_cli(capsys, "table", "--kind", "theorem1", "--format", "latex")
    second = run_cli(capsys, "table", "--kind", "theorem1", "--format", "latex")
    assert first[0] == 0 and first == second and first[1].startswith("\\begin{table}")
    out = tmp_path / "t.tex"
    assert run_cli(capsys, "table", "--kind", "theorem1", "--out", out)[0] == 0
    assert out.read_text(encoding="utf-8") == first[1]
    other = run_cli(capsys, "table", "--kind", "approx", "--format", "csv", "--seed", "3")
    assert other == run_cli(capsys, "table", "--kind", "approx", "--format", "csv", "--seed", "3")


def test_json_and_csv_are_exact():
    """Machine formats carry exact values: all digits of 2^512, fractions as p/q, enclosures as decimals."""
    d = json.loads(build_table("params").to_json())
    row = d["rows"][-1]
    assert row["Z_star"] == 2**512 and row["shallow"] == 3073 * 2**512
    assert Fraction(row["ratio"]) == Fraction(3073 * 2**512, 10234)
    a = json.loads(build_table("approx").to_json())
    assert a["rows"][1]["distance"] == {"exact": "sqrt(6)", "hi": "2.4494897427831780982",
                                        "lo": "2.4494897427831780981"}
    assert str(2**512) in build_table("theorem1").to_csv()


def test_formatting_helpers():
    """Exact compact forms: powers, m * b^e, b^e - k; fractions; cells never show floats."""
    assert show_int(2**512) == "2^512" and show_int(7 * 3**40, latex=True) == "7 \\cdot 3^{40}"
    assert show_int(2**64 + 5) == "2^64 + 5" and show_int(123456789012) == "123456789012"
    assert show_fraction(Fraction(-3, 4)) == "-3/4"
    t = Table("x", "c", [Column("a", "a"), Column("b", "b", "l")], [{"a": Power(10, 2), "b": "p|q"}])
    assert t.to_markdown().endswith("| 10^2 = 100 | p\\|q |")
    with pytest.raises(InvalidArgumentError, match="Argument 'kind' must be one of theorem1, theorem2, params, approx"):
        build_table("nope")


def test_cli_table_bad_input(capsys):
    """Unknown kind or format: exit 2 with a one-line message."""
    code, _, err = run_cli(capsys, "table", "--kind", "theorem3")
    assert code == 2 and "argument --kind: invalid choice: 'theorem3'" in err
    code, _, err = run_cli(capsys, "table", "--seed", "-1")
    assert code == 2 and "Argument '--seed' must be a non-negative integer, got -1" in err


PDFLATEX = shutil.which("pdflatex")


@pytest.mark.skipif(PDFLATEX is None, reason="no TeX installation: pdflatex is not on PATH")
@pytest.mark.parametrize("kind", KINDS)
def test_latex_compiles(tmp_path, capsys, kind):
    """Each table compiles with plain LaTeX + booktabs (standalone document)."""
    tex = tmp_path / f"{kind}.tex"
    assert run_cli(capsys, "table", "--kind", kind, "--standalone", "--out", tex)[0] == 0
    proc = subprocess.run([PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", tex.name], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert (tmp_path / f"{kind}.pdf").exists()
    assert ">=" not in tex.read_text(encoding="utf-8")  # $\\geq$: OT1 prints '>' as an inverted question mark
    log = (tmp_path / f"{kind}.log").read_text(encoding="latin-1")
    assert "Overfull" not in log, [ln for ln in log.splitlines() if "Overfull" in ln]

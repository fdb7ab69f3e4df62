"""``verifier plot`` and the figures of ``verifier prove --out`` (issue 13): exact data, certified values only,
PNG of at least 600 x 400, byte-identical PDF for the same input, bad output paths refused with one line."""

import shutil
import struct
from fractions import Fraction

import pytest
from helpers import run_cli

pytest.importorskip("matplotlib")

from verifier.render.plots import Plot, Series
from verifier.theorems.figures import KINDS, build_plot, geometry_plot, theorem1_plot
from verifier.theorems.prove import figures_for

#: Small versions of each kind (the defaults are drawn once, through the CLI, in test_each_kind_via_cli).
SMALL = {"theorem1": {"sizes": range(1, 6)}, "params": {"sizes": range(1, 6)},
         "measure-zero": {"bounds": (1, 8), "samples": 40}, "geometry": {}, "tt": {"sizes": range(1, 5)}}


def png_size(data: bytes):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def small_plots():
    """Each kind built once, at small sizes."""
    return {kind: build_plot(kind, **SMALL[kind]) for kind in KINDS}


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_png_and_reproducible_pdf(small_plots, kind):
    """Each kind draws a PNG (>= 600 x 400) and a PDF; drawn twice, the same PDF bytes (no dates)."""
    p = small_plots[kind]
    w, h = png_size(p.render("png"))
    assert w >= 600 and h >= 400
    pdf = p.render("pdf")
    assert pdf.startswith(b"%PDF") and b"CreationDate" not in pdf and pdf == p.render("pdf")
    assert p.title and p.xlabel and p.ylabel and len(p.series) >= 2


def test_plot_via_cli(capsys, tmp_path):
    """`verifier plot` writes the file named by --out, in the format of its extension; SVG is reproducible."""
    for name in ("a.png", "a.svg", "b.svg"):
        code, out, err = run_cli(capsys, "plot", "--kind", "geometry", "--out", tmp_path / name)
        assert code == 0 and err == "" and out == f"wrote {tmp_path / name} (geometry, {name[-3:]})\n"
    assert png_size((tmp_path / "a.png").read_bytes()) == (1000, 625)
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()


def test_theorem1_figure_is_exact_and_certified():
    """Theorem 1: the drawn ranks are the certified exact integers min(r, M)^(N/2), 3^16 and all."""
    p = theorem1_plot(sizes=range(1, 6))
    ranks = {s.label: s.y for s in p.series if s.label.startswith("rank")}
    assert ranks["rank [A], widths 2 (certified)"] == tuple(2 ** (2**L // 2) for L in range(1, 6))
    assert ranks["rank [A], widths 3 (certified)"][-1] == 3**16
    assert all(type(v) is int for ys in ranks.values() for v in ys)
    assert p.to_dict()["series"][3]["y"][-1] == str(3**16)


def test_geometry_figure_takes_an_architecture():
    """Rank per partition under the net's pooling tree, never above the tree's minimal cut."""
    from verifier.nets.architectures import DeepArch

    p = geometry_plot(DeepArch(N=8, M=2, widths=(2, 2, 2)), partitions=("odd-even", "low-high", "blocks:2"))
    got, cut, size = (s.y for s in p.series)
    assert got == (16, 2, 4) and all(g <= c <= s for g, c, s in zip(got, cut, size))


def test_huge_integers_are_drawn_at_their_log():
    """3^1024 does not fit a float; it is drawn at log10 of the exact integer."""
    p = Plot("demo", "t", "x", "y", [Series("s", (1, 2), (3**1024, Fraction(1, 3)))], log_y=True)
    assert png_size(p.render("png"))[0] >= 600


def test_prove_figures_follow_the_checks():
    """`verifier prove --out` draws the figures of the checks that ran (tests/test_cli.py runs it)."""
    assert figures_for(["theorem1", "corollary1", "measure_zero"]) == ["theorem1", "geometry", "params",
                                                                      "measure-zero"]
    assert figures_for(["theorem2"]) == []


@pytest.mark.parametrize("out,message", [
    ("fig.jpg", "Argument '--out' must end in .png, .pdf, .svg or .pgf, got"),
    ("missing/fig.png", "Argument '--out' must be in an existing, writable directory"),
    ("dir.png", "Argument '--out' must be a file, got the directory"),
])
def test_bad_out_exit_2_with_one_line(capsys, tmp_path, out, message):
    """Bad output paths are refused before anything is computed."""
    (tmp_path / "dir.png").mkdir()
    code, stdout, err = run_cli(capsys, "plot", "--kind", "params", "--out", tmp_path / out)
    assert code == 2 and stdout == "" and err.startswith(f"verifier: error: {message}") and err.count("\n") == 1


def test_unknown_kind_and_pgf_without_latex(capsys, tmp_path):
    """An unknown kind is refused by the parser; PGF without LaTeX is one line, not a traceback."""
    code, _, err = run_cli(capsys, "plot", "--kind", "theorem3", "--out", tmp_path / "a.png")
    assert code == 2 and "argument --kind: invalid choice: 'theorem3'" in err
    if shutil.which("xelatex") is None:
        code, _, err = run_cli(capsys, "plot", "--kind", "params", "--out", tmp_path / "a.pgf")
        assert code == 2 and err.startswith("verifier: error: Argument '--out' must end in .png, .pdf or .svg")
        assert not (tmp_path / "a.pgf").exists()

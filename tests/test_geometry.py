"""Pooling geometry as a parameter (issue 10): windows, images, any mode tree; coefficient tensors, evaluation,
parameter counts and the min-cut of the tensor network; validation of every new input."""

import json
import random
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import rank_json, run_cli
from verifier import strategies as vs
from verifier.errors import InvalidArgumentError
from verifier.exact.certify import certify_matrix_rank
from verifier.exact.tensors import matricize, parse_partition
from verifier.nets.architectures import DeepArch, ShallowArch
from verifier.nets.coefficients import coefficient_tensor, contract
from verifier.nets.evaluate import evaluate
from verifier.nets.geometry import (
    MAX_MODES,
    MAX_NESTING,
    geometry_tree,
    image_tree,
    named_partition,
    random_tree,
    tree_from_nested,
    tree_from_networkx,
    window_tree,
)
from verifier.nets.weights import random_weights, symbolic_weights, witness_weights
from verifier.rank.matricization import matricization_rank
from verifier.rank.mincut import min_cut, tensor_network

UNBALANCED = [[1, 2], [3, [4, 5]]]


def test_window_and_image_trees():
    """window:W pools W consecutive positions per level; image:HxW pools 2x2 blocks, positions row-major."""
    t = window_tree(3, 2)
    assert t.nested() == ((1, 2, 3), (4, 5, 6), (7, 8, 9)) and t.height == 2
    im = image_tree(4)
    assert im.nested() == ((1, 2, 5, 6), (3, 4, 7, 8), (9, 10, 13, 14), (11, 12, 15, 16))
    assert im.modes((1, 1)) == (2, 3, 6, 7)  # 0-based: the top-right block


def test_unbalanced_tree_labels_and_shapes():
    """Labels (height, index in tree order); a node at height l takes r_{l-1} inputs and gives its parent
    the r_{p-1} channels the parent pools."""
    a = DeepArch(N=5, M=2, widths=(3, 4, 5), tree=UNBALANCED)
    t = a.tree
    assert t.root == (3, 0) and t.children(t.root) == ((1, 0), (2, 0))
    assert a.node_shape((0, 0)) == (3, 2) and a.node_shape((0, 2)) == (4, 2)  # leaf 3 sits under level 2
    assert a.node_shape((1, 0)) == (5, 3) and a.node_shape((1, 1)) == (4, 3)
    assert a.node_shape((2, 0)) == (5, 4) and a.node_shape((3, 0)) == (1, 5)
    assert a.to_dict()["tree"] == UNBALANCED and a.to_dict()["geometry"] == "tree"


def test_networkx_tree_and_equality():
    import networkx as nx

    g = nx.DiGraph([("r", "a"), ("r", "b"), ("a", 1), ("a", 2), ("b", 3), ("b", "c"), ("c", 4), ("c", 5)])
    assert tree_from_networkx(g).nested() == ((1, 2), (3, (4, 5)))
    assert DeepArch(N=5, M=2, widths=(1, 1, 1), tree=g) == DeepArch(N=5, M=2, widths=(1, 1, 1), tree=UNBALANCED)
    assert DeepArch(N=4, M=2, widths=(1, 1)) != DeepArch(N=4, M=2, widths=(1, 1), tree=[[1, 3], [2, 4]])


@pytest.mark.parametrize("spec,match", [
    ("x", "nested list of modes"),
    ([[1, 2], [3, True]], "positive integers"),
    ([[1, 2], [0, 3]], "positive integers"),
    ([[1, 2], [3, 2.0]], "positive integers"),
    ([[1, 2], [2, 3]], "exactly once, got mode 2 twice"),
    ([[1, 2], [4, 5]], "got no mode 3"),
    ([[1, 2], [3]], "at least 2 entries"),
    ([1], "at least 2 entries"),
])
def test_bad_nested_trees(spec, match):
    with pytest.raises(InvalidArgumentError, match=match):
        tree_from_nested(spec)


def test_deep_nesting_and_huge_trees_refused_before_building():
    deep: list = [1, 2]
    for k in range(3, MAX_NESTING + 10):
        deep = [deep, k]
    with pytest.raises(InvalidArgumentError, match="nest at most"):
        tree_from_nested(deep)
    with pytest.raises(InvalidArgumentError, match=f"at most {MAX_MODES} modes"):
        tree_from_nested(list(range(1, MAX_MODES + 2)))


@pytest.mark.parametrize("spec,N,match", [
    ("window:1", 4, "integer window W >= 2"),
    ("window:3", 8, "a power W\\^L"),
    ("window:2", 2**13, "N <= 4096"),
    ("image:4x2", 8, "H = W = 2\\^L"),
    ("image:3x3", 9, "H = W = 2\\^L"),
    ("image:4x4", 8, "N = H \\* W = 8"),
    ("hexagon", 4, "'binary', 'window:W' or 'image:HxW'"),
    ("binary", 6, "'binary' needs N = 2\\^L"),
])
def test_bad_geometry_specs(spec, N, match):
    with pytest.raises(InvalidArgumentError, match=match):
        geometry_tree(spec, N)


def test_widths_follow_the_geometry():
    with pytest.raises(InvalidArgumentError, match="L = 2 entries .*window:3"):
        DeepArch(N=9, M=2, widths=(2, 2, 2), tree="window:3")
    with pytest.raises(InvalidArgumentError, match="N = 6 leaves"):
        DeepArch(N=6, M=2, widths=(2, 2, 2), tree=UNBALANCED)


@pytest.mark.parametrize("tree", ["window:3", "image:4x4", UNBALANCED, [[3, 1, 4], [2, 5]]])
@pytest.mark.parametrize("shared", [False, True])
def test_parameter_counts_match_a_direct_count(tree, shared):
    """n_weights is the number of distinct weight symbols (one matrix per level when shared)."""
    N = {"window:3": 9, "image:4x4": 16}.get(tree, 5) if isinstance(tree, str) else 5
    t = DeepArch(N=N, M=2, widths=(2, 2), tree=tree).tree if isinstance(tree, str) else tree_from_nested(tree)
    a = DeepArch(N=N, M=3, widths=(2,) * t.height, Y=2, shared=shared, tree=tree)
    symbols = {x for m in symbolic_weights(a).arrays.values() for x in m.flat}
    assert a.n_weights == len(symbols)
    if tree == "window:3":  # sum_l (N/W^l) r_{l-1} r_l + Y r_{L-1}, or one matrix per level
        assert a.n_weights == ((3 * 2 + 2 * 2 if shared else 9 * 3 * 2 + 3 * 2 * 2) + 2 * 2)


def test_shared_unbalanced_levels_share_by_shape():
    """In an unbalanced tree the nodes of one level with the same shape share (leaf 3 has another shape)."""
    a = DeepArch(N=5, M=2, widths=(2, 3, 1), shared=True, tree=UNBALANCED)
    w = random_weights(a, seed=0, bound=9)
    assert (w[(0, 0)] == w[(0, 4)]).all() and w[(0, 2)].shape == (3, 2)
    with pytest.raises(InvalidArgumentError, match="one matrix shape per level"):
        symbolic_weights(a)


@pytest.mark.parametrize("tree,N", [("window:3", 9), ("image:4x4", 16), (UNBALANCED, 5), ([[2, 4, 1], [5, 3]], 5)])
def test_network_equals_tensor(tree, N):
    """Claims 1-2 for every geometry: the forward pass equals the contraction with the coefficient tensor
    (w-fold outer products at a w-ary node), exactly; the mod-p tensor is the exact one reduced."""
    a = DeepArch(N=N, M=2, widths=(2,) * (2 if isinstance(tree, str) else tree_from_nested(tree).height), Y=2,
                 tree=tree)
    w = random_weights(a, seed=3, bound=50)
    rng = random.Random(1)
    reps = np.array([[rng.randint(-5, 5) for _ in range(2)] for _ in range(N)], dtype=object)
    scores = evaluate(w, reps)
    for y in range(2):
        t = coefficient_tensor(w, y)
        assert scores[y] == contract(t, reps)
        p = 10007
        assert (coefficient_tensor(w, y, modulus=p) == np.vectorize(lambda x: x % p)(t).astype(np.int64)).all()


def test_witness_follows_uniform_geometries_and_refuses_others():
    a = DeepArch(N=16, M=2, widths=(2, 2), tree="window:4")
    r = matricization_rank(witness_weights(a), parse_partition("odd-even", 16))
    assert r.certificate.rank == 16 and r.route == "structure"
    with pytest.raises(InvalidArgumentError, match="Theorem 2 witness is for the binary tree"):
        witness_weights(a, L_c=1)
    with pytest.raises(InvalidArgumentError, match="witness is defined level by level"):
        witness_weights(DeepArch(N=5, M=2, widths=(2, 2, 2), tree=UNBALANCED))


def test_min_cut_passes_through_delta_nodes():
    """MATH.md section 5: N=16, M=2, widths 2,2, window 4, odd/even: cutting the four level-1 delta nodes
    gives 16 = the generic rank, where edge-only cuts give 256."""
    a = DeepArch(N=16, M=2, widths=(2, 2), tree="window:4")
    part = parse_partition("odd-even", 16)
    cut = min_cut(a, part)
    assert cut.value == 16 and len(cut.deltas) == 4 and not cut.bonds
    edge_only = min_cut(a, part, through_deltas=False)
    assert edge_only.value == 256 and not edge_only.deltas
    rep = matricization_rank(random_weights(a, seed=0), part)
    assert rep.certificate.rank == 16 and "4 delta node(s)" in rep.certificate.upper.method
    g = tensor_network(a)
    assert g.number_of_nodes() == 16 + 21 + 5 and all(d["dim"] > 0 for *_, d in g.edges(data=True))


@given(vs.geometry_architectures(max_N=12, max_M=4, max_width=4, max_entries=10**9), st.data())
def test_min_cut_tree_dp_equals_max_flow(arch, data):
    """The exact dynamic programme over the tensor network (a tree) finds a cut of the same value as networkx's
    general max-flow, with and without delta nodes, on random trees, windows and binary trees."""
    part = data.draw(vs.partitions(arch.N))
    for through in (True, False):
        dp = min_cut(arch, part, through_deltas=through)
        flow = min_cut(arch, part, through_deltas=through, method="max-flow")
        assert dp.value == flow.value, (arch.tree.nested(), part.rows, through)
        assert through or not dp.deltas


def test_min_cut_tree_dp_on_the_delta_counterexample_and_the_shallow_net():
    """MATH.md section 5 (16 with delta nodes, 256 edge-only) by both methods; the CP net's cut is Z."""
    a = DeepArch(N=16, M=2, widths=(2, 2), tree="window:4")
    part = parse_partition("odd-even", 16)
    for method in ("tree", "max-flow"):
        assert min_cut(a, part, method=method).value == 16
        assert min_cut(a, part, through_deltas=False, method=method).value == 256
    assert min_cut(ShallowArch(N=6, M=3, Z=4), parse_partition("odd-even", 6)).value == 4
    with pytest.raises(InvalidArgumentError, match="Argument 'method' must be 'tree' or 'max-flow'"):
        min_cut(a, part, method="flow")


def test_image_partitions_measured():
    """The 4x4 image with 2x2 pooling (M=2): halves cost r_{L-1}, interleaved partitions min(r_0,M)^4 or r_0^4."""
    for widths, halves, interleaved in (((2, 2), 2, 16), ((2, 3), 3, 16), ((4, 4), 4, 256)):
        a = DeepArch(N=16, M=2, widths=widths, tree="image:4x4")
        w = random_weights(a, seed=0)
        for name in ("left-right", "top-bottom", "checkerboard", "column-interleaved"):
            part = named_partition(name, a.tree)
            rep = matricization_rank(w, part)
            want = halves if name in ("left-right", "top-bottom") else interleaved
            assert rep.certificate.rank == want == rep.min_cut.value, (widths, name)


@given(vs.geometry_architectures(max_N=9, max_M=3, max_width=3, max_entries=512).flatmap(
    lambda a: st.tuples(st.just(a), vs.weights(a, bound=3), vs.partitions(a.N))))
def test_min_cut_bounds_every_rank(case):
    """Levine et al. (ICLR 2018), Claim 1: rank [A]_{I,J} <= min-cut of the tensor network for ALL weights
    (narrow range, zeros allowed, shared or not), on random geometries and partitions; the cut found by
    max-flow has the value of the exact dynamic programme over the tree."""
    arch, w, part = case
    cut = min_cut(arch, part)
    rank = certify_matrix_rank(matricize(coefficient_tensor(w), part)).rank
    assert rank is not None and rank <= cut.value
    assert cut.value == arch.tree.cut_bound(frozenset(part.rows), arch.edge_dim, arch.node_dim)


@given(vs.geometry_architectures(max_N=9, max_M=3, max_width=3, shared=False, max_entries=512),
       st.integers(0, 10**6), st.data())
def test_min_cut_is_the_generic_rank_unshared(arch, seed, data):
    """With unshared weights uniform on [-10^6, 10^6] the certified rank equals the min-cut (MATH.md section 5:
    in every tested case; Levine et al. prove it when all dimensions are powers of one integer)."""
    part = data.draw(vs.partitions(arch.N))
    rep = matricization_rank(random_weights(arch, seed), part)
    assert rep.certificate.certified and rep.certificate.rank == rep.min_cut.value


def test_random_trees_are_seeded():
    assert random_tree(7, random.Random(5)) == random_tree(7, random.Random(5))


# --- command line -------------------------------------------------------------------------------------------

def test_cli_rank_window_image_and_tree_file(capsys, tmp_path):
    code, d = rank_json(capsys, "--net", "deep", "--N", 16, "--M", 2, "--widths", "2,2", "--geometry", "window:4",
                        "--partition", "rows:1,2,5,6,9,10,13,14")
    assert code == 0 and d["geometry"] == "window:4" and d["min_cut"] == d["rank"] and d["cut"]["value"] == d["min_cut"]
    code, d = rank_json(capsys, "--net", "deep", "--N", 16, "--M", 2, "--widths", "2,2", "--geometry", "image:4x4",
                        "--partition", "checkerboard")
    assert (code, d["rank"], d["min_cut"], d["partition"]) == (0, 16, 16, "checkerboard")
    code, d = rank_json(capsys, "--net", "deep", "--N", 9, "--M", 2, "--widths", "2,2", "--geometry", "window:3")
    assert code == 0 and d["rank"] == d["min_cut"] == 8
    f = tmp_path / "t.json"
    f.write_text(json.dumps({"tree": UNBALANCED, "widths": [2, 2, 2]}))
    code, d = rank_json(capsys, "--net", "deep", "--N", 5, "--M", 2, "--geometry", f"tree:{f}", "--partition", "rows:1,3")
    assert code == 0 and d["geometry"] == "tree" and d["tree"] == UNBALANCED and d["rank"] == d["min_cut"] == 4


def test_cli_weights_file_round_trip_with_geometry(capsys, tmp_path):
    code, out, _ = run_cli(capsys, "weights", "--net", "deep", "--N", 9, "--M", 2, "--widths", "2,1",
                           "--geometry", "window:3")
    f = tmp_path / "w.json"
    f.write_text(out)
    code, d = rank_json(capsys, "--net", "deep", "--N", 9, "--M", 2, "--widths", "2,1", "--geometry", "window:3",
                        "--weights-file", f)
    assert code == 0 and d["weights"] == "explicit"
    code, _, err = run_cli(capsys, "rank", "--net", "deep", "--N", 9, "--M", 2, "--widths", "2,1", "--weights-file", f,
                           "--geometry", "binary")
    assert code == 2


@pytest.mark.parametrize("content,match", [
    ("{not json", "invalid JSON \\(line 1"),
    ("[" * 100000 + "]" * 100000, "nested"),
    (json.dumps([[1, 2], [3, 4]]), "keys 'tree' and optionally 'widths'"),
    (json.dumps({"tree": [[1, 2], [3, 4]], "depth": 2}), "keys 'tree'"),
    (json.dumps({"tree": [[1, 2], [2, 3]]}), "got mode 2 twice"),
    (json.dumps({"tree": [[1, 2], [3, 4]], "widths": [2, "x"]}), "'widths' as a list of positive integers"),
    (json.dumps({"tree": [[1, 2], [3, 4], [5, 6]], "widths": [2, 2]}), "'--N' must be the number of modes"),
    (json.dumps({"tree": [[1, 2], [3, 4]], "widths": [2, 2, 2]}), "L = 2 entries"),
    (json.dumps({"tree": [[1, 2], [3, 4]], "widths": [3, 3]}), "'--widths' must agree"),
    (json.dumps({"tree": [[1, 2], [3, 4]]}), "'--widths' must be given"),
    ('{"tree": [[1, 2], [3, ' + "9" * 5000 + "]]}", "invalid JSON \\(Exceeds the limit"),
    ('{"tree": [[1, 2], [3, ' + "9" * 500 + "]]}", "got no mode 4 \\(largest 9{20}\\.\\.\\.\\)"),
])
def test_cli_bad_tree_files(capsys, tmp_path, content, match):
    f = tmp_path / "t.json"
    f.write_text(content)
    extra = ["--widths", "2,2"] if "agree" in match else []
    code, out, err = run_cli(capsys, "rank", "--net", "deep", "--N", 4, "--M", 2, "--geometry", f"tree:{f}", *extra)
    assert code == 2 and out == "" and err.count("\n") == 1 and len(err) < 300 and "Traceback" not in err
    assert err.startswith("verifier: error: Argument '") and re.search(match, err), err


def test_cli_huge_tree_file_refused_before_reading(capsys, tmp_path):
    f = tmp_path / "t.json"
    f.write_text(" " * (2**20 + 1))
    code, _, err = run_cli(capsys, "rank", "--net", "deep", "--N", 4, "--M", 2, "--widths", "2,2", "--geometry", f"tree:{f}")
    assert code == 2 and "at most 1048576 bytes" in err


def test_cli_geometry_only_for_deep_nets(capsys):
    code, _, err = run_cli(capsys, "rank", "--net", "shallow", "--N", 4, "--M", 2, "--Z", 2, "--geometry", "window:2")
    assert code == 2 and "'--geometry' must be 'binary' for --net shallow" in err


def test_cli_geometry_table(capsys, tmp_path):
    """The inductive-bias table of the 4x4 image: halves cheap, interleaved partitions exponential."""
    code, out, err = run_cli(capsys, "geometry", "--geometry", "image:4x4", "--N", 16, "--M", 2, "--widths", "2,2")
    assert code == 0 and err == ""
    lines = {ln.split()[0]: ln.split() for ln in out.splitlines()[2:8]}
    assert [lines[k][2:] for k in ("left-right", "top-bottom", "checkerboard", "column-interleaved")] == \
        [["2", "2", "yes"], ["2", "2", "yes"], ["16", "16", "yes"], ["16", "16", "yes"]]
    code, out, _ = run_cli(capsys, "geometry", "--geometry", "window:3", "--N", 9, "--M", 2, "--widths", "2,2",
                           "--partition", "rows:1,4,7", "--random-partitions", 2, "--seed", 3, "--format", "json")
    d = json.loads(out)
    assert code == 0 and [p["partition"] for p in d["partitions"]][0] == "rows:1,4,7" and len(d["partitions"]) == 3
    assert all(p["meets"] for p in d["partitions"])
    for fmt, head in (("markdown", "### Pooling geometry"), ("latex", "\\begin{tabular}{llrrl}")):
        code, out, _ = run_cli(capsys, "geometry", "--N", 4, "--M", 2, "--widths", "2,2", "--format", fmt)
        assert code == 0 and out.startswith(head)
    target = tmp_path / "bias.tex"
    code, out, _ = run_cli(capsys, "geometry", "--N", 4, "--M", 2, "--widths", "2,2", "--format", "latex",
                           "--out", target)
    assert code == 0 and out == "" and target.read_text().startswith("\\begin{tabular}")
    assert [p.name for p in tmp_path.iterdir()] == ["bias.tex"]


@pytest.mark.parametrize("argv,match", [
    (["--geometry", "image:4x4", "--N", 16, "--widths", "2,2", "--random-partitions", 5000], "'--random-partitions'"),
    (["--geometry", "window:4", "--N", 16, "--widths", "2,2", "--partition", "checkerboard"], "needs an image"),
    (["--geometry", "image:4x4", "--N", 16, "--widths", "2,2", "--partition", "rows:1,17"], "distinct modes in 1..16"),
    (["--geometry", "tree:", "--N", 16, "--widths", "2,2"], "readable JSON file"),
    (["--N", 4, "--widths", "2,2", "--out", "/nonexistent-dir/x.tex"], "'--out' must be a writable file path"),
])
def test_cli_geometry_bad_input(capsys, argv, match):
    code, out, err = run_cli(capsys, "geometry", "--M", 2, *argv)
    assert code == 2 and out == "" and match in err and err.count("\n") == 1


# --- literature checks ----------------------------------------------------------------------------------------

def test_literature_checks_pass():
    """ICLR 2017 Theorem 1, the arXiv 1703.06846 example, the min-cut equality and the shared-weight gap."""
    from verifier.theorems.pooling import pooling_reports

    reps = pooling_reports()
    assert [r.passed for r in reps] == [True] * 4
    mixed = reps[1]
    assert [s.data["rank"] for s in mixed.steps] == [64, 64, 256]
    assert [s.data["rank"] for s in reps[3].steps if s.name == "shared"] == [9]


def test_tree_files_are_the_example_trees():
    """proofs/data/ holds the trees the library checks (the proof script reads the files)."""
    import pathlib

    from verifier.theorems.pooling import MIXED_EXAMPLE_TREES

    data = pathlib.Path(__file__).resolve().parent.parent / "proofs" / "data"
    files = {"T": "mixed_T.json", "T-bar": "mixed_T_bar.json", "hybrid": "mixed_hybrid.json"}
    for name, f in files.items():
        assert json.loads((data / f).read_text())["tree"] == MIXED_EXAMPLE_TREES[name]


def test_proof_script_and_prove_registration(capsys, tmp_path):
    import os
    import subprocess
    import sys

    from verifier.theorems.prove import CHECKS

    names = [n for n, _ in CHECKS]  # registered after the four checks of the COLT paper
    assert names[:4] == ["theorem1", "corollary1", "theorem2", "measure_zero"] and "pooling_geometry" in names[4:]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    proc = subprocess.run([sys.executable, os.path.join(root, "proofs", "pooling_geometry.py"), "--cases", "4"],
                          capture_output=True, text=True, cwd=root, timeout=120, env={**os.environ, "PYTHONPATH": root})
    assert proc.returncode == 0 and "RESULT: FAIL" not in proc.stdout and proc.stdout.count("RESULT: PASS") == 4
    code, out, _ = run_cli(capsys, "rank", "--net", "deep", "--N", 16, "--M", 2, "--geometry",
                           f"tree:{os.path.join(root, 'proofs', 'data', 'mixed_hybrid.json')}",
                           "--partition", "rows:1,3,5,7,9,10,13,14")
    assert code == 0 and "rank = 256" in out and "geometry=tree" in out


@given(vs.geometry_architectures(max_N=7, max_M=2, max_width=2, max_entries=128).flatmap(
    lambda a: st.tuples(st.just(a), vs.weights(a, bound=6, fractions=True), vs.representations(a.N, a.M, 6, True))))
def test_evaluation_equals_contraction_any_geometry(case):
    """Claims 1-2 (COLT 2016, Section 3) for any mode tree: the forward pass equals the contraction with the
    coefficient tensor (w-fold outer products at a w-ary node), exactly, with rational weights."""
    arch, w, reps = case
    assert evaluate(w, reps)[0] == contract(coefficient_tensor(w), reps)

"""Theorem 2 / Corollary 2 (corrected form, MATH.md section 3): the depth-L_c net, block partitions, the
Theorem 2 witness, the counterexample to the uncorrected form, and the command line."""

import json
import re

import numpy as np
import pytest

from tests.helpers import rank_json, run_cli
from verifier.errors import InvalidArgumentError
from verifier.exact.tensors import matricize, parse_partition
from verifier.nets.architectures import DeepArch, DepthArch, ShallowArch, check_depth, depth_tree
from verifier.nets.coefficients import coefficient_tensor, contract
from verifier.nets.evaluate import evaluate
from verifier.nets.weights import random_weights, symbolic_weights, weights_from_arrays, witness_weights
from verifier.rank.matricization import matricization_rank, structural_upper_bounds
from verifier.theorems.theorem2 import block_target, check_theorem2, theorem2_reports

# (N, M, deep widths, L_c, expected generic block rank); MATH.md sections 3 and 6.
BLOCK_RANKS = [
    (8, 2, (2, 2, 2), 2, 4),     # acceptance; MATH.md section 6 reference value
    (8, 2, (2, 1, 1), 2, 1),     # the counterexample: min(r_0, M) alone would claim 4
    (16, 2, (2, 2, 2, 2), 3, 4),  # acceptance
    (8, 2, (4, 4, 4), 2, 16),    # not tight when r_0 > M: bound 4
    (16, 2, (2, 2, 2, 2), 2, 16),
]


@pytest.mark.parametrize("N,M,widths,L_c,generic", BLOCK_RANKS)
def test_block_rank_examples(N, M, widths, L_c, generic):
    """Random weights (wide range) reach the generic block rank, certified; the witness reaches exactly
    the Theorem 2 bound r^{N/2^{L_c}} with r = min(r_0..r_{L_c-1}, M)."""
    arch = DeepArch(N=N, M=M, widths=widths)
    part = parse_partition(f"blocks:{1 << (L_c - 1)}", N)
    cert = matricization_rank(random_weights(arch, seed=0), part).certificate
    assert cert.certified and cert.rank == generic
    _, _, target = block_target(arch, L_c)
    wit = matricization_rank(witness_weights(arch, L_c), part).certificate
    assert wit.certified and wit.rank == target <= generic


def test_counterexample_for_all_weights():
    """N=8, M=2, widths (2,1,1), L_c=2: the tree cut bounds the block rank by 1 for ALL weights, while
    min(r_0, M)^{N/2^{L_c}} = 4: the uncorrected statement is false. The report shows it as step (f)."""
    arch = DeepArch(N=8, M=2, widths=(2, 1, 1))
    part = parse_partition("blocks:2", 8)
    assert min(b.value for b in structural_upper_bounds(arch, part)) == 1
    for seed in range(3):
        assert matricization_rank(random_weights(arch, seed), part).certificate.rank == 1
    rep = check_theorem2(8, 2, (2, 1, 1), 2)
    step = next(s for s in rep.steps if s.name.startswith("(f)"))
    assert rep.passed and step.status == "PASS" and "1 < 4" in step.detail


def test_depth_tree_shapes():
    """The depth-L_c tree: binary up to level L_c - 1, then one root pooling N/2^{L_c-1} nodes."""
    t = depth_tree(16, 3)
    assert t.root == (3, 0) and t.children(t.root) == ((2, 0), (2, 1), (2, 2), (2, 3))
    assert t.modes((2, 1)) == (4, 5, 6, 7)
    a = DepthArch(N=16, M=3, widths=(2, 4, 5), L_c=3, Y=2)
    assert [a.node_shape(v) for v in ((0, 0), (1, 0), (2, 0), (3, 0))] == [(2, 3), (4, 2), (5, 4), (2, 5)]


def test_depth_one_is_the_shallow_net():
    """L_c = 1 is the shallow net with Z = r_0: same parameter count, same tensor for the same weights."""
    d = DepthArch(N=4, M=2, widths=(3,), L_c=1, Y=2)
    s = ShallowArch(N=4, M=2, Z=3, Y=2)
    assert d.n_weights == s.n_weights
    w = random_weights(d, seed=4, bound=50)
    ws = weights_from_arrays(s, {v: w[v].tolist() for v in s.tree.postorder()})
    for y in range(2):
        assert (coefficient_tensor(w, y) == coefficient_tensor(ws, y)).all()


def test_depth_net_evaluation_matches_tensor():
    """Running the depth-L_c net forward equals contracting its tensor (exactly); symbolic weights are
    named as in the paper (the root is the output layer a^{L_c,1,y})."""
    a = DepthArch(N=8, M=2, widths=(2, 3), L_c=2)
    w = random_weights(a, seed=7, bound=20)
    rng = np.random.default_rng(0)
    for _ in range(3):
        reps = np.array([[int(x) for x in row] for row in rng.integers(-5, 6, size=(8, 2))], dtype=object)
        assert evaluate(w, reps)[0] == contract(coefficient_tensor(w), reps)
    sym = symbolic_weights(a)
    assert str(sym[(2, 0)][0, 2]) == "a^{2,1,1}_3"


def test_depth_block_rank_at_most_last_width():
    """Theorem 2's upper side: a depth-L_c net's block rank is <= its last width (tree cut, all weights)
    and random weights reach min(last width, ..)."""
    for widths, last in (((2, 3), 3), ((3, 1), 1), ((4, 4), 4)):
        a = DepthArch(N=8, M=2, widths=widths, L_c=2)
        part = parse_partition("blocks:2", 8)
        assert min(b.value for b in structural_upper_bounds(a, part)) <= last
        c = matricization_rank(random_weights(a, seed=1), part).certificate
        assert c.certified and c.rank <= last


def test_blocks_partition():
    """blocks:B takes the odd blocks (1-based) of B consecutive modes as rows; blocks:1 is odd-even."""
    assert parse_partition("blocks:2", 8).rows == (0, 1, 4, 5)
    assert parse_partition("blocks:4", 16).rows == (0, 1, 2, 3, 8, 9, 10, 11)
    assert parse_partition("blocks:1", 6).rows == parse_partition("odd-even", 6).rows
    assert parse_partition("blocks:3", 6).rows == (0, 1, 2)
    t = np.arange(16, dtype=object).reshape(2, 2, 2, 2)
    assert matricize(t, parse_partition("blocks:2", 4)).tolist() == t.reshape(4, 4).tolist()


@pytest.mark.parametrize("spec", ["blocks:3", "blocks:0", "blocks:x", "blocks:8", "blocks:-2"])
def test_blocks_partition_errors(spec):
    """B must divide N into an even number of blocks."""
    with pytest.raises(InvalidArgumentError, match=r"Argument 'partition' must be 'blocks:B' with B dividing "
                                                  r"N = 8 into an even number of blocks"):
        parse_partition(spec, 8)


def test_depth_errors():
    """L_c outside 1..L-1, widths of the wrong length, N not a power of 2."""
    with pytest.raises(InvalidArgumentError, match=r"Argument 'L_c' must be an integer in 1..L-1 = 1..2 for N = 8"):
        DepthArch(N=8, M=2, widths=(2, 2, 2), L_c=3)
    with pytest.raises(InvalidArgumentError, match=r"Argument 'L_c' must be an integer in 1..L-1 = empty"):
        check_depth(1, 2)
    with pytest.raises(InvalidArgumentError, match=r"got 0"):
        check_depth(0, 16)
    with pytest.raises(InvalidArgumentError, match=r"Argument 'widths' must have L_c = 2 entries"):
        DepthArch(N=8, M=2, widths=(2,), L_c=2)
    with pytest.raises(InvalidArgumentError, match=r"Argument 'N' must be a power of 2"):
        DepthArch(N=12, M=2, widths=(2,), L_c=1)
    with pytest.raises(InvalidArgumentError, match=r"Argument 'L_c' must be an integer in 1..L-1"):
        check_theorem2(8, 2, (2, 2, 2), 0)


def test_theorem2_reports_pass_and_are_fast():
    """The default reports (prove, proofs/theorem2.py) all pass; the counterexample is among them."""
    reps = theorem2_reports()
    assert all(r.passed for r in reps)
    assert any(s.name.startswith("(f)") and s.status == "PASS" for r in reps for s in r.steps)


def test_theorem2_skips_dense_steps_when_large():
    """Dense steps are SKIP above the limit; the witness step still certifies through Lemmas K and R."""
    rep = check_theorem2(8, 3, (3, 3, 3), 2, dense_limit=10)
    status = {s.name: s.status for s in rep.steps}
    assert status["(c) witness"] == "PASS" and status["(d) random, unshared"] == "SKIP" and rep.passed


@pytest.mark.parametrize("widths,rank", [("2,2,2", 4), ("2,1,1", 1)])
def test_cli_rank_blocks_acceptance(capsys, widths, rank):
    """verifier rank --partition blocks:2 gives 4 for widths 2,2,2 and 1 for 2,1,1 (certified)."""
    code, d = rank_json(capsys, "--net", "deep", "--N", "8", "--M", "2", "--widths", widths, "--partition", "blocks:2")
    assert code == 0 and d["rank"] == rank and d["certified"] and d["lower_bound"] == d["upper_bound"]


def test_cli_rank_blocks_n16(capsys):
    """N=16, M=2, widths 2,2,2,2, blocks:4 gives 4; the tree cut meets the modular lower bound."""
    code, d = rank_json(capsys, "--net", "deep", "--N", "16", "--M", "2", "--widths", "2,2,2,2", "--partition",
                        "blocks:4")
    assert code == 0 and d["rank"] == 4 and "minimal cut" in d["upper_method"]


def test_cli_rank_depth_net(capsys):
    """verifier rank --net depth --Lc: the depth-L_c net's block rank is its last width."""
    code, d = rank_json(capsys, "--net", "depth", "--Lc", "2", "--N", "8", "--M", "2", "--widths", "2,3",
                        "--partition", "blocks:2")
    assert code == 0 and d["rank"] == 3 and d["architecture"]["L_c"] == 2
    code, out, _ = run_cli(capsys, "rank", "--net", "depth", "--Lc", "2", "--N", "8", "--M", "2", "--widths", "2,3")
    assert code == 0 and "depth ConvAC N=8 M=2 widths=2,3 L_c=2" in out


BAD = [
    (["rank", "--net", "deep", "--N", "8", "--M", "2", "--widths", "2,2,2", "--partition", "blocks:3"],
     r"Argument 'partition' must be 'blocks:B' with B dividing N = 8 into an even number of blocks, got 'blocks:3'"),
    (["rank", "--net", "depth", "--N", "8", "--M", "2", "--widths", "2,2,2", "--Lc", "3"],
     r"Argument '--Lc' must be an integer in 1..L-1 = 1..2 for N = 8 \(L = 3\), got 3"),
    (["rank", "--net", "depth", "--N", "8", "--M", "2", "--widths", "2,2", "--Lc", "0"],
     r"argument --Lc: must be a positive integer, got '0'"),
    (["rank", "--net", "depth", "--N", "8", "--M", "2", "--widths", "2,2"], r"Argument '--Lc' must be given"),
    (["rank", "--net", "deep", "--N", "8", "--M", "2", "--widths", "2,2,2", "--Lc", "2"],
     r"Argument '--Lc' must not be given for --net deep"),
    (["rank", "--net", "depth", "--N", "8", "--M", "2", "--widths", "2,2", "--Lc", "2", "--weights", "witness"],
     r"Argument '--weights' must be 'random' for --net depth"),
    (["theorem2", "--N", "8", "--M", "2", "--widths", "2,2,2", "--Lc", "3"],
     r"Argument '--Lc' must be an integer in 1..L-1 = 1..2 for N = 8 \(L = 3\), got 3"),
    (["theorem2", "--N", "8", "--M", "2", "--widths", "2,2,2", "--Lc", "0"], r"argument --Lc: must be a positive"),
    (["theorem2", "--N", "8", "--M", "2", "--widths", "2,2", "--Lc", "1"],
     r"Argument 'widths' must have log2\(N\) = 3"),
]


@pytest.mark.parametrize("argv,message", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_cli_bad_input(capsys, argv, message):
    """Exit 2 with one line naming the argument."""
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert re.search(message, err), err


def test_cli_theorem2(capsys):
    """verifier theorem2 prints the report (text or JSON) and exits 0 when it passes."""
    code, out, _ = run_cli(capsys, "theorem2", "--N", "8", "--M", "2", "--widths", "2,1,1", "--Lc", "2")
    assert code == 0 and "PASS  (f) r = min(r_0, M) is wrong" in out and "RESULT: PASS" in out
    code, out, _ = run_cli(capsys, "theorem2", "--N", "8", "--M", "2", "--widths", "2,2,2", "--Lc", "2",
                           "--format", "json")
    assert code == 0 and json.loads(out)["passed"] is True

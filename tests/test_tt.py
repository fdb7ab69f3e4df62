"""Tensor trains (issue 20; Khrulkov, Novikov & Oseledets, ICLR 2018): the caterpillar embedding is the TT exactly,
its min-cut is the TT's own, certified ranks stay below the min-cut and reach it at random cores, the routes agree,
certificates pass the unchanged checker (and claims +/- 1 are rejected), the witness at N = 1024 is certified by
structure, and the command line answers bad input in one line."""

import itertools
import json
import pathlib

import jsonschema
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import rank_json, run_cli
from verifier.checker import ClaimError, check_certificate
from verifier.errors import InvalidArgumentError, SizeLimitError
from verifier.exact.tensors import parse_partition
from verifier.nets.coefficients import coefficient_tensor
from verifier.nets.evaluate import evaluate
from verifier.nets.tt import (TTArch, caterpillar_tree, tt_cores, tt_forward, tt_min_cut, tt_random_weights,
                              tt_tensor, tt_weights, tt_witness_weights)
from verifier.rank.mincut import min_cut
from verifier.rank.tt import pair_tree_weights, runs_rank, tt_certificate, tt_rank
from verifier.rank.tt_chain import runs, tt_network_cut
from verifier.strategies import partitions, representations, tt_architectures, tt_core_weights
from verifier.theorems.tt import check_tt_equal_cores, check_tt_theorem1, check_tt_vs_ht

SCHEMA = json.loads((pathlib.Path(__file__).parents[1] / "docs" / "certificate.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def all_partitions(N):
    for k in range(1, N):
        for rows in itertools.combinations(range(N), k):
            yield parse_partition("rows:" + ",".join(str(i + 1) for i in rows), N)


# --- the embedding -------------------------------------------------------------------------------------------------

@settings(max_examples=25)
@given(st.data())
def test_embedding_is_the_tt(data):
    """The caterpillar net's coefficient tensor (tree code) equals the TT contraction entry by entry, exactly and
    mod p, and the network run forward equals the RNN forward pass and the tensor contracted with the inputs."""
    arch = data.draw(tt_architectures(max_N=5, max_M=3, max_bond=3))
    w = data.draw(tt_core_weights(arch, bound=5, fractions=True))
    cores = tt_cores(w)
    direct = tt_tensor(cores)
    assert (coefficient_tensor(w) == direct).all()
    iw = w.integral()
    assert (coefficient_tensor(iw, modulus=101) == tt_tensor(tt_cores(iw), modulus=101)).all()
    reps = data.draw(representations(arch.N, arch.M, bound=4))
    by_tensor = sum(direct[idx] * np.prod([reps[i][d] for i, d in enumerate(idx)])
                    for idx in np.ndindex(*direct.shape))
    assert evaluate(w, reps)[0] == tt_forward(cores, reps) == by_tensor


def test_caterpillar_shape_and_round_trip():
    a = TTArch(N=4, M=2, bonds=(1, 2, 3))
    t = caterpillar_tree(4)
    assert a.tree == t and t.root == (6, 0) and t.children((6, 0)) == ((5, 0), (0, 3))
    assert [a.node_shape(v) for v in ((0, 0), (1, 0), (2, 0), (0, 1), (5, 0), (6, 0))] == \
        [(1, 2), (2, 1), (2, 2), (2, 2), (6, 3), (1, 6)]
    w = tt_random_weights(a, seed=3, bound=7)
    again = tt_weights(a, tt_cores(w))
    assert all((again[v] == w[v]).all() for v in a.tree.postorder())
    assert a.n_weights == 2 * 1 + 2 * 2 + 2 * 6 + 2 * 3


# --- min-cut -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("N,M,bonds", [(4, 2, (2,)), (5, 3, (1, 2, 3, 4)), (6, 2, (3,)), (6, 3, (2, 5, 1, 3, 2)),
                                       (7, 2, (4,))])
def test_embedded_min_cut_is_the_chain_dp(N, M, bonds):
    """The tensor-network min-cut of the caterpillar (delta nodes of r M channels) equals the TT chain's own DP
    (bonds r_k, legs M) on every partition."""
    a = TTArch(N=N, M=M, bonds=bonds)
    for p in all_partitions(N):
        assert min_cut(a, p).value == tt_min_cut(a, p.rows) == tt_network_cut(a, p).value, p.spec


def test_chain_dp_by_brute_force():
    a = TTArch(N=5, M=3, bonds=(2, 4, 1, 5))
    for p in all_partitions(5):
        best = None
        for sides in itertools.product((True, False), repeat=5):
            cost = 1
            for s in range(5):
                cost *= 1 if sides[s] == (s in p.rows) else 3
                if s and sides[s] != sides[s - 1]:
                    cost *= a.bond(s)
            best = cost if best is None else min(best, cost)
        assert tt_min_cut(a, p.rows) == best


# --- certified ranks -----------------------------------------------------------------------------------------------

@settings(max_examples=30)
@given(st.data())
def test_certified_rank_at_most_min_cut_for_all_weights(data):
    """Levine et al., Claim 1: rank [A]_{I,J} <= min-cut, whatever the cores (zeros and fractions included)."""
    arch = data.draw(tt_architectures(max_N=5, max_M=3, max_bond=3))
    w = data.draw(tt_core_weights(arch, bound=3, fractions=True))
    p = data.draw(partitions(arch.N, proper=True))
    rep = tt_rank(w, p)
    assert rep.certificate.certified
    assert rep.certificate.rank <= rep.min_cut.value == tt_min_cut(arch, p.rows)


@pytest.mark.parametrize("N,M,r", [(4, 2, 2), (6, 2, 4), (5, 3, 3), (6, 2, 2), (6, 4, 2)])
def test_random_rank_equals_min_cut_with_powers_of_one_integer(N, M, r):
    """With M and every bond powers of one integer, random cores reach the min-cut on every partition (Levine et
    al.: the generic rank is the min-cut)."""
    a = TTArch(N=N, M=M, bonds=r)
    w = tt_random_weights(a, seed=N + M + r)
    for p in all_partitions(N):
        rep = tt_rank(w, p)
        assert rep.certificate.certified and rep.certificate.rank == rep.min_cut.value, p.spec


def test_random_row_sets_up_to_n10_are_certified_and_generic():
    """Acceptance: random row sets at N <= 10, M <= 3, bonds <= 4 are certified, and equal the generic rank (two
    independent seeds agree, and it is at most the min-cut; where it reaches the min-cut it is the maximum)."""
    import random

    rng = random.Random(20)
    for N, M, r in [(10, 3, 4), (10, 2, 3), (9, 3, 2), (8, 3, 4), (10, 3, 2)]:
        for _ in range(2):
            rows = sorted(rng.sample(range(N), rng.randint(1, N - 1)))
            p = parse_partition("rows:" + ",".join(str(i + 1) for i in rows), N)
            a = TTArch(N=N, M=M, bonds=r)
            one, two = (tt_rank(tt_random_weights(a, seed=s), p).certificate for s in (1, 2))
            assert one.certified and two.certified and one.rank == two.rank <= tt_min_cut(a, p.rows)


def test_acceptance_n8_odd_even(capsys):
    code, out = rank_json(capsys, "--net", "tt", "--N", "8", "--M", "3", "--bonds", "3", "--partition", "odd-even")
    assert code == 0 and out["rank"] == 81 and out["min_cut"] == 81 and out["certified"]
    assert out["architecture"] == {"net": "tt", "N": 8, "M": 3, "bonds": [3] * 7, "Y": 1, "shared": False}


@pytest.mark.parametrize("spec", ["low-high", "rows:1,2,5,6,9,10", "rows:1,3,4,8,9,12", "odd-even"])
def test_runs_route_agrees_with_dense(spec):
    """The runs route (each run contracted to a spanning set of its patterns) gives the dense rank."""
    w = tt_random_weights(TTArch(N=12, M=2, bonds=(2, 3, 2, 4, 3, 2, 2, 3, 4, 2, 3)), seed=5)
    p = parse_partition(spec, 12)
    runs_rep, dense_rep = tt_rank(w, p, route="runs"), tt_rank(w, p, route="dense")
    assert runs_rep.certificate.lower.value == dense_rep.certificate.rank
    assert runs_rep.route == "runs" and dense_rep.route == "dense"


def test_runs_route_beyond_dense():
    """N = 200 low-high and blocks of 50: far beyond M^N entries, certified through the runs."""
    w = tt_random_weights(TTArch(N=200, M=3, bonds=3), seed=0)
    for spec, rank in (("low-high", 3), ("rows:" + ",".join(str(i) for i in list(range(1, 51)) +
                                                             list(range(101, 151))), 27)):
        rep = tt_rank(w, parse_partition(spec, 200))
        assert rep.route == "runs" and rep.certificate.certified and rep.certificate.rank == rank
    assert runs(parse_partition("low-high", 4)) == [(0, 1, True), (2, 3, False)]
    with pytest.raises(SizeLimitError, match="runs route"):
        runs_rank(w, parse_partition("odd-even", 200))


def test_witness_at_1024_by_structure():
    """The witness TT (pairs) at N = 1024: rank 3^512 through the pair split (Lemmas K, R), never M^N entries;
    its min-cut is the TT's; the pair tree's tensor equals the TT's (checked densely at N = 8)."""
    w = tt_witness_weights(TTArch(N=1024, M=3, bonds=3))
    rep = tt_rank(w, parse_partition("odd-even", 1024))
    assert rep.route == "structure" and rep.certificate.rank == 3**512 == rep.min_cut.value
    small = tt_witness_weights(TTArch(N=8, M=3, bonds=(2, 1, 3, 2, 3, 5, 2)))
    assert (coefficient_tensor(pair_tree_weights(small)) == tt_tensor(tt_cores(small))).all()


# --- certificates --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", ["dense", "runs", "structure", "cut", "runs-cut"])
def test_certificates_pass_and_claims_off_by_one_fail(case):
    if case == "structure":
        w, spec, route = tt_witness_weights(TTArch(N=64, M=2, bonds=2)), "odd-even", "auto"
    elif case == "runs":
        w, spec, route = tt_random_weights(TTArch(N=14, M=3, bonds=2), seed=1), "rows:1,2,3,7,8,12", "runs"
    elif case == "runs-cut":
        w, spec, route = tt_random_weights(TTArch(N=40, M=3, bonds=2), seed=1), "rows:1,2,3,4,5,21,22,23", "runs"
    elif case == "cut":
        w, spec, route = tt_random_weights(TTArch(N=6, M=3, bonds=2), seed=1), "low-high", "dense"
    else:
        w, spec, route = tt_random_weights(TTArch(N=8, M=3, bonds=3), seed=2), "odd-even", "dense"
    rep = tt_rank(w, parse_partition(spec, w.arch.N), route=route)
    cert = json.loads(json.dumps(tt_certificate(w, rep)))
    VALIDATOR.validate(cert)
    if case.endswith("cut"):
        assert cert["evidence"]["upper"]["kind"] == "cut"
    r = rep.certificate.rank
    assert check_certificate(cert).startswith(f"rank = {r}")
    for wrong in (r + 1, r - 1):
        with pytest.raises(ClaimError):
            check_certificate({**cert, "claim": {"rank": wrong}})


def test_cli_certificate_round_trip(tmp_path, capsys):
    path = tmp_path / "c.json"
    code, _, _ = run_cli(capsys, "rank", "--net", "tt", "--N", "8", "--M", "3", "--bonds", "3", "--certificate", path)
    assert code == 0
    assert run_cli(capsys, "check", path)[0] == 0
    cert = json.loads(path.read_text())
    cert["claim"]["rank"] += 1
    path.write_text(json.dumps(cert))
    code, out, _ = run_cli(capsys, "check", path)
    assert code == 1 and "FAIL" in out


# --- statement checks ----------------------------------------------------------------------------------------------

def test_statement_checks_pass():
    assert check_tt_theorem1(N=6, M=2, bonds=2).passed
    assert [s.status for s in check_tt_theorem1(N=1024, M=3, bonds=3).steps].count("PASS") == 3
    assert check_tt_equal_cores(sizes=((4, 2, 2), (6, 3, 2))).passed
    assert check_tt_vs_ht(sizes=((8, 2, 2),)).passed


# --- bad input -----------------------------------------------------------------------------------------------------

BAD = [
    (["--N", "8", "--M", "3"], "'--bonds' must be given"),
    (["--N", "8", "--M", "3", "--bonds", "3,3"], "'--bonds' must have 1 or N-1 = 7 entries"),
    (["--N", "8", "--M", "3", "--bonds", "0"], "--bonds"),
    (["--N", "8", "--M", "3", "--bonds", "x"], "--bonds"),
    (["--N", "1", "--M", "3", "--bonds", "3"], "'--N' must be at least 2"),
    (["--N", "8", "--M", "3", "--bonds", "3", "--widths", "3"], "'--widths' must not be given for --net tt"),
    (["--N", "8", "--M", "3", "--bonds", "3", "--Z", "3"], "'--Z' must not be given"),
    (["--N", "8", "--M", "3", "--bonds", "3", "--Y", "2"], "'--Y' must be 1"),
    (["--N", "8", "--M", "3", "--bonds", "2,3,2,3,2,3,2", "--shared"], "equal bonds"),
    (["--N", "7", "--M", "3", "--bonds", "3", "--weights", "witness"], "odd N"),
    (["--N", "6", "--M", "3", "--bonds", "3", "--weights", "witness", "--shared"], "with --shared"),
    (["--N", "6", "--M", "1", "--bonds", "3", "--shared"], "'--M' must be at least 2"),
    (["--N", "8", "--M", "3", "--bonds", "3", "--weights", "witness", "--seed", "1"], "'--seed' must not be given"),
    (["--N", "8", "--M", "3", "--bonds", "3", "--route", "pair-diagonal"], "'--route' must be one of"),
    (["--N", "8", "--M", "3", "--bonds", "3", "--geometry", "window:4"], "'--geometry' must not be given"),
    (["--N", "8", "--M", "3", "--bonds", "3", "--kernel", "2"], "'--kernel' must be 1"),
    (["--N", "8", "--M", "3", "--bonds", "3", "--route", "structure"], "'--route' must be"),
    (["--N", "40000", "--M", "3", "--bonds", "3"], "N"),
    (["--N", "4000", "--M", "3", "--bonds", "300"], "entries"),
    (["--N", "40", "--M", "3", "--bonds", "3", "--route", "dense"], "Arguments 'N', 'M'"),
]


@pytest.mark.parametrize("argv,match", BAD)
def test_bad_input_one_line(capsys, argv, match):
    code, out, err = run_cli(capsys, "rank", "--net", "tt", *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and len(err) < 300 and match in err, err


def test_bad_weights_files(tmp_path, capsys):
    base = ["rank", "--net", "tt", "--N", "3", "--M", "2", "--bonds", "2", "--weights-file"]
    cases = {
        "wrong core shape": ({"cores": [[[[1, 2]]], [[[1]]], [[[1]]]]}, "cores[0]"),
        "not a list": ({"cores": 5}, "'cores'"),
        "non-exact entry": ({"cores": [[[[1.5, 2]], [[1, 2]]], [[[1, 1], [1, 1]], [[1, 1], [1, 1]]],
                                       [[[1], [1]], [[1], [1]]]]}, "cores[0]"),
        "extra key": ({"cores": [], "bogus": 1}, "got also"),
        "wrong architecture": ({"architecture": {"net": "tt", "N": 4}, "cores": []}, "must hold weights of"),
        "not an object": ([1, 2], "JSON object"),
    }
    for name, (data, match) in cases.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(data))
        code, out, err = run_cli(capsys, *base, path)
        assert code == 2 and err.count("\n") == 1 and len(err) < 300 and match in err, (name, err)


def test_weights_command_round_trip(tmp_path, capsys):
    code, out, _ = run_cli(capsys, "weights", "--net", "tt", "--N", "4", "--M", "2", "--bonds", "2,3,2", "--seed", "7")
    assert code == 0 and json.loads(out)["cores"]
    path = tmp_path / "w.json"
    path.write_text(out)
    code, from_file = rank_json(capsys, "--net", "tt", "--N", "4", "--M", "2", "--bonds", "2,3,2", "--weights-file",
                                path, "--partition", "rows:1,3")
    code2, direct = rank_json(capsys, "--net", "tt", "--N", "4", "--M", "2", "--bonds", "2,3,2", "--seed", "7",
                              "--partition", "rows:1,3")
    assert code == code2 == 0 and from_file["rank"] == direct["rank"] and from_file["weights"] == "explicit"


def test_library_errors_are_package_errors():
    with pytest.raises(InvalidArgumentError, match="'N' must be an integer >= 2"):
        TTArch(N=1, M=2, bonds=2)
    with pytest.raises(InvalidArgumentError, match="'Y' must be 1"):
        TTArch(N=3, M=2, bonds=2, Y=2)
    with pytest.raises(InvalidArgumentError, match="'route' must be one of"):
        tt_rank(tt_random_weights(TTArch(N=3, M=2, bonds=2)), parse_partition("odd-even", 3), route="reduced")
    with pytest.raises(InvalidArgumentError, match="even number of sites"):
        tt_witness_weights(TTArch(N=3, M=2, bonds=2))


@settings(max_examples=30)
@given(st.data())
def test_runs_route_equals_dense_mod_p(data):
    """The runs route keeps the row space of every run mod p, so its rank mod p is the dense rank mod p (same
    prime), whatever the cores (zeros included): it is never weaker than the dense route."""
    arch = data.draw(tt_architectures(max_N=6, max_M=3, max_bond=3, shared=False))
    w = data.draw(tt_core_weights(arch, bound=2))
    p = data.draw(partitions(arch.N, proper=True))
    assert tt_rank(w, p, route="runs").certificate.lower.value == tt_rank(w, p, route="dense").certificate.lower.value


def test_spans_route_equals_dense_and_reaches_large_n(capsys):
    """Runs of full span: rank [A] = product of the bonds between runs (checked against the dense rank on every
    partition where it applies at N = 6, M = 4), and at N = 64 odd-even (rank 2^63, far beyond any matrix)."""
    from verifier.rank.tt_spans import spans_applies

    a = TTArch(N=6, M=4, bonds=(2, 3, 2, 1, 2))
    w = tt_random_weights(a, seed=3)
    checked = 0
    for p in all_partitions(6):
        if spans_applies(a, p):
            spans = tt_rank(w, p, route="spans", check=False)
            assert spans.certificate.rank == tt_rank(w, p, route="dense").certificate.rank
            checked += 1
    assert checked >= 10
    big_w = tt_random_weights(TTArch(N=64, M=4, bonds=2), seed=0)
    big = tt_rank(big_w, parse_partition("odd-even", 64), check=False)
    assert big.route == "spans" and big.certificate.rank == 2**63 <= big.min_cut.value
    gated = tt_rank(big_w, parse_partition("odd-even", 64))      # no certificate format: not certified (issue 17)
    assert gated.checked is False and not gated.certificate.certified and "spans" in gated.check
    zero = tt_weights(TTArch(N=4, M=4, bonds=2), [np.zeros(TTArch(N=4, M=4, bonds=2).core_shape(i), dtype=object)
                                                 for i in range(4)])
    with pytest.raises(InvalidArgumentError, match="full span"):
        tt_rank(zero, parse_partition("odd-even", 4), route="spans")
    code, out, err = run_cli(capsys, "rank", "--net", "tt", "--N", "64", "--M", "4", "--bonds", "2", "--certificate",
                             "/dev/null/x.json")
    assert code == 2 and err.count("\n") == 1


# --- differential soundness: every TT route against a tiny exact reference -----------------------------------------

P31 = 2**31 - 1  # the default prime: entries that are multiples of it vanish mod p


def _reference_rank(cores, rows, N, M):
    """rank over Q of [A]_{I,J}, written here from scratch: the TT contracted with Python integers, then
    fraction-free Gaussian elimination (Bareiss) on the integer matrix."""
    entries = {}
    for idx in itertools.product(range(M), repeat=N):
        vec = [int(x) for x in cores[0][idx[0], 0, :]]
        for s in range(1, N):
            core = cores[s]
            vec = [sum(vec[b] * int(core[idx[s], b, c]) for b in range(len(vec))) for c in range(core.shape[2])]
        entries[idx] = vec[0]
    cols = [s for s in range(N) if s not in rows]
    mat = []
    for ri in itertools.product(range(M), repeat=len(rows)):
        line = []
        for ci in itertools.product(range(M), repeat=len(cols)):
            idx = [0] * N
            for s, d in zip(rows, ri):
                idx[s] = d
            for s, d in zip(cols, ci):
                idx[s] = d
            line.append(entries[tuple(idx)])
        mat.append(line)
    rank, prev, m = 0, 1, [row[:] for row in mat]
    n_rows, n_cols = len(m), len(m[0])
    for col in range(n_cols):
        pivot = next((i for i in range(rank, n_rows) if m[i][col]), None)
        if pivot is None:
            continue
        m[rank], m[pivot] = m[pivot], m[rank]
        for i in range(rank + 1, n_rows):
            for j in range(col + 1, n_cols):
                m[i][j] = (m[i][j] * m[rank][col] - m[i][col] * m[rank][j]) // prev
            m[i][col] = 0
        prev = m[rank][col]
        rank += 1
    return rank


ADVERSARIAL = st.sampled_from([0, 0, 1, -1, 2, P31, -P31, 2 * P31, P31 * 3 + 1, 2147483629, 2147483587 * 2147483629])


@st.composite
def adversarial_tts(draw):
    """Small TTs with adversarial cores: zero cores, repeated cores, entries that are multiples of the primes the
    routes use (so ranks mod p fall), shared or not."""
    arch = draw(tt_architectures(max_N=6, max_M=3, max_bond=3, max_entries=3**6))
    cores = [np.zeros(arch.core_shape(i), dtype=object) for i in range(arch.N)]
    base = None
    for i, core in enumerate(cores):
        mode = draw(st.sampled_from(["zero", "entries", "repeat", "entries"]) if i else st.just("entries"))
        if arch.shared and 0 < i < arch.N - 1 and base is not None:
            core[...] = base
            continue
        if mode == "repeat" and core.shape == cores[i - 1].shape:
            core[...] = cores[i - 1]
        elif mode != "zero":
            for idx in np.ndindex(core.shape):
                core[idx] = draw(ADVERSARIAL)
        if arch.shared and 0 < i < arch.N - 1:
            base = core.copy()
    return tt_weights(arch, cores), cores


@settings(max_examples=60, deadline=None)
@given(adversarial_tts(), st.data())
def test_every_route_agrees_with_an_exact_reference(tt, data):
    """Soundness: for every TT route (auto, structure, runs, spans, dense), with adversarial cores, the bounds
    bracket the exact rank over Q (lower <= rank <= upper) and a certified rank IS the rank; the gate (the
    independent checker) never lets a wrong rank through."""
    w, cores = tt
    arch = w.arch
    p = data.draw(partitions(arch.N, proper=True))
    exact = _reference_rank(cores, sorted(p.rows), arch.N, arch.M)
    assert exact <= tt_min_cut(arch, p.rows)
    for route in ("auto", "structure", "runs", "spans", "dense"):
        for check in (True, False):
            try:
                rep = tt_rank(w, p, route=route, check=check)
            except InvalidArgumentError:  # the route does not apply to these cores or this partition
                continue
            c = rep.certificate
            assert c.lower.value <= exact <= c.upper.value, (route, check, c.lower, c.upper, exact)
            if c.certified:
                assert c.rank == exact, (route, check)
            if check and rep.route != "spans":
                assert rep.checked is True and c.certified == (c.lower.value == c.upper.value)


def test_reference_rank_by_hand():
    """The test's own reference: a 2-site TT is a matrix product, [A] = G_1 G_2^T (rank 1 here, then 2)."""
    one = [np.array([[[1]], [[2]]], dtype=object), np.array([[[3]], [[4]]], dtype=object)]
    assert _reference_rank(one, [0], 2, 2) == 1
    two = [np.array([[[1, 0]], [[0, P31]]], dtype=object), np.array([[[1], [0]], [[0], [1]]], dtype=object)]
    assert _reference_rank(two, [0], 2, 2) == 2


def test_sweep_over_tt_rows(tmp_path, capsys):
    """``verifier sweep`` takes ``bonds`` in a grid with ``net: ["tt"]``; its rows are the TT's certified ranks."""
    grid = tmp_path / "g.json"
    grid.write_text(json.dumps({"rank": {"net": ["tt"], "zip": [{"N": 6, "bonds": 2}, {"N": 4, "bonds": "1,3,2"}],
                                         "M": [2], "route": ["auto", "compressed"]}}))
    out = tmp_path / "r.jsonl"
    code, _, err = run_cli(capsys, "sweep", str(grid), "--out", str(out))
    assert code == 0, err
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["args"]["N"], r["route"], r["rank"], r["certified"]) for r in rows] == [
        (6, "dense", 8, True), (6, "runs", 8, True), (4, "dense", 2, True), (4, "runs", 2, True)]
    assert all(r["bonds"] in ([2] * 5, [1, 3, 2]) for r in rows)


@pytest.mark.parametrize("net", [["deep", "--widths", "2,1"], ["shallow", "--Z", "2"], ["depth", "--widths", "2,2",
                                                                                         "--Lc", "2"]])
def test_bonds_refused_for_other_nets(capsys, net):
    """``--bonds`` with another net is refused in one line (a sweep grid crossing nets with bonds would otherwise
    repeat the same deep rows under different bonds)."""
    code, out, err = run_cli(capsys, "rank", "--net", *net, "--N", "4", "--M", "2", "--bonds", "2")
    assert code == 2 and not out and err.count("\n") == 1 and "'--bonds' must be given only with --net tt" in err

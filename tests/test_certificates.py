"""Certificates and the independent checker (issue 12): honest certificates are accepted, tampered ones are
rejected with a message naming the failing part, the JSON Schema holds, the command line round-trips, and
three mutants that once survived the whole suite are killed."""

import copy
import json
import pathlib

import jsonschema
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import edited, run_cli
from verifier.checker import CertificateError, ClaimError, check_certificate, check_text, statement_text
from verifier.exact.certify import certify_rank
from verifier.exact.tensors import parse_partition
from verifier.nets.architectures import DeepArch, ShallowArch
from verifier.nets.weights import random_weights, witness_weights
from verifier.rank.certificates import rank_certificate
from verifier.rank.matricization import matricization_rank, structural_upper_bounds
from verifier.rank.mincut import min_cut
from verifier.strategies import architectures, geometry_architectures, partitions, weights

SCHEMA = json.loads((pathlib.Path(__file__).parents[1] / "docs" / "certificate.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def honest(w, spec, route="auto", minor_first=2**20):
    """The certificate of ``w``'s rank on partition ``spec``: schema-valid, JSON round-tripped, accepted."""
    report = matricization_rank(w, parse_partition(spec, w.arch.N), route=route)
    cert = json.loads(json.dumps(rank_certificate(w, report, minor_first=minor_first)))
    VALIDATOR.validate(cert)
    summary = check_certificate(cert)
    c = report.certificate
    assert summary.startswith(f"rank = {c.rank}" if c.certified else f"{c.lower.value} <= rank")
    return cert


def with_claim(cert: dict, claim: dict) -> dict:
    """``cert`` with another claim and the statement that says it (the checker binds the two)."""
    low, high = (claim["rank"],) * 2 if "rank" in claim else (claim["lower"], claim["upper"])
    text = statement_text(low, high, cert["output"] - 1, [m - 1 for m in cert["partition"]["row_modes"]])
    return {**cert, "claim": claim, "statement": {**cert["statement"], "text": text}}


#: name -> (weights, partition, route, lower kind, upper kind)
CASES = {
    "dense deep (minor, shape)": (random_weights(DeepArch(N=8, M=3, widths=(3, 3, 3)), seed=4), "odd-even",
                                  "auto", "minor", "shape"),
    "low-high (cut)": (random_weights(DeepArch(N=8, M=3, widths=(3, 3, 3)), seed=4), "low-high", "auto", "minor",
                       "cut"),
    "witness (Kronecker)": (witness_weights(DeepArch(N=8, M=3, widths=(2, 2, 2))), "odd-even", "auto", "kronecker",
                            "kronecker"),
    "reduced": (random_weights(DeepArch(N=4, M=5, widths=(2, 2)), seed=0), "odd-even", "auto", "reduced", "cut"),
    "shallow (Lemma C cut)": (random_weights(ShallowArch(N=4, M=3, Z=5), seed=2), "odd-even", "auto", "minor", "cut"),
    "shared shallow (symmetric)": (random_weights(ShallowArch(N=4, M=3, Z=10, shared=True), seed=2), "odd-even",
                                   "auto", "minor", "symmetric"),
    "window 4 (delta cut)": (random_weights(DeepArch(N=16, M=2, widths=(2, 2), tree="window:4"), seed=0),
                             "odd-even", "auto", "minor", "cut"),
    "image 4x4": (random_weights(DeepArch(N=16, M=2, widths=(2, 2), tree="image:4x4"), seed=0),
                  "rows:1,2,5,6,9,10,13,14", "auto", "minor", "cut"),
    "rank 0 (kernel)": (random_weights(DeepArch(N=4, M=3, widths=(3, 1)), seed=0, bound=1), "odd-even", "dense",
                        "trivial", "kernel"),
    "deficient shallow (kernel)": (random_weights(ShallowArch(N=4, M=3, Z=2), seed=0, bound=1), "odd-even", "dense",
                                   "minor", "kernel"),
    "shared shallow, N = 6, rows 1,2 (symmetric, I side)": (
        random_weights(ShallowArch(N=6, M=3, Z=20, shared=True), seed=0), "rows:1,2", "auto", "minor", "symmetric"),
    "shared shallow, N = 6, rows 1..4 (symmetric, J side)": (
        random_weights(ShallowArch(N=6, M=3, Z=20, shared=True), seed=0), "rows:1,2,3,4", "auto", "minor",
        "symmetric"),
    "Lemma D (pair-diagonal)": (random_weights(DeepArch(N=8, M=3, widths=(2, 2, 2)), seed=1), "odd-even",
                                "dense", "pair_diagonal", "cut"),
}


@pytest.mark.parametrize("name", CASES)
def test_honest_certificates_check(name):
    w, spec, route, low, up = CASES[name]
    cert = honest(w, spec, route, minor_first=0 if low == "pair_diagonal" else 2**20)
    assert (cert["evidence"]["lower"]["kind"], cert["evidence"]["upper"]["kind"]) == (low, up)


@pytest.mark.parametrize("name", CASES)
def test_each_bound_is_exactly_what_the_evidence_proves(name):
    """The checker's bounds are exact, not merely valid: claiming one less (upper) or one more (lower) than
    the evidence proves is refused for every kind of evidence."""
    w, spec, route, low, _ = CASES[name]
    cert = honest(w, spec, route, minor_first=0 if low == "pair_diagonal" else 2**20)
    r = cert["claim"]["rank"]
    if r > 0:
        with pytest.raises(ClaimError, match=f"the evidence gives {r} <= rank <= {r}"):
            check_certificate(with_claim(cert, {"lower": 0, "upper": r - 1}))
    with pytest.raises(ClaimError, match=f"the evidence gives {r} <= rank <= {r}"):
        check_certificate(with_claim(cert, {"lower": r + 1, "upper": 10**9}))
    assert check_certificate(with_claim(cert, {"lower": r, "upper": r + 1})).startswith(f"{r} <= rank <= {r + 1}")


def test_cuts_must_name_bonds_and_deltas_of_the_network():
    cert = BASE["low-high (cut)"]
    for change, message in (({"bonds": [["leg:1", "leg:2"]]}, "is not a bond of the network"),
                            ({"bonds": [["w:0,0"]]}, "is not a bond of the network"),
                            ({"deltas": ["delta:9,9"]}, "is not a delta node")):
        with pytest.raises(CertificateError, match=message):
            check_certificate({**cert, "evidence": {**cert["evidence"], "upper": {**cert["evidence"]["upper"],
                                                                                 **change}}})


@pytest.mark.parametrize("arch, spec, drop", [
    (DeepArch(N=4, M=2, widths=(2, 2)), "rows:3,4", "all"),
    (DeepArch(N=4, M=2, widths=(2, 2)), "rows:1,2", "all"),
    (DeepArch(N=16, M=2, widths=(2, 2), tree="window:4"), "odd-even", "one delta"),
])
def test_a_cut_that_leaves_one_path_is_refused(arch, spec, drop):
    """Removing the whole cut, or just one of its delta nodes (one window's row and column legs then meet),
    leaves a path from a row leg to a column leg."""
    cert = honest(random_weights(arch, seed=0), spec)
    up = dict(cert["evidence"]["upper"])
    assert up["kind"] == "cut"
    if drop == "all":
        up["bonds"], up["deltas"] = [], []
    else:
        up["deltas"] = up["deltas"][1:]
    with pytest.raises(ClaimError, match="the cut does not separate the row legs from leg:"):
        check_certificate({**cert, "evidence": {**cert["evidence"], "upper": up}})


def _pair_report(w, spec, prime):
    from verifier.rank.matricization import RankReport
    from verifier.rank.lemma_d import pair_diagonal_rank

    part = parse_partition(spec, w.arch.N)
    cert = pair_diagonal_rank(w, part, prime=prime, upper_bounds=structural_upper_bounds(w.arch, part))
    return RankReport(w.arch, w.kind, w.seed, w.bound, part, 0, "pair-diagonal", cert, min_cut(w.arch, part))


def test_pair_diagonal_route_lists_entries_zero_mod_p():
    """With p = 7 many entries of D vanish mod p though nonzero over Z: the certificate lists them, the checker
    evaluates them exactly; dropping one from the list makes the count fall short."""
    w = random_weights(DeepArch(N=8, M=3, widths=(2, 2, 2)), seed=1, bound=50)  # filters of full rank mod 7
    report = _pair_report(w, "rows:2,3,5,8", 7)
    cert = json.loads(json.dumps(rank_certificate(w, report)))
    VALIDATOR.validate(cert)
    low = cert["evidence"]["lower"]
    assert low["kind"] == "pair_diagonal" and low["prime"] == 7 and low["nonzero_over_z"]
    assert check_certificate(cert) == "rank = 16 (lower: pair_diagonal, upper: cut)"
    with pytest.raises(ClaimError, match="proved nonzero"):
        check_certificate(_tampered(cert, ("evidence", "lower", "nonzero_over_z"), lambda ks: ks[1:]))


@pytest.mark.parametrize("name", ["Lemma D (pair-diagonal)", "pair route, p = 7"])
def test_streamed_count_agrees(name, monkeypatch):
    """The streamed count of D (used past 2^22 entries, N = 64) gives the same verdicts as the direct one."""
    import verifier.checker.evidence as evidence

    if name == "pair route, p = 7":
        w = random_weights(DeepArch(N=8, M=3, widths=(2, 2, 2)), seed=1, bound=50)
        cert = json.loads(json.dumps(rank_certificate(w, _pair_report(w, "rows:2,3,5,8", 7))))
    else:
        cert = BASE[name]
    monkeypatch.setattr(evidence, "STREAM_ENTRIES", 1)
    assert check_certificate(cert).startswith("rank = 16 (lower: pair_diagonal")
    with pytest.raises(ClaimError, match="D has 16 entries proved nonzero"):
        check_certificate(_tampered(cert, ("evidence", "lower", "nonzero"), 17))


@pytest.mark.parametrize("widths, m, seed", [((2, 2, 1), 2, 0), ((2, 2, 3), 2, 1), ((3, 2, 4), 3, 4)])
def test_streamed_count_any_number_of_channels(widths, m, seed, monkeypatch):
    """The streamed recount adds two products before reducing mod p: right with 1, 3 and 4 channels at the
    root's children too (the same verdict as the direct count; one more nonzero entry claimed is refused).
    With p = 7 many entries vanish mod p (listed, nonzero over Z): a wrong residue would count one of them."""
    import verifier.checker.evidence as evidence

    w = random_weights(DeepArch(N=8, M=m, widths=widths), seed=seed, bound=50)
    cert = json.loads(json.dumps(rank_certificate(w, _pair_report(w, "odd-even", 7))))
    assert cert["evidence"]["lower"]["nonzero_over_z"]
    direct = check_certificate(cert)
    monkeypatch.setattr(evidence, "STREAM_ENTRIES", 1)
    assert check_certificate(cert) == direct and direct.startswith(f"rank = {m ** 4} (lower: pair_diagonal")
    with pytest.raises(ClaimError, match=f"D has {m ** 4} entries proved nonzero"):
        check_certificate(_tampered(cert, ("evidence", "lower", "nonzero"), m ** 4 + 1))


def test_streamed_count_reduces_before_it_overflows(monkeypatch):
    """p = 2^31 - 1 and 3 channels: the residues of D[0] = sum_g u_g TR[g, 0] are chosen as (p-1)(p-1) + (p-1)(p-1)
    + (p+2)/3 (p-3) = 0 mod p (nonzero over Z: listed), a sum over 2^63, so the recount (and the route) must
    reduce before the third product; a wrapped sum would count D[0] twice and let one more nonzero entry pass."""
    import verifier.checker.evidence as evidence
    from verifier.rank.pair_diagonal import channel_tensors

    p = 2**31 - 1
    w = random_weights(DeepArch(N=8, M=2, widths=(2, 2, 3)), seed=2)
    b = [int(w[(1, 2)][a, 0] * w[(1, 3)][a, 0]) for a in range(2)]       # TR[g, 0] = sum_a W_21[g, a] b_a
    w21 = [[int(x), (t - int(x) * b[0]) * pow(b[1], -1, p) % p] for x, t in zip(w[(2, 1)][:, 0], [p - 1, p - 1, p - 3])]
    w = edited(w, n_2_1=lambda m: m.__setitem__(slice(None), w21))
    tl = channel_tensors(w, (2, 0))
    c = [u * pow(int(tl[g, 0]), -1, p) % p for g, u in enumerate([p - 1, p - 1, (p + 2) // 3])]  # u_g = c_g TL[g, 0]
    w = edited(w, n_3_0=lambda m: m.__setitem__(0, c))
    cert = json.loads(json.dumps(rank_certificate(w, _pair_report(w, "odd-even", p))))
    assert cert["evidence"]["lower"]["nonzero_over_z"] == [0]
    monkeypatch.setattr(evidence, "STREAM_ENTRIES", 1)
    assert check_certificate(cert).startswith("rank = 16 (lower: pair_diagonal")
    with pytest.raises(ClaimError, match="D has 16 entries proved nonzero"):
        check_certificate(_tampered(cert, ("evidence", "lower", "nonzero"), 17))


def test_pair_diagonal_zeros_prove_the_upper_bound():
    """Non-generic weights: D = (1, 1, 0, 0); the two zero entries, evaluated exactly, give rank <= 2 where the
    cut gives 4; claiming a listed nonzero entry as zero is refused."""
    from verifier.nets.weights import weights_from_arrays

    filters = {f"0,{i}": [[1, 2, 3], [4, 5, 7]] for i in range(4)}
    w = weights_from_arrays(DeepArch(N=4, M=3, widths=(2, 2)),
                            {**filters, "1,0": [[1, 0], [5, 6]], "1,1": [[1, 1], [2, 3]], "2,0": [[1, 0]]})
    cert = json.loads(json.dumps(rank_certificate(w, _pair_report(w, "odd-even", 2147483647))))
    assert cert["evidence"]["upper"] == {"kind": "pair_diagonal", "zeros": [2, 3]}
    assert check_certificate(cert) == "rank = 2 (lower: pair_diagonal, upper: pair_diagonal)"
    with pytest.raises(ClaimError, match="listed as zero is not zero"):
        check_certificate(_tampered(cert, ("evidence", "upper", "zeros"), [1, 2, 3]))


def test_witness_1024_checks_without_building_A():
    """N = 1024: [A] is 3^512 x 3^512; the checker re-does the descent and checks 512 3 x 3 factors."""
    cert = honest(witness_weights(DeepArch(N=1024, M=3, widths=(2,) * 10)), "odd-even")
    assert cert["claim"] == {"rank": 2**512} and len(cert["evidence"]["lower"]["factors"]) == 512


@settings(max_examples=15)
@given(st.data())
def test_random_architectures_honest_certificates_accepted(data):
    """Every certified (or bounded) rank of a random small network has a certificate the checker accepts."""
    arch = data.draw(st.one_of(architectures(max_N=4, max_M=3), geometry_architectures(max_N=6, max_entries=200)))
    w = data.draw(weights(arch, bound=5, fractions=True))
    honest(w, data.draw(partitions(arch.N)).spec)


def _tampered(cert, path, value):
    c = copy.deepcopy(cert)
    *head, last = path
    node = c
    for k in head:
        node = node[k]
    node[last] = value(node[last]) if callable(value) else value
    return c


BASE = {name: honest(*CASES[name][:3], minor_first=0 if "Lemma D" in name else 2**20) for name in ("dense deep (minor, shape)", "low-high (cut)",
                                                     "witness (Kronecker)", "deficient shallow (kernel)",
                                                     "Lemma D (pair-diagonal)", "reduced")}

#: name -> (base certificate, path, new value, message fragment)
TAMPERED = {
    "claim + 1": ("dense deep (minor, shape)", ("claim", "rank"), lambda r: r + 1, "claim: rank 82 is not proved"),
    "weights of 0,0 zeroed": ("dense deep (minor, shape)", ("weights", "0,0"), [["0"] * 3] * 3,
                              "evidence.lower: the 81 x 81 minor is singular"),
    "one weight changed": ("low-high (cut)", ("weights", "2,0", 0), ["0", "0", "0"], "singular"),
    "not a prime": ("dense deep (minor, shape)", ("evidence", "lower", "prime"), 2147483637, "2147483637 is not a prime"),
    "cut does not separate": ("low-high (cut)", ("evidence", "upper"), lambda u: {**u, "bonds": [], "deltas": []},
                              "evidence.upper: the cut does not separate the row legs from leg:"),
    "kernel vector not in kernel": ("deficient shallow (kernel)", ("evidence", "upper", "vectors", 0, 3), "1",
                                    "evidence.upper: a kernel vector is not in the kernel"),
    "Kronecker factor weight": ("witness (Kronecker)", ("weights", "0,0", 1), ["0", "0", "0"],
                                r"evidence.lower.evidence\[0\].lower: the 2 x 2 minor is singular"),
    "Kronecker factors listed": ("witness (Kronecker)", ("evidence", "lower", "factors"), lambda f: f[1:],
                                 "not those the weights give"),
    "pair-diagonal count": ("Lemma D (pair-diagonal)", ("evidence", "lower", "nonzero"), lambda n: n + 1,
                            "D has 16 entries proved nonzero"),
    "pair-diagonal filter": ("Lemma D (pair-diagonal)", ("weights", "0,3"), [["1", "2", "3"], ["2", "4", "6"]],
                             "filter matrix of leaf 0,3"),
    "index out of range": ("dense deep (minor, shape)", ("evidence", "lower", "rows", 0), 81, "out of range"),
    "reduced filter": ("reduced", ("evidence", "lower", "filters", "0,1"), lambda c: [c[0], c[0]],
                       "repeated indices"),
}


@pytest.mark.parametrize("name", TAMPERED)
def test_tampered_certificates_rejected(name):
    base, path, value, message = TAMPERED[name]
    with pytest.raises(ClaimError, match=message):
        check_certificate(_tampered(BASE[base], path, value))


def test_singular_minor_rejected():
    """A 2 x 2 minor of a rank-1 matrix is singular mod p: refused, as are repeated indices."""
    cert = copy.deepcopy(BASE["deficient shallow (kernel)"])
    assert cert["claim"] == {"rank": 1}
    low = cert["evidence"]["lower"]
    low["rows"], low["cols"] = [0, 1], [0, 1]
    with pytest.raises(ClaimError, match="evidence.lower: the 2 x 2 minor is singular mod"):
        check_certificate(cert)
    low["cols"] = [0, 0]
    with pytest.raises(ClaimError, match="repeated indices"):
        check_certificate(cert)


@pytest.mark.parametrize("bad, message", [
    ("[1, 2]", "'format' must be"),
    ('{"format": "convac-certificate/1"}', "'tree' must have"),
    ("nan", "not JSON"),
])
def test_malformed_certificates(bad, message):
    with pytest.raises(CertificateError, match=message):
        check_text(bad)


def test_evidence_that_proves_nothing_is_refused():
    """A 1 x 1 "minor" on a zero entry; the symmetric-power bound for tensors that are not symmetric (different
    leaves; equal leaves of a deep net, whose pooling nodes are not one star)."""
    zero = BASE["deficient shallow (kernel)"]
    rank0 = honest(*CASES["rank 0 (kernel)"][:3])
    with pytest.raises(ClaimError, match="the 1 x 1 minor is singular"):
        check_certificate({**rank0, "evidence": {**rank0["evidence"], "lower": {"kind": "minor", "prime": 7,
                                                                              "rows": [0], "cols": [0]}}})
    deep_shared = honest(random_weights(DeepArch(N=4, M=2, widths=(2, 2), shared=True), seed=0), "odd-even")
    for cert in (zero, deep_shared):
        with pytest.raises(ClaimError, match="the tensor is not symmetric"):
            check_certificate({**cert, "evidence": {**cert["evidence"], "upper": {"kind": "symmetric"}}})


def test_large_kernel_vectors_accepted():
    """Kernel vectors scaled by -10^9 are still kernel vectors (entries far below -40000 are accepted)."""
    cert = copy.deepcopy(BASE["deficient shallow (kernel)"])
    up = cert["evidence"]["upper"]
    up["vectors"] = [[str(int(x) * -10**9) for x in v] for v in up["vectors"]]
    assert check_certificate(cert) == "rank = 1 (lower: minor, upper: kernel)"


def test_kernel_vectors_refuse_a_matrix_zero_mod_p_only():
    """``[[p]]`` is zero mod p but has rank 1: no kernel vector may be returned."""
    from verifier.exact.certify import kernel_certificate, kernel_vectors
    from verifier.exact.engines import get_engine

    a = np.array([[2147483647]], dtype=object)
    assert kernel_vectors(a, 2147483647, get_engine()) is None
    assert kernel_certificate(a, 2147483647, get_engine()) is None


def test_malformed_weights_and_kinds():
    cert = BASE["dense deep (minor, shape)"]
    for path, value, message in ((("weights", "0,0", 0, 0), "0.5", "exact number"),
                                 (("evidence", "upper", "kind"), "guess", "unknown upper-bound kind"),
                                 (("tree", "root"), "9,9", "tree.root"),
                                 (("partition",), [1], "'partition' must be"),
                                 (("claim",), 5, "'claim' and 'evidence' must be objects"),
                                 (("evidence", "upper"), {"kind": "cut", "bonds": None, "deltas": []},
                                  "needs 'bonds' and 'deltas' lists"),
                                 (("evidence", "upper"), {"kind": "kernel", "vectors": []},
                                  "too large for a kernel check")):
        if "kernel" in message:
            cert = honest(random_weights(DeepArch(N=16, M=3, widths=(1, 1, 1, 1)), seed=0), "odd-even")
        with pytest.raises(CertificateError, match=message):
            check_certificate(_tampered(cert, path, value))


def test_cli_round_trip_and_exit_codes(tmp_path, capsys):
    """The issue's acceptance: write, check (0); claim + 1 or node 0,0 zeroed (1); not JSON (2)."""
    c = tmp_path / "c.json"
    code, out, err = run_cli(capsys, "rank", "--net", "deep", "--N", "8", "--M", "3", "--widths", "3,3,3",
                             "--seed", "4", "--certificate", c)
    assert code == 0 and "rank = 81" in out and err == ""
    assert run_cli(capsys, "check", c)[:2] == (0, f"PASS  {c}: rank = 81 (lower: minor, upper: shape)\n")
    cert = json.loads(c.read_text())
    for name, change in (("plus1", ("claim", "rank", 82)), ("zero", ("weights", "0,0", [["0"] * 3] * 3))):
        bad = _tampered(cert, change[:2], change[2])
        (tmp_path / name).write_text(json.dumps(bad))
        code, out, _ = run_cli(capsys, "check", tmp_path / name)
        assert code == 1 and out.startswith(f"FAIL  {tmp_path / name}: ")
    (tmp_path / "junk").write_text("not json")
    code, out, err = run_cli(capsys, "check", tmp_path / "junk")
    assert code == 2 and err.startswith("verifier: error: Argument 'FILE' must be a convac-certificate/1 file")
    assert run_cli(capsys, "check", tmp_path / "missing")[0] == 2


def test_prove_certificates_all_check(tmp_path, capsys):
    """``verifier prove --only theorem1 --certificates DIR`` writes one certificate per rank; all check, and
    stdout is the same as without the flag."""
    code, plain, _ = run_cli(capsys, "prove", "--only", "theorem1")
    code2, out, err = run_cli(capsys, "prove", "--only", "theorem1", "--certificates", tmp_path / "certs")
    files = sorted((tmp_path / "certs").iterdir())
    assert code == code2 == 0 and plain == out and f"wrote {len(files)} certificate(s)" in err and len(files) >= 5
    code, out, _ = run_cli(capsys, "check", *files)
    assert code == 0 and out.count("PASS") == len(files)
    for f in files:
        VALIDATOR.validate(json.loads(f.read_text()))


# ---- mutants that survived the suite before issue 12 -------------------------------------------------


def test_shape_bound_is_the_smaller_side():
    """``certify_rank``'s shape bound is ``min(rows, cols)``: a full-rank 3 x 5 matrix is certified rank 3 by
    its shape alone (with ``max`` the bound would be 5, not certified)."""
    a = np.array([[1, 0, 0, 2, 3], [0, 1, 0, 5, 7], [0, 0, 1, 11, 13]], dtype=np.int64)
    for m in (a, a.T.copy()):
        c = certify_rank(m.shape, residues=lambda p, m=m: m % p)
        assert c.certified and c.rank == 3 and c.upper.method == "matrix shape"


def test_cut_bound_takes_the_cheaper_root_side():
    """The tree's cut bound minimises over the root's two sides: N = 4, M = 3, widths 3,2, rows {1,2,3}: the cut
    is 3 (a leg), not 6 (the root side that cuts two bonds), and the rank reaches 3."""
    arch = DeepArch(N=4, M=3, widths=(3, 2))
    part = parse_partition("rows:1,2,3", 4)
    assert [b.value for b in structural_upper_bounds(arch, part)] == [3] == [min_cut(arch, part).value]
    assert matricization_rank(random_weights(arch, seed=0), part).certificate.rank == 3


def test_modular_chunk_keeps_float_sums_exact():
    """Entries all at +-p//2 (p//2 odd) and an inner dimension past the chunk: the block product is exact mod p.
    With the chunk bound raised from 2**52 to 2**54 the float sums of 1001 terms of h**2 round."""
    from verifier.exact.modular.field import _Field, inner_chunk

    p = 8388587
    h = p // 2
    assert inner_chunk(p) * h * h + h <= 2**52
    for k in (inner_chunk(p) + 1, 1001, 2047):
        a = np.full((2, k), float(h))
        a[1, ::2] = -h
        c = _Field(p).matmul(a, a.T.copy())
        for i in range(2):
            for j in range(2):
                exact = sum(int(x) * int(y) for x, y in zip(a[i], a[j]))
                assert (int(c[i, j]) - exact) % p == 0


@pytest.mark.parametrize("change, error, message", [
    (("statement", "text"), ClaimError, "statement.text: it does not say what the checked data claim"),
    (("partition", "spec"), CertificateError, "'partition' must be"),
    (("architecture",), CertificateError, "unknown field"),
    (("provenance",), CertificateError, "unknown field"),
    (("geometry",), CertificateError, "unknown field"),
    (("claim", "note"), CertificateError, "'claim' must be"),
])
def test_relabelled_certificates_rejected(change, error, message):
    """Issue 17: every human-readable field is bound to what is checked. A statement saying "low-high ... rank
    81" for another partition, or a relabelled partition name, architecture or provenance, is refused."""
    cert = copy.deepcopy(BASE["dense deep (minor, shape)"])
    node = cert
    for k in change[:-1]:
        node = node[k]
    node[change[-1]] = ("rank [A^y]_(I,J) = 81 for these weights, output y = 1, partition low-high"
                        if change == ("statement", "text") else "low-high")
    with pytest.raises(error, match=message):
        check_certificate(cert)


@pytest.mark.parametrize("text, message", [
    ('{"format": "convac-certificate/1", "claim": {"rank": 3, "rank": 81}}', "duplicate key 'rank'"),
    ('{"format": "convac-certificate/1", "M": NaN}', "NaN is not a number a certificate may hold"),
    ('{"format": "convac-certificate/1", "M": Infinity}', "Infinity is not a number"),
    ('{"format": "convac-certificate/1", "M": -Infinity}', "-Infinity is not a number"),
])
def test_duplicate_keys_nan_and_infinity_refused(text, message):
    with pytest.raises(CertificateError, match=message):
        check_text(text)


def test_duplicate_rank_key_in_an_honest_certificate_refused():
    """The audit's file: an honest certificate whose claim repeats ``"rank"`` (the last value would win)."""
    text = json.dumps(BASE["dense deep (minor, shape)"]).replace('"rank": 81', '"rank": 3, "rank": 81')
    with pytest.raises(CertificateError, match="duplicate key 'rank'"):
        check_text(text)

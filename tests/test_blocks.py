"""Lemma B's block route (issue 18): a differential test against the dense exact rank over a table of named nets
and weights (in the style of networkx's ``compare_flows_and_cuts``), the route never certifying when a
precondition fails, ``auto`` taking it at scale, and its certificates re-checked by the independent checker."""

import copy
import json
import pathlib
import re

import jsonschema
import numpy as np
import pytest

from helpers import rank_json, run_cli
from verifier.checker import ClaimError, check_certificate
from verifier.errors import InvalidArgumentError
from verifier.exact.certify import certify_matrix_rank
from verifier.exact.fields import DEFAULT_PRIME
from verifier.exact.tensors import matricize, parse_partition
from verifier.nets.architectures import DeepArch, ShallowArch
from verifier.nets.coefficients import coefficient_tensor
from verifier.nets.geometry import named_partition
from verifier.nets.weights import random_weights, weights_from_arrays
from verifier.rank.blocks import NotApplicable, block_rank
from verifier.rank.certificates import rank_certificate
from verifier.rank.matricization import ROUTES, matricization_rank

UNBALANCED = [[1, 2], [3, [4, 5]], [6, 7, 8]]
SCHEMA = json.loads((pathlib.Path(__file__).parents[1] / "docs" / "certificate.schema.json").read_text())

#: name -> architecture (binary, windows 3 and 4, 2-D, tree files; shared and unshared; shallow)
NETS = {
    "binary N=8 M=2": DeepArch(N=8, M=2, widths=(2, 2, 2)),
    "binary N=8 M=3 shared": DeepArch(N=8, M=3, widths=(2, 3, 2), shared=True),
    "window:3 N=9": DeepArch(N=9, M=2, widths=(2, 2), tree="window:3"),
    "window:4 N=16": DeepArch(N=16, M=2, widths=(2, 2), tree="window:4"),
    "image:4x4": DeepArch(N=16, M=2, widths=(2, 3), tree="image:4x4"),
    "image:4x4 shared": DeepArch(N=16, M=2, widths=(2, 2), tree="image:4x4", shared=True),
    "tree file": DeepArch(N=8, M=2, widths=(2, 2, 2), tree=UNBALANCED),
    "shallow": ShallowArch(N=5, M=3, Z=4),
}


def _filters(arch, kind: str, seed: int):
    """Weights of ``kind``: generic, a zero filter, a repeated filter row, a rank-deficient leaf, entries that are
    multiples of the default prime (rank 0 mod p, not over Q)."""
    w = random_weights(arch, seed=seed, bound=10**6)
    arrays = {f"{v[0]},{v[1]}": [[int(x) for x in row] for row in w[v].tolist()] for v in arch.tree.postorder()}
    leaves = [k for k in arrays if k.startswith("0,")]
    first = arrays[leaves[0]]
    if kind == "zero filter":
        first[0] = [0] * len(first[0])
    elif kind == "repeated filter":
        first[1] = list(first[0])
    elif kind == "deficient leaf":
        first[1] = [2 * x for x in first[0]]
    elif kind == "multiples of p":
        for key in leaves:
            arrays[key] = [[DEFAULT_PRIME * (x % 5 + 1) for x in row] for row in arrays[key]]
    if arch.shared and kind != "generic":
        for key in leaves:
            arrays[key] = [list(r) for r in first]
    return weights_from_arrays(arch, arrays)


def _partitions(arch):
    n = arch.N
    mixed = [1] + list(range(n // 2 + 2, n + 1))                     # balanced, splitting windows unevenly
    thirds = ([i for i in range(1, n + 1) if i % 3] + [3])[: n // 2]
    specs = ["odd-even", "low-high", "rows:" + ",".join(map(str, mixed)), "rows:" + ",".join(map(str, sorted(thirds)))]
    if arch.tree.name.startswith("image"):
        specs += ["checkerboard", "left-right"]
    return [named_partition(s, arch.tree) if isinstance(arch, DeepArch) else parse_partition(s, arch.N)
            for s in specs]


def compare_blocks_and_dense(w, part, direct_entries):
    """The block route's bounds contain the dense exact rank; when it certifies, it IS that rank."""
    dense = certify_matrix_rank(matricize(coefficient_tensor(w.integral()), part))
    assert dense.certified
    try:
        c = block_rank(w, part, direct_entries=direct_entries)
    except NotApplicable:
        return None
    assert c.lower.value <= dense.rank <= c.upper.value, (part.spec, c)
    if c.certified:
        assert c.rank == dense.rank
    return c


@pytest.mark.parametrize("name", sorted(NETS))
@pytest.mark.parametrize("kind", ["generic", "zero filter", "repeated filter", "deficient leaf", "multiples of p"])
def test_blocks_agree_with_dense(name, kind):
    """Lemma B (MATH.md section 5): rank [A]_{I,J} = sum of the blocks' ranks whenever the Khatri-Rao factors are
    certified of full column rank; recursing to single leaves and scalars (direct_entries=1) and with the
    default direct blocks."""
    arch = NETS[name]
    certified = 0
    for seed in range(2 if arch.M ** arch.N <= 4096 else 1):
        w = _filters(arch, kind, seed)
        for part in _partitions(arch):
            for direct in (1, 2**16) if arch.M ** arch.N <= 4096 else (1,):  # past it 2^16 is the dense
                c = compare_blocks_and_dense(w, part, direct)
                certified += c is not None and c.certified
    assert kind != "generic" or certified


def test_deficient_factor_is_refused_not_assumed():
    """A leaf with two equal filters on the odd/even partition: the factor K = U_i (2 x 2) is singular, so the
    route does not apply (it would count the D entries: 16 where the rank is lower)."""
    arch = DeepArch(N=4, M=2, widths=(2, 2))
    w = _filters(arch, "repeated filter", 0)
    part = parse_partition("odd-even", 4)
    with pytest.raises(NotApplicable, match="Khatri-Rao factor of node 1,0 .2 x 2. is not of full column rank"):
        block_rank(w, part, direct_entries=1)
    big = DeepArch(N=32, M=2, widths=(2,) * 5)
    with pytest.raises(InvalidArgumentError, match="Argument 'route' must be 'auto' or 'dense' here .Lemma B"):
        matricization_rank(_filters(big, "repeated filter", 0), parse_partition("odd-even", 32), route="blocks")
    assert "blocks" in ROUTES


def test_auto_takes_blocks_at_scale():
    """image:8x8 (N = 64, M = 2, widths 2,2,2): every named partition certified by the default route, = min-cut."""
    arch = DeepArch(N=64, M=2, widths=(2, 2, 2), tree="image:8x8")
    w = random_weights(arch, seed=0)
    for spec, rank in (("checkerboard", 2**16), ("left-right", 2), ("low-high", 2)):
        rep = matricization_rank(w, named_partition(spec, arch.tree))
        assert rep.route == "blocks" and rep.certificate.rank == rank == rep.min_cut.value


def test_blocks_certificates_are_checked():
    """The checker re-derives Lemma B itself: honest claims pass, claims +/- 1 and tampered weights fail."""
    arch = DeepArch(N=16, M=2, widths=(2, 2), tree="image:4x4")
    w = random_weights(arch, seed=3)
    for spec in ("checkerboard", "rows:1,2,3,9"):
        rep = matricization_rank(w, named_partition(spec, arch.tree), route="blocks")
        cert = json.loads(json.dumps(rank_certificate(w, rep)))
        jsonschema.Draft202012Validator(SCHEMA).validate(cert)
        assert cert["evidence"]["lower"]["kind"] == "blocks"
        assert check_certificate(cert).startswith(f"rank = {rep.certificate.rank}")
        for delta in (1, -1):
            bad = copy.deepcopy(cert)
            bad["claim"]["rank"] += delta
            with pytest.raises(ClaimError, match="is not proved"):
                check_certificate(bad)
        bad = copy.deepcopy(cert)
        bad["weights"]["0,0"][1] = ["0", "0"]  # the checker ranks this 256 x 256 matrix directly: a lower rank
        with pytest.raises(ClaimError, match="is not proved"):
            check_certificate(bad)


def test_blocks_certificate_at_scale_and_a_singular_factor():
    """image:8x8, N = 64, checkerboard (rank 2^16): the checker re-derives the 2^16 scalar blocks; a zero filter
    row makes a Khatri-Rao factor singular and the checker refuses to apply Lemma B."""
    arch = DeepArch(N=64, M=2, widths=(2, 2, 2), tree="image:8x8")
    w = random_weights(arch, seed=0)
    rep = matricization_rank(w, named_partition("checkerboard", arch.tree))
    cert = json.loads(json.dumps(rank_certificate(w, rep)))
    assert check_certificate(cert) == "rank = 65536 (lower: blocks, upper: cut)"
    cert["weights"]["0,0"][1] = ["0", "0"]
    with pytest.raises(ClaimError, match="evidence.lower: a 4 x 2 Khatri-Rao factor is not of full column rank"):
        check_certificate(cert)


def test_blocks_upper_evidence_below_the_cut():
    """Non-generic weights (channel 0 of a split node unused: half the blocks vanish): rank 8 < min-cut 16; the
    upper bound's evidence is then the blocks."""
    arch = DeepArch(N=16, M=2, widths=(2, 2), tree="image:4x4")
    w = random_weights(arch, seed=1)
    arrays = {f"{v[0]},{v[1]}": [[int(x) for x in r] for r in w[v].tolist()] for v in arch.tree.postorder()}
    arrays["1,0"] = [[0, row[1]] for row in arrays["1,0"]]
    w = weights_from_arrays(arch, arrays)
    part = named_partition("checkerboard", arch.tree)
    rep = matricization_rank(w, part, route="blocks")
    assert rep.certificate.certified and rep.certificate.rank == 8 < rep.min_cut.value
    assert rep.certificate.rank == compare_blocks_and_dense(w, part, 1).rank
    cert = json.loads(json.dumps(rank_certificate(w, rep)))
    jsonschema.Draft202012Validator(SCHEMA).validate(cert)
    assert cert["evidence"]["upper"]["kind"] == "blocks"
    assert check_certificate(cert) == f"rank = {rep.certificate.rank} (lower: blocks, upper: blocks)"
    np.testing.assert_equal(cert["claim"], {"rank": rep.certificate.rank})


def test_blocks_in_parallel_give_the_serial_rank_and_evidence():
    """--workers: the blocks of the top level in chunks on a process pool; same sums, same evidence."""
    from concurrent.futures import ProcessPoolExecutor

    arch = DeepArch(N=32, M=2, widths=(2,) * 5)
    w = random_weights(arch, seed=0)
    part = parse_partition("rows:3,4,7,9,13,15,16,19,21,22,23,25,26,29,31,32", 32)
    serial = block_rank(w, part)
    with ProcessPoolExecutor(2) as pool:
        parallel = block_rank(w, part, executor=pool)
    assert serial.evidence.blocks >= 64 and serial.rank == parallel.rank == 2048
    assert serial.evidence.to_dict() == parallel.evidence.to_dict()


@pytest.mark.parametrize("extra, message", [
    (["--workers", "0"], "argument --workers: must be a positive integer, got '0'"),
    (["--scheduler", "tcp://x:1"], "Argument '--scheduler' must come with --executor dask, got 'tcp://x:1'"),
    (["--executor", "dask", "--scheduler", "no address"],
     "Argument '--scheduler' must be an address such as tcp://host:8786, got 'no address'"),
    (["--route", "blocks", "--N", "32", "--widths", "4,4,4,4,4", "--partition", "odd-even"],
     "Argument 'route' must be 'auto' or 'dense' here .Lemma B does not apply: the Khatri-Rao factor"),
])
def test_parallel_and_route_flags_refused_in_one_line(capsys, extra, message):
    """Bad --workers / --executor / --scheduler / --route blocks: exit 2, one line naming the argument."""
    argv = ["rank", "--net", "deep", "--M", "2"] + ([] if "--N" in extra else ["--N", "8", "--widths", "2,2,2"])
    code, out, err = run_cli(capsys, *argv, *extra)
    assert code == 2 and out == "" and err.count("\n") == 1 and len(err) < 300, err
    assert re.search(message, err), err


def test_workers_on_the_command_line(capsys):
    """--workers 2 gives the serial rank and evidence (N = 32 binary, a random row set of rank 2048)."""
    argv = ["--net", "deep", "--N", "32", "--M", "2", "--widths", "2,2,2,2,2", "--partition",
            "rows:3,4,7,9,13,15,16,19,21,22,23,25,26,29,31,32"]
    _, serial = rank_json(capsys, *argv)
    _, parallel = rank_json(capsys, *argv, "--workers", "2")
    assert serial["route"] == parallel["route"] == "blocks" and serial["rank"] == parallel["rank"] == 2048
    assert serial["evidence"] == parallel["evidence"]

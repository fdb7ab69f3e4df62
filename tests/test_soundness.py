"""Issue 17: validated values are immutable, the certificate writer never emits what its checker rejects, and
the checker gate demotes what it cannot check."""

import json

import numpy as np
import pytest

from verifier.checker import check_text
from verifier.exact.fields import DEFAULT_PRIME
from verifier.exact.tensors import parse_partition
from verifier.nets.architectures import DeepArch
from verifier.nets.weights import random_weights, weights_from_arrays
from verifier.rank.certificates import independently_checked, rank_certificate
from verifier.rank.matricization import matricization_rank


def test_weights_are_read_only():
    """Mutating a validated ``Weights`` made the tool certify rank 3 where the truth is 4: now refused."""
    w = random_weights(DeepArch(N=4, M=2, widths=(2, 2)), seed=0)
    with pytest.raises(ValueError, match="read-only"):
        w.arrays[(0, 0)][0, 0] = 5
    with pytest.raises(ValueError, match="read-only"):
        w[(0, 1)][1] = w[(0, 1)][0]
    with pytest.raises(TypeError):
        w.arrays[(0, 0)] = np.zeros((2, 2), dtype=object)


def test_caller_arrays_are_copied():
    arrays = {"0,0": np.array([[1, 0], [0, 1]], dtype=object), "0,1": [[1, 0], [0, 1]], "1,0": [[1, 1]]}
    w = weights_from_arrays(DeepArch(N=2, M=2, widths=(2,)), arrays)
    arrays["0,0"][1, 1] = 0
    assert w[(0, 0)].tolist() == [[1, 0], [0, 1]]


def test_trees_are_frozen():
    import networkx as nx

    a = DeepArch(N=4, M=2, widths=(2, 2))
    with pytest.raises(nx.NetworkXError, match="Frozen"):
        a.tree.graph.add_edge((9, 9), (0, 0))
    assert isinstance(a.tree.graph.nodes[a.tree.root]["children"], tuple)


def test_partitions_are_tuples():
    p = parse_partition("rows:1,3", 4)
    assert p.rows == (0, 2) and isinstance(p.rows, tuple)
    with pytest.raises(AttributeError):
        p.rows = (1,)


def test_whole_matrix_minor_needs_its_own_prime():
    """``[A] = diag(1, p)`` with p = 2^31 - 1: nonsingular over Q, singular mod p. The writer used to record the
    whole matrix as a minor mod p (7 of 343 fuzz cases); it must name a prime for which the minor is
    nonsingular, and the certificate must pass the checker."""
    p = DEFAULT_PRIME
    w = weights_from_arrays(DeepArch(N=2, M=2, widths=(2,)), {"0,0": [[1, 0], [0, 1]], "0,1": [[1, 0], [0, 1]],
                                                              "1,0": [[1, p]]})
    report = matricization_rank(w, parse_partition("odd-even", 2), route="dense")
    assert report.certificate.rank == 2 and report.checked is True
    cert = rank_certificate(w, report)
    assert cert["evidence"]["lower"]["kind"] == "minor" and cert["evidence"]["lower"]["prime"] != p
    assert check_text(json.dumps(cert)).startswith("rank = 2")


def test_gate_demotes_a_false_claim():
    """A route answer whose evidence the checker rejects is reported NOT certified, with the reason."""
    from dataclasses import replace

    from verifier.exact.certify import Bound, RankCertificate

    w = random_weights(DeepArch(N=4, M=2, widths=(2, 2)), seed=0)
    honest = matricization_rank(w, parse_partition("odd-even", 4), check=False)
    assert honest.certificate.rank == 4
    lie = replace(honest, certificate=RankCertificate(4, 4, Bound(0, "lie"), Bound(0, "lie")))
    gated = independently_checked(w, lie)
    assert gated.checked is False and not gated.certificate.certified
    assert gated.certificate.upper.value == 4 and gated.check.startswith("not certified: no kernel certificate")
    assert "NOT certified" in str(gated)


def test_no_check_is_labelled():
    w = random_weights(DeepArch(N=4, M=2, widths=(2, 2)), seed=0)
    r = matricization_rank(w, parse_partition("odd-even", 4), check=False)
    assert r.checked is None and "not independently checked" in str(r)
    assert matricization_rank(w, parse_partition("odd-even", 4)).to_dict()["checked"] is True


def test_cli_gate_and_no_check(capsys):
    from tests.helpers import run_cli

    argv = ["rank", "--net", "deep", "--N", "4", "--M", "2", "--widths", "2,2", "--json"]
    code, out, _ = run_cli(capsys, *argv)
    assert code == 0 and json.loads(out)["checked"] is True
    code, out, _ = run_cli(capsys, *argv, "--no-check")
    assert code == 0 and json.loads(out)["checked"] is None and json.loads(out)["rank"] == 4
    code, out, _ = run_cli(capsys, *argv[:-1], "--no-check")
    assert code == 0 and "rank = 4, certified (not independently checked)" in out


def test_size_limit_error_survives_tblib_pickling():
    """dask installs tblib's exception pickling process-wide; a SizeLimitError sent back from the --time-limit
    child was then rebuilt with ``MemoryError.__new__`` and failed ("is not safe"): an internal error, exit 1."""
    import pickle

    pickling_support = pytest.importorskip("tblib.pickling_support")
    from verifier.errors import SizeLimitError

    pickling_support.install()
    exc = SizeLimitError("Argument 'samples': too many")
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is SizeLimitError and isinstance(back, MemoryError) and back.args == exc.args

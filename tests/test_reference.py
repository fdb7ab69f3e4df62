"""The reference values of MATH.md section 6 and the generic ranks, through the CLI.

Values come from MATH.md (computed independently of this package); each row is checked with random
weights, shared and unshared, through both the structural and the dense route.
"""

import pytest

from tests.helpers import rank_json

# (N, M, widths, generic rank of the paper's [A]) -- MATH.md section 6
REFERENCE = [
    (4, 2, "2,1", 4),
    (8, 2, "2,1,1", 16),
    (8, 3, "2,1,1", 16),
    (8, 3, "3,3,3", 81),
    (16, 2, "2,1,1,1", 256),
]


@pytest.mark.parametrize("N,M,widths,expected", REFERENCE)
@pytest.mark.parametrize("shared", [False, True])
@pytest.mark.parametrize("route", ["auto", "dense"])
def test_reference_table(capsys, N, M, widths, expected, shared, route):
    """Theorem 1: the generic rank of [A] is min(r_0, M)^{N/2} (MATH.md section 6)."""
    args = ["--net", "deep", "--N", N, "--M", M, "--widths", widths, "--route", route]
    code, out = rank_json(capsys, *args, *(["--shared"] if shared else []))
    assert code == 0
    assert out["rank"] == expected and out["certified"] is True
    assert out["lower_bound"] == out["upper_bound"] == expected
    assert out["seed"] == 0 and out["shared"] is shared


def test_low_high_reference(capsys):
    """Low/high halves, N=8, M=2, widths 2,2,2: rank 2 (MATH.md section 6, bounded by min(r_1, r_2))."""
    code, out = rank_json(capsys, "--net", "deep", "--N", 8, "--M", 2, "--widths", "2,2,2",
                          "--partition", "low-high")
    assert (code, out["rank"], out["rows"], out["cols"]) == (0, 2, 16, 16)


@pytest.mark.parametrize("N,M,widths", [(4, 3, "2,2"), (4, 2, "3,1"), (8, 2, "1,2,2"), (8, 3, "2,2,2"),
                                        (2, 4, "3"), (16, 2, "2,2,1,1")])
@pytest.mark.parametrize("seed", [0, 7])
def test_generic_deep_rank(capsys, N, M, widths, seed):
    """Generic rank of the deep [A] is exactly min(r_0, M)^{N/2}."""
    r0 = int(widths.split(",")[0])
    code, out = rank_json(capsys, "--net", "deep", "--N", N, "--M", M, "--widths", widths, "--seed", seed)
    assert code == 0 and out["rank"] == min(r0, M) ** (N // 2)


@pytest.mark.parametrize("N,M,Z", [(2, 2, 1), (2, 3, 5), (4, 2, 3), (4, 2, 7), (4, 3, 9), (4, 3, 12), (6, 2, 5),
                                   (6, 2, 9)])
def test_generic_shallow_rank(capsys, N, M, Z):
    """Unshared shallow net, even N: generic rank of [A] is min(Z, M^{N/2}) (Lemma C is tight)."""
    code, out = rank_json(capsys, "--net", "shallow", "--N", N, "--M", M, "--Z", Z)
    assert code == 0 and out["rank"] == min(Z, M ** (N // 2))


def test_shared_shallow_is_symmetric(capsys):
    """Shared shallow net: the tensor is symmetric, rank <= C(M + N/2 - 1, N/2) (here C(4, 2) = 6)."""
    code, out = rank_json(capsys, "--net", "shallow", "--N", 4, "--M", 3, "--Z", 20, "--shared")
    assert code == 0 and out["rank"] == 6 and "symmetric" in out["upper_method"]


def test_witness_n1024(capsys):
    """The acceptance case: N = 1024 witness, rank 2^512 exactly, via Lemmas K and R."""
    code, out = rank_json(capsys, "--net", "deep", "--N", 1024, "--M", 3, "--widths", ",".join(["2"] * 10),
                          "--weights", "witness")
    assert code == 0 and out["rank"] == 2**512 and out["certified"] is True
    assert out["rows"] == out["cols"] == 3**512
    assert "Lemmas K and R" in out["method"] and out["route"] == "structure"


def test_json_keys(capsys):
    """The JSON contract of ``verifier rank --json``."""
    code, out = rank_json(capsys, "--net", "deep", "--N", 4, "--M", 2, "--widths", "2,1", "--seed", 3)
    for key in ("rank", "rows", "cols", "lower_bound", "upper_bound", "certified", "method", "seed", "net", "N",
                "M", "widths", "Y", "shared", "architecture", "partition", "weights"):
        assert key in out, key
    assert out["seed"] == 3 and out["architecture"]["widths"] == [2, 1]

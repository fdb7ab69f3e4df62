"""Hostile inputs through the Python API (issue 9): every public function and constructor either raises a
:class:`~verifier.errors.VerifierError` naming the argument, or gives the true, certified answer.

The first group are the soundness holes found by the hostile-user audit: inputs for which the tool used to
report a WRONG rank marked certified. Each is checked against the true rank computed by hand.
"""

from fractions import Fraction

import flint
import numpy as np
import pytest
import sympy

import verifier as cv
from verifier.errors import InvalidArgumentError, SizeLimitError, VerifierError
from verifier.exact.certify import Bound, RankCertificate, certify_matrix_rank, certify_rank
from verifier.nets.coefficients import coefficient_tensor
from verifier.nets.weights import Weights

# --------------------------------------------------------------------------------------------------
# Soundness: a wrong rank must never be certified
# --------------------------------------------------------------------------------------------------

SHALLOW = cv.ShallowArch(N=2, M=2, Z=2)


def _diag_weights(half):
    """[A] = diag(1, half): leaves e_1 (x) e_1 and e_2 (x) e_2, outputs (1, half). True rank 2 for half != 0."""
    obj = lambda rows: np.array(rows, dtype=object)  # noqa: E731
    return {(0, 0): obj([[1, 0], [0, 1]]), (0, 1): obj([[1, 0], [0, 1]]), (1, 0): obj([[1, half]])}


@pytest.mark.parametrize("half", [Fraction(1, 2), sympy.Rational(1, 2), flint.fmpq(1, 2), "1/2"],
                         ids=["Fraction", "sympy", "flint", "string"])
def test_weights_built_directly_with_exact_rationals_keep_the_rank(half):
    w = Weights(SHALLOW, _diag_weights(half))
    assert w[(1, 0)][0, 1] == Fraction(1, 2)
    cert = cv.matricization_rank(w, cv.parse_partition("odd-even", 2)).certificate
    assert cert.certified and cert.rank == 2


@pytest.mark.parametrize("bad", [0.5, np.float64(0.5), complex(1, 0), None, "x"], ids=repr)
def test_weights_built_directly_refuse_inexact_entries(bad):
    with pytest.raises(InvalidArgumentError, match=r"Argument 'weights\[1,0\]'"):
        Weights(SHALLOW, _diag_weights(bad))


def test_weights_refuse_float_arrays_and_copy_their_input():
    arrays = _diag_weights(1)
    arrays[(0, 0)] = np.eye(2)
    with pytest.raises(InvalidArgumentError, match="floats are never accepted"):
        Weights(SHALLOW, arrays)
    arrays = _diag_weights(2)
    w = Weights(SHALLOW, arrays)
    arrays[(1, 0)][0, 1] = 0  # changing the caller's array afterwards does not change the weights
    assert w[(1, 0)].tolist() == [[1, 2]]


def test_integral_accepts_only_exact_entries():
    w = Weights(SHALLOW, _diag_weights(Fraction(1, 3)))
    assert w.integral()[(1, 0)].tolist() == [[3, 1]]


@pytest.mark.parametrize("matrix, rank", [
    ([[Fraction(1, 2), 1], [1, 2]], 1),
    ([[Fraction(1, 2), 1], [1, Fraction(1, 3)]], 2),
    (np.array([[2**64 - 1, 1], [1, 2**64 - 1]], dtype=np.uint64), 2),  # wraps to [[-1, 1], [1, -1]] in int64
    (np.array([[2**63, 2**63], [1, 1]], dtype=np.uint64), 1),
    (np.array([[2**100, 1], [2**101, 2]], dtype=object), 1),
], ids=["fractions-rank1", "fractions-rank2", "uint64-rank2", "uint64-rank1", "bigint-rank1"])
def test_certify_rank_converts_its_exact_callable_exactly(matrix, rank):
    cert = certify_rank((2, 2), exact=lambda: matrix)
    assert cert.certified and cert.rank == rank
    assert certify_matrix_rank(matrix).rank == rank


@pytest.mark.parametrize("matrix", [[[0.5, 1], [1, 2]], np.ones((2, 2)), [[1, 2]], [[1, None], [1, 2]]],
                         ids=["floats", "float-array", "wrong-shape", "None"])
def test_certify_rank_refuses_inexact_or_misshapen_matrices(matrix):
    with pytest.raises(InvalidArgumentError, match="Argument 'exact'"):
        certify_rank((2, 2), exact=lambda: matrix)


@pytest.mark.parametrize("output", [-1, 1, True, 0.0, "0", None], ids=repr)
def test_matricization_rank_output_is_checked_on_every_route(output):
    arch = cv.DeepArch(N=4, M=2, widths=(2, 1))
    for weights in (cv.witness_weights(arch), cv.random_weights(arch, seed=0)):
        for route in ("auto", "structure", "dense"):
            if route == "structure" and weights.kind == "random":
                continue
            with pytest.raises(InvalidArgumentError, match="Argument 'output'"):
                cv.matricization_rank(weights, cv.parse_partition("odd-even", 4), output=output, route=route)


def test_structure_route_answers_for_the_output_asked():
    """Two outputs with different tensors: output 1 (0-based) is the zero tensor, of rank 0."""
    arch = cv.DeepArch(N=4, M=2, widths=(2, 1), Y=2)
    w = cv.witness_weights(arch)
    arrays = dict(w.arrays)
    arrays[(2, 0)] = np.array([[1], [0]], dtype=object)
    w = Weights(arch, arrays, "explicit")
    part = cv.parse_partition("odd-even", 4)
    assert cv.matricization_rank(w, part, output=0).certificate.rank == 4
    assert cv.matricization_rank(w, part, output=1).certificate.rank == 0


@pytest.mark.parametrize("rows", [(0, 5), (-1,), (0, 0), (0.0,), "02", (True,)], ids=repr)
def test_partition_built_directly_is_checked(rows):
    with pytest.raises(InvalidArgumentError, match="Argument 'rows'"):
        cv.Partition(4, rows, "mine")


def test_partition_built_directly_is_normalized():
    p = cv.Partition(4, [2, 0], "mine")
    assert p.rows == (0, 2) and p.cols == (1, 3)


# --------------------------------------------------------------------------------------------------
# Bounds, certificates, primes and moduli
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [-1, 1.5, True, None, "3"], ids=repr)
def test_bound_values_are_nonnegative_integers(value):
    with pytest.raises(InvalidArgumentError, match="Argument 'value'"):
        Bound(value, "matrix shape")


def test_certificates_refuse_contradictory_bounds():
    with pytest.raises(InvalidArgumentError, match="Argument 'lower'"):
        RankCertificate(3, 3, Bound(3, "a"), Bound(2, "b"))
    with pytest.raises(InvalidArgumentError, match="Argument 'lower'"):
        RankCertificate(2, 5, Bound(3, "a"), Bound(3, "b"))
    with pytest.raises(InvalidArgumentError, match="Argument 'rows'"):
        RankCertificate(-1, 3, Bound(0, "a"), Bound(0, "b"))


@pytest.mark.parametrize("primes", [[], [4], [2**64 + 13], "7", 7, [7.0]], ids=repr)
def test_primes_are_checked(primes):
    with pytest.raises(InvalidArgumentError, match="Argument 'primes'"):
        certify_rank((2, 2), exact=lambda: [[1, 0], [0, 1]], primes=primes)
    arch = cv.DeepArch(N=4, M=2, widths=(2, 1))
    with pytest.raises(InvalidArgumentError, match="Argument 'primes'"):
        cv.matricization_rank(cv.random_weights(arch), cv.parse_partition("odd-even", 4), primes=primes,
                              route="dense")


@pytest.mark.parametrize("modulus", [4, 1, 0, -7, 2**31 + 11, 7.0, "7"], ids=repr)
def test_coefficient_tensor_modulus_is_a_prime(modulus):
    w = cv.random_weights(cv.DeepArch(N=4, M=2, widths=(2, 1)))
    with pytest.raises(InvalidArgumentError, match="Argument 'modulus'"):
        coefficient_tensor(w, modulus=modulus)


# --------------------------------------------------------------------------------------------------
# Wrong types everywhere: a VerifierError naming the argument, never a raw Python error
# --------------------------------------------------------------------------------------------------

DEEP = cv.DeepArch(N=4, M=2, widths=(2, 1))
W = cv.random_weights(DEEP, seed=0)
PART = cv.parse_partition("odd-even", 4)

CALLS = [
    ("N", lambda: cv.DeepArch(N=None, M=2, widths=(2, 1))),
    ("N", lambda: cv.DeepArch(N="4", M=2, widths=(2, 1))),
    ("N", lambda: cv.DeepArch(N=4.0, M=2, widths=(2, 1))),
    ("M", lambda: cv.DeepArch(N=4, M=None, widths=(2, 1))),
    ("widths", lambda: cv.DeepArch(N=4, M=2, widths=None)),
    ("widths", lambda: cv.DeepArch(N=4, M=2, widths="21")),
    ("widths", lambda: cv.DeepArch(N=4, M=2, widths=(2.0, 1))),
    ("Z", lambda: cv.ShallowArch(N=4, M=2, Z=None)),
    ("shared", lambda: cv.ShallowArch(N=4, M=2, Z=2, shared="yes")),
    ("L_c", lambda: cv.DepthArch(N=8, M=2, widths=(2,), L_c=None)),
    ("arch", lambda: cv.random_weights(None)),
    ("arch", lambda: cv.random_weights("deep")),
    ("seed", lambda: cv.random_weights(DEEP, seed="x")),
    ("bound", lambda: cv.random_weights(DEEP, bound=0.5)),
    ("arch", lambda: cv.witness_weights(None)),
    ("arch", lambda: cv.symbolic_weights(None)),
    ("weights", lambda: cv.weights_from_arrays(DEEP, None)),
    ("weights", lambda: cv.weights_from_arrays(DEEP, "x")),
    ("weights", lambda: cv.weights_from_arrays(DEEP, {"0": [[1]]})),
    ("arch", lambda: cv.Weights(None, {})),
    ("arrays", lambda: cv.Weights(DEEP, None)),
    ("weights", lambda: cv.coefficient_tensor(None)),
    ("output", lambda: cv.coefficient_tensor(W, output="0")),
    ("memory_budget", lambda: cv.coefficient_tensor(W, memory_budget="big")),
    ("weights", lambda: cv.evaluate(None, [[1, 0]] * 4)),
    ("reps", lambda: cv.evaluate(W, None)),
    ("reps", lambda: cv.evaluate(W, [[1], [2, 3]])),
    ("reps", lambda: cv.evaluate(W, [[0.5, 1]] * 4)),
    ("partition", lambda: cv.parse_partition(None, 4)),
    ("N", lambda: cv.parse_partition("odd-even", None)),
    ("N", lambda: cv.parse_partition("odd-even", 4.0)),
    ("partition", lambda: cv.parse_partition("rows:" + "1," * 100000, 4)),
    ("tensor", lambda: cv.matricize(None, PART)),
    ("partition", lambda: cv.matricize(np.zeros((2,) * 4), None)),
    ("weights", lambda: cv.matricization_rank(None, PART)),
    ("partition", lambda: cv.matricization_rank(W, None)),
    ("partition", lambda: cv.matricization_rank(W, cv.parse_partition("odd-even", 6))),
    ("engine", lambda: cv.matricization_rank(W, PART, engine=[1])),
    ("engine", lambda: cv.matricization_rank(W, PART, engine="numpy")),
    ("memory_budget", lambda: cv.matricization_rank(W, PART, memory_budget="x")),
    ("route", lambda: cv.matricization_rank(W, PART, route=None)),
    ("arch", lambda: cv.structural_upper_bounds(None, PART)),
    ("shape", lambda: cv.certify_rank(None)),
    ("shape", lambda: cv.certify_rank((2, -1))),
    ("exact", lambda: cv.certify_rank((2, 2), exact=5)),
    ("upper_bounds", lambda: cv.certify_rank((2, 2), exact=lambda: [[1, 0], [0, 1]], upper_bounds=[3])),
    ("matrix", lambda: cv.certify_matrix_rank(None)),
    ("matrix", lambda: cv.certify_matrix_rank([[1], [2, 3]])),
    ("matrix", lambda: cv.certify_matrix_rank([[0.5]])),
    ("matrix", lambda: cv.modular_rank(None)),
    ("p", lambda: cv.modular_rank([[1]], p=4)),
    ("N", lambda: cv.check_theorem1(N=None)),
    ("widths", lambda: cv.check_theorem1(N=8, M=3, widths="3")),
]


@pytest.mark.parametrize("name, call", CALLS, ids=[f"{i}-{n}" for i, (n, _) in enumerate(CALLS)])
def test_wrong_types_raise_verifier_errors_naming_the_argument(name, call):
    with pytest.raises(VerifierError) as info:
        call()
    message = str(info.value)
    assert f"'{name}'" in message, message
    assert len(message) < 300 and "\n" not in message, message


# --------------------------------------------------------------------------------------------------
# Sizes are refused before anything is built
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("make, name", [
    (lambda: cv.DeepArch(N=2**63, M=2, widths=(2,) * 63), "'N'"),
    (lambda: cv.ShallowArch(N=10**9, M=2, Z=2), "'N'"),
    (lambda: cv.DeepArch(N=2**22, M=2, widths=(2,) * 22), "'N'"),
    (lambda: cv.random_weights(cv.ShallowArch(N=4, M=10**8, Z=2)), "'M'"),
    (lambda: cv.random_weights(cv.DeepArch(N=4, M=2, widths=(10**30, 1))), "'widths'"),
    (lambda: cv.witness_weights(cv.DeepArch(N=4, M=2, widths=(2, 1), Y=10**8)), "'Y'"),
    (lambda: cv.symbolic_weights(cv.ShallowArch(N=4, M=2, Z=10**30)), "'Z'"),
    (lambda: cv.matricization_rank(cv.random_weights(cv.DeepArch(N=64, M=2, widths=(2,) * 6)),
                                   cv.parse_partition("odd-even", 64), route="dense"), "'N'"),
], ids=["N-2^63", "shallow-N-10^9", "N-2^22", "M-10^8", "width-10^30", "Y-10^8", "Z-10^30", "dense-N-64"])
def test_sizes_are_refused_with_the_argument_named(make, name):
    with pytest.raises(SizeLimitError) as info:
        make()
    assert name in str(info.value) and len(str(info.value)) < 300


def test_huge_witness_rank_is_printed_exactly():
    """Long certified ranks print as exact powers in text; JSON keeps exact integers while readers can load
    them (up to 4300 digits) and writes longer ones as exact strings."""
    import json

    from verifier.render.reports import json_text

    arch = cv.DeepArch(N=2**14, M=2, widths=(2,) * 14)
    report = cv.matricization_rank(cv.witness_weights(arch), cv.parse_partition("odd-even", arch.N))
    assert report.certificate.rank == 2**8192
    assert "rank = 2^8192" in str(report) and "[A] is 2^8192 x 2^8192" in str(report)
    assert json.loads(json_text(report.to_dict()))["rank"] == 2**8192
    assert json.loads(json_text({"rank": 2**16384, "odd": 3**9000 + 1})) == {"rank": "2^16384", "odd": "3^9000 + 1"}


# --------------------------------------------------------------------------------------------------
# Issue 17, item 6: wrong types through the public API raise the package's errors
# --------------------------------------------------------------------------------------------------

import random as _random  # noqa: E402

from verifier.nets.receptive import KernelArch, grid_tensor  # noqa: E402
from verifier.nets.simnet import ball_contains_log, log_ball, mex  # noqa: E402
from verifier.nets.trees import balanced_binary_tree, star_tree  # noqa: E402
from verifier.render.reports import Report, Step, latex_escape  # noqa: E402
from verifier.render.tables import fraction_digits, parse_fraction, show_fraction, show_int  # noqa: E402
from verifier.theorems.simnets import positive_reps, positive_weights  # noqa: E402

DEEP = cv.DeepArch(N=4, M=2, widths=(2, 1))

BAD_CALLS = [
    ("Step status", lambda: Step("x", "claim", "MAYBE", "d"), "'status'"),
    ("Step name", lambda: Step(None, "claim", "PASS", "d"), "'name'"),
    ("Report steps", lambda: Report("t", "r", {}, None), "'steps'"),
    ("Report step kind", lambda: Report("t", "r", {}, ["PASS"]), r"'steps\[0\]'"),
    ("check_theorem1 widths", lambda: cv.check_theorem1(widths=None), "'widths'"),
    ("check_theorem1 seed", lambda: cv.check_theorem1(seed=None), "'seed'"),
    ("check_theorem1 seed str", lambda: cv.check_theorem1(seed="1"), "'seed'"),
    ("check_theorem1 dense_limit", lambda: cv.check_theorem1(dense_limit=None), "'dense_limit'"),
    ("check_theorem1 bound", lambda: cv.check_theorem1(bound=10**100), "'bound'"),
    ("positive_reps N", lambda: positive_reps(None, 2, _random.Random(0)), "'N'"),
    ("positive_reps negative", lambda: positive_reps(-3, 2, _random.Random(0)), "'N'"),
    ("positive_reps rng", lambda: positive_reps(2, 2, 7), "'rng'"),
    ("positive_reps huge", lambda: positive_reps(10**100, 2, _random.Random(0)), "'N, M'|'N'"),
    ("positive_weights arch", lambda: positive_weights("deep"), "'arch'"),
    ("log_ball None", lambda: log_ball(None), "'q'"),
    ("log_ball text", lambda: log_ball("w"), "'q'"),
    ("ball_contains_log ball", lambda: ball_contains_log(1.5, 2), "'ball'"),
    ("mex values", lambda: mex(None, [1]), "'values, weights'"),
    ("grid_tensor", lambda: grid_tensor("w"), "'weights'"),
    ("star_tree huge", lambda: star_tree(10**100), "'N'"),
    ("binary tree huge", lambda: balanced_binary_tree(2**40), "'N'"),
    ("show_int", lambda: show_int(None), "'n'"),
    ("show_fraction", lambda: show_fraction("w"), "'q'"),
    ("latex_escape", lambda: latex_escape(None), "'text'"),
    ("parse_fraction", lambda: parse_fraction("1/x"), "'text'"),
    ("share_class", lambda: cv.nets.architectures.share_class(None, (0, 0)), "'arch'"),
    ("memory budget above the machine", lambda: cv.matricization_rank(cv.random_weights(DEEP), cv.parse_partition("odd-even", 4),
                                                                       memory_budget=2**80), "'memory_budget'"),
    ("coefficient_tensor budget", lambda: cv.coefficient_tensor(cv.random_weights(DEEP), memory_budget=2**80),
     "'memory_budget'"),
]


@pytest.mark.parametrize("call, named", [(c, n) for _, c, n in BAD_CALLS], ids=[i for i, _, _ in BAD_CALLS])
def test_public_functions_raise_package_errors(call, named):
    """Wrong types, negative and huge values: a VerifierError naming the argument (also a ValueError or
    TypeError, or MemoryError for sizes), never a raw TypeError, AttributeError or MemoryError."""
    with pytest.raises(VerifierError, match=named) as info:
        call()
    assert len(str(info.value)) < 300


def test_grid_tensor_of_a_kernel_net_still_builds():
    w = cv.random_weights(KernelArch(N=4, M=2, widths=(2, 1), kernel=2), seed=0, bound=3)
    assert grid_tensor(w, 0, modulus=101).shape == (2, 2, 2, 2)


def test_exact_rationals_round_trip_past_4300_digits():
    q = Fraction(7**6000, 3**5000)
    assert parse_fraction(fraction_digits(q)) == q


def test_contained_search_leaves_no_files(tmp_path, monkeypatch):
    """Hypothesis searches run by the package keep their files in a temporary directory."""
    from hypothesis import find
    from hypothesis import strategies as st

    from verifier.strategies import FIND_SETTINGS, contained_search

    monkeypatch.chdir(tmp_path)
    with contained_search() as check:
        assert find(st.integers(), lambda n: check() or n > 3, settings=FIND_SETTINGS) == 4
    assert list(tmp_path.iterdir()) == []

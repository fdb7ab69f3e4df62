"""SimNets (issue 14): the log-space ConvAC computes log h_y, proved by rigorous ball enclosures."""

import json
from fractions import Fraction

import flint
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import run_cli
from verifier import strategies as vs
from verifier.errors import InvalidArgumentError
from verifier.nets.architectures import DeepArch, DepthArch, ShallowArch
from verifier.nets.evaluate import evaluate
from verifier.nets.simnet import ball_contains_log, log_ball, mex, simnet_evaluate
from verifier.nets.weights import weights_from_arrays
from verifier.theorems.simnets import check_simnet

ARCHS = [DeepArch(N=8, M=3, widths=(3, 3, 3), shared=True), DeepArch(N=16, M=2, widths=(2, 2, 2, 2), shared=True),
         ShallowArch(N=8, M=3, Z=4), ShallowArch(N=4, M=2, Z=3, shared=True, Y=2),
         DepthArch(N=8, M=2, widths=(2, 2), L_c=2)]


@pytest.mark.parametrize("arch", ARCHS, ids=repr)
def test_enclosed(arch):
    """Every sample's ball contains log h_y(X), with a small radius."""
    r = check_simnet(arch, samples=5, seed=3)
    assert (r.enclosed, r.samples) == (5, 5)
    assert r.max_radius < Fraction(1, 2**100)


@settings(max_examples=15)
@given(st.data())
def test_property_enclosed(data):
    """For any architecture, non-negative exact weights (zeros included) and positive representation
    values, the SimNet's ball contains log h_y (h_y = 0 exactly when the SimNet gives log 0)."""
    arch = data.draw(vs.architectures(max_N=4, max_M=3))
    signed = data.draw(vs.weights(arch, bound=5, fractions=True, zeros=True))
    w = weights_from_arrays(arch, {v: [[abs(x) for x in row] for row in a.tolist()] for v, a in signed.arrays.items()})
    flat = data.draw(st.lists(st.fractions(min_value=Fraction(1, 7), max_value=7, max_denominator=7),
                              min_size=arch.N * arch.M, max_size=arch.N * arch.M))
    reps = [flat[i * arch.M:(i + 1) * arch.M] for i in range(arch.N)]
    for ball, h in zip(simnet_evaluate(w, reps, prec=64), evaluate(w, reps).tolist()):
        assert ball_contains_log(ball, h, prec=64) is True


def test_the_check_can_fail():
    """A ball is NOT certified to contain the log of a slightly different number: the check discriminates."""
    w = weights_from_arrays(ShallowArch(N=2, M=2, Z=1), {(0, 0): [[1, 2]], (0, 1): [[3, 4]], (1, 0): [[5]]})
    reps = [[1, 2], [3, 4]]
    h = evaluate(w, reps)[0]
    ball = simnet_evaluate(w, reps, prec=128)[0]
    assert ball_contains_log(ball, h) is True
    assert ball_contains_log(ball, h * (1 + Fraction(1, 2**90))) is False
    assert ball_contains_log(None, h) is False


def test_zero_weights_drop_their_term():
    """A zero weight drops its term; a sum without terms is the exact log 0 and h = 0."""
    with flint.ctx.workprec(64):
        assert mex([log_ball(2), None], [3, 5]).overlaps(log_ball(6))
    assert mex([None, log_ball(2)], [1, 0]) is None
    w = weights_from_arrays(ShallowArch(N=2, M=2, Z=2), {"0,0": [[0, 2], [0, 0]], "0,1": [[3, 0], [1, 1]],
                                                         "1,0": [[1, 7]]})
    out = simnet_evaluate(w, [[1, 1], [2, 3]])
    assert ball_contains_log(out[0], evaluate(w, [[1, 1], [2, 3]])[0]) is True  # = log(2 * 6)


@pytest.mark.parametrize("mapping,reps,message", [
    ({"0,0": [[1, -2]], "0,1": [[3, 4]], "1,0": [[1]]}, [[1, 1], [1, 1]], "must be non-negative for a SimNet"),
    ({"0,0": [[1, 2]], "0,1": [[3, 4]], "1,0": [[1]]}, [[1, 0], [1, 1]], "must be positive representation values"),
    ({"0,0": [[1, 2]], "0,1": [[3, 4]], "1,0": [[1]]}, [[1, -1], [1, 1]], "must be positive representation values"),
    ({"0,0": [[1, 2]], "0,1": [[3, 4]], "1,0": [[1]]}, [[1, 1]], "must be an array of shape N x M = 2 x 2"),
])
def test_refused(mapping, reps, message):
    w = weights_from_arrays(ShallowArch(N=2, M=2, Z=1), mapping)
    with pytest.raises(InvalidArgumentError, match=message):
        simnet_evaluate(w, reps)


def test_api_refuses_bad_sizes():
    with pytest.raises(InvalidArgumentError, match="Argument 'samples' must be an integer in 1..10000, got 0"):
        check_simnet(ShallowArch(N=2, M=2, Z=1), samples=0)
    with pytest.raises(InvalidArgumentError, match="Argument 'prec' must be an integer number of bits"):
        check_simnet(ShallowArch(N=2, M=2, Z=1), prec=10**6)
    with pytest.raises(InvalidArgumentError, match="samples x weights"):
        check_simnet(DeepArch(N=1024, M=3, widths=(3,) * 10), samples=1000)


SIM = ["simnet", "--net", "deep", "--N", "8", "--M", "2", "--widths", "2,2,2"]


def test_cli_json(capsys):
    code, out, err = run_cli(capsys, *SIM, "--shared", "--samples", "4", "--json")
    d = json.loads(out)
    assert code == 0 and err == ""
    assert (d["samples"], d["enclosed"], d["passed"]) == (4, 4, True)
    assert Fraction(d["max_radius_exact"]) <= Fraction(d["max_radius"])


def test_cli_bad_input(capsys, tmp_path):
    neg = tmp_path / "neg.json"
    neg.write_text(json.dumps({"0,0": [[1, -2]], "0,1": [[3, 4]], "1,0": [[1]]}))
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    cases = [(["simnet", "--net", "shallow", "--N", "2", "--M", "2", "--Z", "1", "--weights-file", neg],
              "Argument '--weights-file' must be non-negative for a SimNet"),
             (SIM + ["--weights-file", bad], "Argument '--weights-file' must be a JSON file"),
             (SIM + ["--weights-file", tmp_path / "missing.json"], "must be a readable JSON file"),
             (SIM + ["--prec", "8"], "Argument '--prec' must be an integer number of bits in 16..4096, got 8"),
             (SIM + ["--samples", "0"], "argument --samples: must be a positive integer"),
             (SIM + ["--seed", "-1"], "Argument '--seed' must be a non-negative integer"),
             (["simnet", "--net", "shallow", "--N", "2", "--M", "2", "--Z", "1", "--weights", "witness"],
              "Argument '--weights' must be 'random' for --net shallow")]
    for argv, message in cases:
        code, out, err = run_cli(capsys, *argv)
        assert code == 2 and out == "" and err.count("\n") == 1 and message in err, err

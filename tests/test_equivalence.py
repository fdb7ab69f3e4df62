"""Network <-> tensor equivalence (COLT 2016, Claims 1-2 / eqs. 4-5): evaluating the network equals
contracting its coefficient tensor with the representation vectors."""

import random
from fractions import Fraction

import numpy as np
import pytest
import sympy

from verifier.nets.architectures import DeepArch, ShallowArch
from verifier.nets.coefficients import coefficient_tensor, contract
from verifier.nets.evaluate import evaluate
from verifier.nets.weights import random_weights, symbolic_weights, weights_from_arrays

SMALL = [
    DeepArch(N=2, M=2, widths=(2,)),
    DeepArch(N=4, M=2, widths=(2, 1)),
    DeepArch(N=4, M=2, widths=(1, 2), Y=2, shared=True),
    ShallowArch(N=3, M=2, Z=2),
    ShallowArch(N=2, M=2, Z=2, Y=2, shared=True),
]


@pytest.mark.parametrize("arch", SMALL, ids=repr)
def test_symbolic_identity(arch):
    """The score polynomial equals the tensor contraction as a polynomial in weights and inputs."""
    w = symbolic_weights(arch)
    reps = np.array([[sympy.Symbol(f"f{d + 1}(x{i + 1})") for d in range(arch.M)] for i in range(arch.N)],
                    dtype=object)
    scores = evaluate(w, reps)
    for y in range(arch.Y):
        t = coefficient_tensor(w, output=y)
        assert sympy.expand(scores[y] - contract(t, reps)) == 0


@pytest.mark.parametrize("arch", [
    DeepArch(N=8, M=3, widths=(3, 2, 2)),
    DeepArch(N=8, M=2, widths=(2, 3, 1), Y=3, shared=True),
    DeepArch(N=16, M=2, widths=(2, 1, 1, 2), Y=2),
    ShallowArch(N=6, M=3, Z=4, Y=2),
    ShallowArch(N=5, M=2, Z=3, shared=True),
], ids=repr)
@pytest.mark.parametrize("seed", [0, 1])
def test_exact_random(arch, seed):
    """On random exact (rational) inputs, network output == tensor contraction, every output."""
    rng = random.Random(seed)
    w = random_weights(arch, seed=seed, bound=50)
    reps = np.array([[Fraction(rng.randint(-9, 9), rng.randint(1, 5)) for _ in range(arch.M)]
                     for _ in range(arch.N)], dtype=object)
    scores = evaluate(w, reps)
    for y in range(arch.Y):
        assert scores[y] == contract(coefficient_tensor(w, output=y), reps)


def test_one_hot_inputs_read_the_tensor():
    """With one-hot representations the score table IS the tensor (MATH.md section 1)."""
    arch = DeepArch(N=4, M=3, widths=(2, 2))
    w = random_weights(arch, seed=4, bound=20)
    t = coefficient_tensor(w)
    eye = np.eye(3, dtype=np.int64).astype(object)
    for idx in [(0, 0, 0, 0), (1, 2, 0, 1), (2, 2, 2, 2)]:
        assert evaluate(w, eye[list(idx)])[0] == t[idx]


def test_mod_p_matches_exact():
    """The tensor built mod p equals the exact tensor reduced mod p."""
    arch = DeepArch(N=8, M=2, widths=(2, 2, 2))
    w = random_weights(arch, seed=2)
    p = 1000003
    exact = coefficient_tensor(w)
    modp = coefficient_tensor(w, modulus=p)
    assert modp.dtype == np.int64
    assert (np.vectorize(lambda x: x % p, otypes=[object])(exact) == modp).all()


def test_rational_weights_scale():
    """Rational weights: Weights.integral() scales the tensor by a nonzero constant."""
    arch = ShallowArch(N=2, M=2, Z=1)
    w = weights_from_arrays(arch, {(0, 0): [["1/2", "1/3"]], (0, 1): [[1, "2/5"]], (1, 0): [["3/7"]]})
    t, ti = coefficient_tensor(w), coefficient_tensor(w.integral())
    ratio = ti[0, 0] / t[0, 0]
    assert all(ti[i, j] == ratio * t[i, j] for i in range(2) for j in range(2)) and ratio != 0

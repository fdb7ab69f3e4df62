#!/usr/bin/env python3
"""Proof check of the measure-zero claim of Theorem 1 (Cohen, Sharir & Shashua, COLT 2016), made visible.

Claim. rank [A] >= min(r_0, M)^{N/2} for all deep-net weights apart from a Lebesgue-null set.

The argument, as checked below (the mathematics lives in ``verifier.theorems.exceptional.polynomial``, ``verifier.theorems.exceptional.sampling``
and ``verifier.theorems.exceptional.measure_zero``):
  1. The polynomial: a maximal minor of [A] (for N=4, M=2, widths 2,1 the whole 4 x 4 determinant) is a
     polynomial in the weights; it is not identically zero (a nonzero integer at a seeded point).
  2. Its factors: it factors into irreducibles, each a weight or the determinant of the filters at a
     position, so the rank drops exactly when a weight vanishes or the filters at a position are
     linearly dependent: a proper algebraic set, hence null (Lemma Z).
  3. The empirical table: weights uniform on {-k..k} hit that set at a rate that falls with k, stays
     under Schwartz-Zippel deg/(2k+1), and matches the exact probability the factorization implies.
  4. Adversarial search: hypothesis looks for rank-deficient weights and finds only zeros of the factors.

Usage: python proofs/measure_zero.py [--N 4] [--M 2] [--widths 2,1] [--shared]
                                     [--bounds 1,2,4,8,16,32] [--samples 2000] [--seed 0]
Prints one PASS/FAIL line per step; exits 0 only if every step passes (2 on bad arguments).
"""

import argparse
import sys

from verifier.theorems.exceptional.measure_zero import measure_zero_study
from verifier.theorems.exceptional.sampling import format_rate_table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--N", type=int, default=4)
    parser.add_argument("--M", type=int, default=2)
    parser.add_argument("--widths", default="2,1", help="r_0,..,r_{L-1}")
    parser.add_argument("--shared", action="store_true")
    parser.add_argument("--bounds", default="1,2,4,8,16,32", help="k: weights uniform on {-k..k}")
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    try:
        widths = tuple(int(w) for w in args.widths.split(","))
        bounds = tuple(int(k) for k in args.bounds.split(","))
        study = measure_zero_study(N=args.N, M=args.M, widths=widths, shared=args.shared, bounds=bounds,
                                   samples=args.samples, seed=args.seed)
    except ValueError as exc:  # InvalidArgumentError is a ValueError
        print(f"measure_zero.py: error: {exc}", file=sys.stderr)
        return 2
    print("1. The polynomial and 2. its factors")
    print(study.cert)
    print()
    print("3. The empirical table (sample i of row k: random_weights(arch, seed + i, k))")
    print(format_rate_table(study.rows))
    print()
    print("4. Adversarial search (hypothesis, shrunk examples)")
    for e in study.examples:
        print(f"  {e.describe()}")
        print(f"    weights (node 'l,j' 0-based -> rows): {e.weights.to_dict()}")
    print()
    print(study.report)
    return 0 if study.report.passed else 1


if __name__ == "__main__":
    sys.exit(main())

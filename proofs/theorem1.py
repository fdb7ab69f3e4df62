#!/usr/bin/env python3
"""Proof check of Theorem 1 (Cohen, Sharir & Shashua, COLT 2016), step by step, exact arithmetic.

Theorem 1. For a deep ConvAC with widths r_0..r_{L-1} over N = 2^L positions and M representation
functions, apart from a Lebesgue-null set of weights, CP-rank(A^y) >= r^{N/2} with r = min(r_0, M).

The argument, as checked below for the network given (the mathematics lives in
``verifier.theorems.theorem1.check_theorem1_network``, the code of ``verifier theorem1``; every step by a
certified route that scales: Lemmas K and R, Lemma D's pair-diagonal count, structural bounds):
  (a) the HT structure bounds rank [A] by r^{N/2} for every choice of weights;
  (b) the witness weights reach r^{N/2} (Lemmas K and R; also densely when it fits);
  (c) seeded random integer weights reach it, with and without weight sharing;
  (d) the widths r_1..r_{L-1} play no role;
  (e) Lemma C: rank [A] <= CP-rank, and a shallow net with Z < r^{N/2} channels has rank [A] <= Z;
  (f) hence rank < r^{N/2} only on the zero set of a nonzero polynomial: a null set.

Usage: python proofs/theorem1.py [--N 8] [--M 3] [--widths 3,3,3] [--shared] [--seed 0] [--bound 1000000]
                                [--allow-skip]
Prints one PASS/FAIL/SKIP line per step; exits 0 only if every step passes (a SKIP, a step no route could
answer, fails the run unless --allow-skip).
"""

import argparse
import sys

from _script import int_tuple, report_main

from verifier.nets.architectures import DeepArch
from verifier.theorems.theorem1 import check_theorem1_network


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--N", type=int, default=8)
    parser.add_argument("--M", type=int, default=3)
    parser.add_argument("--widths", default="3,3,3", help="r_0,..,r_{L-1}")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bound", type=int, default=10**6)
    parser.add_argument("--shared", action="store_true")
    parser.add_argument("--allow-skip", action="store_true")
    args = parser.parse_args()

    def reports():
        arch = DeepArch(N=args.N, M=args.M, widths=int_tuple(args.widths), shared=args.shared)
        report = check_theorem1_network(arch, seed=args.seed, bound=args.bound)
        report.allow_skip = args.allow_skip
        return [report]
    return report_main("theorem1.py", reports)


if __name__ == "__main__":
    sys.exit(main())

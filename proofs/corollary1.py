#!/usr/bin/env python3
"""Proof check of Corollary 1 (Cohen, Sharir & Shashua, COLT 2016): realization and approximation.

Corollary 1. A shallow ConvAC realizing, or approximating arbitrarily well, almost every function of a
deep ConvAC needs Z >= Z* = r^{N/2} channels, r = min(r_0, M).

The argument, as checked below (the mathematics lives in ``verifier.theorems.corollary1`` and
``verifier.theorems.approximation``):
  (a) the deep tensor reaches rank [A] = Z* (witness, random weights);
  (b) Lemma C: every shallow net with Z* - 1 channels, shared or not, has rank [A] <= Z* - 1;
  (c) Z* is attained: an explicit shallow net with Z* channels equals the witness;
  (d) Eckart-Young, witness: the distance to every shallow net with Z channels is >= sqrt(Z* - Z) exactly;
  (e) Eckart-Young, random weights: a certified enclosure, > 0 whenever Z < rank;
  (f) the L2 form for representation functions with a given Gram matrix;
  (g) parameter counts of the deep net and of the smallest admissible shallow net.

Usage: python proofs/corollary1.py [--N 8 --M 2 --widths 2,1,1 --seed 0 --bound 1000000]
Without --N: the default cases (including N = 1024 through Lemmas K and R).
Prints one PASS/FAIL line per step; exits 0 only if every step of every report passes.
"""

import argparse
import sys

from _script import int_tuple, report_main

from verifier.theorems.corollary1 import check_corollary1, corollary1_reports


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--N", type=int)
    parser.add_argument("--M", type=int, default=2)
    parser.add_argument("--widths", default="2,1,1", help="r_0,..,r_{L-1}")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bound", type=int, default=10**6)
    args = parser.parse_args()
    if args.N is None:
        return report_main("corollary1.py", corollary1_reports)
    return report_main("corollary1.py", lambda: [check_corollary1(
        N=args.N, M=args.M, widths=int_tuple(args.widths), seed=args.seed, bound=args.bound)])


if __name__ == "__main__":
    sys.exit(main())

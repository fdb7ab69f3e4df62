#!/usr/bin/env python3
"""Proof check of Theorem 2 / Corollary 2 (Cohen, Sharir & Shashua, COLT 2016), corrected form.

Theorem 2 (as corrected in MATH.md). Matricize with blocks of b = 2^{L_c-1} consecutive modes, odd blocks
as rows. A depth-L_c net (size-2 pooling, then global pooling in layer L_c - 1) has block rank <= its last
width for all weights; a depth-L net reaches block rank >= r^{N/2^{L_c}} off a null set, with
r = min(r_0, .., r_{L_c-1}, M). With r = min(r_0, M) alone the claim is false: N=8, M=2, widths 2,1,1,
L_c=2 has block rank 1 for every weight choice, not 4 (printed below as step (f) of the second report).

The argument, as checked below (the mathematics lives in ``verifier.theorems.theorem2``):
  (a) the depth-L_c upper bound (a cut of its tree; random weights);
  (b) the deep net's structural upper bound;
  (c) the Theorem 2 witness reaches r^{N/2^{L_c}};
  (d) random weights reach it, with and without sharing;
  (e) Corollary 2: last width r^{N/2^{L_c}} - 1 is not enough;
  (f) the uncorrected form fails when a middle width is small;
  (g) measure zero (Schwartz-Zippel).

Usage: python proofs/theorem2.py [--N 8 --M 2 --widths 2,2,2 --Lc 2 --seed 0 --bound 1000000]
Without --N: the default cases (acceptance cases, the counterexample, a non-tight case, L_c = 1).
Prints one PASS/FAIL line per step; exits 0 only if every step of every report passes.
"""

import argparse
import sys

from _script import int_tuple, report_main

from verifier.theorems.theorem2 import check_theorem2, theorem2_reports


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--N", type=int)
    parser.add_argument("--M", type=int, default=2)
    parser.add_argument("--widths", default="2,2,2", help="r_0,..,r_{L-1}")
    parser.add_argument("--Lc", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bound", type=int, default=10**6)
    args = parser.parse_args()
    if args.N is None:
        return report_main("theorem2.py", theorem2_reports)
    return report_main("theorem2.py", lambda: [check_theorem2(
        N=args.N, M=args.M, widths=int_tuple(args.widths), L_c=args.Lc, seed=args.seed, bound=args.bound)])


if __name__ == "__main__":
    sys.exit(main())

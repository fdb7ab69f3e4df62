#!/usr/bin/env python3
"""Proof check of Khrulkov, Novikov & Oseledets (ICLR 2018, arXiv 1711.00811) on tensor trains, exact arithmetic.

The paper's expressive power theorem, as the package states it (the paper's theorem numbers could not be read
here; docs/MATH.md section 5 says what was verified): for even d = N, the TT tensors with TT-ranks r (mode size
n = M) whose CP-rank is below q^{d/2}, q = min(n, r), form a set of measure zero (independent cores). Equal
cores (an RNN's shared cell) the paper formulates as a Hypothesis only (so says the abstract of OpenReview
U5BQ9dmh78, 2024, which claims a proof).

The argument, as checked below (the mathematics lives in ``verifier.theorems.tt``):
  (a) the TT's min-cut bounds rank [A] (odd/even) for every choice of cores, and is >= q^{N/2};
  (b) the witness (pairs of sites joined by q channels) reaches q^{N/2} by Lemmas K and R, at any N;
  (c) seeded random cores reach it, unshared and with equal inner cores (the Hypothesis, at this size);
  (d) Lemma C: rank [A] <= CP-rank, and a shallow net with Z < q^{N/2} channels has rank [A] <= Z;
  (e) hence rank < q^{N/2} only on the zero set of a nonzero polynomial: a null set.
With --compare, also the TT-versus-HT ranks (the paper's comparison of HT- and TT-Networks) at N = 8 and 16.

Usage: python proofs/tt.py [--N 8] [--M 3] [--bonds 3] [--seed 0] [--bound 1000000] [--compare]
Prints one PASS/FAIL line per step; exits 0 only if every step passes.
"""

import argparse
import sys

from _script import int_tuple, report_main

from verifier.theorems.tt import check_tt_theorem1, check_tt_vs_ht


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--N", type=int, default=8)
    parser.add_argument("--M", type=int, default=3)
    parser.add_argument("--bonds", default="3", help="one bond r, or r_1,..,r_{N-1}")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bound", type=int, default=10**6)
    parser.add_argument("--compare", action="store_true", help="also TT versus HT (HT- and TT-Networks compared)")
    args = parser.parse_args()

    def reports():
        bonds = int_tuple(args.bonds)
        out = [check_tt_theorem1(N=args.N, M=args.M, bonds=bonds[0] if len(bonds) == 1 else bonds,
                                 seed=args.seed, bound=args.bound)]
        return out + ([check_tt_vs_ht()] if args.compare else [])

    return report_main("tt.py", reports)


if __name__ == "__main__":
    sys.exit(main())

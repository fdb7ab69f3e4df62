#!/usr/bin/env python3
"""Proof check: log-space ConvACs are SimNets (Cohen, Sharir & Shashua, COLT 2016, abstract).

The SimNet (similarity layer log f_d(x_i); MEX layers with offsets log a + log n in place of the weighted
sums, zero weights dropping their term; sum pooling in place of product pooling) must output log h_y(X).
For each sample, h_y(X) is computed exactly by the ConvAC (rationals), the SimNet runs in rigorous arb
ball arithmetic, and the ball is proved to contain log h_y(X) by exact comparison of rational endpoints
(the mathematics lives in ``verifier.nets.simnet`` and ``verifier.theorems.simnets``).

Usage: python proofs/simnets.py [--samples 40 --seed 0 --bound 1000000 --prec 128]
Prints one PASS/FAIL line per step; exits 0 only if every step passes, 2 on bad input.
"""

import argparse
import sys

from _script import report_main

from verifier.theorems.simnets import check_simnets


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bound", type=int, default=10**6)
    parser.add_argument("--prec", type=int, default=128)
    args = parser.parse_args()
    return report_main("simnets.py", lambda: [check_simnets(args.samples, args.seed, args.bound, args.prec)])


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Proof check: receptive fields larger than 1x1 (Sharir & Shashua, ICLR 2018, overlapping ConvACs).

Every conv layer of the deep ConvAC reads K consecutive positions (stride 1, zero padding on the right)
before size-2 product pooling; ranks are of the grid tensor A(d_1..d_N) = h_y(e_{d_1}..e_{d_N}). Checked
(the mathematics lives in ``verifier.nets.receptive``, ``verifier.rank.grid`` and
``verifier.theorems.receptive_fields``):
  (a)  K = 1 is the COLT net: grid tensor = coefficient tensor; (a') its ranks are today's ranks;
  (b)  K = 2 never lowers the generic rank (zero taps embed the 1x1 net; random K = 2 weights reach it);
  (c)  the forward pass agrees with the broadcast grid construction;
  (d)  low/high: K = 2 exceeds the 1x1 net's bound min(r_{L-2}, r_{L-1}).
With --table, also prints the receptive-fields table (K = 1, 2, 3 at N = 8 and 16).

Usage: python proofs/receptive_fields.py [--seed 0 --bound 1000000] [--table]
Prints one PASS/FAIL line per step; exits 0 only if every step passes, 2 on bad input.
"""

import argparse
import sys

from _script import report_main

from verifier.theorems.receptive_fields import check_receptive_fields


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bound", type=int, default=10**6)
    parser.add_argument("--table", action="store_true", help="also print the receptive-fields table (Markdown)")
    args = parser.parse_args()
    code = report_main("receptive_fields.py", lambda: [check_receptive_fields(args.seed, args.bound)])
    if args.table and code != 2:
        from verifier.theorems.tables import build_table

        print(build_table("receptive-fields", args.seed, args.bound).to_markdown())
    return code


if __name__ == "__main__":
    sys.exit(main())

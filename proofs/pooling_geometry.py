#!/usr/bin/env python3
"""Proof checks of the pooling-geometry statements that follow the COLT 2016 paper.

1. Cohen & Shashua, ICLR 2017, Theorem 1: 2x2 pooling of an image, shared weights: rank [A]_{I,J} >=
   min(r_0, M)^S a.e. (S = split 2x2 windows); the top half I = {1..N/2} has rank <= r_{L-1}.
2. Cohen, Tamari & Shashua, arXiv 1703.06846, Section 6: N = 16, I = {1,3,5,7,9,10,13,14}: the trees T and
   T-bar give r^6, the hybrid tree r^8 (tree files in proofs/data/, read here and passed to the library).
3. Levine, Yakira, Cohen & Shashua, ICLR 2018, Theorem 1: unshared weights, all dimensions powers of 2:
   generic rank = min-cut of the tensor network, on seeded random geometries and partitions.
4. Shared weights can fall strictly below the min-cut (N = 8, M = 2, widths 4,4,1, rows {1,2,5,6}: 9 < 16).

The mathematics lives in ``verifier.theorems.pooling``; ``verifier prove`` runs the same checks.
Usage: python proofs/pooling_geometry.py [--seed 0] [--cases 24] [--side 4 --M 2 --widths 2,2]
Prints one PASS/FAIL line per step; exits 0 only if every step of every report passes.
"""

import argparse
import json
import pathlib
import sys

from _script import int_tuple, report_main

from verifier.theorems.pooling import (
    check_iclr2017_theorem1,
    check_levine_equality,
    check_mixed_example,
    check_shared_below_mincut,
)

DATA = pathlib.Path(__file__).resolve().parent / "data"
TREE_FILES = {"T": "mixed_T.json", "T-bar": "mixed_T_bar.json", "hybrid": "mixed_hybrid.json"}


def read_trees() -> dict:
    """The three trees of the arXiv 1703.06846 example, from proofs/data/."""
    return {name: json.loads((DATA / f).read_text(encoding="utf-8"))["tree"] for name, f in TREE_FILES.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cases", type=int, default=24, help="random geometries for the min-cut equality")
    parser.add_argument("--side", type=int, default=4, help="image side for ICLR 2017 Theorem 1")
    parser.add_argument("--M", type=int, default=2)
    parser.add_argument("--widths", default="2,2", help="r_0,..,r_{L-1} of the image net (L = log2 side)")
    args = parser.parse_args()
    return report_main("pooling_geometry.py", lambda: [
        check_iclr2017_theorem1(args.side, args.M, int_tuple(args.widths), seed=args.seed),
        check_mixed_example(read_trees(), seed=args.seed),
        check_levine_equality(args.cases, seed=args.seed),
        check_shared_below_mincut(seed=args.seed)])


if __name__ == "__main__":
    sys.exit(main())

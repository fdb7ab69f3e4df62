"""End-to-end benchmark: the Theorem 1 random-point check at sizes where the matricization is large.

In one process, on the same seeded random weights (uniform on [-10^6, 10^6]), it times
``verifier.matricization_rank`` for the paper's odd/even matricization:

* N = 16, M = 3, widths 3,1,1,1 (a 6561 x 6561 [A]): the dense route with our modular kernel
  (``engine='modular'``) against the dense route with python-flint ``nmod_mat`` (``engine='flint'``),
  and the default route (Kronecker structure, Lemmas K and R, which these widths allow);
* N = 16, M = 10, widths 3,1,1,1 (a 10^8 x 10^8 [A], never built): the reduction to the 6561 x 6561
  core (``route='reduced'``) with the modular kernel, and the default route.

Each row reports the certified rank (it must be 6561 = 3^8 everywhere, else exit status 1), the two
bound methods and the wall time. Run: ``python benchmarks/bench_theorem1.py [--seed 0] [--skip-flint]``.
"""

from __future__ import annotations

import argparse
import sys
import time

from verifier import DeepArch, matricization_rank, parse_partition, random_weights


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-flint", action="store_true", help="skip the slow flint dense row")
    args = parser.parse_args()
    cases = [(3, "dense", "modular"), (3, "dense", "flint"), (3, "auto", "auto"), (10, "reduced", "modular"),
             (10, "auto", "auto")]
    if args.skip_flint:
        cases.remove((3, "dense", "flint"))
    rows = []
    ok = True
    for m, route, engine in cases:
        weights = random_weights(DeepArch(N=16, M=m, widths=(3, 1, 1, 1)), seed=args.seed)
        t0 = time.perf_counter()
        rep = matricization_rank(weights, parse_partition("odd-even", 16), route=route, engine=engine)
        seconds = time.perf_counter() - t0
        c = rep.certificate
        ok = ok and c.certified and c.rank == 3**8
        rows.append((f"N=16 M={m}", f"{c.rows} x {c.cols}", route, rep.route, engine, c.rank, seconds,
                     c.lower.method, c.upper.method))
    print("| case | [A] | route asked | route taken | engine | certified rank | seconds | lower bound by | "
          "upper bound by |")
    print("|---|---|---|---|---|---:|---:|---|---|")
    for case, shape, asked, taken, engine, rank, seconds, lo, up in rows:
        print(f"| {case} | {shape} | {asked} | {taken} | {engine} | {rank} | {seconds:.2f} | {lo} | {up} |")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

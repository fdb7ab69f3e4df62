"""Benchmark: the block route (MATH.md Lemma B, issue 18) against the older routes on their own cases, and the
min-cut's tree dynamic programme against networkx's max-flow.

On the same seeded random weights (uniform on [-10^6, 10^6]), in one process, each pair of routes on one case
(the certified ranks must be equal; ratio = other route's seconds / block route's seconds, > 1 when the block
route is faster):

* dense vs blocks: image:4x4 (N = 16, M = 2, widths 2,2), checkerboard, and binary N = 16, M = 2, low-high;
* pair-diagonal vs blocks: binary N = 16 and N = 32 (M = 2, widths 2 x L), odd-even (Lemma D's own case);
* compressed vs blocks: binary N = 32, M = 2, widths 2 x 5, low-high (the case issue 18 found refused by auto);
* reduced vs blocks: binary N = 8, M = 40, widths 2,2,2, odd-even (a 40^4 x 40^4 matrix, 2^8-entry core);
* min-cut: ``method='tree'`` vs ``method='max-flow'`` at N = 4096 and N = 32768 (binary, odd-even).

Exit status 1 if a rank is not certified or two routes disagree. Run: ``python benchmarks/bench_blocks.py``.
"""

from __future__ import annotations

import argparse
import sys
import time

CASES = [
    # (name, N, M, widths, geometry, partition, other route)
    ("image 4x4 checkerboard", 16, 2, (2, 2), "image:4x4", "checkerboard", "dense"),
    ("binary N=16 low-high", 16, 2, (2,) * 4, "binary", "low-high", "dense"),
    ("binary N=16 odd-even", 16, 2, (2,) * 4, "binary", "odd-even", "pair-diagonal"),
    ("binary N=32 odd-even", 32, 2, (2,) * 5, "binary", "odd-even", "pair-diagonal"),
    ("binary N=32 low-high", 32, 2, (2,) * 5, "binary", "low-high", "compressed"),
    ("binary N=8 M=40 odd-even", 8, 40, (2, 2, 2), "binary", "odd-even", "reduced"),
]


def timed(weights, part, route):
    from verifier import matricization_rank

    t0 = time.perf_counter()
    rep = matricization_rank(weights, part, route=route)
    return rep.certificate, time.perf_counter() - t0


def main() -> int:
    from verifier import DeepArch, random_weights
    from verifier.nets.geometry import named_partition
    from verifier.rank.mincut import min_cut

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    ok = True
    print(f"{'case':28s} {'other':14s} {'rank':>8s} {'other s':>9s} {'blocks s':>9s} {'ratio':>7s}")
    for name, n, m, widths, geometry, spec, other in CASES:
        arch = DeepArch(N=n, M=m, widths=widths, tree=geometry)
        w = random_weights(arch, seed=args.seed)
        part = named_partition(spec, arch.tree)
        c_other, s_other = timed(w, part, other)
        c_blocks, s_blocks = timed(w, part, "blocks")
        same = c_other.certified and c_blocks.certified and c_other.rank == c_blocks.rank
        ok &= same
        print(f"{name:28s} {other:14s} {str(c_blocks.rank):>8s} {s_other:9.3f} {s_blocks:9.3f} "
              f"{s_other / s_blocks:7.2f}{'' if same else '  MISMATCH'}")
    for n in (4096, 32768):
        arch = DeepArch(N=n, M=2, widths=(2,) + (1,) * (n.bit_length() - 2))
        part = named_partition("odd-even", arch.tree)
        t0 = time.perf_counter()
        dp = min_cut(arch, part)
        t1 = time.perf_counter()
        flow = min_cut(arch, part, method="max-flow")
        t2 = time.perf_counter()
        ok &= dp.value == flow.value
        print(f"{'min-cut N=' + str(n):28s} {'max-flow':14s} {'2^' + str(dp.value.bit_length() - 1):>8s} "
              f"{t2 - t1:9.3f} {t1 - t0:9.3f} {(t2 - t1) / (t1 - t0):7.2f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

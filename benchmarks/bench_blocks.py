"""Benchmark: the block route (MATH.md Lemma B, issue 18) against the older routes on their own cases, and the
min-cut's tree dynamic programme against networkx's max-flow.

On the same seeded random weights (uniform on [-10^6, 10^6]), in one process, each pair of routes on one case,
the routes alone (``check=False``: the checker gate is timed by ``bench_certificates.py``), after one warm-up
run each (the certified ranks must be equal; ratio = other route's seconds / block route's seconds, > 1 when the block
route is faster):

* dense vs blocks: image:4x4 (N = 16, M = 2, widths 2,2), checkerboard, and binary N = 16, M = 2, low-high;
* pair-diagonal vs blocks: binary N = 16 and N = 32 (M = 2, widths 2 x L), odd-even (Lemma D's own case);
* compressed vs blocks: binary N = 32, M = 2, widths 2 x 5, low-high (the case issue 18 found refused by auto);
* reduced vs blocks: binary N = 8, M = 40, widths 2,2,2, odd-even (a 40^4 x 40^4 matrix, 2^8-entry core);
* min-cut: ``method='tree'`` vs ``method='max-flow'`` at N = 4096 and N = 32768 (binary, odd-even);
* with ``--parallel``: the block route serial vs a local process pool of 2 workers vs a Dask LocalCluster of 2
  processes, on image:8x8 (N = 64, M = 2, widths 2,2,2) and a random balanced row set (2^14 blocks, rank 2^15):
  same rank and evidence required; ratio = serial seconds / parallel seconds (pool start-up included).

Exit status 1 if a rank is not certified or two routes disagree. Run:
``python benchmarks/bench_blocks.py [--seed 0] [--parallel]``.
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

    matricization_rank(weights, part, route=route, check=False)   # warm-up: imports, caches
    t0 = time.perf_counter()
    rep = matricization_rank(weights, part, route=route, check=False)   # the routes alone, without the gate
    return rep.certificate, time.perf_counter() - t0


def main() -> int:
    from verifier import DeepArch, random_weights
    from verifier.nets.geometry import named_partition
    from verifier.rank.mincut import min_cut

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--parallel", action="store_true", help="also serial vs 2 processes vs Dask (N = 64)")
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
    if args.parallel:
        ok &= parallel(args.seed)
    return 0 if ok else 1


def parallel(seed: int) -> bool:
    """Serial vs ``--workers 2`` vs ``--executor dask --workers 2`` on the N = 64 image net, in this process."""
    from concurrent.futures import ProcessPoolExecutor

    from verifier import DeepArch, random_weights
    from verifier.nets.geometry import named_partition
    from verifier.rank.blocks import block_rank

    arch = DeepArch(N=64, M=2, widths=(2, 2, 2), tree="image:8x8")
    w = random_weights(arch, seed=seed)
    rows = "1,2,5,7,8,14,15,17,18,21,22,23,25,27,29,30,33,34,36,38,40,41,44,46,49,51,52,55,56,59,61,64"
    part = named_partition("rows:" + rows, arch.tree)
    t0 = time.perf_counter()
    serial = block_rank(w, part)
    base = time.perf_counter() - t0
    results = {}
    t0 = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        results["2 processes"] = block_rank(w, part, executor=pool)
    results["2 processes"] = (results["2 processes"], time.perf_counter() - t0)
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        print("dask.distributed not installed: Dask case skipped")
    else:
        t0 = time.perf_counter()
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            with Client(cluster) as client:
                results["Dask LocalCluster(2)"] = (block_rank(w, part, executor=client), time.perf_counter() - t0)
    ok = True
    print(f"\n{'parallel, N=64 image:8x8':28s} {'rank':>8s} {'serial s':>9s} {'par. s':>9s} {'ratio':>7s}")
    for name, (c, seconds) in results.items():
        same = c.rank == serial.rank and c.evidence.to_dict() == serial.evidence.to_dict()
        ok &= same
        print(f"{name:28s} {str(c.rank):>8s} {base:9.2f} {seconds:9.2f} {base / seconds:7.2f}"
              f"{'' if same else '  MISMATCH'}")
    return ok


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: the pair-diagonal route (Lemma D) against the dense route, and its time and peak memory at scale.

On the same seeded random weights (uniform on [-10^6, 10^6]), paper's odd/even matricization:

* N = 16, M = 2, widths 2,2,2,2 (a 256 x 256 [A]) and N = 16, M = 3, widths 3,3,3,3 (6561 x 6561): the dense
  route (``route='dense'``, modular kernel) against ``route='pair-diagonal'``; the certified ranks must be
  equal (ratio = dense seconds / pair-diagonal seconds);
* N = 32, M = 2, widths 2,2,2,2,2 (2^16 entries of D), N = 32, M = 3, widths 3,3,3,3,3 (3^16) and N = 64,
  M = 2, widths 2,2,2,2,2,2 (2^32 entries of D, a 2^32 x 2^32 [A]), unshared and shared: the pair-diagonal
  route alone (nothing else fits).

Each case runs in a fresh child process (``--case``) so that its peak resident memory (``ru_maxrss``) is
its own. Exit status 1 if a rank is not certified, not the expected ``min(r_0, M)^{N/2}``, or the routes
disagree. Run: ``python benchmarks/bench_pair_diagonal.py [--seed 0] [--skip-64]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

CASES = [
    # (N, M, widths, shared, route)
    (16, 2, (2, 2, 2, 2), False, "dense"), (16, 2, (2, 2, 2, 2), False, "pair-diagonal"),
    (16, 3, (3, 3, 3, 3), False, "dense"), (16, 3, (3, 3, 3, 3), False, "pair-diagonal"),
    (32, 2, (2,) * 5, False, "pair-diagonal"), (32, 2, (2,) * 5, True, "pair-diagonal"),
    (32, 3, (3,) * 5, False, "pair-diagonal"), (32, 3, (3,) * 5, True, "pair-diagonal"),
    (64, 2, (2,) * 6, False, "pair-diagonal"), (64, 2, (2,) * 6, True, "pair-diagonal"),
]


def run_case(n, m, widths, shared, route, seed) -> dict:
    """One case in this process: certified rank, wall seconds, peak RSS."""
    from verifier import DeepArch, matricization_rank, parse_partition, random_weights

    weights = random_weights(DeepArch(N=n, M=m, widths=widths, shared=shared), seed=seed)
    t0 = time.perf_counter()
    rep = matricization_rank(weights, parse_partition("odd-even", n), route=route, engine="auto")
    seconds = time.perf_counter() - t0
    c = rep.certificate
    return {"rank": c.rank, "certified": c.certified, "seconds": seconds, "route": rep.route,
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-64", action="store_true", help="skip the N = 64 cases (2^32 entries each)")
    parser.add_argument("--case", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case is not None:
        print(json.dumps(run_case(*CASES[args.case], args.seed)))
        return 0
    ok, rows, seconds_of = True, [], {}
    for i, (n, m, widths, shared, route) in enumerate(CASES):
        if args.skip_64 and n == 64:
            continue
        out = subprocess.run([sys.executable, __file__, "--case", str(i), "--seed", str(args.seed)],
                             capture_output=True, text=True, check=True).stdout
        r = json.loads(out)
        expect = min(widths[0], m) ** (n // 2)
        ok = ok and r["certified"] and r["rank"] == expect
        seconds_of[(n, m, shared, route)] = r["seconds"]
        rows.append((n, m, widths, shared, route, r))
    print("| case | shared | route | certified rank | seconds | peak RSS (MiB) | dense / pair-diagonal |")
    print("|---|---|---|---:|---:|---:|---:|")
    for n, m, widths, shared, route, r in rows:
        ratio = ""
        if route == "pair-diagonal" and (n, m, shared, "dense") in seconds_of:
            ratio = f"{seconds_of[(n, m, shared, 'dense')] / r['seconds']:.1f}x"
        print(f"| N={n} M={m} widths {','.join(map(str, widths))} | {'yes' if shared else 'no'} | {route} | "
              f"{r['rank']} | {r['seconds']:.2f} | {r['peak_mib']:.0f} | {ratio} |")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

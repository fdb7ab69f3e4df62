"""Benchmark: Lemma D's count of the entries of D in parallel (issue 18 item 5), and the checker gate's recount.

On the same seeded random weights (uniform on [-10^6, 10^6]), the paper's odd/even matricization of the deep
net with N = 64, M = 2, widths 2,2,2,2,2,2 (a 2^32 x 2^32 [A]; D has 2^32 entries), in one process:

* ``pair_diagonal_rank`` serial, with a ``ProcessPoolExecutor(2)``, and with a Dask client of a
  ``LocalCluster`` of 2 worker processes (1 thread each). The certificates, the counts and the listed entries
  (zero mod p but nonzero over Z; proved zero) must be identical, else exit status 1. ratio = serial seconds /
  parallel seconds; "with start-up" includes starting the pool or the cluster, "count" does not (the pool's
  processes are started, and import the package, in a warm-up count at N = 16 first). CPU s: the CPU time of
  the count (this process; the pool's workers, measured once they are reaped; not measured for Dask). On a
  machine whose cores are busy with other work the wall-clock ratio says little; the CPU time shows whether
  the parallel count does more work than the serial one.
* the checker gate (``verifier.rank.certificates.independently_checked``: write the certificate and let the
  independent checker ``verifier/checker/`` re-count D), on the serial report.

Run: ``python benchmarks/bench_count_parallel.py [--seed 0] [--N 64] [--skip-gate]`` (``--N 32`` for a quick
smoke run). At N = 64 it takes a few minutes.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import sys
import time


def _same(a, b) -> bool:
    """Same certificate and same evidence, listed entries included."""
    return (a == b and a.evidence_dict() == b.evidence_dict()
            and a.evidence.nonzero_zero_mod_p == b.evidence.nonzero_zero_mod_p
            and a.evidence.zero_entries == b.evidence.zero_entries)


def _warm(executor) -> None:
    """Start the executor's workers (``None``: this process) and import the package in them (a count at
    N = 16) before the timed count."""
    from verifier import DeepArch, parse_partition, random_weights
    from verifier.rank.lemma_d import pair_diagonal_rank

    pair_diagonal_rank(random_weights(DeepArch(N=16, M=2, widths=(2,) * 4)), parse_partition("odd-even", 16),
                       executor=executor)


def _children_cpu() -> float:
    """User + system CPU seconds of this process's terminated (waited-for) child processes."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main() -> int:
    from concurrent.futures import ProcessPoolExecutor

    from verifier import DeepArch, parse_partition, random_weights
    from verifier.rank.lemma_d import pair_diagonal_rank

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--N", type=int, default=64, choices=(16, 32, 64))
    parser.add_argument("--skip-gate", action="store_true", help="skip the checker gate's recount")
    args = parser.parse_args()
    n = args.N
    w = random_weights(DeepArch(N=n, M=2, widths=(2,) * (n.bit_length() - 1)), seed=args.seed)
    part = parse_partition("odd-even", n)

    _warm(None)  # the same first-call costs (imports, flint) out of the serial time
    load = os.getloadavg()[0]
    t0, cpu = time.perf_counter(), time.process_time()
    serial = pair_diagonal_rank(w, part)
    base = time.perf_counter() - t0
    rows = [("serial", serial, base, base, time.process_time() - cpu)]
    t0 = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        _warm(pool)
        t1, cpu = time.perf_counter(), _children_cpu()
        c = pair_diagonal_rank(w, part, executor=pool)
        t2 = time.perf_counter()
    rows.append(("ProcessPoolExecutor(2)", c, t2 - t1, t2 - t0, _children_cpu() - cpu))  # the workers, reaped
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        print("dask.distributed not installed: the Dask case is skipped")
    else:
        t0 = time.perf_counter()
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=logging.CRITICAL) as cluster:  # not the workers' heartbeats at shutdown
            with Client(cluster) as client:
                _warm(client)
                t1 = time.perf_counter()
                c = pair_diagonal_rank(w, part, executor=client)
                t2 = time.perf_counter()
        rows.append(("Dask LocalCluster(2)", c, t2 - t1, t2 - t0, None))
    ok = serial.certified and serial.rank == 2 ** (n // 2)
    ev = serial.evidence
    print(f"N = {n}, M = 2, widths 2 x {n.bit_length() - 1}, odd/even, seed {args.seed}: rank {serial.rank}, "
          f"{ev.entries} entries of D, {ev.zero_mod_p} zero mod p = {ev.prime} ({ev.exact_checks} decided exactly); "
          f"{os.cpu_count()} cores, load average {load:.1f} at the start")
    print(f"{'count of D':24s} {'count s':>9s} {'ratio':>7s} {'with start-up s':>16s} {'ratio':>7s} {'CPU s':>7s}  "
          "same as serial")
    for name, c, seconds, total, cpu in rows:
        same = _same(serial, c)
        ok &= same
        print(f"{name:24s} {seconds:9.2f} {base / seconds:7.2f} {total:16.2f} {base / total:7.2f} "
              f"{'n/a' if cpu is None else f'{cpu:.2f}':>7s}  {'yes' if same else 'NO: MISMATCH'}")
    if not args.skip_gate:
        from verifier.rank.certificates import independently_checked
        from verifier.rank.matricization import matricization_rank

        report = matricization_rank(w, part, route="pair-diagonal", check=False)
        t0 = time.perf_counter()
        gated = independently_checked(w, report)
        gate = time.perf_counter() - t0
        ok &= bool(gated.checked)
        print(f"checker gate (certificate + independent recount): {gate:.2f} s = {gate / base:.2f} x the serial "
              f"count; {gated.check}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

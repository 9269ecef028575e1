"""The cost of one password check, at the old and today's scrypt parameters (not a test).

    .venv/bin/python -m bench.password_hash            # 3 checks each, medians
    .venv/bin/python -m bench.password_hash --runs 5

Each parameter set runs in a child process, so its peak RSS is its own. Prints the median
wall time of one check and the child's peak RSS; writes nothing else. ADR 0062.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time

from ledger.domain.login import _scrypt

PARAMS = {"old: N=2**14, r=8, p=1": (14, 8, 1), "today: N=2**17, r=8, p=1": (17, 8, 1)}


def _child(log2_n: int, r: int, p: int, runs: int) -> None:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        _scrypt("a typical password-2026", bytes(16), log2_n, r, p)
        times.append(time.perf_counter() - started)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"median_s": statistics.median(times), "peak_rss_mib": peak_mib}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=3, type=int)
    args = parser.parse_args()
    if args.child:
        _child(*args.child, args.runs)
        return
    for label, params in PARAMS.items():
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.password_hash",
                "--runs",
                str(args.runs),
                "--child",
                *map(str, params),
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        )
        result = json.loads(out.stdout)
        print(
            f"{label}: {result['median_s'] * 1000:.0f} ms a check, peak RSS {result['peak_rss_mib']:.0f} MiB"
        )


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Summarises pgbench per-transaction logs (pgbench -l) the way bench_load measures: transactions
that ended inside the measured window [start + warmup, start + warmup + duration), their rate,
and latency percentiles. With --rate, pgbench's logged time already runs from the scheduled
start (it includes the schedule lag, the last field), as bench_load's open loop does.

  pgbench_stats.py --start=UNIX_SECONDS --warmup=S --duration=S LOG... > one JSON line
"""
import argparse
import json
import math


def percentile(sorted_values, q):
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[rank - 1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--start", type=float, required=True)
    parser.add_argument("--warmup", type=float, required=True)
    parser.add_argument("--duration", type=float, required=True)
    parser.add_argument("logs", nargs="+")
    args = parser.parse_args()
    begin = args.start + args.warmup
    end = begin + args.duration
    latencies_ms = []
    failed = 0
    for path in args.logs:
        with open(path) as log:
            for line in log:
                # client_id transaction_no time script_no time_epoch time_us [schedule_lag]
                fields = line.split()
                if len(fields) < 6:
                    continue
                finished = int(fields[4]) + int(fields[5]) / 1e6
                if not begin <= finished < end:
                    continue
                if fields[2] in ("failed", "skipped"):
                    failed += 1
                    continue
                latencies_ms.append(int(fields[2]) / 1000.0)
    latencies_ms.sort()
    print(json.dumps({
        "transactions": len(latencies_ms),
        "failed": failed,
        "tps": round(len(latencies_ms) / args.duration, 1),
        "latency_ms": {
            "p50": round(percentile(latencies_ms, 0.5), 3),
            "p90": round(percentile(latencies_ms, 0.9), 3),
            "p99": round(percentile(latencies_ms, 0.99), 3),
            "p999": round(percentile(latencies_ms, 0.999), 3),
            "max": round(latencies_ms[-1], 3) if latencies_ms else 0.0,
        },
    }))


if __name__ == "__main__":
    main()

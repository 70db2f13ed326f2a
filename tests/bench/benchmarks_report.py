#!/usr/bin/env python3
"""Results of tests/bench/run.sh: gathers the scenarios' JSON into one file, and turns that file
into docs/benchmarks.md (every figure beside its same-run baseline, the ratio, and the issue 7
targets met or not).

  benchmarks_report.py assemble PARTS_DIR > results.json
  benchmarks_report.py render results.json > docs/benchmarks.md

A part named a__b.json lands under result["a"]["b"]; run.json's keys land at the top. Missing
or unexpected fields render as "—" rather than failing: the page must still say what was
measured when a scenario could not run.
"""
import json
import pathlib
import sys

DASH = "—"


def assemble(parts_dir):
    result = {"schema": 1}
    for path in sorted(pathlib.Path(parts_dir).glob("*.json")):
        try:
            value = json.loads(path.read_text())
        except json.JSONDecodeError as error:
            value = {"error": f"unreadable: {error}"}
        if path.stem in ("run", "elapsed"):
            result.update(value)
        elif "__" in path.stem:
            group, name = path.stem.split("__", 1)
            result.setdefault(group, {})[name] = value
        else:
            result[path.stem] = value
    return result


def get(data, *keys):
    """data[k1][k2]... or None when any level is missing."""
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def num(value, digits=0):
    if value is None:
        return DASH
    if isinstance(value, (int, float)):
        return f"{value:,.{digits}f}"
    return str(value)


def ratio(a, b, digits=2):
    if a is None or b is None or b == 0:
        return None
    return round(a / b, digits)


def met(condition):
    if condition is None:
        return "not measured"
    return "**met**" if condition else "**not met**"


def concurrency_keys(group):
    return sorted((group or {}).keys(), key=lambda key: int(key.lstrip("c")))


class Figures:
    """The figures the targets compare, drawn from the results once."""

    def __init__(self, r):
        self.r = r
        single = r.get("intake_single", {})
        self.top = concurrency_keys(single)[-1] if single else None
        self.clients = self.top[1:] if self.top else DASH
        self.intake_top = get(single, self.top, "items_per_s") if self.top else None
        self.p3_top = get(r, "p3", self.top, "tps") if self.top else None
        # Without coalescing (intake restarted with batches of one, one committer per client),
        # beside P3 at the same concurrency.
        uncoalesced = r.get("intake_uncoalesced", {})
        self.uncoalesced_key = concurrency_keys(uncoalesced)[-1] if uncoalesced else None
        self.intake_uncoalesced = get(uncoalesced, self.uncoalesced_key, "items_per_s")
        self.p3_uncoalesced = get(r, "p3", self.uncoalesced_key, "tps")
        self.g0_top = get(r, "g0", self.top, "calls_per_s") if self.top else None
        self.open = r.get("intake_open") or {}
        self.p3_rate = r.get("p3_rate") or {}
        self.e2e = r.get("e2e") or {}
        self.e2e_sustained = r.get("e2e_sustained") or {}
        self.intake_cpu = get(single, self.top, "processes", "intake", "cpu_us_per_item")
        self.g0_cpu = get(r, "g0", self.top, "processes", "noop", "cpu_us_per_call")
        self.kpi = r.get("kpi") or {}


def kpi_check(kpi):
    """(worst GetKpis p99, matching K0 p99, met) over the query shapes the bench times."""
    worst = None
    if kpi.get("getkpis_p99_ms") is not None and kpi.get("k0_p99_ms") is not None:
        worst = (kpi["getkpis_p99_ms"], kpi["k0_p99_ms"])  # One query shape, flat fields.
    for shape, timing in (kpi.get("getkpis_ms") or {}).items():
        p99 = get(timing, "p99")
        k0 = get(kpi, "k0_group_by_ms", shape, "p99")
        if p99 is None or k0 is None:
            continue
        if worst is None or p99 / max(k0, 1e-9) > worst[0] / max(worst[1], 1e-9):
            worst = (p99, k0)
    if worst is None:
        return None, None, None
    identical = kpi.get("identical", kpi.get("identical_to_k0"))
    ok = worst[0] <= worst[1] / 50 and worst[0] <= 20 and identical is not False
    return worst[0], worst[1], ok


def targets(f):
    r = f.r
    rows = []
    clients = f.uncoalesced_key[1:] if f.uncoalesced_key else DASH
    rows.append((f"durable intake, no coalescing (batches of one), {clients} clients",
                 "≥ 0.9 × P3", f"{num(f.intake_uncoalesced)}/s", f"P3 {num(f.p3_uncoalesced)}/s",
                 ratio(f.intake_uncoalesced, f.p3_uncoalesced),
                 None if ratio(f.intake_uncoalesced, f.p3_uncoalesced) is None
                 else f.intake_uncoalesced >= 0.9 * f.p3_uncoalesced))
    top_ratio = ratio(f.intake_top, f.p3_top)
    rows.append((f"durable intake, {f.clients} clients", "≥ 3 × P3 and ≥ 5,000/s",
                 f"{num(f.intake_top)}/s", f"P3 {num(f.p3_top)}/s", top_ratio,
                 None if top_ratio is None else f.intake_top >= 3 * f.p3_top
                 and f.intake_top >= 5000))
    g0_ratio = ratio(f.intake_top, f.g0_top, 3)
    rows.append((f"intake vs no-op gRPC, {f.clients} clients", "≥ 0.25 × G0", f"{num(f.intake_top)}/s",
                 f"G0 {num(f.g0_top)}/s", g0_ratio, None if g0_ratio is None else g0_ratio >= 0.25))
    p99 = get(f.open, "latency_ms", "p99")
    p999 = get(f.open, "latency_ms", "p999")
    p3_p99 = get(f.p3_rate, "latency_ms", "p99")
    open_ok = None
    if p99 is not None and p999 is not None and p3_p99 is not None:
        open_ok = p99 <= p3_p99 + 5 and p999 <= 3 * p99
    rows.append((f"intake p99 at 50 % of max rate ({num(get(f.open, 'rate'))}/s, open loop)",
                 "≤ P3 p99 + 5 ms; p99.9 ≤ 3 × p99",
                 f"p99 {num(p99, 2)} ms, p99.9 {num(p999, 2)} ms", f"P3 p99 {num(p3_p99, 2)} ms",
                 None if p99 is None or p3_p99 is None else round(p99 - p3_p99, 2), open_ok))
    for load, e2e in (("50 % of intake's max rate", f.e2e),
                      ("50 % of the routing rate", f.e2e_sustained)):
        e50 = get(e2e, "latency_ms", "p50")
        e99 = get(e2e, "latency_ms", "p99")
        rows.append((f"submit → routed and timers armed, {load} ({num(e2e.get('rate'))}/s)",
                     "p50 ≤ 10 ms, p99 ≤ 50 ms", f"p50 {num(e50, 2)} ms, p99 {num(e99, 2)} ms",
                     DASH, None, None if e50 is None or e99 is None else e50 <= 10 and e99 <= 50))
    measured = sorted((size for size, kpi in f.kpi.items()
                       if "getkpis_ms" in kpi or "getkpis_p99_ms" in kpi), key=int)
    ten_million = f.kpi.get("10000000") or {}
    if "10000000" not in measured:
        note = ten_million.get("skipped") or ten_million.get("error") or "not run"
        rows.append(("`GetKpis` at 10M complaints", "p99 ≤ K0 / 50 and ≤ 20 ms, same results",
                     note, DASH, None, None))
    for size in measured[-1:]:
        p99, k0, ok = kpi_check(f.kpi[size])
        label = f"`GetKpis` at {int(size):,} complaints"
        if size != "10000000":
            label += " (the target is at 10M)"
        rows.append((label, "p99 ≤ K0 / 50 and ≤ 20 ms, same results", f"p99 {num(p99, 2)} ms",
                     f"K0 p99 {num(k0, 2)} ms", ratio(k0, p99, 1), ok))
    load = get(r, "intake_single", f.top, "processes") or {}
    peaks = {name: get(load, name, "peak_kib") for name in ("intake", "workflow", "mediation",
                                                             "analytics")}
    worst = max(((kib, name) for name, kib in peaks.items() if kib), default=None)
    rows.append(("RSS per service under load (peak)", "≤ 64 MiB",
                 f"{worst[1]} {num(worst[0] / 1024, 1)} MiB" if worst else DASH, DASH, None,
                 None if worst is None else worst[0] <= 64 * 1024))
    cpu_ratio = ratio(f.intake_cpu, f.g0_cpu)
    rows.append(("intake CPU per complaint", "≤ 3 × G0's CPU per RPC",
                 f"{num(f.intake_cpu)} µs", f"G0 {num(f.g0_cpu)} µs", cpu_ratio,
                 None if cpu_ratio is None else cpu_ratio <= 3))
    return rows


def load_cell(kpi):
    """The fixture's load time, with its longest phases (analytics_kpi_bench's load_phases)."""
    phases = kpi.get("load_phases") or {}
    parts = [f"{label} {num(get(phases, name, 'wall_s'))} s"
             for name, label in (("generate_and_copy", "generate + COPY"), ("indexes", "indexes"))
             if get(phases, name, "wall_s") is not None]
    return f"{num(kpi.get('load_seconds'), 1)} s" + (f" ({', '.join(parts)})" if parts else "")


def latency_cells(result):
    return " / ".join(num(get(result, "latency_ms", q), 2) for q in ("p50", "p99", "p999"))


def render(r):
    f = Figures(r)
    machine = r.get("machine", {})
    pg = r.get("postgres", {})
    settings = pg.get("settings", {})
    f0 = r.get("f0", {})
    out = []
    w = out.append
    w("# Benchmarks\n")
    w("Generated by `./tests/bench/run.sh` from `tests/bench/results/latest.json`; do not edit by "
      "hand. Absolute figures on a shared 2-core machine are noise: each one stands beside a "
      "baseline measured in the same run, on the same PostgreSQL, and the targets are ratios.\n")
    w(f"- **Run:** {r.get('mode', DASH)} mode, {r.get('started_at', DASH)}, {num(r.get('elapsed_s'))} s; "
      f"measured windows of {num(r.get('duration_s'))} s after {num(r.get('warmup_s'))} s of warm-up.")
    w(f"- **Commit:** `{r.get('commit', DASH)}`" + (" (with uncommitted changes)" if r.get("dirty") else ""))
    disk = " ".join(str(x) for x in (machine.get("disk_model"), machine.get("disk_size")) if x)
    rotational = {True: "rotational", False: "non-rotational"}.get(machine.get("disk_rotational"), "")
    w(f"- **Machine:** {num(machine.get('cores'))} cores, {machine.get('cpu_model', DASH)}, "
      f"{num(machine.get('memory_gib'), 1)} GiB; disk {machine.get('disk_device', DASH)} "
      f"{disk} {rotational} ({machine.get('filesystem', DASH)}); Linux {machine.get('kernel', DASH)}.")
    w(f"- **PostgreSQL {pg.get('version', DASH)}:** " + ", ".join(
        f"{k} = {v}" for k, v in sorted(settings.items())) + ".")
    w(f"- **F0** (flush floor, `pg_test_fsync` fdatasync of one 8 kB write): "
      f"**{num(f0.get('fdatasync_us_per_op'))} µs/op** ({num(f0.get('fdatasync_ops_per_s'))} ops/s).\n")

    w("## Targets (issue 7)\n")
    w("| figure | target | measured | baseline | ratio | status |")
    w("|---|---|---|---|---|---|")
    for label, target, measured, baseline, value, ok in targets(f):
        w(f"| {label} | {target} | {measured} | {baseline} | {num(value, 2) if value is not None else DASH} | {met(ok)} |")
    w("")
    w("The open-loop row's ratio column is intake's p99 minus P3's, in ms. The GetKpis rows' "
      "ratio is K0 p99 / GetKpis p99 (the target wants ≥ 50). `analytics_kpi_bench` compares "
      "every GetKpis answer with K0's (`identical`, `mismatched_calls` in the JSON); \"same "
      "results\" fails when any call differs.\n")

    w("## Single submissions, closed loop\n")
    w("Each client sends its next `SubmitComplaint` when the previous one is answered. P1 is "
      "one complaint-shaped row per transaction; P3 the statements intake runs for a submission "
      "(idempotency key, complaint row returning its columns, ComplaintReceived event) in one "
      "transaction; both with `pgbench -M prepared` on copies of intake's tables and indexes, with "
      "as many connections as intake has clients. G0 is an empty handler behind the same server "
      "code and the same gRPC API as SubmitComplaint (callback), called by the same client with "
      "requests of the same size. Latencies in ms: p50 / p99 / p99.9.\n")
    w("| clients | intake /s | P3 /s | intake / P3 | P1 /s | G0 /s | intake / G0 | intake latency | P3 latency | G0 latency |")
    w("|---|---|---|---|---|---|---|---|---|---|")
    for key in concurrency_keys(r.get("intake_single")):
        intake = get(r, "intake_single", key) or {}
        p3 = get(r, "p3", key) or {}
        p1 = get(r, "p1", key) or {}
        g0 = get(r, "g0", key) or {}
        w(f"| {key[1:]} | {num(intake.get('items_per_s'))} | {num(p3.get('tps'))} | "
          f"{num(ratio(intake.get('items_per_s'), p3.get('tps')), 2)} | {num(p1.get('tps'))} | "
          f"{num(g0.get('calls_per_s'))} | {num(ratio(intake.get('items_per_s'), g0.get('calls_per_s'), 3), 3)} | "
          f"{latency_cells(intake)} | {latency_cells(p3)} | {latency_cells(g0) if g0 else DASH} |")
    if f.uncoalesced_key:
        uncoalesced = get(r, "intake_uncoalesced", f.uncoalesced_key) or {}
        p3 = get(r, "p3", f.uncoalesced_key) or {}
        w(f"\nWithout coalescing (intake restarted with `DOLEANCES_INTAKE_GROUP_COMMIT_MAX_BATCH=1` "
          f"and one committer per client, so each submission is its own transaction like P3's), "
          f"{f.uncoalesced_key[1:]} clients: {num(uncoalesced.get('items_per_s'))}/s against P3's "
          f"{num(p3.get('tps'))}/s ({num(ratio(uncoalesced.get('items_per_s'), p3.get('tps')), 2)}); "
          f"latency {latency_cells(uncoalesced)} ms.")
    failures = sum((get(r, group, k, "items_failed") or 0)
                   for group in ("intake_single", "intake_uncoalesced")
                   for k in (r.get(group) or {}))
    w(f"\nFailed submissions in these runs: {failures}. Request size: "
      f"{num(get(r, 'intake_single', f.top, 'item_bytes'))} bytes per complaint.\n")

    w("## Open loop at half the best closed-loop rate\n")
    w("Calls leave on a fixed schedule whatever the answers do, and each latency runs from the "
      "call's intended send time, so a stall delays and counts every call behind it (no "
      "coordinated omission). P3 runs at the same arrival rate (`pgbench -R`, latency including "
      "schedule lag). Latencies in ms.\n")
    w("| | rate /s | p50 | p90 | p99 | p99.9 | max | late starts |")
    w("|---|---|---|---|---|---|---|---|")
    sustained = r.get("intake_open_sustained") or {}
    for name, result, rate in (("intake", f.open, get(f.open, "rate")),
                               ("P3", f.p3_rate, get(f.p3_rate, "rate")),
                               ("intake, at half the routing rate (see below)", sustained,
                                get(sustained, "rate"))):
        lat = result.get("latency_ms", {})
        w(f"| {name} | {num(rate)} | {num(lat.get('p50'), 2)} | {num(lat.get('p90'), 2)} | "
          f"{num(lat.get('p99'), 2)} | {num(lat.get('p999'), 2)} | {num(lat.get('max'), 2)} | "
          f"{num(result.get('late_starts'))} |")
    w("")

    w("## Submit → routed, timers armed\n")
    w("For every complaint of an open-loop run: from its intended send time to the commit "
      "(`pg_xact_commit_timestamp`) of the workflow transaction that recorded ComplaintRouted "
      "and started the case's clocks. Two rates: half of intake's best closed-loop rate (the "
      "open-loop run above), which outruns routing on 2 cores, so the backlog and the latency "
      "grow through the window; and half of the rate workflow routed the bulk backlog at with "
      "intake idle (below), from a quiet suite (every consumer, analytics too, caught up: "
      f"{num(get(r, 'analytics_catch_up', 'seconds'), 1)} s of waiting).\n")
    w("| rate /s | submitted | routed | p50 ms | p90 ms | p99 ms | max ms | backlog drained after the window | workflow CPU per complaint |")
    w("|---|---|---|---|---|---|---|---|---|")
    for e in (f.e2e, f.e2e_sustained):
        w(f"| {num(e.get('rate'))} | {num(e.get('submitted'))} | {num(e.get('routed'))} | "
          f"{num(get(e, 'latency_ms', 'p50'), 2)} | {num(get(e, 'latency_ms', 'p90'), 2)} | "
          f"{num(get(e, 'latency_ms', 'p99'), 2)} | {num(get(e, 'latency_ms', 'max'), 2)} | "
          f"{num(e.get('drain_after_window_s'), 2)} s | "
          f"{num(e.get('workflow_cpu_us_per_complaint'))} µs |")
    w("")

    w("## Bulk submissions\n")
    bulk = r.get("intake_bulk") or {}
    drain = r.get("routing_drain") or {}
    w("`SubmitComplaints` with batches of "
      f"{num(bulk.get('batch'))} from {num(bulk.get('concurrency'))} clients, then the time "
      "workflow took to route the backlog.\n")
    w("| complaints /s | vs P3 at the top concurrency | call latency (p50 / p99 / p99.9 ms) | failed items | backlog | routed in | routing rate |")
    w("|---|---|---|---|---|---|---|")
    routing_rate = None
    if drain.get("seconds") and drain.get("backlog") is not None:
        routing_rate = (drain["backlog"] - (drain.get("left") or 0)) / max(drain["seconds"], 0.01)
    w(f"| {num(bulk.get('items_per_s'))} | {num(ratio(bulk.get('items_per_s'), f.p3_top), 2)} | "
      f"{latency_cells(bulk)} | {num(bulk.get('items_failed'))} | {num(drain.get('backlog'))} | "
      f"{num(drain.get('seconds'), 1)} s | {num(routing_rate)} /s |\n")

    w("## GetKpis against K0\n")
    w("`analytics_kpi_bench`: fixtures loaded with COPY into a database of their own; GetKpis "
      "over gRPC (one administration, 90 days, by category) against K0, the naive `GROUP BY` "
      "over one row per complaint. Latencies in ms, p50 / p99.\n")
    w("| complaints | load | GetKpis, last 90 days | K0, last 90 days | GetKpis, past 90 days | K0, past 90 days |")
    w("|---|---|---|---|---|---|")
    for size, kpi in sorted(f.kpi.items(), key=lambda item: int(item[0])):
        if "getkpis_p99_ms" in kpi:  # One query shape (last 90 days), flat fields.
            same = "identical" if kpi.get("identical") else f"{kpi.get('mismatched_calls')} differ"
            w(f"| {num(int(size))} | {load_cell(kpi)} | "
              f"{num(kpi.get('getkpis_p50_ms'), 2)} / {num(kpi.get('getkpis_p99_ms'), 2)} "
              f"({same}) | {num(kpi.get('k0_p50_ms'), 2)} / {num(kpi.get('k0_p99_ms'), 2)} | | |")
            continue
        if "getkpis_ms" not in kpi:
            w(f"| {num(int(size))} | {kpi.get('skipped') or kpi.get('error') or 'not run'} | | | | |")
            continue
        cells = [" / ".join(num(get(kpi, group, shape, q), 2) for q in ("p50", "p99"))
                 for shape in ("to_now", "past") for group in ("getkpis_ms", "k0_group_by_ms")]
        w(f"| {num(int(size))} | {num(kpi.get('load_s'), 1)} s | " + " | ".join(cells) + " |")
    w("")

    w("## Memory and CPU\n")
    w("Resident memory (MiB) right after start, at the end of the busiest closed-loop window "
      f"({f.clients} clients) with its peak so far, and the peak at the end of the run; CPU per "
      "complaint over that window (all threads, user + system).\n")
    w("| process | RSS idle | RSS under load | peak under load | peak at end | CPU µs per complaint |")
    w("|---|---|---|---|---|---|")
    load = get(r, "intake_single", f.top, "processes") or {}
    for name in ("intake", "workflow", "mediation", "analytics", "postgres", "client"):
        mib = lambda kib: num(kib / 1024, 1) if kib else DASH
        idle = get(r, "rss", "idle", name, "rss_kib")
        end = get(r, "rss", "end", name, "peak_kib")
        shared = " (backends, shared memory counted in each)" if name == "postgres" else ""
        w(f"| {name}{shared} | {mib(idle)} | {mib(get(load, name, 'rss_kib'))} | "
          f"{mib(get(load, name, 'peak_kib'))} | {mib(end)} | {num(get(load, name, 'cpu_us_per_item'))} |")
    g0 = get(r, "g0", f.top, "processes") or {}
    w(f"| G0 no-op server | | {num((get(g0, 'noop', 'rss_kib') or 0) / 1024, 1)} | | | "
      f"{num(get(g0, 'noop', 'cpu_us_per_call'))} per call |")
    w("")
    w("A service's CPU per complaint counts everything it did in the window: intake's includes "
      "its own event consumer (mirroring workflow's status changes) and the complaint texts "
      "workflow reads from it for keyword rules; workflow's and analytics' count the events they "
      "applied during the window, which may lag the submissions.")
    lag = r.get("consumer_lag_at_end")
    if isinstance(lag, dict):
        w("Events each consumer group still had to apply at the end of the run: " + ", ".join(
            f"{group} {num(behind)}" for group, behind in sorted(lag.items())) + ".")
    connections = r.get("service_connections")
    if isinstance(connections, dict):
        w("PostgreSQL connections per service after the closed-loop runs: " + ", ".join(
            f"{user.replace('doleances_', '')} {count}" for user, count in sorted(connections.items()))
          + ".")
    w("")
    w("## How to read and rerun\n")
    w("`./tests/bench/run.sh` (full, < 15 min) or `--quick` (< 3 min) rebuilds the bench tools, "
      "starts the suite with `deploy/local/up.sh` on an embedded PostgreSQL (fsync and "
      "synchronous_commit on; `track_commit_timestamp` on for the end-to-end figure), runs every "
      "scenario and baseline, stops everything and rewrites this page. Client, services and "
      "PostgreSQL share the machine's cores, so the client's own CPU is shown above. Between "
      "scenarios the script waits (within a limit) until workflow has routed every complaint and "
      "intake has mirrored it, so that no scenario pays for the previous one's routing backlog; "
      "analytics is not waited for. The services are stopped before the GetKpis scenario, which "
      "runs its own analytics service in process against a database of its own.")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("assemble", "render"):
        sys.exit(__doc__)
    if sys.argv[1] == "assemble":
        print(json.dumps(assemble(sys.argv[2]), indent=1, sort_keys=True))
    else:
        sys.stdout.write(render(json.loads(pathlib.Path(sys.argv[2]).read_text())))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Snapshots noitd's counters, CPU time and peak RSS, and compares two snapshots."""
import json
import os
import sys
import time
import urllib.request


def metrics(port):
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
    values, buckets = {}, {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        name, _, value = line.rpartition(" ")
        if name.startswith("noit_scheduler_start_lateness_bucket"):
            buckets[name.split('le="')[1].split('"')[0]] = float(value)
        else:
            values[name] = float(value)
    return values, buckets


def snapshot(pid, port):
    ticks = os.sysconf("SC_CLK_TCK")
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    user, system = int(fields[11]) / ticks, int(fields[12]) / ticks
    cpu = user + system
    with open(f"/proc/{pid}/status") as f:
        hwm = next(int(l.split()[1]) for l in f if l.startswith("VmHWM"))
    values, buckets = metrics(port)
    return {"time": time.time(), "cpu": cpu, "user": user, "system": system, "hwm_kib": hwm, "metrics": values, "buckets": buckets}


def compare(start_path, end_path, checks, period_ms):
    a, b = json.load(open(start_path)), json.load(open(end_path))
    wall = b["time"] - a["time"]
    m0, m1 = a["metrics"], b["metrics"]
    runs = m1["noit_scheduler_runs_started_total"] - m0["noit_scheduler_runs_started_total"]
    timeouts = m1.get("noit_scheduler_runs_timed_out_total", 0) - m0.get("noit_scheduler_runs_timed_out_total", 0)
    skipped = m1.get("noit_scheduler_runs_skipped_running_total", 0) - m0.get("noit_scheduler_runs_skipped_running_total", 0)
    missed = m1.get("noit_scheduler_periods_missed_total", 0) - m0.get("noit_scheduler_periods_missed_total", 0)
    cpu = b["cpu"] - a["cpu"]
    # Lateness within the window, from the Prometheus histogram buckets (upper bounds).
    window = {le: b["buckets"][le] - a["buckets"].get(le, 0) for le in b["buckets"]}
    total = window.get("+Inf", 0)
    def bound(q):
        for le in sorted((k for k in window if k != "+Inf"), key=float):
            if window[le] >= q * total:
                return f"<= {float(le) * 1000:g} ms"
        return "> largest bucket"
    print(f"checks {checks} every {period_ms} ms = {checks * 60000 // period_ms} checks/min; window {wall:.1f} s")
    print(f"runs started {runs:.0f} ({runs / wall * 60:.0f}/min), timeouts {timeouts:.0f}, skipped-running {skipped:.0f}, missed periods {missed:.0f}")
    print(f"lateness (whole run, HdrHistogram): p50 {m1['noit_scheduler_lateness_p50_seconds'] * 1000:.3f} ms, "
          f"p99 {m1['noit_scheduler_lateness_p99_seconds'] * 1000:.3f} ms, max {m1['noit_scheduler_lateness_max_seconds'] * 1000:.3f} ms")
    window_max = f"<= {min((float(le) for le in window if le != '+Inf' and window[le] >= total), default=float('inf')) * 1000:g} ms"
    print(f"lateness (window, histogram buckets): p50 {bound(0.5)}, p99 {bound(0.99)}, p99.9 {bound(0.999)}, max {window_max}")
    user, system = b["user"] - a["user"], b["system"] - a["system"]
    print(f"noitd CPU {cpu:.2f} s (user {user:.2f} s, system {system:.2f} s) over {wall:.1f} s = {cpu / wall * 100:.1f}% of one core; "
          f"{cpu / max(runs, 1) * 1000 * 1000:.1f} ms CPU per 1,000 checks")
    print(f"noitd peak RSS {b['hwm_kib'] / 1024:.1f} MiB")


if sys.argv[1] == "snapshot":
    print(json.dumps(snapshot(int(sys.argv[2]), int(sys.argv[3]))))
else:
    compare(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))

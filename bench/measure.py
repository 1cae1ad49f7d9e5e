#!/usr/bin/env python3
"""Runs one measured command and appends its figure, one JSON object, to a raw file.

    measure.py run --raw F --scenario T1 --runner ours --run 1 --rows N --concurrency C \
        --results OUT.csv [--stats-url URL] [--log LOG] -- CMD...
    measure.py wrk --raw F --scenario T1 --runner wrk --run 1 --concurrency C [--log LOG] -- wrk ...

`run` times CMD from outside (wall clock, as a user waits for it), takes its
peak RSS from /usr/bin/time -v, and reads its results file: a runner is judged
by the rows it finished `ok`, not by the requests it sent. With --stats-url it
also keeps the simulator's own count of requests and 429s. `wrk` reads the
WRK line that bench/wrk/request.lua prints.
With --timeout SECONDS the command is stopped (SIGTERM) when it runs longer:
its figure is then the rows ok so far over the time it ran.
"""
import argparse
import collections
import csv
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request


def peak_rss_mb(time_report):
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", time_report)
    return round(int(match.group(1)) / 1024, 1) if match else None


def count_results(path):
    """Rows by status and the attempts they took; a missing file counts nothing."""
    statuses, attempts = collections.Counter(), 0
    try:
        with open(path, newline="") as results:
            for line in csv.DictReader(results):
                statuses[line["status"]] += 1
                attempts += int(line["attempts"] or 0)
    except FileNotFoundError:
        pass
    return statuses, attempts


def simulator_counts(url):
    """(requests, 429 answers, rule violations) as the simulator's referee saw them."""
    with urllib.request.urlopen(url, timeout=5) as answer:
        stats = json.load(answer)
    throttled = sum(by_status.get("429", 0) for by_status in stats["requests"].values())
    return stats["total_requests"], throttled, stats["total_violations"]


def terminate_runner(child):
    """SIGTERM the runner under /usr/bin/time, so that time still writes its report."""
    try:
        children = open(f"/proc/{child.pid}/task/{child.pid}/children").read().split()
    except OSError:
        children = []
    for pid in children:
        try:
            os.kill(int(pid), signal.SIGTERM)
        except ProcessLookupError:
            pass


def kill_group(child):
    if child.returncode is not None:  # reaped: its group id may be someone else's by now
        return
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run_command(command, log_path, timeout=None, grace=10.0):
    """(exit code, wall seconds, epoch start, /usr/bin/time -v report, timed out)

    The command runs in its own process group; past `timeout` seconds it is
    stopped (SIGTERM, then SIGKILL to the group after `grace`), and so it is
    when this script is (bench/run stops our group). The exit is awaited with
    a blocking wait: Popen.wait(timeout) polls with sleeps of up to 50 ms,
    which saw a 4 s run end 25 ms late on average (1 % of T3) and at random."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report, open(log_path, "ab") as log:
        started_at = time.time()
        start = time.monotonic()
        child = subprocess.Popen(["/usr/bin/time", "-v", "-o", report.name, *command], stdout=log, stderr=log,
                                 stdin=subprocess.DEVNULL, start_new_session=True)
        timed_out = threading.Event()
        timers = []

        def on_timeout():
            timed_out.set()
            terminate_runner(child)
            timers.append(threading.Timer(grace, kill_group, [child]))
            timers[-1].daemon = True
            timers[-1].start()

        if timeout:
            timers.append(threading.Timer(timeout, on_timeout))
            timers[0].daemon = True
            timers[0].start()
        try:
            child.wait()
            seconds = time.monotonic() - start
        finally:
            for timer in list(timers):
                timer.cancel()
            if child.poll() is None:  # this script is being stopped
                terminate_runner(child)
                try:
                    child.wait(timeout=2.0)
                except subprocess.TimeoutExpired:
                    kill_group(child)
                    child.wait()
        return child.returncode, seconds, started_at, report.read(), timed_out.is_set()


def log_failures(results_path, log_path, limit=20):
    """Copies the first rows that did not end ok into the log: what to look at first."""
    try:
        with open(results_path, newline="") as results, open(log_path, "a") as log:
            bad = [line for line in results if line.split(",", 2)[1:2] not in (["ok"], ["status"])]
            if bad:
                log.write(f"--- measure.py: first of {len(bad)} result lines not ok\n")
                log.writelines(bad[:limit])
    except (FileNotFoundError, IndexError):
        pass


def store_size(log_path):
    """The embedded simulator's `simulator store:` line (run --sim): its mode and bytes an audience."""
    try:
        with open(log_path, errors="replace") as log:
            lines = [line for line in log if "simulator store: " in line]
    except OSError:
        return {}
    match = lines and re.search(r"simulator store: (\w+), (\d+) audiences created, ([\d.]+) bytes an audience", lines[-1])
    return {"store": match.group(1), "store_audiences": int(match.group(2)),
            "bytes_per_audience": float(match.group(3))} if match else {}


def measure_run(args):
    code, seconds, started_at, report, timed_out = run_command(args.command, args.log, args.timeout)
    statuses, attempts = count_results(args.results)
    if code != 0 or timed_out or (args.rows and statuses["ok"] != args.rows):
        log_failures(args.results, args.log)
    figure = {
        "exit": code, "seconds": round(seconds, 3), "started_at": round(started_at, 3), "timed_out": timed_out,
        "rss_mb": peak_rss_mb(report), "ok": statuses["ok"], "statuses": dict(statuses), "attempts": attempts,
        "rows_per_s": round(statuses["ok"] / seconds, 1) if seconds > 0 else 0.0,
    }
    figure.update(store_size(args.log))
    if args.stats_url:
        figure["server_requests"], figure["server_429"], figure["violations"] = simulator_counts(args.stats_url)
    return figure


def measure_wrk(args):
    code, seconds, started_at, report, _ = run_command(args.command, args.log, args.timeout)
    with open(args.log) as log:
        lines = [line for line in log if line.startswith("WRK ")]
    if not lines:
        return {"exit": code or 1, "seconds": round(seconds, 3), "ok": 0, "rows_per_s": 0.0}
    wrk = json.loads(lines[-1][4:])
    good = wrk["requests"] - wrk["non2xx"] - wrk["socket_errors"]
    return {"exit": code, "seconds": wrk["seconds"], "started_at": round(started_at, 3), "ok": good,
            "rows_per_s": round(good / wrk["seconds"], 1), "rss_mb": peak_rss_mb(report),
            "p50_ms": wrk["p50_ms"], "p99_ms": wrk["p99_ms"]}


def main():
    # Stopped with its process group: unwind, so that the temporary files go too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["run", "wrk"])
    parser.add_argument("--raw", required=True, help="JSON-lines file the figure is appended to")
    parser.add_argument("--scenario", required=True)
    parser.add_argument("--runner", required=True)
    parser.add_argument("--run", type=int, required=True)
    parser.add_argument("--rows", type=int, default=0)
    parser.add_argument("--concurrency", type=int, default=0)
    parser.add_argument("--results", help="the runner's results file (run mode)")
    parser.add_argument("--stats-url", help="the simulator's /__stats")
    parser.add_argument("--log", default="/dev/null", help="where the command's output goes")
    parser.add_argument("--timeout", type=float, help="stop the command after this many seconds")
    argv = sys.argv[1:]
    if "--" not in argv or argv.index("--") == len(argv) - 1:
        parser.error("a command to measure is required after --")
    split = argv.index("--")
    args = parser.parse_args(argv[:split])
    args.command = argv[split + 1:]

    figure = {"scenario": args.scenario, "runner": args.runner, "run": args.run, "rows": args.rows,
              "concurrency": args.concurrency}
    figure.update(measure_run(args) if args.mode == "run" else measure_wrk(args))
    with open(args.raw, "a") as raw:
        raw.write(json.dumps(figure) + "\n")

    lost = f", {args.rows - figure['ok']} rows not ok" if args.rows and figure["ok"] != args.rows else ""
    rss = f", {figure['rss_mb']} MB" if figure.get("rss_mb") else ""
    print(f"  {args.scenario} {args.runner:<7} run {args.run} c={args.concurrency}: "
          f"{figure['rows_per_s']:>9.1f}/s in {figure['seconds']:.2f} s{rss}{lost}"
          f"{'' if figure['exit'] == 0 else ', exit ' + str(figure['exit'])}"
          f"{', stopped after --timeout' if figure.get('timed_out') else ''}", file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Turns bench/run's raw figures into REPORT.md and its two plots.

    report.py bench/results
    report.py --sim-vs-nginx RAW.jsonl     (only the rows of bench/sim_vs_nginx.sh)
    report.py --rehearsal RAW.jsonl        (only the rows of bench/rehearsal.sh)

Reads raw/figures.jsonl (one object per measured run), raw/environment.json,
raw/micro.json (Google Benchmark) and raw/t4-run*.tsv (the simulator's counts
every 250 ms). A figure is the median of its runs; a ratio is the median of
the ratios of runs taken back to back in the same invocation (run i of the
runner against run i of its reference), which cancels most of a noisy
machine's drift.
"""
import json
import math
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

PLOTS = Path(__file__).resolve().parent / "plots"
NAMES = {"ours": "audience-batch", "ours_ram": "audience-batch, journal in /dev/shm", "wrk": "wrk",
         "node": "Node (undici)", "python": "Python (aiohttp)"}
T3_CONCURRENCY, T3_LATENCY_S = 256, 0.05
T4_BUDGET, T4_WINDOW_S = 200, 10


class Figures:
    def __init__(self, lines):
        self.lines = lines
        self.by_key = defaultdict(dict)
        for figure in lines:
            if figure["scenario"] != "sweep":  # one run per level: write_sweep_data reads those
                self.by_key[(figure["scenario"], figure["runner"])][figure["run"]] = figure

    def runs(self, scenario, runner):
        return self.by_key.get((scenario, runner), {})

    def median(self, scenario, runner, field="rows_per_s"):
        values = [f[field] for f in self.runs(scenario, runner).values() if f.get(field) is not None]
        return statistics.median(values) if values else None

    def paired_ratio(self, scenario, runner, reference, field="rows_per_s", reference_scenario=None):
        mine = self.runs(scenario, runner)
        theirs = self.runs(reference_scenario or scenario, reference)
        ratios = [mine[r][field] / theirs[r][field] for r in mine.keys() & theirs.keys()
                  if mine[r].get(field) is not None and theirs[r].get(field)]
        return statistics.median(ratios) if ratios else None

    def incomplete(self, scenario, runner):
        """Runs that did not finish every row ok: a rate over them would flatter the runner."""
        return [f for f in self.runs(scenario, runner).values()
                if f["rows"] and (f["ok"] != f["rows"] or f["exit"] not in (0, None))]


def rate(value, unit="rows/s"):
    return "—" if value is None else f"{value:,.0f} {unit}"


def megabytes(value):
    return "—" if value is None else f"{value:,.1f} MB"


def ratio_text(value):
    return "—" if value is None else f"{value:.2f}"


def verdict(goal_text, figures, scenario, condition):
    """The goal with ✅ or ❌; a runner that left rows not ok misses it whatever its figure."""
    if not figures.runs(scenario, "ours"):
        return goal_text
    met = not figures.incomplete(scenario, "ours") and condition()
    return f"{goal_text} {'✅' if met else '❌'}"


def warn(figures, scenario, runner):
    bad = figures.incomplete(scenario, runner)
    if not bad:
        return ""
    worst = min(bad, key=lambda f: f["ok"])
    stopped = sum(1 for b in bad if b.get("timed_out"))
    others = ", ".join(f"{n:,} {status}" for status, n in sorted(worst.get("statuses", {}).items()) if status != "ok")
    return (f" ⚠ {len(bad)} run(s) incomplete (worst: {worst['ok']:,}/{worst['rows']:,} ok"
            f"{f' ({others})' if others else ''}, exit {worst['exit']}"
            f"{f'; {stopped} stopped at the time cap' if stopped else ''})")


def t1_rows(f):
    ours = f.median("T1", "ours")
    vs_wrk = f.paired_ratio("T1", "ours", "wrk")
    vs_node = f.paired_ratio("T1", "ours", "node")
    yield ("T1 throughput, against the ceiling", rate(ours) + warn(f, "T1", "ours"),
           "wrk " + rate(f.median("T1", "wrk"), "req/s"), ratio_text(vs_wrk),
           verdict("≥ 0.55", f, "T1", lambda: vs_wrk is not None and vs_wrk >= 0.55))
    yield ("T1 throughput, against Node", rate(ours), "Node " + rate(f.median("T1", "node")) + warn(f, "T1", "node"),
           ratio_text(vs_node), verdict("≥ 3", f, "T1", lambda: vs_node is not None and vs_node >= 3))
    yield ("T1 throughput, against Python", rate(ours),
           "Python " + rate(f.median("T1", "python")) + warn(f, "T1", "python"),
           ratio_text(f.paired_ratio("T1", "ours", "python")), "—")


def levels_of(f):
    return sorted({int(fig["scenario"][3:]) for fig in f.lines if fig["scenario"].startswith("T1@")})


def levels_rows(f):
    """T1 at each number in flight against wrk and Node at the same number, and against itself at the lowest."""
    levels = levels_of(f)
    for c in levels:
        scenario = f"T1@{c}"
        ours = f.median(scenario, "ours")
        vs_wrk = f.paired_ratio(scenario, "ours", "wrk")
        vs_node = f.paired_ratio(scenario, "ours", "node")
        yield (f"T1 at {c} in flight, against wrk at {c}", rate(ours) + warn(f, scenario, "ours"),
               "wrk " + rate(f.median(scenario, "wrk"), "req/s"), ratio_text(vs_wrk),
               verdict("≥ 0.75", f, scenario, lambda: vs_wrk is not None and vs_wrk >= 0.75))
        yield (f"T1 at {c} in flight, against Node at {c}", rate(ours),
               "Node " + rate(f.median(scenario, "node")) + warn(f, scenario, "node"), ratio_text(vs_node),
               verdict("≥ 4", f, scenario, lambda: vs_node is not None and vs_node >= 4))
        in_ram = f.median(scenario, "ours_ram")
        if in_ram is not None:
            # Not a goal: how much of the pace is the journal's syncs.
            yield (f"T1 at {c} in flight with the journal in /dev/shm, against wrk at {c}",
                   rate(in_ram) + warn(f, scenario, "ours_ram"), "wrk " + rate(f.median(scenario, "wrk"), "req/s"),
                   ratio_text(f.paired_ratio(scenario, "ours_ram", "wrk")),
                   f"— (on disk {ratio_text(f.paired_ratio(scenario, 'ours', 'ours_ram'))} of it)")
    for c in levels[1:]:
        scenario, base = f"T1@{c}", f"T1@{levels[0]}"
        mine = f.paired_ratio(scenario, "ours", "ours", reference_scenario=base)
        wrk = f.paired_ratio(scenario, "wrk", "wrk", reference_scenario=base)
        yield (f"T1 at {c} in flight, against itself at {levels[0]}", rate(f.median(scenario, "ours")),
               f"{rate(f.median(base, 'ours'))} (wrk keeps {ratio_text(wrk)})", ratio_text(mine),
               verdict("≥ 0.9", f, scenario, lambda: mine is not None and mine >= 0.9))


def instructions_rows(raw):
    for line in load_jsonl(raw / "instructions.jsonl"):
        yield (f"instructions per row at {line['concurrency']} in flight", f"{line['instructions_per_row']:,}",
               "callgrind, every thread, 5,000 − 1,000 rows", "—", "flat in the number in flight")


def write_levels_data(f, raw):
    """concurrency, then the median rows/s of audience-batch, wrk and Node at that level."""
    lines = ["# concurrency audience-batch wrk node"]
    for c in levels_of(f):
        values = [f.median(f"T1@{c}", runner) for runner in ("ours", "wrk", "node")]
        lines.append(f"{c} " + " ".join("?" if v is None else f"{v:.0f}" for v in values))
    (raw / "levels.dat").write_text("\n".join(lines) + "\n")
    return len(lines) > 1


def t2_rows(f):
    ours = f.median("T1", "ours", "rss_mb")
    for peer in ("node", "python"):
        yield (f"T2 peak RSS, against {NAMES[peer]}", megabytes(ours), f"{NAMES[peer]} " +
               megabytes(f.median("T1", peer, "rss_mb")),
               ratio_text(f.paired_ratio("T1", "ours", peer, "rss_mb")),
               verdict("≤ 48 MB", f, "T1", lambda: ours is not None and ours <= 48))


def t3_rows(f):
    bound = T3_CONCURRENCY / T3_LATENCY_S
    ours = f.median("T3", "ours")
    reference = f"Little's law {T3_CONCURRENCY} / {T3_LATENCY_S:g} s = {bound:,.0f} rows/s"
    yield ("T3 latency-bound", rate(ours) + warn(f, "T3", "ours"), reference,
           ratio_text(None if ours is None else ours / bound),
           verdict("≥ 0.95", f, "T3", lambda: ours is not None and ours / bound >= 0.95))
    for runner in ("wrk", "node", "python"):
        value = f.median("T3", runner)
        if value is not None:
            yield (f"T3 latency-bound, {NAMES[runner]}", rate(value) + warn(f, "T3", runner), reference,
                   ratio_text(value / bound), "—")


def t4_optimum(rows):
    # The first window's budget goes at once; each further window waits for its start.
    return (math.ceil(rows / T4_BUDGET) - 1) * T4_WINDOW_S


def t4_batch_period(raw):
    """The median time between one budget's worth of requests and the next, as
    the simulator counted them (from the t4-run*.tsv samples, 250 ms apart)."""
    gaps = []
    for samples in sorted(raw.glob("t4-run*.tsv")):
        points = [(float(t), int(n)) for t, n, _ in (line.split("\t") for line in samples.read_text().splitlines())]
        if not points:
            continue
        base = points[0][1]
        crossings, k = [], 1
        for t, n in points:
            while n - base > k * T4_BUDGET:  # the first request of window k + 1 is in
                crossings.append(t)
                k += 1
        gaps += [b - a for a, b in zip(crossings, crossings[1:])]
    return statistics.median(gaps) if gaps else None


def t4_rows(f, raw):
    runs = f.runs("T4", "ours")
    if not runs:
        return
    rows = next(iter(runs.values()))["rows"]
    optimum = t4_optimum(rows)
    makespan = f.median("T4", "ours", "seconds")
    throttled = max((r.get("server_429") or 0) for r in runs.values())
    ratio = makespan / optimum if optimum else None
    period = t4_batch_period(raw)
    yield ("T4 budget use (tw.count)", f"{makespan:.1f} s, {throttled} × 429 (worst run)" + warn(f, "T4", "ours"),
           f"optimum {optimum} s + one round trip", ratio_text(ratio),
           verdict("≤ 1.03, zero 429", f, "T4", lambda: ratio is not None and ratio <= 1.03 and throttled == 0))
    if period is not None and rows > 2 * T4_BUDGET:
        # The simulator opens a window on the whole epoch second of its first request and ends it
        # exactly a window later (x-rate-limit-reset has 1 s resolution), so an obedient client
        # can start a new window every T4_WINDOW_S seconds.
        yield ("T4 budget windows as the simulator ran them", f"a new {T4_BUDGET} every {period:.2f} s",
               f"{T4_WINDOW_S} s windows, opened on a whole second",
               ratio_text(period / T4_WINDOW_S), "—")


def t5_rows(f):
    for runner in ("ours", "node", "python"):
        faulty = f.median("T5.faults", runner)
        if faulty is None:
            continue
        yield (f"T5 goodput under faults, {NAMES[runner]}", rate(faulty) + warn(f, "T5.faults", runner),
               "fault-free " + rate(f.median("T5.clean", runner)),
               ratio_text(f.paired_ratio("T5.faults", runner, runner, reference_scenario="T5.clean")), "—")


def sim_rows(f):
    """Issue 3: the simulator next to nginx's canned answers, same endpoint, same wrk."""
    for endpoint, label in (("get", "GET workspaces"), ("post", "POST create")):
        sim, nginx = f.median(f"S.sim.{endpoint}", "wrk"), f.median(f"S.nginx.{endpoint}", "wrk")
        if sim is not None:
            yield (f"simulator against nginx, {label}", "simulator " + rate(sim, "req/s"), "nginx " + rate(nginx, "req/s"),
                   ratio_text(f.paired_ratio(f"S.sim.{endpoint}", "wrk", "wrk", reference_scenario=f"S.nginx.{endpoint}")),
                   "—")


# Issue 22: peak RSS of a whole `run --sim` (runner and simulator) at 10,000,000 rows, by store mode.
REHEARSAL_GOALS_MB = {"full": 1024, "ids": 256}


def rehearsal_rows(f):
    """Issue 22: one row per size and store mode of bench/rehearsal.sh (its run number is the size)."""
    for scenario, runner in sorted(k for k in f.by_key if k[0].startswith("R.")):
        store = scenario[2:]
        for rows, fig in sorted(f.runs(scenario, runner).items()):
            per_audience = fig.get("bytes_per_audience")
            goal_mb = REHEARSAL_GOALS_MB.get(store) if rows >= 10_000_000 else None
            met = fig["ok"] == rows and fig["exit"] == 0 and fig.get("rss_mb") is not None and \
                goal_mb is not None and fig["rss_mb"] <= goal_mb
            yield (f"rehearsal `run --sim`, {rows:,} rows, store {store}",
                   f"{megabytes(fig.get('rss_mb'))} peak RSS, {fig['seconds']:,.0f} s, "
                   f"{'—' if per_audience is None else f'{per_audience:.1f}'} bytes an audience"
                   f"{warn(f, scenario, runner) if fig['ok'] != rows or fig['exit'] else ''}",
                   f"{fig['ok']:,} rows ok of {rows:,}", "—",
                   "—" if goal_mb is None else f"≤ {goal_mb:,} MB {'✅' if met else '❌'}")


# What each micro-benchmark measures, and what one item of it is.
MICRO = {
    "BM_CsvReaderFile": ("CSV reader, from a file", "rows"),
    "BM_CsvReaderMemory": ("CSV reader, from memory", "rows"),
    "BM_ParseDecimal": ("decimal cell parsing", "cells"),
    "BM_BuildCreateBody": ("request building (nf.create row to JSON text)", "bodies"),
    "BM_BuildCreateBodyThroughDom": ("request building through a JSON object (the reference)", "bodies"),
    "BM_ParseCreateAnswer": ("JSON answer parsing (nf.create answer, id taken)", "answers"),
    "BM_OAuth1Sign": ("OAuth 1.0a signing (HMAC-SHA1 Authorization header)", "signatures"),
}


def t6_rows(micro):
    for b in micro.get("benchmarks", []):
        if b.get("run_type") == "aggregate":
            continue
        label, unit = MICRO.get(b["name"], (b["name"], "items"))
        parts = []
        if "items_per_second" in b:
            parts.append(f"{b['items_per_second']:,.0f} {unit}/s")
        if "bytes_per_second" in b:
            parts.append(f"{b['bytes_per_second'] / 1e6:,.0f} MB/s")
        if not parts:
            parts.append(f"{b['real_time']:,.1f} {b.get('time_unit', 'ns')} each")
        yield (f"T6 {label}", ", ".join(parts), "—", "—", "—")


def load_jsonl(path):
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def load_json(path):
    return json.loads(path.read_text()) if path.exists() else {}


def write_sweep_data(f, raw):
    """concurrency, then rows/s of each runner; '?' where a runner has no figure."""
    sweep = {(s["runner"], s["concurrency"]): s["rows_per_s"] for s in f.lines if s["scenario"] == "sweep"}
    levels = sorted({level for _, level in sweep})
    lines = ["# concurrency " + " ".join(NAMES)]
    for level in levels:
        lines.append(f"{level} " + " ".join(str(sweep.get((runner, level), "?")) for runner in NAMES))
    (raw / "sweep.dat").write_text("\n".join(lines) + "\n")
    return bool(levels)


def write_budget_data(f, raw):
    """t4-runN.dat: seconds since the runner started, requests so far, 429s so far."""
    throttled = []
    for run, figure in sorted(f.runs("T4", "ours").items()):
        samples = raw / f"t4-run{run}.tsv"
        if not samples.exists():
            continue
        start = figure["started_at"]
        points = [line.split("\t") for line in samples.read_text().splitlines()]
        base = next((int(p[1]) for p in points if float(p[0]) <= start), 0)
        lines = [f"{float(t) - start:.3f} {int(n) - base} {int(k)}" for t, n, k in points if float(t) >= start]
        (raw / f"t4-run{run}.dat").write_text("\n".join(lines) + "\n")
        throttled.append(str(figure.get("server_429") or 0))
    return throttled


def plot(script, out, **variables):
    settings = "; ".join(f"{k}='{v}'" if isinstance(v, str) else f"{k}={v}" for k, v in variables.items())
    subprocess.run(["gnuplot", "-e", f"{settings}; outfile='{out}'", str(PLOTS / script)], check=True)


def details(figures_list):
    lines = ["| scenario | runner | run | concurrency | rows | seconds | rows/s | peak RSS | ok | exit | server 429s |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for fig in figures_list:
        lines.append(f"| {fig['scenario']} | {NAMES[fig['runner']]} | {fig['run']} | {fig['concurrency']} | "
                     f"{fig['rows']:,} | {fig['seconds']:.2f} | {fig['rows_per_s']:,.0f} | "
                     f"{megabytes(fig.get('rss_mb'))} | {fig['ok']:,} | {fig['exit']} | "
                     f"{fig.get('server_429', '—')}{' (stopped at the cap)' if fig.get('timed_out') else ''} |")
    return lines


def main():
    only = {"--sim-vs-nginx": sim_rows, "--rehearsal": rehearsal_rows}.get(sys.argv[1])
    if only:
        for row in only(Figures(load_jsonl(Path(sys.argv[2])))):
            print(f"| {' | '.join(row)} |")
        return
    results = Path(sys.argv[1])
    raw = results / "raw"
    figures_list = load_jsonl(raw / "figures.jsonl")
    f = Figures(figures_list)
    env = load_json(raw / "environment.json")
    micro = load_json(raw / "micro.json")

    table = [*t1_rows(f), *levels_rows(f), *instructions_rows(raw), *t2_rows(f), *t3_rows(f), *t4_rows(f, raw),
             *t5_rows(f), *sim_rows(f), *rehearsal_rows(f), *t6_rows(micro)]
    plots = []
    if write_sweep_data(f, raw):
        plot("throughput.gp", results / "throughput.png", datafile=str(raw / "sweep.dat"))
        plots.append(("Throughput against concurrency (nginx, canned 201)", "throughput.png"))
    if write_levels_data(f, raw):
        plot("levels.gp", results / "levels.png", datafile=str(raw / "levels.dat"))
        plots.append(("T1 at several numbers in flight, each beside wrk and Node at the same number", "levels.png"))
    throttled = write_budget_data(f, raw)
    if throttled:
        plot("budget.gp", results / "budget.png", datadir=str(raw), runs=len(throttled),
             throttled=" ".join(throttled), budget=T4_BUDGET, window=T4_WINDOW_S)
        plots.append(("T4: tw.count requests over time against the budget", "budget.png"))

    full_sizes = {"T1": 1_000_000, "T3": 20_000, "T4": 1_000, "T5": 20_000, "sweep": 50_000}
    if env.get("quick"):
        mode = "quick (BENCH_QUICK=1: small sizes, a smoke run)"
    elif env.get("rows", full_sizes) != full_sizes:
        mode = "medium (full scenarios, sizes set by BENCH_*_ROWS: see Sizes)"
    else:
        mode = "full"
    out = [
        "# audience-batch benchmarks",
        "",
        f"Written by `make bench` on {env.get('date', '?')}, commit {env.get('commit', '?')}"
        f"{' (with uncommitted changes)' if env.get('dirty') else ''}; {mode}; {env.get('runs', '?')} runs per figure.",
        f"Machine: {env.get('cpu', '?')}, {env.get('cores', '?')} cores, Linux {env.get('kernel', '?')}, "
        f"load average {' / '.join(map(str, env.get('load', [])))} at the start; nginx {env.get('nginx', '?')}, "
        f"wrk {env.get('wrk', '?')}, Node {env.get('node', '?')}, Python {env.get('python', '?')}.",
        f"Sizes: {', '.join(f'{k} {v:,} rows' for k, v in env.get('rows', {}).items())}; sweep levels "
        f"{env.get('sweep_levels', '?')}; wrk {env.get('wrk_seconds', '?')} s per measurement; "
        f"each measured run capped at {env.get('timeout', '?')} s; job and results files on "
        f"{env.get('workdir_fs', '?')} ({env.get('workdir', '?').rsplit('/', 1)[0] or '/'}).",
        "T1/T2 use T1's rows: issue 7's goals are stated for 1,000,000 rows (T4: 1,000).",
        "",
        "Figures are medians; a ratio is the median of per-run ratios, run i of each runner against run i of its",
        "reference, taken back to back (orders alternate between runs). rows/s counts rows that ended `ok`,",
        "over the whole command's wall time (start-up, login and the results file included).",
        "",
        "| scenario | figure | reference | ratio | goal |",
        "|---|---|---|---|---|",
        *(f"| {' | '.join(row)} |" for row in table),
        "",
        *[line for title, png in plots for line in (f"![{title}]({png})", "")],
        "## Every run",
        "",
        *details(figures_list),
        "",
    ]
    (results / "REPORT.md").write_text("\n".join(out))


if __name__ == "__main__":
    main()

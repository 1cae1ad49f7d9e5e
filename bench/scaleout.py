#!/usr/bin/env python3
"""Scale-out of one shared budget: one nf.create file split into 1, 2 and 4
shards (--shard K/N), one process per shard, against one `audience-batch sim
--nf-rate 500/1s`, each told --rate nf=500/1s, with a shared --budget-store (a
redis-server started here on a free port) and, for comparison, without one.
Prints a table and writes bench/results/scaleout.md, and scaleout.png (rows/s
and budget used against processes) when gnuplot is there.

Figures: rows/s = rows / the time from the server's first answer to its last;
budget used = the requests the server let through in its steady windows (every
one-second window strictly between the first and the last that let one
through, as the simulator's referee counted them) / 500 per such window;
makespan use = the least time the requests could take at 500/1s (full windows
but the last) / the first-to-last time; 429s as the simulator counted them.

usage: bench/scaleout.py [build/audience-batch] [rows]   (rows: 2000)
"""
import json, os, shutil, socket, subprocess, sys, tempfile, time, urllib.parse, urllib.request

BINARY = sys.argv[1] if len(sys.argv) > 1 else "build/audience-batch"
ROWS = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
LIMIT, WINDOW = 500, 1.0
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_redis():
    port = free_port()
    p = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                          "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(500):
        try:
            socket.create_connection(("127.0.0.1", port), 0.1).close()
            return p, f"redis://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.01)
    p.kill()
    sys.exit("redis-server did not start")


def start_sim():
    p = subprocess.Popen([BINARY, "sim", "--port", "0", "--nf-rate", f"{LIMIT}/1s"], stdout=subprocess.PIPE, text=True)
    where = json.loads(p.stdout.readline())
    return p, where


def one(processes, store):
    sim, where = start_sim()
    redis, url = start_redis() if store else (None, None)
    work = tempfile.mkdtemp()
    env = dict(os.environ, NEUROFLASH_API_URL=where["nf_api"], NEUROFLASH_TOKEN_URL=where["nf_token_url"],
               NEUROFLASH_CLIENT_ID=where["client_id"], NEUROFLASH_CLIENT_SECRET=where["client_secret"])
    job = os.path.join(work, "job.csv")
    with open(job, "w") as f:
        f.write("name,female,male,nonBinary,preferNotToSay,country,minAge,maxAge,interests\n")
        for i in range(ROWS):
            f.write(f"Scale {i},0.7,0.1,0.1,0.1,US,25,45,AI|content\n")
    runs = []
    for k in range(1, processes + 1):
        args = [BINARY, "run", job, "--job", "nf.create", "--rate", f"nf={LIMIT}/1s", "--progress", "lines"]
        if processes > 1:
            args += ["--shard", f"{k}/{processes}"]
        if store:
            args += ["--budget-store", url]
        runs.append(args)
    procs = [subprocess.Popen(a, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for a in runs]
    codes = [p.wait() for p in procs]
    api = urllib.parse.urlsplit(where["nf_api"])
    stats = json.load(urllib.request.urlopen(f"{api.scheme}://{api.netloc}/__stats"))
    sim.terminate(); sim.wait()
    if redis:
        redis.terminate(); redis.wait()
    shutil.rmtree(work)
    span = stats["span"]["nf.create"]
    took = span["last"] - span["first"]
    requests = sum(stats["requests"]["nf.create"].values())
    throttled = stats["requests"]["nf.create"].get("429", 0)
    best = ((ROWS + LIMIT - 1) // LIMIT - 1) * WINDOW
    windows = {int(k): v for k, v in stats.get("windows", {}).get("nf", {}).items()}
    steady = list(range(min(windows) + 1, max(windows))) if len(windows) >= 3 else []
    used = sum(windows.get(w, 0) for w in steady) / (LIMIT * len(steady)) if steady else 0
    return {"processes": processes, "store": store, "exit": codes, "requests": requests, "429": throttled,
            "seconds": round(took, 3), "used": round(used, 3), "makespan_used": round(best / took, 3) if took else 0,
            "steady": " ".join(str(windows.get(w, 0)) for w in steady),
            "rows_per_s": round(ROWS / took, 1) if took else 0,
            "violations": stats["total_violations"]}


def main():
    rows = [one(n, s) for s in (True, False) for n in (1, 2, 4)]
    os.makedirs(OUT, exist_ok=True)
    load = open("/proc/loadavg").read().split()[:3]
    lines = ["# Scale-out of one shared budget (nf.create, 500/1s, %d rows)" % ROWS, "",
             "Load average at the end (1, 5, 15 min): %s, on %d cores." % (" ".join(load), os.cpu_count()), "",
             "| processes | shared store | requests | 429s | first to last answer (s) | rows/s | budget used "
             "(steady windows) | requests in each steady window | makespan use | exit codes |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['processes']} | {'yes' if r['store'] else 'no'} | {r['requests']} | {r['429']} | "
                     f"{r['seconds']} | {r['rows_per_s']} | {r['used']:.1%} | {r['steady']} | "
                     f"{r['makespan_used']:.0%} | {r['exit']} |")
    text = "\n".join(lines) + "\n"
    print(text)
    with open(os.path.join(OUT, "scaleout.md"), "w") as f:
        f.write(text)
    with open(os.path.join(OUT, "scaleout.dat"), "w") as f:
        for r in rows:
            f.write(f"{r['processes']} {int(r['store'])} {r['used']} {r['429']} {r['rows_per_s']}\n")
    if shutil.which("gnuplot"):
        plot = f"""set terminal png size 1000,420; set output '{OUT}/scaleout.png'
set multiplot layout 1,2 title 'nf.create, {ROWS} rows in N shards, one budget of {LIMIT}/1s (loopback, a shared 2-core machine)'
set xlabel 'processes'; set xtics (1,2,4); set key bottom right; set grid
set title 'rows/s'; set ylabel 'rows/s'; set yrange [0:{LIMIT * 1.3}]
plot '{OUT}/scaleout.dat' using 1:($2==1?$5:1/0) with linespoints title 'shared store', \\
     '' using 1:($2==0?$5:1/0) with linespoints title 'no store (429s)', {LIMIT} with lines dt 2 title 'budget'
set title 'budget used (%), and 429s'; set ylabel 'budget used (%)'; set yrange [0:110]
set y2label '429 answers'; set ytics nomirror; set y2tics; set y2range [0:*]
plot '{OUT}/scaleout.dat' using 1:($2==1?100*$3:1/0) with linespoints title 'used, shared store', \\
     '' using 1:($2==1?$4:1/0) axes x1y2 with linespoints title '429s, shared store', \\
     '' using 1:($2==0?$4:1/0) axes x1y2 with linespoints title '429s, no store'
unset multiplot
"""
        subprocess.run(["gnuplot"], input=plot, text=True, check=False)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Samples the simulator's /__stats every 250 ms until SIGTERM, for the T4 plot.

    sample_stats.py URL OUT.tsv

Each line: epoch seconds, requests the simulator answered so far, 429s so far.
The server's count is the truth about the pace: it sees every attempt,
including the ones a client would rather not admit to.
"""
import json
import signal
import sys
import time
import urllib.request

PERIOD = 0.25


def main():
    url, out_path = sys.argv[1:3]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with open(out_path, "w", buffering=1) as out:
        next_tick = time.monotonic()
        while True:
            try:
                with urllib.request.urlopen(url, timeout=1) as answer:
                    stats = json.load(answer)
                throttled = sum(by_status.get("429", 0) for by_status in stats["requests"].values())
                out.write(f"{time.time():.3f}\t{stats['total_requests']}\t{throttled}\n")
            except OSError:
                pass  # the simulator is starting or stopping: the next tick will tell
            next_tick += PERIOD
            time.sleep(max(0.0, next_tick - time.monotonic()))


if __name__ == "__main__":
    main()

"""The child side of the harness's line protocol (bench/lib/contestants.mjs) for Python peers.

The config is argv[1] as JSON. `setup(config)` returns (info, run) where run(units) does the work; an
ImportError in setup (no torch, no river, ...) becomes a skip with the reason, not a failure.
"""
import json
import sys
import time

MARKER = "@@bench "


def send(message):
    sys.stdout.write(MARKER + json.dumps(message) + "\n")
    sys.stdout.flush()


def serve(setup):
    config = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    try:
        info, run = setup(config)
    except ImportError as error:
        send({"skip": f"{error} (python: {sys.executable})"})
        return
    send({"ready": True, "info": info})
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "quit":
            break
        if parts[0] != "run":
            continue
        try:
            cpu0 = time.process_time()
            t0 = time.perf_counter()
            run(int(parts[1]))
            seconds = time.perf_counter() - t0
            send({"seconds": seconds, "cpuSeconds": time.process_time() - cpu0})
        except Exception as error:  # reported to the harness, which marks this peer failed
            send({"error": repr(error)})

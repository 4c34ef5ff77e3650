"""Per-call latency with many concurrent clients, through libvirt-python, timed in ms.

Usage: python3 latency_workload.py CLIENTS CALLS URI  -> prints one JSON object:
{"clients", "calls", "p50", "p99", "max", "wallMs"}. Each client is its own process with its own
connection to URI; all start together (a barrier), then each makes CALLS calls alternating
lookupByName('test') and XMLDesc(0), timing every one.
"""
import json
import multiprocessing as mp
import sys
import time

import libvirt


def client(uri, calls, barrier, out):
    conn = libvirt.open(uri)
    dom = conn.lookupByName("test")
    barrier.wait()
    samples = []
    for i in range(calls):
        t0 = time.perf_counter()
        if i % 2 == 0:
            conn.lookupByName("test")
        else:
            dom.XMLDesc(0)
        samples.append((time.perf_counter() - t0) * 1000)
    conn.close()
    out.put(samples)


def percentile(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p))]


def main():
    clients, calls, uri = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    libvirt.registerErrorHandler(lambda *_: None, None)
    barrier = mp.Barrier(clients + 1)
    out = mp.Queue()
    procs = [mp.Process(target=client, args=(uri, calls, barrier, out)) for _ in range(clients)]
    for p in procs:
        p.start()
    barrier.wait()
    t0 = time.perf_counter()
    samples = []
    for _ in procs:
        samples.extend(out.get())
    wall = (time.perf_counter() - t0) * 1000
    for p in procs:
        p.join()
    samples.sort()
    print(json.dumps({
        "clients": clients,
        "calls": len(samples),
        "p50": percentile(samples, 0.50),
        "p99": percentile(samples, 0.99),
        "max": samples[-1],
        "wallMs": wall,
    }))


if __name__ == "__main__":
    main()

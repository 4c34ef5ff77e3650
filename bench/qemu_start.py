"""Time libvirt's start of a transient guest (createXML until it returns, then destroy), in ms.

Usage: python3 qemu_start.py URI ROUNDS < domain.xml  -> prints a JSON list of start times.
"""
import json
import sys
import time

import libvirt


def main():
    uri, rounds = sys.argv[1], int(sys.argv[2])
    xml = sys.stdin.read()
    conn = libvirt.open(uri)
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        dom = conn.createXML(xml, 0)
        times.append((time.perf_counter() - t0) * 1000)
        dom.destroy()
    conn.close()
    print(json.dumps(times))


if __name__ == "__main__":
    main()

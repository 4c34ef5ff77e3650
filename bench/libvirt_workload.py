"""The benchmark workload through libvirt's own test driver (libvirt-python), timed in ms.

Usage: python3 libvirt_workload.py N [URI] < template.xml   -> prints one JSON object with the phase times.
URI defaults to test:///default (in-process); a remote URI measures a daemon over the wire.
"""
import json
import sys
import time

import libvirt


TEMPLATE = sys.stdin.read()  # DOMAIN_XML_TEMPLATE from shared.ts, NAME standing for the name


def domain_xml(name):
    return TEMPLATE.replace("NAME", name)


def main():
    n = int(sys.argv[1])
    names = [f"bench-{i}" for i in range(n)]
    conn = libvirt.open(sys.argv[2] if len(sys.argv) > 2 else "test:///default")
    ms = lambda t0: (time.perf_counter() - t0) * 1000

    t0 = time.perf_counter()
    doms = [conn.defineXML(domain_xml(name)) for name in names]
    define = ms(t0)

    t0 = time.perf_counter()
    for name in names:
        conn.lookupByName(name).XMLDesc(0)
    lookup_dumpxml = ms(t0)

    t0 = time.perf_counter()
    everything = conn.listAllDomains(0)
    list_all = ms(t0)
    assert len(everything) == n + 1, len(everything)

    t0 = time.perf_counter()
    for dom in doms:
        dom.undefine()
    undefine = ms(t0)
    conn.close()
    print(json.dumps({"define": define, "lookupDumpxml": lookup_dumpxml, "listAll": list_all, "undefine": undefine}))


if __name__ == "__main__":
    main()

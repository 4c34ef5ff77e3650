"""The benchmark workload through libvirt's own test driver (libvirt-python), timed in ms.

Usage: python3 libvirt_workload.py N   -> prints one JSON object with the phase times.
"""
import json
import sys
import time

import libvirt


def domain_xml(name):
    # Must stay identical to domainXml() in shared.ts.
    return f"""<domain type='test'>
  <name>{name}</name>
  <memory unit='KiB'>65536</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <source file='/var/lib/images/{name}.img'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <interface type='network'>
      <source network='default'/>
    </interface>
  </devices>
</domain>"""


def main():
    n = int(sys.argv[1])
    names = [f"bench-{i}" for i in range(n)]
    conn = libvirt.open("test:///default")
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

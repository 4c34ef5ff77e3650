"""Runs a parity scenario (JSON list of [op, ...args], from stdin) through libvirt-python on
test:///default and prints the results and lifecycle events as JSON, in the shape runner.ts uses."""
import json
import sys

import libvirt

libvirt.virEventRegisterDefaultImpl()
libvirt.registerErrorHandler(lambda *_: None, None)
conn = libvirt.open("test:///default")
events = []
conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                            lambda c, d, e, det, o: events.append(["domain", d.name(), e, det]), None)
conn.networkEventRegisterAny(None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE,
                             lambda c, n, e, det, o: events.append(["network", n.name(), e, det]), None)


def pump():
    """Let libvirt dispatch the events queued so far."""
    timer = libvirt.virEventAddTimeout(0, lambda *_: None, None)
    libvirt.virEventRunDefaultImpl()
    libvirt.virEventRemoveTimeout(timer)


dom = conn.lookupByName
net = conn.networkLookupByName
pool = conn.storagePoolLookupByName
OPS = {
    "state": lambda n: dom(n).state(),
    "info": lambda n: dom(n).info()[:4],
    "id": lambda n: dom(n).ID(),
    "suspend": lambda n: dom(n).suspend(),
    "resume": lambda n: dom(n).resume(),
    "reboot": lambda n: dom(n).reboot(0),
    "shutdown": lambda n: dom(n).shutdown(),
    "destroy": lambda n: dom(n).destroy(),
    "create": lambda n: dom(n).create(),
    "undefine": lambda n: dom(n).undefine(),
    "isActive": lambda n: bool(dom(n).isActive()),
    "isPersistent": lambda n: bool(dom(n).isPersistent()),
    "autostart": lambda n: bool(dom(n).autostart()),
    "setAutostart": lambda n, v: dom(n).setAutostart(1 if v else 0),
    "define": lambda x: conn.defineXML(x).name(),
    "createXML": lambda x: [conn.createXML(x, 0).name()],
    "lookup": lambda n: dom(n).name(),
    "lookupId": lambda i: conn.lookupByID(i).name(),
    "lookupUuid": lambda u: conn.lookupByUUIDString(u).name(),
    "list": lambda: sorted(d.name() for d in conn.listAllDomains(0)),
    "listFlags": lambda f: sorted(d.name() for d in conn.listAllDomains(f)),
    "netList": lambda: sorted(n.name() for n in conn.listAllNetworks(0)),
    "netActive": lambda n: bool(net(n).isActive()),
    "netPersistent": lambda n: bool(net(n).isPersistent()),
    "netDestroy": lambda n: net(n).destroy(),
    "netCreate": lambda n: net(n).create(),
    "netUndefine": lambda n: net(n).undefine(),
    "netBridge": lambda n: net(n).bridgeName(),
    "netLookup": lambda n: net(n).name(),
    "netDefine": lambda x: conn.networkDefineXML(x).name(),
    "netCreateXML": lambda x: conn.networkCreateXML(x).name(),
    "poolList": lambda: sorted(p.name() for p in conn.listAllStoragePools(0)),
    "poolInfo": lambda n: pool(n).info(),
    "poolLookup": lambda n: pool(n).name(),
    "poolDestroy": lambda n: pool(n).destroy(),
    "poolCreate": lambda n: pool(n).create(0),
    "poolUndefine": lambda n: pool(n).undefine(),
    "poolDefine": lambda x: conn.storagePoolDefineXML(x, 0).name(),
    "volCreate": lambda p, x: pool(p).createXML(x, 0).name(),
    "volInfo": lambda p, v: pool(p).storageVolLookupByName(v).info(),
    "volPath": lambda p, v: pool(p).storageVolLookupByName(v).path(),
    "volList": lambda p: sorted(v.name() for v in pool(p).listAllVolumes(0)),
    "volLookup": lambda p, v: pool(p).storageVolLookupByName(v).name(),
    "volByPath": lambda p: conn.storageVolLookupByPath(p).name(),
    "volByKey": lambda k: conn.storageVolLookupByKey(k).name(),
    "volDelete": lambda p, v: pool(p).storageVolLookupByName(v).delete(0),
    "snapCreate": lambda d, s: dom(d).snapshotCreateXML(SNAPSHOT % s, 0).getName(),
    "snapRevert": lambda d, s, f=0: dom(d).revertToSnapshot(dom(d).snapshotLookupByName(s), f),
    "snapList": lambda d, f: sorted(s.getName() for s in dom(d).listAllSnapshots(f)),
    "snapListOrdered": lambda d, f: [s.getName() for s in dom(d).listAllSnapshots(f)],
    "snapChildren": lambda d, s, f: sorted(c.getName() for c in dom(d).snapshotLookupByName(s).listAllChildren(f)),
    "snapChildrenOrdered": lambda d, s, f: [c.getName() for c in dom(d).snapshotLookupByName(s).listAllChildren(f)],
}
SNAPSHOT = "<domainsnapshot><name>%s</name></domainsnapshot>"


# Calls that return nothing (libvirt-python gives 0); runner.ts reports them as null.
VOID = {"suspend", "resume", "reboot", "shutdown", "destroy", "create", "undefine", "setAutostart",
        "netDestroy", "netCreate", "netUndefine", "poolDestroy", "poolCreate", "poolUndefine", "volDelete", "snapRevert"}

results = []
for op, *args in json.load(sys.stdin):
    try:
        value = OPS[op](*args)
        results.append(["ok", None if op in VOID else value])
    except libvirt.libvirtError as e:
        results.append(["err", e.get_error_code(), e.get_error_domain(), e.get_error_message()])
    pump()
print(json.dumps({"results": results, "events": events}))

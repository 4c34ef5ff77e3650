/**
 * Steps of host-interface calls (virInterface*), and the libvirt-python program that runs them
 * on a URI (libvirt's own test driver, or tsvirtd): shared by the driver and the daemon tests.
 */
import { type Connection, isVirError } from '@tsvirt/core';

export type Step =
  | ['list', number]
  | ['num']
  | ['names']
  | ['byName', string]
  | ['byMac', string]
  | ['xml', string, number]
  | ['define', string, number]
  | ['undefine', string]
  | ['start', string, number]
  | ['stop', string, number]
  | ['active', string]
  | ['begin', number]
  | ['commit', number]
  | ['rollback', number];

export type Outcome = { ok: unknown } | { err: [number, number, string] };

const BR0 =
  "<interface type='bridge' name='br0'><start mode='onboot'/><mtu size='1500'/>" +
  "<protocol family='ipv4'><dhcp peerdns='no'/></protocol>" +
  "<bridge stp='off' delay='0.01'><interface type='ethernet' name='eth0'><mac address='52:54:00:AB:CD:EF'/></interface>" +
  "<interface type='vlan' name='eth0.42'><vlan tag='42'><interface name='eth0'/></vlan></interface></bridge></interface>";
const BOND0 =
  "<interface type='bond' name='bond0'><protocol family='ipv6'><autoconf/><dhcp/><ip address='fe80::2' prefix='64'/>" +
  "<route gateway='fe80::1'/></protocol><link speed='1000' state='up'/><bond mode='active-backup'>" +
  "<miimon freq='100' updelay='10' carrier='netif'/><interface type='ethernet' name='eth2'>" +
  "<mac address='52:54:00:00:00:02'/></interface></bond></interface>";
const VLAN = "<interface type='vlan' name='eth1.7'><vlan tag='7'><interface name='eth1'/></vlan></interface>";
const ETH3 = "<interface type='ethernet' name='eth3'><mac address='52:54:00:00:00:03'/></interface>";

/** Each script runs on a fresh connection to its URI (test:///default unless given). */
export const SCRIPTS: Step[][] = [
  [
    ['list', 0],
    ['list', 1],
    ['list', 2],
    ['list', 3],
    ['list', 4],
    ['num'],
    ['names'],
    ['byName', 'eth1'],
    ['byName', 'nope'],
    ['byMac', 'aa:bb:cc:dd:ee:ff'],
    ['byMac', 'AA:BB:CC:DD:EE:FF'],
    ['byMac', '00:11:22:33:44:55'],
    ['xml', 'eth1', 0],
    ['xml', 'eth1', 1],
    ['xml', 'nope', 0],
    ['active', 'eth1'],
    ['active', 'nope'],
  ],
  [
    ['start', 'eth1', 0],
    ['stop', 'eth1', 1],
    ['stop', 'eth1', 0],
    ['stop', 'eth1', 0],
    ['active', 'eth1'],
    ['list', 1],
    ['num'],
    ['names'],
    ['start', 'eth1', 0],
    ['active', 'eth1'],
    ['start', 'nope', 0],
    ['undefine', 'eth1'],
    ['undefine', 'eth1'],
    ['list', 0],
    ['num'],
  ],
  [
    ['define', ETH3, 0],
    ['define', ETH3, 2],
    ['define', ETH3, 1],
    ['active', 'eth3'],
    ['byMac', '52:54:00:00:00:03'],
    ['xml', 'eth3', 0],
    ['define', BR0, 0],
    ['xml', 'br0', 0],
    ['byMac', '52:54:00:00:00:03'],
    ['define', BOND0, 0],
    ['xml', 'bond0', 0],
    ['define', VLAN, 0],
    ['xml', 'eth1.7', 0],
    ['list', 0],
    ['list', 2],
    ['define', "<interface type='ethernet' name='eth1'><mac address='02:00:00:00:00:01'/></interface>", 0],
    ['active', 'eth1'],
    ['xml', 'eth1', 0],
    ['byMac', 'aa:bb:cc:dd:ee:ff'],
  ],
  [
    ['commit', 0],
    ['rollback', 0],
    ['begin', 1],
    ['begin', 0],
    ['begin', 0],
    ['define', ETH3, 0],
    ['start', 'eth3', 0],
    ['undefine', 'eth1'],
    ['list', 0],
    ['rollback', 1],
    ['rollback', 0],
    ['list', 0],
    ['active', 'eth1'],
    ['xml', 'eth1', 0],
    ['rollback', 0],
    ['begin', 0],
    ['define', ETH3, 0],
    ['commit', 1],
    ['commit', 0],
    ['commit', 0],
    ['list', 0],
    ['active', 'eth3'],
  ],
  [
    ['define', '', 0],
    ['define', 'not xml', 0],
    ['define', "<iface type='ethernet' name='x'/>", 0],
    ['define', "<interface name='x'/>", 0],
    ['define', "<interface type='wifi' name='x'/>", 0],
    ['define', "<interface type='ethernet'/>", 0],
    ['define', "<interface type='ethernet' name='x'><mtu size='abc'/></interface>", 0],
    ['define', "<interface type='ethernet' name='x'><mtu size='100001'/></interface>", 0],
    ['define', "<interface type='ethernet' name='x'><start mode='later'/></interface>", 0],
    ['define', "<interface type='ethernet' name='x'><protocol/></interface>", 0],
    ['define', "<interface type='ethernet' name='x'><protocol family='ipx'/></interface>", 0],
    [
      'define',
      "<interface type='ethernet' name='x'><protocol family='ipv4'><dhcp peerdns='maybe'/></protocol></interface>",
      0,
    ],
    [
      'define',
      "<interface type='ethernet' name='x'><protocol family='ipv4'><ip address='1.2.3.4' prefix='x'/></protocol></interface>",
      0,
    ],
    ['define', "<interface type='ethernet' name='x'><link state='sideways'/></interface>", 0],
    ['define', "<interface type='ethernet' name='x'><link speed='fast'/></interface>", 0],
    ['define', "<interface type='bridge' name='x'/>", 0],
    [
      'define',
      "<interface type='bridge' name='x'><bridge><interface type='bridge' name='y'><bridge/></interface></bridge></interface>",
      0,
    ],
    ['define', "<interface type='bond' name='x'/>", 0],
    ['define', "<interface type='bond' name='x'><bond mode='fastest'/></interface>", 0],
    ['define', "<interface type='bond' name='x'><bond><miimon/></bond></interface>", 0],
    ['define', "<interface type='bond' name='x'><bond><miimon freq='1' updelay='u'/></bond></interface>", 0],
    ['define', "<interface type='bond' name='x'><bond><miimon freq='1' downdelay='d'/></bond></interface>", 0],
    ['define', "<interface type='bond' name='x'><bond><miimon freq='1' carrier='c'/></bond></interface>", 0],
    ['define', "<interface type='bond' name='x'><bond><arpmon interval='i' target='1.1.1.1'/></bond></interface>", 0],
    ['define', "<interface type='bond' name='x'><bond><arpmon interval='1'/></bond></interface>", 0],
    [
      'define',
      "<interface type='bond' name='x'><bond><arpmon interval='1' target='1.1.1.1' validate='none'/></bond></interface>",
      0,
    ],
    ['define', "<interface type='bond' name='x'><bond><interface type='vlan' name='v'/></bond></interface>", 0],
    ['define', "<interface type='vlan' name='x'/>", 0],
    ['define', "<interface type='vlan' name='x'><vlan/></interface>", 0],
    ['define', "<interface type='vlan' name='x'><vlan tag='3'/></interface>", 0],
    ['list', 0],
  ],
  [
    // libvirt 9.0's quirks, kept: a bad stp empties the bridge, values are kept as text.
    [
      'define',
      "<interface type='bridge' name='b1'><bridge stp='maybe' delay='2'><interface type='ethernet' name='e'/></bridge></interface>",
      0,
    ],
    ['xml', 'b1', 0],
    [
      'define',
      "<interface type='ethernet' name='e1'><mtu size='+12'/><link speed='0' state='unknown'/><mac address=''/><protocol family='ipv4'><ip address='1.1.1.1' prefix='0x10'/><ip address='1.1.1.2' prefix='010'/><ip/><route gateway='1.1.1.254'/><route gateway='2.2.2.2'/></protocol><protocol family='ipv4'/></interface>",
      0,
    ],
    ['xml', 'e1', 0],
    [
      'define',
      "<interface type='bond' name='b2'><bond mode=''><miimon freq='-5' updelay='-1' downdelay='0'/><arpmon interval='3' target='x'/></bond></interface>",
      0,
    ],
    ['xml', 'b2', 0],
    ['define', "<interface type='ethernet' name='a&amp;b'><start mode=''/><mtu/></interface>", 0],
    ['xml', 'a&b', 0],
    ['byMac', 'ff:ff:ff:ff:ff:ff'],
    ['undefine', 'b1'],
    ['undefine', 'b2'],
    ['byMac', 'ff:ff:ff:ff:ff:ff'],
    ['names'],
  ],
];

type Ctx = { conn: Connection };
const iface = (c: Ctx, name: string) => c.conn.lookupInterfaceByName(name);
const pair = (i: { getName(): string; getMACString(): string }) => [i.getName(), i.getMACString()];

const RUN: { [K in Step[0]]: (c: Ctx, ...args: never[]) => Promise<unknown> } = {
  list: async (c, flags: number) => (await c.conn.listAllInterfaces(flags)).map(pair).sort(),
  num: async (c) => [await c.conn.numOfInterfaces(), await c.conn.numOfDefinedInterfaces()],
  names: async (c) => [(await c.conn.listInterfaces(100)).sort(), (await c.conn.listDefinedInterfaces(100)).sort()],
  byName: async (c, name: string) => pair(await iface(c, name)),
  byMac: async (c, mac: string) => pair(await c.conn.lookupInterfaceByMACString(mac)),
  xml: async (c, name: string, flags: number) => (await iface(c, name)).getXMLDesc(flags),
  define: async (c, xml: string, flags: number) => pair(await c.conn.defineInterfaceXml(xml, flags)),
  undefine: async (c, name: string) => (await iface(c, name)).undefine(),
  start: async (c, name: string, flags: number) => (await iface(c, name)).create(flags),
  stop: async (c, name: string, flags: number) => (await iface(c, name)).destroy(flags),
  active: async (c, name: string) => (await iface(c, name)).isActive(),
  begin: async (c, flags: number) => c.conn.interfaceChangeBegin(flags),
  commit: async (c, flags: number) => c.conn.interfaceChangeCommit(flags),
  rollback: async (c, flags: number) => c.conn.interfaceChangeRollback(flags),
};

/** Runs every script on a fresh connection from `open`, in tsvirt; void results are null as in Python. */
export async function runSteps(open: () => Promise<Connection>, scripts = SCRIPTS): Promise<Outcome[][]> {
  const all: Outcome[][] = [];
  for (const script of scripts) {
    const conn = await open();
    const out: Outcome[] = [];
    for (const [op, ...args] of script) {
      try {
        const v = await (RUN[op] as (c: Ctx, ...a: unknown[]) => Promise<unknown>)({ conn }, ...args);
        out.push({ ok: v === undefined ? null : v });
      } catch (e) {
        if (!isVirError(e)) throw e;
        out.push({ err: [e.code, e.domain, e.message] });
      }
    }
    await conn.close();
    all.push(out);
  }
  return all;
}

/** The same steps through libvirt-python: `python3 -c PY URI` with the scripts as JSON on stdin. */
export const PY = `
import json, sys
import libvirt
libvirt.registerErrorHandler(lambda *a: None, None)
uri = sys.argv[1]
pair = lambda i: [i.name(), i.MACString()]
def run(c, op, *a):
    r = call(c, op, *a)
    return None if op in ('undefine', 'start', 'stop', 'begin', 'commit', 'rollback') else r
def call(c, op, *a):
    if op == 'list': return sorted(pair(i) for i in c.listAllInterfaces(a[0]))
    if op == 'num': return [c.numOfInterfaces(), c.numOfDefinedInterfaces()]
    if op == 'names': return [sorted(c.listInterfaces()), sorted(c.listDefinedInterfaces())]
    if op == 'byName': return pair(c.interfaceLookupByName(a[0]))
    if op == 'byMac': return pair(c.interfaceLookupByMACString(a[0]))
    if op == 'xml': return c.interfaceLookupByName(a[0]).XMLDesc(a[1])
    if op == 'define': return pair(c.interfaceDefineXML(a[0], a[1]))
    if op == 'undefine': return c.interfaceLookupByName(a[0]).undefine()
    if op == 'start': return c.interfaceLookupByName(a[0]).create(a[1])
    if op == 'stop': return c.interfaceLookupByName(a[0]).destroy(a[1])
    if op == 'active': return bool(c.interfaceLookupByName(a[0]).isActive())
    if op == 'begin': return c.changeBegin(a[0])
    if op == 'commit': return c.changeCommit(a[0])
    if op == 'rollback': return c.changeRollback(a[0])
    raise Exception('unknown step ' + op)
out = []
for script in json.load(sys.stdin):
    c = libvirt.open(uri)
    res = []
    for step in script:
        try:
            res.append({'ok': run(c, *step)})
        except libvirt.libvirtError as e:
            res.append({'err': [e.get_error_code(), e.get_error_domain(), e.get_error_message()]})
    c.close()
    out.append(res)
print(json.dumps(out))
`;

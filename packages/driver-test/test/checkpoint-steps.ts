/**
 * Steps of checkpoint calls, and the libvirt-python program that runs them on a URI (libvirt's
 * own test:///default, or tsvirtd): shared by the driver and the daemon tests. Creation times
 * and names made from them are masked (the two sides do not run in the same second); listings
 * not asked to be topological are sorted, since libvirt returns them in hash order.
 */
import { type Connection, type Domain, VirError } from '@tsvirt/core';

export type Step =
  | ['create', string, number]
  | ['xml', string, number]
  | ['list', number]
  | ['children', string, number]
  | ['parent', string, number]
  | ['lookup', string, number]
  | ['delete', string, number]
  | ['snapshot']
  | ['snapdel']
  | ['destroy']
  | ['start']
  | ['undefine']
  | ['domlist', number]
  | ['stale', string, number];

const chk = (name: string, extra = ''): string =>
  `<domaincheckpoint><name>${name}</name><description>about ${name} &amp; more</description>${extra}</domaincheckpoint>`;
const redef = (name: string, extra = ''): string =>
  `<domaincheckpoint><name>${name}</name><creationTime>1234</creationTime>${extra}</domaincheckpoint>`;
const TEST_UUID = '6695eb01-f6a4-8304-79aa-97f2502e193f';

/** A tree: a ← b ← c, then a redefined child r of a, then d (child of c, the current one). */
const TREE: Step[] = [
  ['create', chk('a'), 0],
  ['create', chk('b'), 0],
  ['create', chk('c'), 0],
  ['create', redef('r', '<parent><name>a</name></parent>'), 1],
  ['create', chk('d'), 0],
];

/** Each script runs on a fresh test:///default. */
export const SCRIPTS: Step[][] = [
  // Empty, then creation with defaults and the XML in every flag combination.
  [
    ['list', 0],
    ['create', '<domaincheckpoint/>', 0],
    ['list', 0],
    ['create', chk('one'), 0],
    ['xml', 'one', 0],
    ['xml', 'one', 1],
    ['xml', 'one', 2],
    ['xml', 'one', 4],
    ['xml', 'one', 7],
    ['xml', 'one', 8],
    ['parent', 'one', 0],
    ['parent', 'one', 1],
    ['lookup', 'one', 0],
    ['lookup', 'one', 1],
    ['lookup', 'nope', 0],
    ['domlist', 1 << 14],
    ['domlist', 1 << 15],
  ],
  // Bad XML and bad flags change nothing.
  [
    ['create', '<domaincheckpoint>', 0],
    ['create', '<domainsnapshot/>', 0],
    ['create', chk('a/b'), 0],
    ['create', '<domaincheckpoint><foo/></domaincheckpoint>', 0],
    ['create', "<domaincheckpoint><disks><disk name='vda' checkpoint='maybe'/></disks></domaincheckpoint>", 0],
    ['create', chk('x'), 8],
    ['create', chk('x'), 4],
    ['create', redef('x'), 5],
    ['create', redef('x'), 3],
    ['create', '<domaincheckpoint><creationTime>5</creationTime></domaincheckpoint>', 1],
    ['create', chk('x'), 1],
    ['list', 16],
    ['list', 0],
  ],
  // Disks: by target or path, defaults, refusals.
  [
    ['create', chk('p', "<disks><disk name='/guest/diskimage1'/></disks>"), 0],
    ['xml', 'p', 2],
    ['create', chk('n', "<disks><disk name='vda' checkpoint='no'/></disks>"), 0],
    ['xml', 'n', 2],
    ['create', chk('m', "<disks><disk name='vda' bitmap='bm1'/></disks>"), 0],
    ['xml', 'm', 2],
    ['create', chk('q', "<disks><disk name='vdb'/></disks>"), 0],
    ['create', chk('q', "<disks><disk name='vda'/><disk name='/guest/diskimage1'/></disks>"), 0],
    ['create', chk('p'), 0],
    ['create', chk('q'), 2],
    ['xml', 'q', 2],
  ],
  // The tree, listings and parents.
  [
    ...TREE,
    ['list', 0],
    ['list', 1],
    ['list', 2],
    ['list', 3],
    ['list', 4],
    ['list', 8],
    ['list', 12],
    ['list', 6],
    ['children', 'a', 0],
    ['children', 'a', 1],
    ['children', 'a', 2],
    ['children', 'a', 3],
    ['children', 'a', 5],
    ['children', 'b', 8],
    ['children', 'nope', 0],
    ['children', 'a', 16],
    ['parent', 'd', 0],
    ['parent', 'r', 0],
    ['parent', 'a', 0],
    ['xml', 'r', 0],
    ['xml', 'd', 2],
  ],
  // Redefinition: cycles, missing parents, a <domain> of the wrong guest, replacing one.
  [
    ...TREE,
    ['create', redef('z', '<parent><name>zz</name></parent>'), 1],
    ['create', redef('b', '<parent><name>b</name></parent>'), 1],
    ['create', redef('a', '<parent><name>c</name></parent>'), 1],
    [
      'create',
      redef(
        'w',
        "<domain type='test'><name>x</name><uuid>11111111-2222-3333-4444-555555555555</uuid><memory>1024</memory><os><type>hvm</type></os></domain>",
      ),
      1,
    ],
    [
      'create',
      redef(
        'w',
        `<domain type='test'><name>test</name><uuid>${TEST_UUID}</uuid><memory>1024</memory><os><type>hvm</type></os></domain>`,
      ),
      1,
    ],
    ['create', redef('v', "<disks><disk name='vda'/><disk name='vdb' checkpoint='no'/></disks>"), 1],
    ['xml', 'v', 0],
    ['create', redef('b', '<description>again</description>'), 1],
    ['xml', 'b', 0],
    ['list', 2],
    ['create', chk('e'), 0],
    ['parent', 'e', 0],
    ['children', 'a', 0],
  ],
  // Deletion: plain (children move up), metadata only, children only, whole subtrees.
  [
    ...TREE,
    ['delete', 'b', 0],
    ['parent', 'c', 0],
    ['list', 2],
    ['delete', 'd', 2],
    ['create', chk('f'), 0],
    ['parent', 'f', 0],
    ['delete', 'c', 4],
    ['list', 2],
    ['create', chk('g'), 0],
    ['parent', 'g', 0],
    ['delete', 'a', 5],
    ['delete', 'a', 8],
    ['delete', 'nope', 0],
    ['delete', 'a', 1],
    ['list', 0],
    ['create', chk('h'), 0],
    ['parent', 'h', 0],
    // A handle kept after its checkpoint went: flags are checked before the name.
    ['stale', 'h', 8],
    ['create', chk('h'), 0],
    ['stale', 'h', 0],
  ],
  // Snapshots and checkpoints do not mix; inactive domains get none; undefine keeps going.
  [
    ['snapshot'],
    ['create', chk('a'), 0],
    ['snapdel'],
    ['create', chk('a'), 0],
    ['snapshot'],
    ['destroy'],
    ['create', chk('b'), 0],
    ['xml', 'a', 4],
    ['xml', 'a', 2],
    ['list', 0],
    ['start'],
    ['xml', 'a', 6],
    ['undefine'],
    ['list', 0],
    ['domlist', 1 << 14],
    ['destroy'],
    ['domlist', 0],
  ],
];

/** Masks for what differs between two runs: creation times and names made from them. */
export function mask(text: string): string {
  return text
    .replace(/<creationTime>\d+<\/creationTime>/g, '<creationTime>T</creationTime>')
    .replace(/\b1\d{9}\b/g, 'T');
}

export const PY = `
import json, re, sys, libvirt
libvirt.registerErrorHandler(lambda *a: None, None)
def mask(t): return re.sub(r'\\b1\\d{9}\\b', 'T', re.sub(r'<creationTime>\\d+</creationTime>', '<creationTime>T</creationTime>', t))
def names(l, flags, topo):
    n = [mask(x.getName()) for x in l]
    return n if flags & topo else sorted(n)
results = []
for script in json.load(sys.stdin):
    c = libvirt.open(sys.argv[1])
    d = c.lookupByName('test')
    out = []
    for s in script:
        op = s[0]
        try:
            if op == 'create': out.append(mask(d.checkpointCreateXML(s[1], s[2]).getName()))
            elif op == 'xml': out.append(mask(d.checkpointLookupByName(s[1]).getXMLDesc(s[2])))
            elif op == 'list': out.append(names(d.listAllCheckpoints(s[1]), s[1], 2))
            elif op == 'children': out.append(names(d.checkpointLookupByName(s[1]).listAllChildren(s[2]), s[2], 2))
            elif op == 'parent': out.append(mask(d.checkpointLookupByName(s[1]).getParent(s[2]).getName()))
            elif op == 'lookup': out.append(d.checkpointLookupByName(s[1], s[2]).getName())
            elif op == 'delete': d.checkpointLookupByName(s[1]).delete(s[2]); out.append('ok')
            elif op == 'snapshot': out.append(d.snapshotCreateXML('<domainsnapshot><name>s</name></domainsnapshot>', 0).getName())
            elif op == 'snapdel': d.snapshotLookupByName('s').delete(0); out.append('ok')
            elif op == 'destroy': d.destroy(); out.append('ok')
            elif op == 'start': d.create(); out.append('ok')
            elif op == 'undefine': d.undefine(); out.append('ok')
            elif op == 'domlist': out.append(sorted(x.name() for x in c.listAllDomains(s[1])))
            elif op == 'stale':
                ck = d.checkpointLookupByName(s[1])
                ck.delete(0)
                out.append(mask(ck.getXMLDesc(s[2])))
        except libvirt.libvirtError as e:
            out.append({'code': e.get_error_code(), 'domain': e.get_error_domain(), 'message': e.get_error_message()})
    d = None
    c.close()
    results.append(out)
print(json.dumps(results))
`;

const sortUnlessTopological = (names: string[], flags: number): string[] => (flags & 2 ? names : [...names].sort());

async function runStep(c: Connection, d: Domain, s: Step): Promise<unknown> {
  switch (s[0]) {
    case 'create':
      return mask((await d.createCheckpointXml(s[1], s[2])).getName());
    case 'xml':
      return mask(await (await d.checkpointLookupByName(s[1])).getXmlDesc(s[2]));
    case 'list':
      return sortUnlessTopological(
        (await d.listAllCheckpoints(s[1])).map((x) => mask(x.getName())),
        s[1],
      );
    case 'children': {
      const list = await (await d.checkpointLookupByName(s[1])).listAllChildren(s[2]);
      return sortUnlessTopological(
        list.map((x) => mask(x.getName())),
        s[2],
      );
    }
    case 'parent':
      return mask((await (await d.checkpointLookupByName(s[1])).getParent(s[2])).getName());
    case 'lookup':
      return (await d.checkpointLookupByName(s[1], s[2])).getName();
    case 'delete':
      await (await d.checkpointLookupByName(s[1])).delete(s[2]);
      return 'ok';
    case 'snapshot':
      return (await d.createSnapshotXml('<domainsnapshot><name>s</name></domainsnapshot>', 0)).getName();
    case 'snapdel':
      await (await d.snapshotLookupByName('s')).delete(0);
      return 'ok';
    case 'destroy':
      await d.destroy();
      return 'ok';
    case 'start':
      await d.create();
      return 'ok';
    case 'undefine':
      await d.undefine();
      return 'ok';
    case 'domlist':
      return (await c.listAllDomains(s[1])).map((x) => x.getName()).sort();
    case 'stale': {
      const chk = await d.checkpointLookupByName(s[1]);
      await chk.delete(0);
      return mask(await chk.getXmlDesc(s[2]));
    }
  }
}

/** Is test:///default as it starts: `test` running, without checkpoints or snapshots? */
async function pristine(c: Connection): Promise<boolean> {
  try {
    const d = await c.lookupDomainByName('test');
    return (
      (await d.isActive()) && (await d.listAllCheckpoints()).length === 0 && (await d.listAllSnapshots()).length === 0
    );
  } catch {
    return false;
  }
}

/**
 * A connection on a fresh test:///default. A daemon resets the test driver when its last
 * connection is gone, which it may notice only after the next one arrived: retry until then.
 */
export async function openFresh(open: () => Promise<Connection>): Promise<Connection> {
  for (let attempt = 0; ; attempt++) {
    const c = await open();
    if ((await pristine(c)) || attempt >= 50) return c;
    await c.close();
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Run every script on a fresh connection from `open`; errors become { code, domain, message }. */
export async function runSteps(open: () => Promise<Connection>): Promise<unknown[][]> {
  const results: unknown[][] = [];
  for (const script of SCRIPTS) {
    const c = await openFresh(open);
    const d = await c.lookupDomainByName('test');
    const out: unknown[] = [];
    for (const s of script) {
      try {
        out.push(await runStep(c, d, s));
      } catch (e) {
        if (!(e instanceof VirError)) throw e;
        out.push({ code: e.code, domain: e.domain, message: e.message });
      }
    }
    await c.close();
    results.push(out);
  }
  return results;
}

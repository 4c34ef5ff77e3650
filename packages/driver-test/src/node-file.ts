import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import {
  childElements,
  childText,
  DomainState,
  ErrorCode,
  ErrorDomain,
  firstChild,
  type NodeInfo,
  parseDomainElement,
  parseHostInterfaceElement,
  parseNetworkXml,
  parseStoragePoolXml,
  parseStorageVolXml,
  parseXml,
  RunningReason,
  ShutoffReason,
  serializeElement,
  VirError,
  type XmlElement,
} from '@tsvirt/core';
import { withTestIfnames } from './ifnames.js';
import type { TestInterface } from './interfaces.js';
import { DEFAULT_NODE_INFO, TEST_DEFAULT_ARCH } from './node-info.js';
import type { TestDomain, TestNetwork, TestPool } from './state.js';

/** What a node file describes: the host and its initial objects. */
export interface NodeContents {
  nodeInfo: NodeInfo;
  domains: TestDomain[];
  networks: TestNetwork[];
  pools: TestPool[];
  interfaces: TestInterface[];
}

const xmlError = (detail: string): VirError =>
  new VirError({ code: ErrorCode.XML_ERROR, domain: ErrorDomain.TEST, detail });

/** libvirt words an unreadable node or object file as a failed XML parse. */
async function readXmlFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new VirError({
      code: ErrorCode.XML_ERROR,
      domain: ErrorDomain.TEST,
      detail: `failed to parse xml document '${path}'`,
      cause,
    });
  }
}

/** Read `test:///ABSOLUTE/PATH` node files; objects may be inline or in `file='...'` beside it. */
export async function loadNodeFile(path: string): Promise<NodeContents> {
  const text = await readXmlFile(path);
  return parseNode(text, dirname(path), path);
}

export async function parseNode(text: string, baseDir: string, documentName = 'node'): Promise<NodeContents> {
  const root = parseXml(text, { documentName, domain: ErrorDomain.TEST });
  if (root.name !== 'node') throw xmlError(`Root element is not 'node'`);
  const nodeInfo = readNodeInfo(root);
  const domains: TestDomain[] = [];
  for (const el of childElements(root, 'domain')) domains.push(domainFrom(await inlineOrFile(el, baseDir)));
  const networks: TestNetwork[] = [];
  for (const el of childElements(root, 'network')) {
    const def = parseNetworkXml(serializeElement(await inlineOrFile(el, baseDir)));
    networks.push({ def, active: true, persistent: true, autostart: false });
  }
  const pools: TestPool[] = [];
  for (const el of childElements(root, 'pool')) {
    const poolEl = await inlineOrFile(el, baseDir);
    const def = parseStoragePoolXml(serializeElement(poolEl));
    const pool: TestPool = { def, active: true, persistent: true, autostart: false, volumes: [] };
    for (const volEl of childElements(poolEl, 'volume')) {
      const vol = parseStorageVolXml(serializeElement(await inlineOrFile(volEl, baseDir)), def);
      const path = vol.target?.path ?? `${def.target?.path ?? ''}/${vol.name}`;
      const capacity = vol.capacity ?? 0;
      pool.volumes.push({
        def: {
          ...vol,
          type: vol.type ?? 'file',
          key: vol.key ?? path,
          capacity,
          allocation: vol.allocation ?? capacity,
          target: { ...vol.target, path },
        },
      });
    }
    pools.push(pool);
  }
  // A node file's host interfaces start up.
  const interfaces: TestInterface[] = [];
  for (const el of childElements(root, 'interface')) {
    interfaces.push({ def: parseHostInterfaceElement(await inlineOrFile(el, baseDir)), active: true });
  }
  return { nodeInfo, domains, networks, pools, interfaces };
}

async function inlineOrFile(el: XmlElement, baseDir: string): Promise<XmlElement> {
  const file = el.attrs.file;
  if (file === undefined) return el;
  const path = isAbsolute(file) ? file : resolve(baseDir, file);
  const text = await readXmlFile(path);
  return parseXml(text, { documentName: path, domain: ErrorDomain.TEST });
}

function readNodeInfo(root: XmlElement): NodeInfo {
  const info = { ...DEFAULT_NODE_INFO };
  const cpu = firstChild(root, 'cpu');
  const num = (parent: XmlElement, name: string): number | undefined => {
    const t = childText(parent, name);
    if (t === undefined) return undefined;
    const n = Number(t.trim());
    if (!Number.isInteger(n) || n < 0) throw xmlError(`invalid node ${name} '${t}'`);
    return n;
  };
  if (cpu) {
    info.nodes = num(cpu, 'nodes') ?? info.nodes;
    info.sockets = num(cpu, 'sockets') ?? info.sockets;
    info.cores = num(cpu, 'cores') ?? info.cores;
    info.threads = num(cpu, 'threads') ?? info.threads;
    info.cpus = num(cpu, 'active') ?? info.nodes * info.sockets * info.cores * info.threads;
    info.mhz = num(cpu, 'mhz') ?? info.mhz;
    info.model = childText(cpu, 'model')?.trim() || info.model;
  }
  info.memory = num(root, 'memory') ?? info.memory;
  return info;
}

/** Children of libvirt's test namespace (xmlns:test='http://libvirt.org/schemas/domain/test'). */
function testNsValue(el: XmlElement, local: string): string | undefined {
  for (const child of childElements(el)) {
    const colon = child.name.indexOf(':');
    if (colon > 0 && child.name.slice(colon + 1) === local) return childText(el, child.name)?.trim() ?? '';
  }
  return undefined;
}

/** Node-file domains start running (id assigned later) unless <test:runstate> says otherwise. */
function domainFrom(el: XmlElement): TestDomain {
  const def = withTestIfnames(parseDomainElement(el, { defaultArch: TEST_DEFAULT_ARCH }));
  const runstate = testNsValue(el, 'runstate');
  const state = runstate === undefined ? DomainState.RUNNING : Number(runstate);
  if (!Number.isInteger(state) || state < DomainState.NOSTATE || state > DomainState.PMSUSPENDED) {
    throw xmlError(`invalid domain runstate '${runstate}'`);
  }
  return {
    def,
    persistent: testNsValue(el, 'transient') === undefined,
    state,
    reason: state === DomainState.SHUTOFF ? ShutoffReason.UNKNOWN : RunningReason.UNKNOWN,
    id: -1,
    autostart: false,
    hasManagedSave: testNsValue(el, 'hasmanagedsave') !== undefined,
    snapshots: [],
  };
}

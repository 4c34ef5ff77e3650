/** parseDomainXml: text → DomainDef, through the family parsers, post-parse and validation. */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { ErrorDomain } from '../../errors/codes.js';
import { parseXml, type XmlElement } from '../adapter.js';
import { parseClock } from './clock.js';
import type { ParseContext } from './context.js';
import { parseCpu } from './cpu.js';
import { parseCputune } from './cputune.js';
import { parseDevices } from './devices/index.js';
import { parseFeatures } from './features.js';
import { parseGeneral } from './general.js';
import type { DomainParseFlags, DomainXmlHooks } from './hooks.js';
import { parseLifecycle } from './lifecycle.js';
import { parseMemory } from './memory.js';
import { parseOs } from './os.js';
import { postParse, postParseImplicitDevices } from './postparse.js';
import { parseSecurity } from './security.js';
import { parseSysinfo } from './sysinfo.js';
import { parseThrottleGroups } from './throttle.js';
import { parseTuning } from './tuning.js';
import { DOMAIN_TYPES, type DomainDef } from './types.js';
import { internalError, unsupported, xmlError } from './util/errors.js';
import { firstChild } from './util/parse.js';
import { validateDomainDef } from './validate-api.js';
import { parseVcpu } from './vcpu.js';

export interface ParseDomainOptions {
  hooks?: DomainXmlHooks;
  flags?: DomainParseFlags;
  /** Architecture for <type> without arch= (default: this host's). */
  defaultArch?: string;
  /** Random source for generated UUIDs and MACs (default: crypto). Tests pass a fixed one. */
  randomBytes?: (n: number) => Uint8Array;
  /** The file the XML was read from, when the caller read one: parse errors then name it. */
  fileName?: string;
}

const NODE_ARCH: Record<string, string> = {
  x64: 'x86_64',
  ia32: 'i686',
  arm64: 'aarch64',
  arm: 'armv7l',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loongarch64',
  mips: 'mips',
  mipsel: 'mipsel',
};

export function hostArch(): string {
  return NODE_ARCH[process.arch] ?? 'x86_64';
}

const INT = /^-?[0-9]+$/;

/** Parse a domain definition; throws libvirt's errors and has no side effects on failure. */
export function parseDomainXml(xml: string, options: ParseDomainOptions = {}): DomainDef {
  const root = parseXml(xml, {
    documentName: 'domain_definition',
    fileName: options.fileName,
    domain: ErrorDomain.DOMAIN,
  });
  return parseDomainElement(root, options);
}

/** Parse an already parsed <domain> element (e.g. one embedded in a snapshot or test node file). */
export function parseDomainElement(root: XmlElement, options: ParseDomainOptions = {}): DomainDef {
  const flags = options.flags ?? {};
  if (root.name !== 'domain') throw xmlError(`expecting root element of 'domain', not '${root.name}'`);
  const ctx: ParseContext = {
    flags,
    inactive: flags.inactive === true,
    randomBytes: options.randomBytes ?? ((n) => new Uint8Array(nodeRandomBytes(n))),
    uuidGenerated: false,
  };

  const typeText = root.attrs.type;
  if (typeText === undefined) throw internalError('missing domain type attribute');
  if (!(DOMAIN_TYPES as readonly string[]).includes(typeText)) throw unsupported(`invalid domain type ${typeText}`);

  const def = { type: typeText, id: -1 } as DomainDef;
  const idText = root.attrs.id;
  if (idText !== undefined && !ctx.inactive) {
    if (!INT.test(idText)) throw xmlError(`invalid domain id '${idText}'`);
    def.id = Number(idText);
  }

  parseGeneral(root, def, ctx);
  parseMemory(root, def, ctx);
  parseTuning(root, def, ctx);
  parseThrottleGroups(root, def);
  parseVcpu(root, def, ctx);
  parseCputune(root, def, ctx);
  parseSysinfo(root, def, ctx);
  parseOs(root, def, ctx);
  const idmap = firstChild(root, 'idmap');
  if (idmap) def.idmap = idmap;
  parseFeatures(root, def, ctx);
  parseCpu(root, def, ctx);
  parseClock(root, def, ctx);
  parseLifecycle(root, def, ctx);
  parseDevices(root, def, ctx);
  parseSecurity(root, def, ctx);
  parseNamespace(root, def, options.hooks);

  postParse(def, ctx, { defaultArch: options.defaultArch ?? hostArch() });
  options.hooks?.postParse?.(def, flags);
  postParseImplicitDevices(def);
  options.hooks?.assignAddresses?.(def, flags);
  if (!flags.skipValidate) validateDomainDef(def, { hooks: options.hooks, flags });
  return def;
}

/**
 * Hand the elements of a driver's namespace to its hook, matched by URI whatever the prefix:
 * declared on <domain> (xmlns:p), on the element itself (xmlns:p or a default xmlns). Names are
 * handed over with the driver's own prefix (`qemu:commandline`), however the input spelled them.
 */
function parseNamespace(root: XmlElement, def: DomainDef, hooks: DomainXmlHooks | undefined): void {
  const ns = hooks?.namespace;
  if (!ns) return;
  let rootPrefix: string | undefined;
  for (const k in root.attrs) {
    if (k.startsWith('xmlns:') && root.attrs[k] === ns.uri) rootPrefix = k.slice(6);
  }
  const elements: XmlElement[] = [];
  for (const n of root.nodes) {
    if (typeof n === 'string') continue;
    const colon = n.name.indexOf(':');
    const prefix = colon < 0 ? undefined : n.name.slice(0, colon);
    const declared = prefix === undefined ? n.attrs.xmlns : (n.attrs[`xmlns:${prefix}`] ?? undefined);
    const inNs = declared !== undefined ? declared === ns.uri : prefix !== undefined && prefix === rootPrefix;
    if (inNs) elements.push(renamePrefix(n, new Set(prefix === undefined ? [] : [prefix]), ns.prefix, ns.uri));
  }
  if (elements.length === 0) return;
  const data = ns.parse(elements, def);
  if (data !== undefined) def.namespaceData = { uri: ns.uri, prefix: ns.prefix, data };
}

/** A copy of a namespaced element with its (and its children's) prefix replaced, declarations dropped. */
function renamePrefix(el: XmlElement, prefixes: ReadonlySet<string>, to: string, uri: string): XmlElement {
  const mine = new Set(prefixes);
  const attrs: Record<string, string> = {};
  for (const k in el.attrs) {
    if (k.startsWith('xmlns:') && el.attrs[k] === uri) mine.add(k.slice(6));
    else if (k !== 'xmlns') attrs[k] = el.attrs[k]!;
  }
  const colon = el.name.indexOf(':');
  const local = colon >= 0 && mine.has(el.name.slice(0, colon)) ? el.name.slice(colon + 1) : el.name;
  return {
    name: local.includes(':') ? local : `${to}:${local}`,
    attrs,
    nodes: el.nodes.map((c) => (typeof c === 'string' ? c : renamePrefix(c, mine, to, uri))),
  };
}

#!/usr/bin/env node
/**
 * Writes src/protocol/remote-apis.ts: for every procedure of libvirt's remote and qemu programs,
 * the public API libvirtd calls for it, the error domain that API's module reports in, and whether
 * it refuses read-only connections before reaching a driver.
 *
 * Usage: node scripts/gen-remote-apis.mjs LIBVIRT_SRC_DIR
 * where LIBVIRT_SRC_DIR is the src/ directory of an unpacked libvirt release tarball (9.0.0:
 * http://deb.debian.org/debian/pool/main/libv/libvirt/libvirt_9.0.0.orig.tar.xz).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const src = process.argv[2];
if (!src) {
  console.error('usage: gen-remote-apis.mjs LIBVIRT_SRC_DIR');
  process.exit(2);
}
const squash = (s) => s.replaceAll('_', '').toLowerCase();

/** Public entry points: name → { domain, readOnly: 'always' | 'sometimes' | 'never' }. */
const apis = new Map();
for (const file of readdirSync(src).filter((f) => /^libvirt(-[a-z-]+)?\.c$/.test(f))) {
  const text = readFileSync(join(src, file), 'utf8');
  const domain = /#define VIR_FROM_THIS VIR_FROM_(\w+)/.exec(text)[1];
  // A definition starts at column 0 (its return type on that line or the one before), the body
  // ends at the first "}" at column 0.
  for (const m of text.matchAll(/^(?:[a-z][\w ]*[ *])?(vir[A-Z]\w*)\(([^)]*)\)\s*\{([\s\S]*?)^\}/gm)) {
    const body = m[3];
    const readOnly = body.includes('virCheckReadOnlyGoto')
      ? 'always'
      : body.includes('VIR_CONNECT_RO')
        ? 'sometimes'
        : 'never';
    apis.set(m[1], { domain, readOnly });
  }
}
const bySquashed = new Map([...apis.keys()].map((n) => [n.toLowerCase(), n]));

/** Hand-written daemon dispatchers: squashed procedure name → public APIs they call, in order. */
const dispatch = readFileSync(join(src, 'remote/remote_daemon_dispatch.c'), 'utf8');
const handWritten = new Map();
for (const m of dispatch.matchAll(/^remoteDispatch(\w+)\(([^)]*)\)\s*\{([\s\S]*?)^\}/gm)) {
  const calls = [...m[3].matchAll(/\b(vir[A-Z]\w*)\(/g)].map((c) => c[1]).filter((n) => apis.has(n));
  handWritten.set(m[1].toLowerCase(), calls);
}

/**
 * The smallest XDR encoding of each struct, union and typedef of the protocol files: libvirtd
 * cannot decode args shorter than their struct's, whatever the procedure's API.
 */
const minSizes = new Map([
  ['int', 4],
  ['unsigned int', 4],
  ['unsigned', 4],
  ['bool', 4],
  // rpcgen sends each char or short of a fixed array as a 4-byte int.
  ['char', 4],
  ['unsigned char', 4],
  ['short', 4],
  ['unsigned short', 4],
  ['float', 4],
  ['hyper', 8],
  ['unsigned hyper', 8],
  ['double', 8],
]);
const constants = new Map([['VIR_UUID_BUFLEN', 16]]);
const pad4 = (n) => Math.ceil(n / 4) * 4;

/** One declaration ("TYPE NAME", "TYPE NAME<MAX>", "TYPE NAME[N]", "TYPE *NAME"): its smallest size. */
function declSize(decl) {
  const m = /^(.*?)\s*(\*?)\s*(\w+)\s*(?:<([^>]*)>|\[([^\]]+)\])?$/.exec(decl.trim());
  if (!m) throw new Error(`cannot read declaration "${decl}"`);
  const [, type, pointer, , variable, fixed] = m;
  if (pointer || variable !== undefined) return 4; // a null pointer, an empty array or string
  const base = type === 'opaque' || type === 'string' ? 1 : minSizes.get(type.replace(/^(struct|enum|union) /, ''));
  if (base === undefined) throw new Error(`unknown type "${type}"`);
  if (fixed === undefined) return base;
  const n = /^\d+$/.test(fixed) ? Number(fixed) : constants.get(fixed);
  if (n === undefined) throw new Error(`unknown constant "${fixed}"`);
  return type === 'opaque' ? pad4(n) : n * base;
}

function readTypes(file) {
  const text = readFileSync(join(src, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const items = [...text.matchAll(/^(typedef|struct|union|enum)\s+([^;{]*?)\s*(\{[\s\S]*?^\})?\s*;/gm)];
  for (const [, kind, head, body] of items) {
    if (kind === 'typedef') {
      const name = /(\w+)\s*(?:<[^>]*>|\[[^\]]*\])?$/.exec(head)[1];
      minSizes.set(name, declSize(head));
    } else if (kind === 'enum') {
      minSizes.set(head, 4);
    } else if (kind === 'struct') {
      const members = body
        .slice(1, -1)
        .split(';')
        .filter((d) => d.trim());
      minSizes.set(
        head,
        members.reduce((sum, d) => sum + declSize(d), 0),
      );
    } else {
      // union NAME switch (int x) { case A: TYPE a; ... }: the discriminant and the smallest arm.
      const name = head.split(/\s/)[0];
      const arms = [...body.matchAll(/:\s*([^;:]+);/g)].map((a) => (a[1].trim() === 'void' ? 0 : declSize(a[1])));
      minSizes.set(name, 4 + Math.min(...arms));
    }
  }
}
readTypes('remote/remote_protocol.x');
readTypes('remote/qemu_protocol.x');

function procedures(file, prefix) {
  const text = readFileSync(join(src, file), 'utf8');
  return [...text.matchAll(new RegExp(`^\\s*${prefix}_PROC_(\\w+) = (\\d+)`, 'gm'))].map((m) => ({
    name: m[1],
    proc: Number(m[2]),
  }));
}

function apiFor(name, qemu) {
  let guess = `vir${squash(name)}`;
  if (qemu) guess = guess.replace(/^virdomain/, 'virdomainqemu').replace(/^virconnectdomain/, 'virconnectdomainqemu');
  const direct = bySquashed.get(guess);
  const calls = handWritten.get(squash(name)) ?? handWritten.get(`qemu${squash(name)}`);
  // A hand-written dispatcher may call a variant of the namesake API instead (the *Any event
  // registrations); with no namesake at all, it names the API it calls.
  if (calls && calls.length > 0 && !(direct && calls.includes(direct))) {
    const variant = direct ? calls.find((c) => c.startsWith(direct)) : calls[0];
    if (variant) return { api: variant, note: 'dispatcher' };
  }
  return direct ? { api: direct } : undefined;
}

const lines = [];
const report = [];
for (const [file, prefix, qemu] of [
  ['remote/remote_protocol.x', 'REMOTE', false],
  ['remote/qemu_protocol.x', 'QEMU', true],
]) {
  const rows = [];
  for (const { name, proc } of procedures(file, prefix)) {
    const found = apiFor(name, qemu);
    if (!found) {
      report.push(`${prefix} ${proc} ${name}: no public API (event or daemon-only)`);
      continue;
    }
    const { domain, readOnly } = apis.get(found.api);
    if (found.note) report.push(`${prefix} ${proc} ${name}: dispatcher calls ${found.api}`);
    if (readOnly === 'sometimes')
      report.push(`${prefix} ${proc} ${name}: ${found.api} refuses read-only only for some flags`);
    const args = minSizes.get(`${prefix.toLowerCase()}_${name.toLowerCase()}_args`) ?? 0;
    rows.push(`${proc} ${found.api} ${domain} ${args}${readOnly === 'always' ? ' ro' : ''}`);
  }
  lines.push(`export const ${prefix}_PROGRAM_APIS = \`\n${rows.join('\n')}\n\`;`);
}

const header = `// Generated by scripts/gen-remote-apis.mjs from libvirt 9.0.0's sources: do not edit by hand.
//
// One line per procedure of libvirt's remote (and qemu) program that libvirtd serves by calling a
// public API: "NUMBER API ERROR_DOMAIN MIN_ARGS [ro]". ERROR_DOMAIN is the VIR_FROM_* the API's
// module reports in; MIN_ARGS the smallest XDR encoding of the procedure's args, in bytes; "ro"
// marks APIs that refuse read-only connections before any driver sees the call.
// Procedures missing here (events, SASL/polkit authentication) are not callable in libvirtd either.
`;
writeFileSync(new URL('../src/protocol/remote-apis.ts', import.meta.url), `${header}\n${lines.join('\n\n')}\n`);
console.log(report.join('\n'));

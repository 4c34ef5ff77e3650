import type { X509Certificate } from 'node:crypto';

/**
 * The two X.509 extensions libvirt's checks depend on and Node does not expose fully: key usage
 * (its bits) and extended key usage (whether it is critical). Read from the certificate's DER with
 * a minimal walker; anything it cannot follow yields "absent", which libvirt treats as "allowed".
 */
export interface CertExtension {
  critical: boolean;
  /** The extension's value: the DER inside the OCTET STRING. */
  value: Uint8Array;
}

interface Tlv {
  tag: number;
  start: number; // first content byte
  end: number; // one past the last content byte
}

function readTlv(b: Uint8Array, at: number): Tlv | undefined {
  if (at + 2 > b.length) return undefined;
  const tag = b[at]!;
  let len = b[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > b.length) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[start + i]!;
    start += n;
  }
  const end = start + len;
  return end > b.length ? undefined : { tag, start, end };
}

function children(b: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const t = readTlv(b, at);
    if (!t || t.end > parent.end) return out;
    out.push(t);
    at = t.end;
  }
  return out;
}

const KEY_USAGE = '551d0f'; // 2.5.29.15
const EXT_KEY_USAGE = '551d25'; // 2.5.29.37

function extension(cert: X509Certificate, oidHex: string): CertExtension | undefined {
  const der = new Uint8Array(cert.raw);
  const top = readTlv(der, 0);
  if (!top) return undefined;
  const tbs = children(der, top)[0];
  if (!tbs) return undefined;
  const exts = children(der, tbs).find((t) => t.tag === 0xa3);
  const list = exts && children(der, exts)[0];
  if (!list) return undefined;
  for (const ext of children(der, list)) {
    const parts = children(der, ext);
    const oid = parts[0];
    if (!oid || oid.tag !== 0x06) continue;
    if (Buffer.from(der.subarray(oid.start, oid.end)).toString('hex') !== oidHex) continue;
    const critical = parts[1]?.tag === 0x01 && der[parts[1].start] !== 0;
    const octets = parts.find((p) => p.tag === 0x04);
    if (!octets) return undefined;
    return { critical, value: der.subarray(octets.start, octets.end) };
  }
  return undefined;
}

export const KeyUsageBit = { DIGITAL_SIGNATURE: 0x80, KEY_ENCIPHERMENT: 0x20, KEY_CERT_SIGN: 0x04 } as const;

/** The key usage extension: the first byte of its bits (the ones libvirt looks at) and criticality. */
export function keyUsage(cert: X509Certificate): { bits: number; critical: boolean } | undefined {
  const ext = extension(cert, KEY_USAGE);
  if (!ext) return undefined;
  const bitString = readTlv(ext.value, 0);
  if (!bitString || bitString.tag !== 0x03) return undefined;
  // First content byte: unused bits count; then the bits, most significant first.
  const bits = bitString.end - bitString.start > 1 ? ext.value[bitString.start + 1]! : 0;
  return { bits, critical: ext.critical };
}

/** Whether the extended key usage extension is marked critical (undefined when absent). */
export function extKeyUsageCritical(cert: X509Certificate): boolean | undefined {
  return extension(cert, EXT_KEY_USAGE)?.critical;
}

import { ConfigError } from './config.js';

/** What of a GnuTLS priority string Node's TLS (OpenSSL) can apply, and what it cannot. */
export interface TlsProtocolChoice {
  minVersion: 'TLSv1.2' | 'TLSv1.3';
  maxVersion: 'TLSv1.2' | 'TLSv1.3';
  /** %SERVER_PRECEDENCE: the server's cipher order wins. */
  honorCipherOrder: boolean;
  /** One line for each part of the string that is not honoured, for the daemon's log. */
  warnings: string[];
}

const VERSIONS = ['TLS1.0', 'TLS1.1', 'TLS1.2', 'TLS1.3'] as const;
type Version = (typeof VERSIONS)[number];

/** Base keywords GnuTLS 3.7 knows; all of them enable TLS 1.0 to 1.3 except NONE (and SUITEB*, 1.2+). */
const BASES = new Set([
  'NORMAL',
  'PERFORMANCE',
  'LEGACY',
  'PFS',
  'SECURE',
  'SECURE128',
  'SECURE192',
  'SECURE256',
  'SUITEB128',
  'SUITEB192',
  'NONE',
]);

/** Base keywords whose cipher/key-exchange restrictions differ from Node's defaults (not applied). */
const RESTRICTING_BASES = new Set(['PFS', 'SECURE', 'SECURE128', 'SECURE192', 'SECURE256', 'SUITEB128', 'SUITEB192']);

/**
 * Map libvirtd's tls_priority (a GnuTLS priority string, default "NORMAL") onto Node's TLS: the
 * protocol versions it enables (VERS-... items, VERS-ALL, VERS-TLS-ALL) become min/max versions,
 * %SERVER_PRECEDENCE the server's cipher order; cipher, MAC, key exchange, group and signature
 * items and the other %flags have no OpenSSL counterpart here and are reported, never silently
 * dropped. TLS 1.0 and 1.1, which NORMAL still enables in GnuTLS, are not offered by Node's OpenSSL
 * at its default security level: 1.2 is the floor. A string that is not a priority string is
 * refused, as GnuTLS refuses it for every session.
 */
export function mapTlsPriority(priority: string, explicit: boolean): TlsProtocolChoice {
  const bad = (why: string): never => {
    throw new ConfigError(`Failed to set TLS session priority to ${priority}: The request is invalid. (${why})`);
  };
  const items = priority.split(':').map((s) => s.trim());
  const base = items.shift() ?? '';
  const warnings: string[] = [];
  let enabled = new Set<Version>();
  if (base.startsWith('@')) {
    // A system-wide policy keyword (crypto-policies): there is no such configuration for OpenSSL here.
    warnings.push(`tls_priority: system priority '${base}' is not available to tsvirtd; using NORMAL`);
    for (const v of VERSIONS) enabled.add(v);
  } else if (BASES.has(base)) {
    if (base !== 'NONE') for (const v of base.startsWith('SUITEB') ? VERSIONS.slice(2) : VERSIONS) enabled.add(v);
    if (RESTRICTING_BASES.has(base)) {
      warnings.push(
        `tls_priority: the cipher and key-exchange restrictions of '${base}' are not applied (Node's TLS uses OpenSSL's defaults); protocol versions are`,
      );
    }
  } else {
    bad(`unknown keyword '${base}'`);
  }
  let honorCipherOrder = false;
  for (const item of items) {
    if (item === '') continue;
    if (item.startsWith('%')) {
      if (!/^%[A-Z0-9_]+$/.test(item)) bad(`bad flag '${item}'`);
      if (item === '%SERVER_PRECEDENCE') honorCipherOrder = true;
      else warnings.push(`tls_priority: '${item}' cannot be honoured by tsvirtd (no OpenSSL counterpart); ignored`);
      continue;
    }
    const m = /^([+!-]?)([A-Z0-9][A-Z0-9_.-]*)$/.exec(item);
    if (!m) return bad(`bad item '${item}'`);
    const [, sign, name] = m;
    const remove = sign === '-' || sign === '!';
    if (name === 'VERS-ALL' || name === 'VERS-TLS-ALL') {
      enabled = remove ? new Set() : new Set(VERSIONS);
    } else if (name!.startsWith('VERS-')) {
      const v = name!.slice(5) as Version;
      if (VERSIONS.includes(v)) {
        if (remove) enabled.delete(v);
        else enabled.add(v);
      } else if (/^VERS-(SSL3\.0|DTLS)/.test(name!)) {
        // SSL 3.0 is never offered, DTLS does not apply to a TCP listener.
        if (!remove) warnings.push(`tls_priority: '${item}' cannot be honoured by tsvirtd; ignored`);
      } else {
        bad(`unknown protocol '${name}'`);
      }
    } else {
      warnings.push(
        `tls_priority: '${item}' cannot be honoured by tsvirtd (Node's TLS selects ciphers, MACs, key exchanges, groups and signatures with OpenSSL's defaults); ignored`,
      );
    }
  }
  const usable = VERSIONS.filter((v) => enabled.has(v) && (v === 'TLS1.2' || v === 'TLS1.3'));
  if (usable.length === 0) {
    throw new ConfigError(
      `tls_priority '${priority}' enables no TLS version tsvirtd can offer (it needs TLS 1.2 or 1.3)`,
    );
  }
  if (explicit && (enabled.has('TLS1.0') || enabled.has('TLS1.1'))) {
    warnings.push(
      `tls_priority: TLS 1.0 and 1.1 are not offered by tsvirtd (Node's OpenSSL refuses them at its default security level); clients need TLS 1.2 or later`,
    );
  }
  const node = (v: Version) => (v === 'TLS1.2' ? 'TLSv1.2' : 'TLSv1.3') as TlsProtocolChoice['minVersion'];
  return {
    minVersion: node(usable[0]!),
    maxVersion: node(usable[usable.length - 1]!),
    honorCipherOrder,
    warnings,
  };
}

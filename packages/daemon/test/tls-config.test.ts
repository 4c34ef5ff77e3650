import { dnPatternMatches } from '@tsvirt/remote';
import { describe, expect, it } from 'vitest';
import { parseConf } from '../src/config.js';
import { pkiFiles, settingsFromConf } from '../src/settings.js';
import { mapTlsPriority } from '../src/tls-priority.js';

describe('tls_priority (GnuTLS syntax) mapped onto Node TLS', () => {
  it('NORMAL, the default, is TLS 1.2 to 1.3 without a warning', () => {
    expect(mapTlsPriority('NORMAL', false)).toEqual({
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
      honorCipherOrder: false,
      warnings: [],
    });
  });
  it('applies protocol version items and %SERVER_PRECEDENCE', () => {
    expect(mapTlsPriority('NORMAL:-VERS-TLS1.3', true)).toMatchObject({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
    expect(mapTlsPriority('NORMAL:-VERS-ALL:+VERS-TLS1.3:%SERVER_PRECEDENCE', true)).toEqual({
      minVersion: 'TLSv1.3',
      maxVersion: 'TLSv1.3',
      honorCipherOrder: true,
      warnings: [],
    });
    expect(mapTlsPriority('NONE:+VERS-TLS1.2:+AES-128-GCM', true).maxVersion).toBe('TLSv1.2');
  });
  it('reports each part it cannot honour', () => {
    const w = mapTlsPriority('SECURE256:+CHACHA20-POLY1305:-RSA:%COMPAT', true).warnings;
    expect(w).toHaveLength(5);
    expect(w.join('\n')).toMatch(/'SECURE256' are not applied/);
    expect(w.join('\n')).toMatch(/'\+CHACHA20-POLY1305' cannot be honoured/);
    expect(w.join('\n')).toMatch(/'-RSA' cannot be honoured/);
    expect(w.join('\n')).toMatch(/'%COMPAT' cannot be honoured/);
    expect(w.join('\n')).toMatch(/TLS 1.0 and 1.1 are not offered/);
    expect(mapTlsPriority('@SYSTEM', true).warnings[0]).toMatch(/system priority '@SYSTEM'/);
  });
  it('refuses what is not a priority string, or leaves no usable version', () => {
    expect(() => mapTlsPriority('BOGUS', true)).toThrow(
      /^Failed to set TLS session priority to BOGUS: The request is invalid/,
    );
    expect(() => mapTlsPriority('NORMAL:+VERS-TLS9', true)).toThrow(/unknown protocol 'VERS-TLS9'/);
    expect(() => mapTlsPriority('NORMAL:-VERS-TLS1.2:-VERS-TLS1.3', true)).toThrow(/enables no TLS version/);
  });
});

describe('TLS keys of libvirtd.conf', () => {
  it('reads tls_allowed_dn_list, tls_priority, the no-verify and no-sanity switches and crl_file', () => {
    const s = settingsFromConf(
      parseConf(
        'tls_allowed_dn_list = ["CN=a*", "O=b,CN=?"]\ntls_priority = "NORMAL:-VERS-TLS1.3"\ntls_no_verify_certificate = 1\ntls_no_sanity_certificate = 1\nca_file = "/c"\ncert_file = "/s"\nkey_file = "/k"\ncrl_file = "/r"\n',
      ),
    );
    expect(s).toMatchObject({
      tlsAllowedDnList: ['CN=a*', 'O=b,CN=?'],
      tlsPriority: 'NORMAL:-VERS-TLS1.3',
      tlsNoVerifyCertificate: true,
      tlsNoSanityCertificate: true,
      caFile: '/c',
      certFile: '/s',
      keyFile: '/k',
      crlFile: '/r',
    });
    expect(() => settingsFromConf(parseConf('tls_allowed_dn_list = "CN=a"'))).toThrow(
      'tls_allowed_dn_list: expected a list of strings',
    );
  });
  it('finds the PKI files where libvirtd does (root: /etc/pki; users: ~/.pki/libvirt file by file)', () => {
    const none = new Map();
    expect(pkiFiles(none, { HOME: '/root' }, true)).toEqual({
      caFile: '/etc/pki/CA/cacert.pem',
      crlFile: '/etc/pki/CA/cacrl.pem',
      certFile: '/etc/pki/libvirt/servercert.pem',
      keyFile: '/etc/pki/libvirt/private/serverkey.pem',
      tlsExplicitFiles: false,
    });
    const d = '/home/u/.pki/libvirt';
    const have = new Set([`${d}/cacert.pem`, `${d}/cacrl.pem`, `${d}/servercert.pem`]);
    expect(pkiFiles(none, { HOME: '/home/u' }, false, (p) => have.has(p))).toEqual({
      caFile: `${d}/cacert.pem`,
      crlFile: `${d}/cacrl.pem`,
      // No key beside it: the certificate and key come from /etc/pki as a pair.
      certFile: '/etc/pki/libvirt/servercert.pem',
      keyFile: '/etc/pki/libvirt/private/serverkey.pem',
      tlsExplicitFiles: false,
    });
    // With the files named explicitly, no default CRL.
    expect(pkiFiles(parseConf('ca_file = "/c"'), { HOME: '/root' }, true).crlFile).toBeUndefined();
  });
});

describe("tls_allowed_dn_list patterns (GLib's g_pattern_match_simple)", () => {
  it('* and ? are wildcards, everything else literal, the whole DN must match', () => {
    const dn = 'C=GB,O=Tsvirt\\, Inc.,OU=QA,CN=client one';
    expect(dnPatternMatches('C=GB,O=Tsvirt\\, Inc.,OU=QA,CN=client one', dn)).toBe(true);
    expect(dnPatternMatches('*CN=client*', dn)).toBe(true);
    expect(dnPatternMatches('C=GB,O=Tsvirt* Inc.,OU=QA,CN=client on?', dn)).toBe(true);
    expect(dnPatternMatches('CN=client one', dn)).toBe(false);
    expect(dnPatternMatches('C=GB,O=Tsvirt.*', dn)).toBe(false);
    expect(dnPatternMatches('[C]=GB*', dn)).toBe(false);
    expect(dnPatternMatches('', '')).toBe(true);
  });
});

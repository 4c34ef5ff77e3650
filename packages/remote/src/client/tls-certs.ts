import { X509Certificate } from 'node:crypto';
import { ErrorCode, ErrorDomain, VirError } from '@tsvirt/core';
import { extKeyUsageCritical, KeyUsageBit, keyUsage } from './cert-extensions.js';

/**
 * libvirt's certificate checks (its GnuTLS code) done with Node's X509Certificate: the sanity
 * checks of our own CA and certificate at start-up, and the checks of the peer's certificate after
 * the handshake, with libvirt's wording. Shared by the client driver and tsvirtd.
 */

export type CertRole = 'server' | 'client';

/** Where libvirt's VIR_WARN lines go (a usage problem in a non-critical extension). */
export type CertWarn = (message: string) => void;

function sysError(message: string): VirError {
  return new VirError({ code: ErrorCode.SYSTEM_ERROR, domain: ErrorDomain.RPC, message });
}

/** The certificates in a PEM file, in order (a CA file may hold a chain). */
export function readPemCertificates(pem: Buffer | string, file: string): X509Certificate[] {
  const blocks = String(pem).match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw sysError(`Unable to import certificate ${file}`);
  return blocks.map((b) => {
    try {
      return new X509Certificate(b);
    } catch {
      throw sysError(`Unable to import certificate ${file}`);
    }
  });
}

/** Expiry and activation, as virNetTLSContextCheckCertTimes words them. */
export function checkCertTimes(
  cert: X509Certificate,
  file: string,
  role: CertRole,
  isCA: boolean,
  now = Date.now(),
): void {
  const who = isCA ? 'CA' : role;
  if (Date.parse(cert.validTo) < now) throw sysError(`The ${who} certificate ${file} has expired`);
  if (Date.parse(cert.validFrom) > now) throw sysError(`The ${who} certificate ${file} is not yet active`);
}

/** A leaf must not be a CA (basicConstraints); a CA must say it is one. */
function checkBasicConstraints(cert: X509Certificate, file: string, role: CertRole, isCA: boolean): void {
  if (isCA && !cert.ca) {
    throw sysError(`The certificate ${file} basic constraints do not show a CA`);
  }
  if (!isCA && cert.ca) {
    throw sysError(`The certificate ${file} basic constraints show a CA, but we need one for a ${role}`);
  }
}

/**
 * The key usage bits libvirt needs: certificate signing for a CA, digital signature and key
 * encipherment for a leaf. A missing extension allows everything; a missing bit is an error when
 * the extension is critical and a warning otherwise.
 */
function checkKeyUsage(cert: X509Certificate, file: string, isCA: boolean, warn?: CertWarn): void {
  const usage = keyUsage(cert);
  if (!usage) return;
  const need: [number, string][] = isCA
    ? [[KeyUsageBit.KEY_CERT_SIGN, 'certificate signing']]
    : [
        [KeyUsageBit.DIGITAL_SIGNATURE, 'digital signature'],
        [KeyUsageBit.KEY_ENCIPHERMENT, 'key encipherment'],
      ];
  for (const [bit, what] of need) {
    if (usage.bits & bit) continue;
    const msg = `Certificate ${file} usage does not permit ${what}`;
    if (usage.critical) throw sysError(msg);
    warn?.(msg);
  }
}

const EKU_SERVER = '1.3.6.1.5.5.7.3.1';
const EKU_CLIENT = '1.3.6.1.5.5.7.3.2';
const EKU_ANY = '2.5.29.37.0';

/**
 * The extended key usage must allow the role: an error when the extension is critical, a warning
 * otherwise (libvirt's rule).
 */
function checkKeyPurpose(cert: X509Certificate, file: string, role: CertRole, warn?: CertWarn): void {
  const usage = cert.keyUsage; // Node names the extended key usage OIDs "keyUsage"
  if (!usage || usage.length === 0) return;
  const wanted = role === 'server' ? EKU_SERVER : EKU_CLIENT;
  const other = role === 'server' ? EKU_CLIENT : EKU_SERVER;
  // As libvirt counts them: a purpose other than the two TLS ones and anyExtendedKeyUsage allows both roles.
  const allowed = usage.some((oid) => oid === wanted || (oid !== other && oid !== EKU_ANY));
  if (allowed) return;
  const msg = `Certificate ${file} purpose does not allow use for with a TLS ${role}`;
  if (extKeyUsageCritical(cert) !== false) throw sysError(msg);
  warn?.(msg);
}

/**
 * libvirt's start-up sanity check of its own credentials (skipped by tls_no_sanity_certificate):
 * CA and certificate in their validity period, basic constraints and purpose right for the role,
 * and the certificate signed by one of the CAs.
 */
export function sanityCheckCredentials(o: {
  role: CertRole;
  caFile: string;
  caPem: Buffer | string;
  certFile?: string;
  certPem?: Buffer | string;
  warn?: CertWarn;
}): void {
  const cas = readPemCertificates(o.caPem, o.caFile);
  for (const ca of cas) {
    checkCertTimes(ca, o.caFile, o.role, true);
    checkBasicConstraints(ca, o.caFile, o.role, true);
    checkKeyUsage(ca, o.caFile, true, o.warn);
  }
  if (!o.certPem || !o.certFile) return;
  const [cert] = readPemCertificates(o.certPem, o.certFile);
  checkCertTimes(cert!, o.certFile, o.role, false);
  checkBasicConstraints(cert!, o.certFile, o.role, false);
  checkKeyUsage(cert!, o.certFile, false, o.warn);
  checkKeyPurpose(cert!, o.certFile, o.role, o.warn);
  const signed = cas.some((ca) => cert!.checkIssued(ca) && cert!.verify(ca.publicKey));
  if (!signed) {
    throw sysError(
      `Our own certificate ${o.certFile} failed validation against ${o.caFile}: The certificate hasn't got a known issuer.`,
    );
  }
}

/**
 * The reason libvirt gives for a peer certificate that fails verification, from OpenSSL's verify
 * code (GnuTLS reports the same cases as status bits; a revoked or issuer-less certificate gets its
 * own wording, anything else "is not trusted", as for an expired one).
 */
export function validationReason(opensslCode: string | undefined): string {
  switch (opensslCode) {
    case 'CERT_REVOKED':
      return 'The certificate has been revoked.';
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return "The certificate hasn't got a known issuer.";
    case 'CA_KEY_TOO_SMALL':
    case 'EE_KEY_TOO_SMALL':
    case 'CA_MD_TOO_WEAK':
      return 'The certificate uses an insecure algorithm';
    default:
      return 'The certificate is not trusted.';
  }
}

/** OpenSSL's short attribute names where GnuTLS's differ (gnutls_x509_crt_get_dn). */
const GNUTLS_NAMES: Record<string, string> = { emailAddress: 'EMAIL', GN: 'givenName', SN: 'surName' };

/**
 * A certificate's subject as libvirt matches it against tls_allowed_dn_list (GnuTLS's
 * gnutls_x509_crt_get_dn on Debian 12, checked against virt-pki-query-dn): the RDNs in the
 * certificate's order, joined by ",", the values of a multi-valued RDN by "+", values escaped as in
 * RFC 4514 (`\,`, `\+`, `\"`, `\\`, `\<`, `\>`, `\;`, a leading `#` or space, a trailing space).
 */
export function certificateDn(cert: X509Certificate): string {
  // Node gives one RDN a line, already escaped that way, with " + " between multi-valued parts.
  return cert.subject
    .split('\n')
    .filter((line) => line.length > 0)
    .map((rdn) =>
      rdn
        .split(' + ')
        .map((ava) => {
          const eq = ava.indexOf('=');
          const name = ava.slice(0, eq);
          return `${GNUTLS_NAMES[name] ?? name}${ava.slice(eq)}`;
        })
        .join('+'),
    )
    .join(',');
}

/**
 * GLib's g_pattern_match_simple, which libvirt uses for tls_allowed_dn_list: `*` matches any
 * run of characters, `?` any one character, nothing else is special (no escapes, no classes).
 */
export function dnPatternMatches(pattern: string, dn: string): boolean {
  const re = pattern
    .split('')
    .map((ch) => (ch === '*' ? '[\\s\\S]*' : ch === '?' ? '[\\s\\S]' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${re}$`, 'u').test(dn);
}

/**
 * The checks libvirt makes of the peer's certificate once the handshake is done (after the chain
 * and CRL verification, whose failure is passed as `verifyError`): validity times, the DN against
 * the allowed list (server side), basic constraints and purpose for the peer's role. Returns the
 * first failure in libvirt's wording, or undefined when the certificate is acceptable.
 */
export function checkPeerCertificate(o: {
  /** The peer's role: we are the server when checking a client. */
  peerRole: CertRole;
  cert: X509Certificate | undefined;
  /** OpenSSL's verification error code (authorizationError), if the chain did not verify. */
  verifyError?: string;
  allowedDnList?: readonly string[];
  warn?: CertWarn;
}): string | undefined {
  if (!o.cert) return 'Unable to verify TLS peer: No certificate was found.';
  if (o.verifyError) return `Certificate failed validation: ${validationReason(o.verifyError)}`;
  try {
    checkCertTimes(o.cert, '[session]', o.peerRole === 'client' ? 'server' : 'client', false);
    if (o.allowedDnList && !o.allowedDnList.some((p) => dnPatternMatches(p, certificateDn(o.cert!)))) {
      return "Client's Distinguished Name is not on the list of allowed clients (tls_allowed_dn_list).  Use 'virt-pki-query-dn clientcert.pem' to view the Distinguished Name field in the client certificate, or run this daemon with --verbose option.";
    }
    checkBasicConstraints(o.cert, '[session]', o.peerRole, false);
    checkKeyUsage(o.cert, '[session]', false, o.warn);
    checkKeyPurpose(o.cert, '[session]', o.peerRole, o.warn);
  } catch (err) {
    return (err as Error).message;
  }
  return undefined;
}

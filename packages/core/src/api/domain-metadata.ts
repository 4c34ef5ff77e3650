/**
 * The argument checks libvirt's public virDomainSetMetadata / virDomainGetMetadata make before
 * any driver sees the call (so every driver, and the wire, answer alike).
 */
import { AffectFlags, hasFlag } from '../contract/flags.js';
import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirError } from '../errors/vir-error.js';
import { DomainMetadataType } from '../xml/domain/metadata-edit.js';

function invalid(message: string): VirError {
  return new VirError({ code: ErrorCode.INVALID_ARG, domain: ErrorDomain.DOMAIN, message });
}

function mustBeNull(value: string | undefined, what: string, fn: string): void {
  if (value !== undefined) throw invalid(`${what} in ${fn} must be NULL`);
}

function mustNotBeNull(value: string | undefined, what: string, fn: string): void {
  if (value === undefined) throw invalid(`${what} in ${fn} must not be NULL`);
}

export function checkSetMetadataArgs(
  type: number,
  metadata: string | undefined,
  key: string | undefined,
  uri: string | undefined,
): void {
  const fn = 'virDomainSetMetadata';
  if (type === DomainMetadataType.TITLE && metadata?.includes('\n')) {
    throw invalid("metadata title can't contain newlines");
  }
  if (type === DomainMetadataType.TITLE || type === DomainMetadataType.DESCRIPTION) {
    mustBeNull(uri, 'uri', fn);
    mustBeNull(key, 'key', fn);
  } else if (type === DomainMetadataType.ELEMENT) {
    mustNotBeNull(uri, 'uri', fn);
    // Only an absent value (a removal) may come without a key; libvirt asks one even for ''.
    if (metadata !== undefined) mustNotBeNull(key, 'key', fn);
  }
}

export function checkGetMetadataArgs(type: number, uri: string | undefined, flags: number): void {
  const fn = 'virDomainGetMetadata';
  if (hasFlag(flags, AffectFlags.LIVE) && hasFlag(flags, AffectFlags.CONFIG)) {
    throw invalid("Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
  }
  if (type === DomainMetadataType.TITLE || type === DomainMetadataType.DESCRIPTION) mustBeNull(uri, 'uri', fn);
  else if (type === DomainMetadataType.ELEMENT) mustNotBeNull(uri, 'uri', fn);
}

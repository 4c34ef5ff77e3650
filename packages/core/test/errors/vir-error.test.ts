import { describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain } from '../../src/errors/codes.js';
import { formatErrorMessage } from '../../src/errors/messages.js';
import { isVirError, VirError, virError } from '../../src/errors/vir-error.js';

describe('VirError', () => {
  it("words messages as libvirt's virErrorMsg does", () => {
    expect(formatErrorMessage(ErrorCode.NO_DOMAIN)).toBe('Domain not found');
    expect(formatErrorMessage(ErrorCode.NO_DOMAIN, "no domain with matching name 'x'")).toBe(
      "Domain not found: no domain with matching name 'x'",
    );
    expect(formatErrorMessage(ErrorCode.NO_SUPPORT, 'virDomainSuspend')).toBe(
      'this function is not supported by the connection driver: virDomainSuspend',
    );
    expect(formatErrorMessage(ErrorCode.XML_ERROR, 'an os <type> must be specified')).toBe(
      'XML error: an os <type> must be specified',
    );
    expect(formatErrorMessage(ErrorCode.XML_DETAIL, '(domain_definition):1: oops')).toBe('(domain_definition):1: oops');
  });

  it('carries code, domain and cause, and is recognised across copies by its marker', () => {
    const cause = new Error('low level');
    const err = virError(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN, 'domain is not running', cause);
    expect(err).toBeInstanceOf(VirError);
    expect(err).toMatchObject({
      code: 55,
      domain: 20,
      message: 'Requested operation is not valid: domain is not running',
    });
    expect(err.cause).toBe(cause);
    expect(err.codeName).toBe('OPERATION_INVALID');
    expect(isVirError(err)).toBe(true);
    // An error made by another copy of core carries the same Symbol.for marker.
    const foreign = Object.assign(new Error('x'), { [Symbol.for('tsvirt.VirError')]: true });
    expect(isVirError(foreign)).toBe(true);
    expect(isVirError(new Error('plain'))).toBe(false);
    expect(isVirError(null)).toBe(false);
  });
});

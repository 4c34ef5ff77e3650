import { expect } from 'vitest';
import type { Connection } from '../api/connection.js';
import { AffectFlags, DomainXmlFlags } from '../contract/flags.js';
import { ErrorCode } from '../errors/codes.js';
import { DomainMetadataType } from '../xml/domain/metadata-edit.js';
import { expectVirError } from './expect-error.js';

const URI = 'http://tsvirt.example/conformance/';

/**
 * virDomainSetMetadata/GetMetadata on a defined (inactive) domain: title, description and one
 * namespaced element set in the persistent config, read back, shown in the inactive XML, removed.
 */
export async function checkDomainMetadata(conn: Connection, xml: string): Promise<void> {
  const dom = await conn.defineDomainXml(xml);
  try {
    const { DESCRIPTION, TITLE, ELEMENT } = DomainMetadataType;
    await expectVirError(dom.getMetadata(DESCRIPTION), ErrorCode.NO_DOMAIN_METADATA);
    await dom.setMetadata(DESCRIPTION, 'described', undefined, undefined, AffectFlags.CONFIG);
    await dom.setMetadata(TITLE, 'titled');
    await dom.setMetadata(ELEMENT, '<entry n="1">v</entry>', 'conf', URI);
    expect(await dom.getMetadata(DESCRIPTION)).toBe('described');
    expect(await dom.getMetadata(TITLE, undefined, AffectFlags.CONFIG)).toBe('titled');
    expect(await dom.getMetadata(ELEMENT, URI)).toBe('<entry n="1">v</entry>');
    const inactive = await dom.getXmlDesc(DomainXmlFlags.INACTIVE);
    expect(inactive).toContain('<title>titled</title>');
    expect(inactive).toContain(`<conf:entry xmlns:conf="${URI}" n="1">v</conf:entry>`);
    // An inactive domain has no live definition to change.
    await expectVirError(
      dom.setMetadata(TITLE, 'x', undefined, undefined, AffectFlags.LIVE),
      ErrorCode.OPERATION_INVALID,
    );
    await dom.setMetadata(ELEMENT, undefined, undefined, URI);
    await dom.setMetadata(TITLE, '');
    await expectVirError(dom.getMetadata(ELEMENT, URI), ErrorCode.NO_DOMAIN_METADATA);
    await expectVirError(dom.getMetadata(TITLE), ErrorCode.NO_DOMAIN_METADATA);
  } finally {
    await dom.undefine();
  }
}

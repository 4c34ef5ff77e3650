/** libvirt's XML errors, for the network, storage, capabilities and snapshot modules. */
import { ErrorCode, type ErrorDomain } from '../../errors/codes.js';
import { VirError } from '../../errors/vir-error.js';
import type { XmlElement } from '../adapter.js';

export function xmlError(domain: ErrorDomain, detail: string, code: ErrorCode = ErrorCode.XML_ERROR): VirError {
  return new VirError({ code, domain, detail });
}

/** libvirt's "Invalid value for attribute" error. */
export function invalidAttr(el: XmlElement, attr: string, value: string, domain: ErrorDomain): VirError {
  return xmlError(domain, `Invalid value for attribute '${attr}' in element '${el.name}': '${value}'.`);
}

/**
 * How drivers customise domain XML handling without forking the parser: defaults after
 * parsing, address assignment, extra validation and their own XML namespace.
 */
import type { OutNode, XmlElement } from '../adapter.js';
import type { DomainDef } from './types.js';

export interface DomainParseFlags {
  /** Parsing a persistent definition: live-only data (id, aliases, pty paths...) is dropped. */
  inactive?: boolean;
  /** Parsing a driver's own status XML: keep runtime data such as allocated ports. */
  status?: boolean;
  /** Skip the validation stage (libvirt's VIR_DOMAIN_DEF_PARSE_SKIP_VALIDATE). */
  skipValidate?: boolean;
}

/** A driver's XML namespace, e.g. qemu's `xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'`. */
export interface DomainNamespaceHandler<T = unknown> {
  /** Prefix written on output (`qemu`). */
  readonly prefix: string;
  readonly uri: string;
  /** Turn the namespace's top-level elements (under <domain>) into the driver's data. */
  parse(elements: XmlElement[], def: DomainDef): T | undefined;
  /** Elements to write at the end of <domain> (names carry the prefix, e.g. 'qemu:commandline'). */
  format(data: T, def: DomainDef): OutNode[];
}

export interface DomainXmlHooks {
  /** Fill in driver defaults after the generic defaults (libvirt's devicesPostParse/domainPostParse). */
  postParse?(def: DomainDef, flags: DomainParseFlags): void;
  /** Give devices addresses (PCI slots, drive units, ...). */
  assignAddresses?(def: DomainDef, flags: DomainParseFlags): void;
  /** Reject what the driver cannot run; throw a VirError. */
  validate?(def: DomainDef, flags: DomainParseFlags): void;
  /** The driver's own XML namespace. */
  namespace?: DomainNamespaceHandler;
}

/** What the family parsers and formatters share during one parse or format call. */
import type { DomainParseFlags } from './hooks.js';

export interface ParseContext {
  readonly flags: DomainParseFlags;
  /** True when parsing a definition (live-only data such as ids and aliases is ignored). */
  readonly inactive: boolean;
  /** Random bytes for generated UUIDs and MAC addresses (overridable for reproducible tests). */
  readonly randomBytes: (n: number) => Uint8Array;
  /** Set when <uuid> was absent and one was generated (a <sysinfo> UUID may then supply it). */
  uuidGenerated: boolean;
}

export interface FormatContext {
  /** Omit live-only data (VIR_DOMAIN_XML_INACTIVE). */
  readonly inactive: boolean;
  /** Include secrets such as graphics passwords (VIR_DOMAIN_XML_SECURE). */
  readonly secure: boolean;
  /** Omit data that only makes sense on this host (VIR_DOMAIN_XML_MIGRATABLE). */
  readonly migratable: boolean;
}

/**
 * The parts of the driver the life-cycle code calls into: capabilities of an emulator, the
 * preparation of a definition for QEMU, the command-line builder and the monitor connector.
 * The connection wires the real modules in; keeping them behind this interface keeps each
 * concern in its own module.
 */
import type { CapabilitiesDef, DomainCapabilitiesQuery, DomainDef, DomainXmlHooks } from '@tsvirt/core';
import type { QemuCaps } from '../capabilities/qemu-caps.js';
import type { MonitorConnector } from './monitor.js';

export interface CommandContext {
  /** The running id the guest gets. */
  readonly id: number;
  /** The domain's private directory (domain-ID-NAME). */
  readonly libDir: string;
  readonly monitorPath: string;
}

export interface CommandLine {
  readonly binary: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

export interface QemuBackends {
  /** Capabilities of an emulator binary; throws libvirt's error when it cannot be used. */
  capsFor(emulator: string): Promise<QemuCaps>;
  /**
   * The qemu driver's post-parse defaults, addresses and validation for a definition core
   * parsed generically (answers a new definition; throws libvirt's error when it cannot run).
   */
  prepare(def: DomainDef, caps: QemuCaps): DomainDef;
  buildCommandLine(def: DomainDef, caps: QemuCaps, ctx: CommandContext): CommandLine;
  connectMonitor: MonitorConnector;
  /** The host's <capabilities>: one guest entry per usable emulator. */
  hostCapabilities(): Promise<CapabilitiesDef>;
  /** virConnectDomainXMLToNative's 'qemu-argv': the command line a definition would start with. */
  nativeArgv(xml: string): Promise<string>;
  /** The <domainCapabilities> document for an emulator, arch, machine and virt type. */
  domainCapabilities(query: DomainCapabilitiesQuery, flags: number): Promise<string>;
  /** How core parses and formats domain XML for this driver (post-parse defaults, validation). */
  readonly domainXmlHooks?: DomainXmlHooks;
}

/** The emulator a definition without <emulator> runs. */
export const DEFAULT_EMULATOR = '/usr/bin/qemu-system-x86_64';

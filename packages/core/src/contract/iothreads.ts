/**
 * IOThreads of a domain (virDomainGetIOThreadInfo, virDomainPinIOThread, virDomainAddIOThread,
 * virDomainDelIOThread, virDomainSetIOThreadParams). CPU maps are libvirt's byte layout.
 */
import type { DomainRef } from './refs.js';
import type { TypedParameter } from './typed-parameter.js';

/** virDomainIOThreadInfo: one IOThread and the host CPUs it may run on. */
export interface IOThreadInfo {
  iothreadId: number;
  cpumap: Uint8Array;
}

/** The optional group behind those APIs; `flags` are AffectFlags. */
export interface DomainIOThreads {
  getIOThreadInfo?(ref: DomainRef, flags: number): Promise<IOThreadInfo[]>;
  pinIOThread?(ref: DomainRef, iothreadId: number, cpumap: Uint8Array, flags: number): Promise<void>;
  addIOThread?(ref: DomainRef, iothreadId: number, flags: number): Promise<void>;
  delIOThread?(ref: DomainRef, iothreadId: number, flags: number): Promise<void>;
  setIOThreadParams?(
    ref: DomainRef,
    iothreadId: number,
    params: readonly TypedParameter[],
    flags: number,
  ): Promise<void>;
}

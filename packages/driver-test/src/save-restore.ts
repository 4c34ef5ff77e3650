import { readFile, writeFile } from 'node:fs/promises';
import {
  type DomainDef,
  type DomainRef,
  type DomainSaveRestore,
  DomainState,
  ErrorCode,
  ErrorDomain,
  formatDomainXml,
  parseDomainXml,
  SaveRestoreFlags,
  systemError,
} from '@tsvirt/core';
import type { TestDomains } from './domains.js';
import { checkFlags, domainInactive, testError } from './errors.js';
import { TEST_DEFAULT_ARCH } from './node-info.js';
import type { TestDomain, TestState } from './state.js';

/**
 * The save image of libvirt's test driver: the 15 bytes "TestGuestMagic\0", the XML's length as
 * a 32-bit little-endian integer (1..8192), then the running definition's XML. No guest memory:
 * the test guest has none.
 */
const MAGIC = Buffer.from('TestGuestMagic\0', 'latin1');
const MAX_XML = 8192;

const errno = (e: unknown): NodeJS.ErrnoException => e as NodeJS.ErrnoException;

function encodeImage(def: DomainDef): Buffer {
  const xml = Buffer.from(formatDomainXml(def, { secure: true }), 'utf8');
  const len = Buffer.alloc(4);
  len.writeInt32LE(xml.length);
  return Buffer.concat([MAGIC, len, xml]);
}

function decodeImage(path: string, image: Buffer): DomainDef {
  if (image.length < MAGIC.length) throw testError(ErrorCode.SYSTEM_ERROR, `incomplete save header in '${path}'`);
  if (!image.subarray(0, MAGIC.length).equals(MAGIC))
    throw testError(ErrorCode.INTERNAL_ERROR, 'mismatched header magic');
  if (image.length < MAGIC.length + 4) {
    throw testError(ErrorCode.SYSTEM_ERROR, `failed to read metadata length in '${path}'`);
  }
  const len = image.readInt32LE(MAGIC.length);
  if (len < 1 || len > MAX_XML) throw testError(ErrorCode.INTERNAL_ERROR, 'length of metadata out of range');
  const xml = image.subarray(MAGIC.length + 4, MAGIC.length + 4 + len);
  if (xml.length !== len) throw testError(ErrorCode.SYSTEM_ERROR, `incomplete metadata in '${path}'`);
  const def = parseDomainXml(xml.toString('utf8'), { defaultArch: TEST_DEFAULT_ARCH });
  return { ...def, id: undefined };
}

/** virDomainSave/Restore and managed save as libvirt's test driver does them. */
export class TestSaveRestore implements DomainSaveRestore {
  constructor(
    private readonly state: TestState,
    private readonly domains: TestDomains,
  ) {}

  private running(ref: DomainRef): TestDomain {
    const d = this.state.domains.find(ref);
    if (d.state === DomainState.SHUTOFF) throw domainInactive();
    return d;
  }

  async save(ref: DomainRef, path: string, dxml: DomainDef | undefined, flags: number): Promise<void> {
    checkFlags(flags, 0, 'testDomainSaveFlags');
    if (dxml) throw testError(ErrorCode.ARGUMENT_UNSUPPORTED, 'xml modification unsupported');
    const d = this.running(ref);
    try {
      await writeFile(path, encodeImage({ ...d.def, id: d.id }), { mode: 0o600 });
    } catch (e) {
      throw systemError(ErrorDomain.TEST, `saving domain '${d.def.name}' to '${path}': open failed`, errno(e));
    }
    this.domains.stopSaved(d);
  }

  async restore(path: string, dxml: DomainDef | undefined, flags: number): Promise<DomainRef> {
    checkFlags(flags, 0, 'testDomainRestoreFlags');
    if (dxml) throw testError(ErrorCode.ARGUMENT_UNSUPPORTED, 'xml modification unsupported');
    let image: Buffer;
    try {
      image = await readFile(path);
    } catch (e) {
      throw systemError(ErrorDomain.TEST, `cannot read domain image '${path}'`, errno(e));
    }
    return this.domains.startRestored(decodeImage(path, image));
  }

  /** Only persistent guests: the image is remembered and the next start forgets it. */
  async managedSave(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(
      flags,
      SaveRestoreFlags.BYPASS_CACHE | SaveRestoreFlags.RUNNING | SaveRestoreFlags.PAUSED,
      'testDomainManagedSave',
    );
    const d = this.running(ref);
    if (!d.persistent) throw testError(ErrorCode.OPERATION_INVALID, 'cannot do managed save for transient domain');
    this.domains.stopSaved(d);
    d.hasManagedSave = true;
  }

  async managedSaveRemove(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'testDomainManagedSaveRemove');
    this.state.domains.find(ref).hasManagedSave = false;
  }
}

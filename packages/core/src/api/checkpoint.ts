/** Domain checkpoints in the object API: virDomainCheckpointPtr and the domain's entry points. */
import { CheckpointCreateFlags, CheckpointDeleteFlags, CheckpointXmlFlags } from '../contract/checkpoint-flags.js';
import type { CheckpointRef, DomainCheckpoints } from '../contract/checkpoints.js';
import type { DomainRef } from '../contract/refs.js';
import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirError } from '../errors/vir-error.js';
import { formatDomainCheckpointXml } from '../xml/checkpoint/checkpoint.js';
import type { ConnectionContext } from './context.js';
import type { Domain } from './domain.js';
import { assertNonEmpty, assertWritable, need } from './guards.js';

const D = ErrorDomain.DOMAIN_CHECKPOINT;

/** libvirt's VIR_EXCLUSIVE_FLAGS / VIR_REQUIRE_FLAG checks, made before the driver sees the call. */
function flagConflict(message: string): VirError {
  return new VirError({ code: ErrorCode.INVALID_ARG, domain: D, message });
}

function group(ctx: ConnectionContext, api: string): DomainCheckpoints {
  return need(ctx.driver.hypervisor.checkpoints, api);
}

/** A domain checkpoint handle, as virDomainCheckpointPtr. */
export class DomainCheckpoint {
  constructor(
    private readonly ctx: ConnectionContext,
    readonly handle: CheckpointRef,
    readonly domain: Domain,
  ) {}

  getName(): string {
    return this.handle.name;
  }
  getDomain(): Domain {
    return this.domain;
  }

  /** virDomainCheckpointGetXMLDesc: SECURE is refused on read-only connections. */
  async getXmlDesc(flags = 0): Promise<string> {
    const api = 'virDomainCheckpointGetXMLDesc';
    if (this.ctx.readOnly && flags & CheckpointXmlFlags.SECURE) {
      throw new VirError({ code: ErrorCode.OPERATION_DENIED, domain: D, detail: `${api} with secure flag` });
    }
    const def = await group(this.ctx, api).getXml(this.handle, flags);
    return formatDomainCheckpointXml(def, {
      noDomain: (flags & CheckpointXmlFlags.NO_DOMAIN) !== 0,
      size: (flags & CheckpointXmlFlags.SIZE) !== 0,
    });
  }

  async getParent(flags = 0): Promise<DomainCheckpoint> {
    const ref = await group(this.ctx, 'virDomainCheckpointGetParent').getParent(this.handle, flags);
    return new DomainCheckpoint(this.ctx, ref, this.domain);
  }

  /** virDomainCheckpointListAllChildren: direct children, or every descendant with DESCENDANTS. */
  async listAllChildren(flags = 0): Promise<DomainCheckpoint[]> {
    const list = await group(this.ctx, 'virDomainCheckpointListAllChildren').listChildren(this.handle, flags);
    return list.map((c) => new DomainCheckpoint(this.ctx, c, this.domain));
  }

  async delete(flags = 0): Promise<void> {
    const api = 'virDomainCheckpointDelete';
    assertWritable(this.ctx.readOnly, api);
    const { CHILDREN, CHILDREN_ONLY } = CheckpointDeleteFlags;
    if (flags & CHILDREN && flags & CHILDREN_ONLY) {
      throw flagConflict(
        "Flags 'VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN' and 'VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY' are mutually exclusive",
      );
    }
    await group(this.ctx, api).delete(this.handle, flags);
  }
}

/** The checkpoint calls a Domain makes (virDomainCheckpointCreateXML, ListAll, LookupByName). */
export class DomainCheckpointCalls {
  constructor(
    private readonly ctx: ConnectionContext,
    private readonly domain: Domain,
    private readonly ref: () => DomainRef,
  ) {}

  async create(xml: string, flags: number): Promise<DomainCheckpoint> {
    const api = 'virDomainCheckpointCreateXML';
    assertWritable(this.ctx.readOnly, api);
    assertNonEmpty(xml, 'xmlDesc', api);
    const { REDEFINE, QUIESCE, REDEFINE_VALIDATE } = CheckpointCreateFlags;
    if (flags & REDEFINE_VALIDATE && !(flags & REDEFINE)) {
      throw flagConflict(
        "Flag 'VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE' is required by flag 'VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE'",
      );
    }
    if (flags & REDEFINE && flags & QUIESCE) {
      throw flagConflict(
        "Flags 'VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE' and 'VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE' are mutually exclusive",
      );
    }
    return this.wrap(await group(this.ctx, api).create(this.ref(), xml, flags));
  }

  async listAll(flags: number): Promise<DomainCheckpoint[]> {
    const list = await group(this.ctx, 'virDomainListAllCheckpoints').list(this.ref(), flags);
    return list.map((c) => this.wrap(c));
  }

  async lookupByName(name: string, flags: number): Promise<DomainCheckpoint> {
    const api = 'virDomainCheckpointLookupByName';
    assertNonEmpty(name, 'name', api);
    return this.wrap(await group(this.ctx, api).lookup(this.ref(), name, flags));
  }

  handle(name: string): DomainCheckpoint {
    return this.wrap({ domain: this.ref(), name });
  }

  private wrap(ref: CheckpointRef): DomainCheckpoint {
    return new DomainCheckpoint(this.ctx, ref, this.domain);
  }
}

/**
 * libvirt's rule for a new domain definition against the domains a driver already has, shared
 * by every driver: the same UUID must carry the same name, a name may not be taken by another
 * UUID, and a definition being started must not be running already.
 */
import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirError } from '../errors/vir-error.js';

/** What the rule needs to know of an existing domain. */
export interface KnownDomain {
  readonly name: string;
  readonly uuid: string;
  readonly active: boolean;
}

/**
 * Throws libvirt's error when `def` clashes; answers true when it names an existing domain
 * (same UUID and name), which the definition then updates.
 */
export function checkDomainDefinitionClash(
  def: { readonly name: string; readonly uuid: string },
  lookup: { byUuid(uuid: string): KnownDomain | undefined; byName(name: string): KnownDomain | undefined },
  forStart: boolean,
): boolean {
  const sameUuid = lookup.byUuid(def.uuid);
  if (sameUuid) {
    if (sameUuid.name !== def.name) {
      throw new VirError({
        code: ErrorCode.OPERATION_FAILED,
        domain: ErrorDomain.DOMAIN,
        detail: `domain '${sameUuid.name}' is already defined with uuid ${def.uuid}`,
      });
    }
    if (forStart && sameUuid.active) {
      throw new VirError({
        code: ErrorCode.OPERATION_INVALID,
        domain: ErrorDomain.DOMAIN,
        detail: `domain '${def.name}' is already active`,
      });
    }
    return true;
  }
  const sameName = lookup.byName(def.name);
  if (sameName) {
    throw new VirError({
      code: ErrorCode.OPERATION_FAILED,
      domain: ErrorDomain.DOMAIN,
      detail: `domain '${def.name}' already exists with uuid ${sameName.uuid}`,
    });
  }
  return false;
}

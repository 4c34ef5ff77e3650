/** validateDomainDef: the generic checks plus a driver's, on a parsed or hand-built definition. */
import type { DomainParseFlags, DomainXmlHooks } from './hooks.js';
import type { DomainDef } from './types.js';
import { validateGeneric } from './validate.js';

export function validateDomainDef(
  def: DomainDef,
  options: { hooks?: DomainXmlHooks; flags?: DomainParseFlags } = {},
): void {
  validateGeneric(def);
  options.hooks?.validate?.(def, options.flags ?? {});
}

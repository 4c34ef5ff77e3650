import { ErrorDomain } from './codes.js';

/** Object words in an API name and the libvirt module (error domain) that owns them. */
const OBJECT_MODULES: ReadonlyArray<readonly [RegExp, ErrorDomain]> = [
  [/Qemu/, ErrorDomain.NONE],
  [/Snapshot/, ErrorDomain.DOMAIN_SNAPSHOT],
  [/Checkpoint/, ErrorDomain.DOMAIN_CHECKPOINT],
  [/^virDomain/, ErrorDomain.DOMAIN],
  [/NodeDevice|^virNode(NumOf|List)Devices$/, ErrorDomain.NODEDEV],
  [/NWFilter/, ErrorDomain.NWFILTER],
  [/Secret/, ErrorDomain.SECRET],
  [/Interface/, ErrorDomain.INTERFACE],
  [/Storage/, ErrorDomain.STORAGE],
  [/Network/, ErrorDomain.NETWORK],
  [/^virConnect(Open|Close)$/, ErrorDomain.NONE],
];

/**
 * The error domain libvirt's public entry point `api` reports its own refusals in (read-only
 * access, an unsupported driver method): that of the source module it lives in, e.g.
 * virDomainDestroy → DOMAIN, virNetworkDestroy → NETWORK, virNodeGetInfo → DOMAIN.
 */
export function apiErrorDomain(api: string): ErrorDomain {
  for (const [pattern, domain] of OBJECT_MODULES) if (pattern.test(api)) return domain;
  return ErrorDomain.DOMAIN;
}

import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTRACT_VERSION, type DriverDescriptor } from '../contract/driver.js';
import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirError } from '../errors/vir-error.js';

/**
 * Where to look for installed driver packages: the caller's extra paths, the current directory and
 * the main script's directory (so an application's own node_modules are searched, not core's).
 */
export function defaultSearchPaths(extra: readonly string[] = []): string[] {
  const paths = [...extra, process.cwd()];
  if (process.argv[1]) paths.push(process.argv[1]);
  return paths;
}

/** Resolve `pkg` from the first search path where it is installed; undefined when none has it. */
export function resolvePackage(pkg: string, searchPaths: readonly string[]): string | undefined {
  for (const base of searchPaths) {
    try {
      // createRequire needs a file inside the directory to resolve from.
      return createRequire(join(base, 'noop.js')).resolve(pkg);
    } catch {
      // not installed here; try the next place
    }
  }
  try {
    return createRequire(import.meta.url).resolve(pkg);
  } catch {
    return undefined;
  }
}

/** Import a driver package and return its descriptor (export `driver` or default). */
export async function loadDriverPackage(
  pkg: string,
  searchPaths: readonly string[],
): Promise<DriverDescriptor | undefined> {
  const file = resolvePackage(pkg, searchPaths);
  if (!file) return undefined;
  const mod = (await import(pathToFileURL(file).href)) as { driver?: unknown; default?: unknown };
  const descriptor = mod.driver ?? mod.default;
  assertDescriptor(descriptor, pkg);
  return descriptor;
}

export function assertDescriptor(value: unknown, source: string): asserts value is DriverDescriptor {
  const d = value as Partial<DriverDescriptor> | undefined;
  if (
    !d ||
    typeof d !== 'object' ||
    typeof d.open !== 'function' ||
    typeof d.name !== 'string' ||
    !Array.isArray(d.uriSchemes)
  ) {
    throw new VirError({
      code: ErrorCode.INTERNAL_ERROR,
      domain: ErrorDomain.NONE,
      detail: `${source} does not export a tsvirt driver descriptor`,
    });
  }
  if (d.contractVersion !== CONTRACT_VERSION) {
    throw new VirError({
      code: ErrorCode.INTERNAL_ERROR,
      domain: ErrorDomain.NONE,
      detail: `driver '${d.name}' from ${source} implements contract version ${String(d.contractVersion)}, this core supports ${CONTRACT_VERSION}`,
    });
  }
}

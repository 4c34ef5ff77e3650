/** Path clean-up libvirt applies to pool paths (virFileSanitizePath). */

/** Collapse repeated slashes and drop a trailing one; a leading "//" (but not "///") is kept. */
export function sanitizePath(path: string): string {
  const keepDouble = path.startsWith('//') && path[2] !== '/';
  let out = path.replace(/\/{2,}/g, '/');
  if (out.length > 1 && out.endsWith('/')) out = out.slice(0, -1);
  return keepDouble ? `/${out}` : out;
}

import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Create `dir` readable by its owner only, its missing parents with the default mode: a shared
 * parent such as an embed root's lib/ must stay traversable for the network driver's dnsmasq,
 * which runs as nobody and reads its files under it.
 */
export async function mkdirPrivate(dir: string): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

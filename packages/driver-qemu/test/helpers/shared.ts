/**
 * Where libvirt's golden data lives: ../shared beside the checkout (as CI has it), or the folder
 * TSVIRT_SHARED names (a git worktree sits elsewhere than the main checkout).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHARED = process.env.TSVIRT_SHARED ?? fileURLToPath(new URL('../../../../../shared', import.meta.url));
export const DATA_ROOT = join(SHARED, 'conformance', 'libvirt');
export const CAPS_DATA = join(DATA_ROOT, 'qemucapabilitiesdata');
export const HAVE_CAPS_DATA = existsSync(CAPS_DATA);

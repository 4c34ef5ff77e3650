import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string, entry = 'index.ts') =>
  fileURLToPath(new URL(`./packages/${pkg}/src/${entry}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources, so no test depends on a build having run first.
    alias: [
      { find: /^@tsvirt\/core\/testing$/, replacement: src('core', 'testing/index.ts') },
      { find: /^@tsvirt\/core$/, replacement: src('core') },
      { find: /^@tsvirt\/driver-test$/, replacement: src('driver-test') },
      { find: /^@tsvirt\/remote$/, replacement: src('remote') },
      { find: /^@tsvirt\/driver-qemu$/, replacement: src('driver-qemu') },
      { find: /^@tsvirt\/network$/, replacement: src('network') },
      { find: /^@tsvirt\/daemon$/, replacement: src('daemon') },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});

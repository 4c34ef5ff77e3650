/**
 * Malformed documents given to `define`, `net-define` and `pool-define`: tsvirsh prints libxml2's
 * message, the offending line and the caret exactly as Debian's virsh 9.0 does.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsvirsh, runVirsh, virshAvailable } from './run-both.js';

const dir = mkdtempSync(join(tmpdir(), 'tsvirt-bad-xml-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DOCUMENTS: Record<string, string> = {
  'unterminated-start-tag': '<dom',
  'closing-tag-without-gt': "<domain type='test'>\n  <name>x</name\n</domain>",
  'tag-mismatch': "<domain type='test'>\n  <name>x</nam>\n</domain>",
  'second-root': "<domain type='test'>\n  <name>x</name>\n</domain>\n<x/>",
  'unquoted-attribute': "<domain type='test'>\n  <name a=b>x</name>\n</domain>",
  'undefined-entity': "<domain type='test'>\n  <name>x&foo;</name>\n</domain>",
  'premature-end-newline': "<domain type='test'>\n  <name>x</name>\n",
  'premature-end': "<domain type='test'>\n  <name>x</name>",
  'premature-end-blank-lines': "<domain type='test'>\n  <name>x</name>\n\n",
  'text-before-root': 'hello <domain/>',
};

const hasVirsh = virshAvailable();

describe.skipIf(!hasVirsh)('malformed XML: tsvirsh matches virsh', () => {
  describe.concurrent('documents', () => {
    for (const [name, text] of Object.entries(DOCUMENTS)) {
      const file = join(dir, `${name}.xml`);
      writeFileSync(file, text);
      for (const command of ['define', 'net-define', 'pool-define']) {
        it(`${command} ${name}`, async () => {
          const args = ['-c', 'test:///default', command, file];
          const [expected, actual] = await Promise.all([runVirsh(args), runTsvirsh(args)]);
          expect(actual).toEqual(expected);
        });
      }
    }
  });
});

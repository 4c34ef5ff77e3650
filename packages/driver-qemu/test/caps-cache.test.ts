import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode } from '@tsvirt/core';
import { expectVirError } from '@tsvirt/core/testing';
import { describe, expect, it } from 'vitest';
import {
  defaultMachine,
  findMachine,
  formatQemuCapsCache,
  formatQemuVersion,
  parseQemuCapsCache,
} from '../src/index.js';

import { CAPS_DATA } from './helpers/shared.js';

const golden = join(CAPS_DATA, 'caps_10.0.0_x86_64.xml');

describe.skipIf(!existsSync(golden))('qemuCaps cache document', () => {
  const text = existsSync(golden) ? readFileSync(golden, 'utf8') : '';

  it('reads libvirt 11.3 test data for QEMU 10.0 and writes it back byte for byte', () => {
    const caps = parseQemuCapsCache(text);
    expect(formatQemuVersion(caps.version)).toBe('10.0.0');
    expect(caps.flags.has('virtio-scsi-pci')).toBe(true);
    expect(defaultMachine(caps, 'tcg')?.name).toBe('pc-i440fx-10.0');
    expect(findMachine(caps, 'kvm', 'q35')?.name).toBe('pc-q35-10.0');
    expect(formatQemuCapsCache(caps)).toBe(text);
  });
});

describe('qemuCaps cache errors', () => {
  it('refuses a document that is not a qemuCaps cache', async () => {
    const parse = async (xml: string) => parseQemuCapsCache(xml);
    await expectVirError(parse('<domain/>'), ErrorCode.INTERNAL_ERROR, /unexpected root element <domain>/);
    await expectVirError(
      parse('<qemuCaps><version>x</version></qemuCaps>'),
      ErrorCode.INTERNAL_ERROR,
      /<version> is not a number/,
    );
    await expectVirError(parse('<qemuCaps'), ErrorCode.XML_DETAIL);
  });
});

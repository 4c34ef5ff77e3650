import { describe, expect, it } from 'vitest';
import { QapiSchema, QmpReplay } from '../src/index.js';

// A tiny schema in query-qmp-schema's shape, enough to walk every kind of step.
const schema = new QapiSchema([
  { name: 'blockdev-add', 'meta-type': 'command', 'arg-type': 'opts', 'ret-type': 'none', features: ['x'] },
  {
    name: 'opts',
    'meta-type': 'object',
    members: [
      { name: 'driver', type: 'drv' },
      { name: 'cache', type: 'bool', default: null },
      { name: 'list', type: '[drv]' },
    ],
    variants: [{ case: 'file', type: 'file-opts' }],
  },
  { name: 'file-opts', 'meta-type': 'object', members: [{ name: 'filename', type: 'alt' }], features: ['fdset'] },
  { name: 'drv', 'meta-type': 'enum', members: [{ name: 'file' }, { name: 'nbd', features: ['deprecated'] }] },
  { name: 'old-enum', 'meta-type': 'enum', values: ['a', 'b'] },
  { name: '[drv]', 'meta-type': 'array', 'element-type': 'drv' },
  { name: 'alt', 'meta-type': 'alternate', members: [{ type: 'int' }, { type: 'str' }] },
  { name: 'bool', 'meta-type': 'builtin', 'json-type': 'boolean' },
  { name: 'int', 'meta-type': 'builtin', 'json-type': 'int' },
  { name: 'str', 'meta-type': 'builtin', 'json-type': 'string' },
  { name: 'none', 'meta-type': 'object', members: [] },
  { name: 'uses-old', 'meta-type': 'command', 'arg-type': 'old-enum' },
]);

describe('QAPI schema queries', () => {
  it.each([
    ['blockdev-add', true],
    ['no-such-command', false],
    ['blockdev-add/arg-type', true],
    ['blockdev-add/arg-type/driver', true],
    ['blockdev-add/arg-type/nothing', false],
    ['blockdev-add/arg-type/*cache', true],
    ['blockdev-add/arg-type/*driver', false],
    ['blockdev-add/arg-type/driver/^nbd', true],
    ['blockdev-add/arg-type/driver/^nbd/$deprecated', true],
    ['blockdev-add/arg-type/driver/^file/$deprecated', false],
    ['blockdev-add/arg-type/driver/^vxhs', false],
    ['blockdev-add/arg-type/list/^file', true],
    ['blockdev-add/arg-type/+file/filename', true],
    ['blockdev-add/arg-type/+file/filename/!string', true],
    ['blockdev-add/arg-type/+file/filename/!boolean', false],
    ['blockdev-add/arg-type/+file/$fdset', true],
    ['blockdev-add/arg-type/+nbd', false],
    ['blockdev-add/$x', true],
    ['blockdev-add/$x/more', false],
    ['uses-old/arg-type/^b', true],
    ['uses-old/arg-type/^b/$deprecated', false],
  ])('%s → %s', (path, expected) => {
    expect(schema.has(path)).toBe(expected);
  });
});

describe('transcript replay', () => {
  const text = [
    '{"execute": "qmp_capabilities", "id": "libvirt-1"}',
    '{"return": {}, "id": "libvirt-1"}',
    '{"execute": "query-version", "id": "libvirt-2"}',
    '{"return": {"qemu": {"major": 9, "minor": 0, "micro": 0}, "package": ""}, "id": "libvirt-2"}',
    '{"execute": "device-list-properties", "arguments": {"typename": "x"}, "id": "libvirt-3"}',
    '{"error": {"class": "DeviceNotFound", "desc": "Device \'x\' not found"}, "id": "libvirt-3"}',
  ].join('\n\n');

  it('answers in order and reports what the probe asked differently', async () => {
    const replay = QmpReplay.fromText(text);
    const peer = replay.peer(0);
    await expect(peer.execute('device-list-properties', { typename: 'x' })).rejects.toMatchObject({
      qmpClass: 'DeviceNotFound',
    });
    await expect(peer.execute('query-version')).resolves.toMatchObject({ qemu: { major: 9 } });
    await expect(peer.execute('query-kvm')).rejects.toMatchObject({ qmpClass: 'CommandNotFound' });
    expect(replay.deviations.map((d) => `${d.command}:${d.kind}`)).toEqual([
      'device-list-properties:out-of-order',
      'query-kvm:not-in-transcript',
    ]);
    expect(replay.unused(0)).toEqual([]);
    expect(() => replay.peer(1)).toThrow(/no section 2/);
  });

  it('refuses a transcript that is not one', () => {
    expect(() => QmpReplay.fromText('{"execute": "x"}')).toThrow(/command 'x' has no reply/);
    expect(() => QmpReplay.fromText('nope')).toThrow(/replies entry 1 is not JSON/);
  });
});

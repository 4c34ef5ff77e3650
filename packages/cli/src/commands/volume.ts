import { ErrorCode, ErrorDomain, type StorageVol, VirError } from '@tsvirt/core';
import type { Control } from '../control.js';
import { By, conn, optPool, optString, optVol, requiredString } from '../lookup.js';
import { capacityText, field, fixed, prettyCapacity } from '../output/format.js';
import { Table } from '../output/table.js';
import { act, orFail, orUndefined, sortByName } from './common.js';
import {
  dumpXmlCommand,
  fileOpt,
  fromFileCommand,
  simpleCommand,
  VOL_POOL_OPT,
  VOLUME_KIND,
} from './managed-object.js';
import { volTypeText } from './states.js';
import { type CommandDef, opt } from './types.js';

/** virScaleInteger: a byte count with an optional binary (K, KiB) or decimal (KB) suffix. */
export function parseScaledSize(text: string): { value: bigint } | { error: VirError | undefined } {
  const m = /^[ \t\n\v\f\r]*(\d+)(.*)$/s.exec(text);
  if (!m) return { error: undefined };
  let value = BigInt(m[1] as string);
  const suffix = m[2] as string;
  let scale = 1n;
  if (suffix !== '' && !/^(b|bytes?)$/i.test(suffix)) {
    let base: bigint;
    if (suffix.length === 1 || suffix.slice(1).toLowerCase() === 'ib') base = 1024n;
    else if (suffix[1]?.toLowerCase() === 'b' && suffix.length === 2) base = 1000n;
    else
      return {
        error: new VirError({
          code: ErrorCode.INVALID_ARG,
          domain: ErrorDomain.NONE,
          detail: `unknown suffix '${suffix}'`,
        }),
      };
    const power = 'kmgtpe'.indexOf((suffix[0] as string).toLowerCase()) + 1;
    if (power === 0)
      return {
        error: new VirError({
          code: ErrorCode.INVALID_ARG,
          domain: ErrorDomain.NONE,
          detail: `unknown suffix '${suffix}'`,
        }),
      };
    scale = base ** BigInt(power);
  }
  const max = 2n ** 64n - 1n;
  if (value > max / scale) {
    return {
      error: new VirError({
        code: ErrorCode.OVERFLOW,
        domain: ErrorDomain.NONE,
        detail: `value too large: ${value}${suffix}`,
      }),
    };
  }
  value *= scale;
  return { value };
}

const volList: CommandDef = {
  name: 'vol-list',
  group: 'volume',
  help: 'list vols',
  desc: 'Returns list of vols by pool.',
  opts: [opt.data('pool', 'pool name or uuid'), opt.bool('details', 'display extended details for volumes')],
  async run(ctl, cmd) {
    const details = cmd.bool('details');
    const { pool } = await optPool(ctl, cmd);
    const vols = await orFail(ctl, () => pool.listAllVolumes(), 'Failed to list volumes');
    if (!vols) return false;
    sortByName(vols);
    const table = new Table(details ? ['Name', 'Path', 'Type', 'Capacity', 'Allocation'] : ['Name', 'Path']);
    const doc: Record<string, unknown>[] = [];
    for (const v of vols) {
      const path = (await orUndefined(() => v.getPath())) ?? '';
      const entry: Record<string, unknown> = { name: v.getName(), path, key: v.getKey() };
      if (details) {
        const info = await orUndefined(() => v.getInfo());
        if (info) {
          table.add(
            v.getName(),
            path,
            volTypeText(info.type),
            capacityText(info.capacity),
            capacityText(info.allocation),
          );
          Object.assign(entry, { type: volTypeText(info.type), capacity: info.capacity, allocation: info.allocation });
        } else {
          table.add(v.getName(), path, 'unknown', 'unknown', 'unknown');
        }
      } else {
        table.add(v.getName(), path);
      }
      doc.push(entry);
    }
    ctl.data(doc);
    ctl.print(table.render(!ctl.quiet));
    return true;
  },
};

const volInfo: CommandDef = {
  name: 'vol-info',
  group: 'volume',
  help: 'storage vol information',
  desc: 'Returns basic information about the storage vol.',
  opts: [
    ...VOLUME_KIND.opts,
    opt.bool('bytes', 'sizes are represented in bytes rather than pretty units'),
    opt.bool('physical', 'return the physical size of the volume in allocation field'),
  ],
  async run(ctl, cmd) {
    const { vol } = await optVol(ctl, cmd);
    const bytes = cmd.bool('bytes');
    let out = field('Name:', vol.getName());
    const doc: Record<string, unknown> = { name: vol.getName() };
    try {
      const info = await vol.getInfo();
      out += field('Type:', volTypeText(info.type));
      Object.assign(doc, { type: volTypeText(info.type), capacity: info.capacity, allocation: info.allocation });
      const size = (label: string, v: number) => {
        if (bytes) return field(label, `${v} bytes`);
        const { value, unit } = prettyCapacity(v);
        return field(label, `${fixed(value, 2)} ${unit}`);
      };
      out += size('Capacity:', info.capacity);
      out += size(cmd.bool('physical') ? 'Physical:' : 'Allocation:', info.allocation);
    } catch (e) {
      ctl.saveError(e);
      ctl.print(out);
      return false;
    }
    ctl.data(doc);
    ctl.print(out);
    return true;
  },
};

const volDumpxml = dumpXmlCommand(VOLUME_KIND, [], (vol) => vol.getXmlDesc(0));

const volCreate = fromFileCommand(VOLUME_KIND, {
  name: 'vol-create',
  help: 'create a vol from an XML file',
  desc: 'Create a vol.',
  verb: 'create',
  opts: [
    opt.data('pool', 'pool name'),
    fileOpt(VOLUME_KIND),
    opt.bool('prealloc-metadata', 'preallocate metadata (for qcow2 instead of full allocation)'),
    opt.bool('validate', 'validate the XML against the schema'),
  ],
  prepare: async (ctl, cmd) => (await optPool(ctl, cmd)).pool,
  make: (_ctl, cmd, xml, pool) => {
    let flags = 0;
    if (cmd.bool('prealloc-metadata')) flags |= 1;
    if (cmd.bool('validate')) flags |= 4;
    return pool.createVolumeXml(xml, flags);
  },
});

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/'/g, '&apos;')
    .replace(/"/g, '&quot;');
}

function sizeOpt(ctl: Control, text: string): bigint | undefined {
  const r = parseScaledSize(text);
  if ('value' in r) return r.value;
  if (r.error) ctl.saveError(r.error);
  ctl.error(`Malformed size ${text}`);
  return undefined;
}

const volCreateAs: CommandDef = {
  name: 'vol-create-as',
  group: 'volume',
  help: 'create a volume from a set of args',
  desc: 'Create a vol.',
  opts: [
    opt.data('pool', 'pool name'),
    opt.data('name', 'name of the volume'),
    opt.data('capacity', 'size of the vol, as scaled integer (default bytes)'),
    opt.string('allocation', 'initial allocation size, as scaled integer (default bytes)'),
    opt.string('format', 'file format type raw,bochs,qcow,qcow2,qed,vmdk'),
    opt.string('backing-vol', 'the backing volume if taking a snapshot'),
    opt.string('backing-vol-format', 'format of backing volume if taking a snapshot'),
    opt.bool('prealloc-metadata', 'preallocate metadata (for qcow2 instead of full allocation)'),
    opt.bool('print-xml', "print XML document, but don't define/create"),
  ],
  async run(ctl, cmd) {
    const printXml = cmd.bool('print-xml');
    const { pool } = printXml ? { pool: undefined } : await optPool(ctl, cmd);
    const name = requiredString(ctl, cmd, 'name');
    const capacityText = requiredString(ctl, cmd, 'capacity');
    const capacity = sizeOpt(ctl, capacityText);
    if (capacity === undefined) return false;
    const allocationText = optString(ctl, cmd, 'allocation');
    let allocation: bigint | undefined;
    if (allocationText !== undefined) {
      allocation = sizeOpt(ctl, allocationText);
      if (allocation === undefined) return false;
    }
    const format = optString(ctl, cmd, 'format');
    if (cmd.has('backing-vol')) {
      ctl.error('--backing-vol is not supported by tsvirsh yet');
      return false;
    }
    let xml = `<volume>\n  <name>${escapeXml(name)}</name>\n  <capacity>${capacity}</capacity>\n`;
    if (allocation !== undefined) xml += `  <allocation>${allocation}</allocation>\n`;
    if (format !== undefined) xml += `  <target>\n    <format type='${escapeXml(format)}'/>\n  </target>\n`;
    xml += '</volume>\n';
    if (printXml || !pool) {
      ctl.data({ xml });
      ctl.print(xml);
      return true;
    }
    const p = pool;
    let created: StorageVol | undefined;
    const ok = await act(
      ctl,
      async () => {
        created = await p.createVolumeXml(xml, cmd.bool('prealloc-metadata') ? 1 : 0);
      },
      `Vol ${name} created\n`,
      `Failed to create vol ${name}`,
    );
    if (ok && created) ctl.data({ name: created.getName(), key: created.getKey() });
    return ok;
  },
};

const volDelete = simpleCommand(
  VOLUME_KIND,
  {
    name: 'vol-delete',
    help: 'delete a vol',
    desc: 'Delete a given vol.',
    done: 'deleted',
    verb: 'delete',
    opts: [
      opt.bool('delete-snapshots', 'delete snapshots associated with volume (must be supported by storage driver)'),
    ],
    flags: (_ctl, cmd) => (cmd.bool('delete-snapshots') ? 2 : 0),
  },
  (vol, flags) => vol.delete(flags),
);

function volField(
  name: string,
  help: string,
  volHelp: string,
  by: number,
  withPool: boolean,
  value: (v: StorageVol, uuid: boolean, ctl: Control) => Promise<string>,
): CommandDef {
  return {
    name,
    group: 'volume',
    help,
    desc: '',
    opts: withPool
      ? [opt.data('vol', volHelp), VOL_POOL_OPT]
      : name === 'vol-pool'
        ? [opt.data('vol', volHelp), opt.bool('uuid', 'return the pool uuid rather than pool name')]
        : [opt.data('vol', volHelp)],
    async run(ctl, cmd) {
      const { vol } = await optVol(ctl, cmd, by, 'vol', withPool ? 'pool' : null);
      const v = await value(vol, cmd.bool('uuid'), ctl);
      ctl.data({ value: v });
      ctl.print(`${v}\n`);
      return true;
    },
  };
}

export const volumeCommands: readonly CommandDef[] = [
  volCreateAs,
  volCreate,
  volDelete,
  volDumpxml,
  volInfo,
  volField(
    'vol-key',
    'returns the volume key for a given volume name or path',
    'volume name or path',
    By.UUID | By.NAME,
    true,
    async (v) => v.getKey(),
  ),
  volList,
  volField(
    'vol-name',
    'returns the volume name for a given volume key or path',
    'volume key or path',
    By.UUID,
    false,
    async (v) => v.getName(),
  ),
  volField(
    'vol-path',
    'returns the volume path for a given volume name or key',
    'volume name or key',
    By.UUID | By.NAME,
    true,
    (v) => v.getPath(),
  ),
  volField(
    'vol-pool',
    'returns the storage pool for a given volume key or path',
    'volume key or path',
    By.UUID,
    false,
    async (v, uuid, ctl) => {
      return uuid ? (await conn(ctl).lookupStoragePoolByVolume(v)).getUUIDString() : v.getPoolName();
    },
  ),
];

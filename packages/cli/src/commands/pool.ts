import { ListPoolsFlags as F, POOL_TYPES, type StoragePool, StoragePoolState } from '@tsvirt/core';
import type { Control } from '../control.js';
import { conn, optPool } from '../lookup.js';
import { capacityText, field, fixed, padRight, prettyCapacity } from '../output/format.js';
import { Table } from '../output/table.js';
import type { ParsedCommand } from '../parse-args.js';
import {
  autostartText,
  listFilterFlags,
  orFail,
  orUndefined,
  persistenceLines,
  sortByName,
  yesNoUnknown,
} from './common.js';
import {
  autostartCommand,
  dumpXmlCommand,
  fileOpt,
  fromFileCommand,
  nameAndUuidCommands,
  POOL_KIND,
  POOL_OPT,
  simpleCommand,
} from './managed-object.js';
import { poolStateText } from './states.js';
import { type CommandDef, opt } from './types.js';

/** virStoragePoolCreateFlags / BuildFlags as pool-create and pool-start pass them. */
const Build = { WITH_BUILD: 1, OVERWRITE: 2, NO_OVERWRITE: 4 } as const;
const BUILD_OPTS = [
  opt.bool('build', 'build the pool as normal'),
  opt.bool('no-overwrite', 'do not overwrite any existing data'),
  opt.bool('overwrite', 'overwrite any existing data'),
];

const poolList: CommandDef = {
  name: 'pool-list',
  group: 'pool',
  help: 'list pools',
  desc: 'Returns list of pools.',
  opts: [
    opt.bool('inactive', 'list inactive pools'),
    opt.bool('all', 'list inactive & active pools'),
    opt.bool('transient', 'list transient pools'),
    opt.bool('persistent', 'list persistent pools'),
    opt.bool('autostart', 'list pools with autostart enabled'),
    opt.bool('no-autostart', 'list pools with autostart disabled'),
    opt.string('type', 'only list pool of specified type(s) (if supported)'),
    opt.bool('details', 'display extended details for pools'),
    opt.bool('uuid', 'list UUID of active pools only'),
    opt.bool('name', 'list name of active pools only'),
  ],
  async run(ctl, cmd) {
    const details = cmd.bool('details');
    const inactive = cmd.bool('inactive');
    const all = cmd.bool('all');
    if (all && inactive) {
      ctl.error('Options --all and --inactive are mutually exclusive');
      return false;
    }
    const flags = listFilterFlags(cmd, F);
    const uuid = cmd.bool('uuid');
    const name = cmd.bool('name');
    const typeText = cmd.string('type');
    if (typeText === '') {
      ctl.error("Failed to get option 'type': Option argument is empty");
      return false;
    }
    for (const other of ['uuid', 'name']) {
      if (details && cmd.bool(other)) {
        ctl.error(`Options --details and --${other} are mutually exclusive`);
        return false;
      }
    }
    let types: string[] | undefined;
    if (typeText !== undefined) {
      types = typeText.split(/(?<!,),(?!,)/).map((t) => t.replace(/,,/g, ','));
      for (const t of types) {
        if (!(POOL_TYPES as readonly string[]).includes(t)) {
          ctl.error(`Invalid pool type '${t}'`);
          return false;
        }
      }
    }
    const listed = await orFail(ctl, () => conn(ctl).listAllStoragePools(flags), 'Failed to list pools');
    if (!listed) return false;
    let pools = sortByName(listed);
    if (types) {
      const wanted = types;
      const kept: StoragePool[] = [];
      for (const p of pools) {
        const xml = await orUndefined(() => p.getXmlDesc(0));
        const type = xml ? /<pool[^>]*\stype=['"]([^'"]+)['"]/.exec(xml)?.[1] : undefined;
        if (type !== undefined && wanted.includes(type)) kept.push(p);
      }
      pools = kept;
    }
    const rows: {
      name: string;
      uuid: string;
      state: string;
      autostart: string;
      persistent: string;
      capacity: string;
      allocation: string;
      available: string;
    }[] = [];
    const doc: Record<string, unknown>[] = [];
    for (const p of pools) {
      const autostartV = await orUndefined(() => p.getAutostart());
      const autostart = autostartText(autostartV);
      let persistent = '';
      if (details) {
        persistent = yesNoUnknown(await orUndefined(() => p.isPersistent()));
      }
      let state: string;
      let capacity = '';
      let allocation = '';
      let available = '';
      const entry: Record<string, unknown> = {
        name: p.getName(),
        uuid: p.getUUIDString(),
        autostart: autostartV ?? null,
      };
      try {
        const info = await p.getInfo();
        entry.state = poolStateText(info.state);
        entry.capacity = info.capacity;
        entry.allocation = info.allocation;
        entry.available = info.available;
        if (details) {
          state = poolStateText(info.state);
          if (info.state === StoragePoolState.RUNNING || info.state === StoragePoolState.DEGRADED) {
            capacity = capacityText(info.capacity);
            allocation = capacityText(info.allocation);
            available = capacityText(info.available);
          } else {
            capacity = allocation = available = '-';
          }
        } else {
          state = (await orUndefined(() => p.isActive())) ? 'active' : 'inactive';
        }
      } catch {
        ctl.error('Could not retrieve pool information');
        state = 'unknown';
        if (details) capacity = allocation = available = 'unknown';
      }
      if (details) entry.persistent = persistent === 'yes';
      doc.push(entry);
      rows.push({
        name: p.getName(),
        uuid: p.getUUIDString(),
        state,
        autostart,
        persistent,
        capacity,
        allocation,
        available,
      });
    }
    ctl.data(doc);
    if (!details) {
      if (uuid || name) {
        let out = '';
        for (const r of rows) {
          if (uuid) out += `${padRight(r.uuid, 36)}${name ? ' ' : '\n'}`;
          if (name) out += `${padRight(r.name, 20)}\n`;
        }
        ctl.print(out);
        return true;
      }
      const table = new Table(['Name', 'State', 'Autostart']);
      for (const r of rows) table.add(r.name, r.state, r.autostart);
      ctl.print(table.render(!ctl.quiet));
      return true;
    }
    const table = new Table(['Name', 'State', 'Autostart', 'Persistent', 'Capacity', 'Allocation', 'Available']);
    for (const r of rows) table.add(r.name, r.state, r.autostart, r.persistent, r.capacity, r.allocation, r.available);
    ctl.print(table.render(!ctl.quiet));
    return true;
  },
};

const poolInfo: CommandDef = {
  name: 'pool-info',
  group: 'pool',
  help: 'storage pool information',
  desc: 'Returns basic information about the storage pool.',
  opts: [POOL_OPT, opt.bool('bytes', 'Return pool info in bytes')],
  async run(ctl, cmd) {
    const { pool } = await optPool(ctl, cmd);
    const bytes = cmd.bool('bytes');
    let out = field('Name:', pool.getName()) + field('UUID:', pool.getUUIDString());
    const doc: Record<string, unknown> = { name: pool.getName(), uuid: pool.getUUIDString() };
    let ok = true;
    try {
      const info = await pool.getInfo();
      out += field('State:', poolStateText(info.state));
      doc.state = poolStateText(info.state);
      out += await persistenceLines(pool, doc);
      if (info.state === StoragePoolState.RUNNING || info.state === StoragePoolState.DEGRADED) {
        Object.assign(doc, { capacity: info.capacity, allocation: info.allocation, available: info.available });
        for (const [label, v] of [
          ['Capacity:', info.capacity],
          ['Allocation:', info.allocation],
          ['Available:', info.available],
        ] as const) {
          if (bytes) out += field(label, v);
          else {
            const { value, unit } = prettyCapacity(v);
            out += field(label, `${fixed(value, 2)} ${unit}`);
          }
        }
      }
    } catch (e) {
      ctl.saveError(e);
      ok = false;
    }
    ctl.data(doc);
    ctl.print(out);
    return ok;
  },
};

const poolDumpxml = dumpXmlCommand(POOL_KIND, [opt.bool('inactive', 'show inactive defined XML')], (pool, cmd) =>
  pool.getXmlDesc(cmd.bool('inactive') ? 1 : 0),
);

function buildFlags(ctl: Control, cmd: ParsedCommand): number | undefined {
  if (cmd.bool('overwrite') && cmd.bool('no-overwrite')) {
    ctl.error('Options --overwrite and --no-overwrite are mutually exclusive');
    return undefined;
  }
  let flags = 0;
  if (cmd.bool('build')) flags |= Build.WITH_BUILD;
  if (cmd.bool('overwrite')) flags |= Build.OVERWRITE;
  if (cmd.bool('no-overwrite')) flags |= Build.NO_OVERWRITE;
  return flags;
}

const poolDefine = fromFileCommand(POOL_KIND, {
  name: 'pool-define',
  help: 'define an inactive persistent storage pool or modify an existing persistent one from an XML file',
  desc: 'Define or modify a persistent storage pool.',
  verb: 'define',
  opts: [fileOpt(POOL_KIND), opt.bool('validate', 'validate the XML against the schema')],
  make: (ctl, cmd, xml) => conn(ctl).defineStoragePoolXml(xml, cmd.bool('validate') ? 1 : 0),
});

const poolCreate = fromFileCommand(POOL_KIND, {
  name: 'pool-create',
  help: 'create a pool from an XML file',
  desc: 'Create a pool.',
  verb: 'create',
  opts: [fileOpt(POOL_KIND), ...BUILD_OPTS],
  prepare: buildFlags,
  make: (ctl, _cmd, xml, flags: number) => conn(ctl).createStoragePoolXml(xml, flags),
});

const poolStart = simpleCommand(
  POOL_KIND,
  {
    name: 'pool-start',
    help: 'start a (previously defined) inactive pool',
    desc: 'Start a pool.',
    done: 'started',
    verb: 'start',
    opts: BUILD_OPTS,
    flags: buildFlags,
  },
  (p, flags) => p.create(flags),
);

/** virStoragePoolBuildFlags: pool-build passes both without checking they conflict. */
const PoolBuild = { NO_OVERWRITE: 4, OVERWRITE: 8 } as const;

const poolBuild = simpleCommand(
  POOL_KIND,
  {
    name: 'pool-build',
    help: 'build a pool',
    desc: 'Build a given pool.',
    done: 'built',
    verb: 'build',
    opts: BUILD_OPTS.slice(1),
    flags: (_ctl, cmd) =>
      (cmd.bool('no-overwrite') ? PoolBuild.NO_OVERWRITE : 0) | (cmd.bool('overwrite') ? PoolBuild.OVERWRITE : 0),
  },
  (p, flags) => p.build(flags),
);

const poolDelete = simpleCommand(
  POOL_KIND,
  { name: 'pool-delete', help: 'delete a pool', desc: 'Delete a given pool.', done: 'deleted', verb: 'delete' },
  (p) => p.delete(0),
);

const poolRefresh = simpleCommand(
  POOL_KIND,
  { name: 'pool-refresh', help: 'refresh a pool', desc: 'Refresh a given pool.', done: 'refreshed', verb: 'refresh' },
  (p) => p.refresh(0),
);

const [poolName, poolUuid] = nameAndUuidCommands(POOL_KIND, { nameArg: POOL_OPT, uuidArg: POOL_OPT });

export const poolCommands: readonly CommandDef[] = [
  autostartCommand(POOL_KIND),
  poolBuild,
  poolCreate,
  poolDefine,
  poolDelete,
  simpleCommand(
    POOL_KIND,
    {
      name: 'pool-destroy',
      help: 'destroy (stop) a pool',
      desc: 'Forcefully stop a given pool. Raw data in the pool is untouched',
      done: 'destroyed',
      verb: 'destroy',
    },
    (p) => p.destroy(),
  ),
  poolDumpxml,
  poolInfo,
  poolList,
  poolName,
  poolRefresh,
  poolStart,
  simpleCommand(
    POOL_KIND,
    {
      name: 'pool-undefine',
      help: 'undefine an inactive pool',
      desc: 'Undefine the configuration for an inactive pool.',
      done: 'has been undefined',
      verb: 'undefine',
    },
    (p) => p.undefine(),
  ),
  poolUuid,
];

import {
  ErrorCode,
  ErrorDomain,
  objectMatchesListFlags,
  type StorageDriver,
  type StoragePoolDef,
  type StoragePoolInfo,
  type StoragePoolLookup,
  type StoragePoolRef,
  StoragePoolState,
  type StorageVolDef,
  type StorageVolInfo,
  type StorageVolLookup,
  type StorageVolRef,
  StorageVolType,
  VirError,
} from '@tsvirt/core';
import { checkFlags, testError } from './errors.js';
import { DEFAULT_POOL_CAPACITY } from './node-info.js';
import type { TestPool, TestState, TestVolume } from './state.js';

/** virStoragePoolEventLifecycleType. */
const PoolEvent = { DEFINED: 0, UNDEFINED: 1, STARTED: 2, STOPPED: 3, CREATED: 4, DELETED: 5 } as const;

const poolRef = (p: TestPool): StoragePoolRef => ({ name: p.def.name, uuid: p.def.uuid });
const volRef = (p: TestPool, v: TestVolume): StorageVolRef => ({
  pool: p.def.name,
  name: v.def.name,
  key: v.def.key ?? '',
});

/** Storage pools and volumes of the test driver: sizes are bookkeeping, no file is written. */
export class TestStorage implements StorageDriver {
  constructor(private readonly state: TestState) {}

  private findPool(ref: StoragePoolRef): TestPool {
    const p = this.state.pools.find((x) => x.def.uuid === ref.uuid);
    if (!p) throw testError(ErrorCode.NO_STORAGE_POOL, `no storage pool with matching uuid '${ref.uuid}'`);
    return p;
  }
  private activePool(ref: StoragePoolRef): TestPool {
    const p = this.findPool(ref);
    if (!p.active) throw testError(ErrorCode.OPERATION_INVALID, `storage pool '${p.def.name}' is not active`);
    return p;
  }
  private emit(p: TestPool, event: number): void {
    this.state.emit({ kind: 'pool-lifecycle', pool: poolRef(p), event, detail: 0 });
  }

  /** The pool definition with its sizes filled in from its volumes, as the test driver reports them. */
  private withSizes(p: TestPool): StoragePoolDef {
    const allocation = p.volumes.reduce((sum, v) => sum + (v.def.allocation ?? 0), 0);
    const capacity = DEFAULT_POOL_CAPACITY;
    return { ...p.def, capacity, allocation, available: capacity - allocation };
  }

  async listPools(flags: number): Promise<StoragePoolRef[]> {
    return this.state.pools.filter((p) => objectMatchesListFlags(flags, p)).map(poolRef);
  }

  async lookupPool(by: StoragePoolLookup): Promise<StoragePoolRef> {
    let p: TestPool | undefined;
    let what: string;
    if ('volume' in by) {
      p = this.state.pools.find((x) => x.def.name === by.volume.pool);
      what = `name '${by.volume.pool}'`;
    } else if ('name' in by) {
      p = this.state.pools.find((x) => x.def.name === by.name);
      what = `name '${by.name}'`;
    } else {
      p = this.state.pools.find((x) => x.def.uuid === by.uuid);
      what = `uuid '${by.uuid}'`;
    }
    if (!p) throw testError(ErrorCode.NO_STORAGE_POOL, `no storage pool with matching ${what}`);
    return poolRef(p);
  }

  async getPoolXml(ref: StoragePoolRef, flags: number): Promise<StoragePoolDef> {
    checkFlags(flags, 0, 'testStoragePoolGetXMLDesc');
    const p = this.findPool(ref);
    if ((flags & 1) !== 0 && p.newDef) return p.newDef;
    return this.withSizes(p);
  }

  private existing(def: StoragePoolDef): TestPool | undefined {
    const sameUuid = this.state.pools.find((x) => x.def.uuid === def.uuid);
    if (sameUuid && sameUuid.def.name !== def.name) {
      throw new VirError({
        code: ErrorCode.OPERATION_FAILED,
        domain: ErrorDomain.STORAGE,
        detail: `pool '${sameUuid.def.name}' is already defined with uuid ${def.uuid}`,
      });
    }
    const sameName = this.state.pools.find((x) => x.def.name === def.name);
    if (sameName && sameName !== sameUuid) {
      throw new VirError({
        code: ErrorCode.OPERATION_FAILED,
        domain: ErrorDomain.STORAGE,
        detail: `pool '${def.name}' already exists with uuid ${sameName.def.uuid}`,
      });
    }
    return sameUuid;
  }

  async definePool(def: StoragePoolDef): Promise<StoragePoolRef> {
    const found = this.existing(def);
    if (found) {
      if (found.active) found.newDef = def;
      else found.def = def;
      found.persistent = true;
      this.emit(found, PoolEvent.DEFINED);
      return poolRef(found);
    }
    const p: TestPool = { def, active: false, persistent: true, autostart: false, volumes: [] };
    this.state.pools.push(p);
    this.emit(p, PoolEvent.DEFINED);
    return poolRef(p);
  }

  async createPool(def: StoragePoolDef): Promise<StoragePoolRef> {
    const found = this.existing(def);
    if (found?.active) throw testError(ErrorCode.OPERATION_INVALID, `storage pool '${def.name}' is already active`);
    const p: TestPool = found ?? { def, active: false, persistent: false, autostart: false, volumes: [] };
    if (!found) this.state.pools.push(p);
    p.active = true;
    this.emit(p, PoolEvent.STARTED);
    return poolRef(p);
  }

  async undefinePool(ref: StoragePoolRef): Promise<void> {
    const p = this.findPool(ref);
    if (p.active) throw testError(ErrorCode.OPERATION_INVALID, `storage pool '${p.def.name}' is active`);
    this.state.pools.splice(this.state.pools.indexOf(p), 1);
    this.emit(p, PoolEvent.UNDEFINED);
  }

  async buildPool(ref: StoragePoolRef, flags = 0): Promise<void> {
    checkFlags(flags, 0, 'testStoragePoolBuild');
    const p = this.findPool(ref);
    if (p.active) throw testError(ErrorCode.OPERATION_INVALID, `storage pool '${p.def.name}' is active`);
  }

  async startPool(ref: StoragePoolRef): Promise<void> {
    const p = this.findPool(ref);
    if (p.active) throw testError(ErrorCode.OPERATION_INVALID, `storage pool '${p.def.name}' is already active`);
    p.active = true;
    this.emit(p, PoolEvent.STARTED);
  }

  async destroyPool(ref: StoragePoolRef): Promise<void> {
    const p = this.activePool(ref);
    p.active = false;
    if (p.newDef) {
      p.def = p.newDef;
      p.newDef = undefined;
    }
    this.emit(p, PoolEvent.STOPPED);
    if (!p.persistent) this.state.pools.splice(this.state.pools.indexOf(p), 1);
  }

  async deletePool(ref: StoragePoolRef, flags = 0): Promise<void> {
    checkFlags(flags, 0, 'testStoragePoolDelete');
    const p = this.findPool(ref);
    if (p.active) throw testError(ErrorCode.OPERATION_INVALID, `storage pool '${p.def.name}' is active`);
    this.emit(p, PoolEvent.DELETED);
  }

  async refreshPool(ref: StoragePoolRef, flags = 0): Promise<void> {
    checkFlags(flags, 0, 'testStoragePoolRefresh');
    this.activePool(ref);
  }

  async getPoolInfo(ref: StoragePoolRef): Promise<StoragePoolInfo> {
    const p = this.findPool(ref);
    const sized = this.withSizes(p);
    return {
      state: p.active ? StoragePoolState.RUNNING : StoragePoolState.INACTIVE,
      capacity: sized.capacity ?? 0,
      allocation: sized.allocation ?? 0,
      available: sized.available ?? 0,
    };
  }
  async getPoolAutostart(ref: StoragePoolRef): Promise<boolean> {
    return this.findPool(ref).autostart;
  }
  async setPoolAutostart(ref: StoragePoolRef, autostart: boolean): Promise<void> {
    const p = this.findPool(ref);
    if (!p.persistent) throw testError(ErrorCode.INVALID_ARG, 'cannot set autostart for transient pool');
    p.autostart = autostart;
  }
  async isPoolActive(ref: StoragePoolRef): Promise<boolean> {
    return this.findPool(ref).active;
  }
  async isPoolPersistent(ref: StoragePoolRef): Promise<boolean> {
    return this.findPool(ref).persistent;
  }

  // ----- volumes -----

  async listVolumes(ref: StoragePoolRef): Promise<StorageVolRef[]> {
    const p = this.findPool(ref);
    if (!p.active) throw testError(ErrorCode.OPERATION_INVALID, 'storage pool is not active');
    return p.volumes.map((v) => volRef(p, v));
  }

  async lookupVolume(by: StorageVolLookup): Promise<StorageVolRef> {
    if ('pool' in by) {
      const p = this.activePool(by.pool);
      const v = p.volumes.find((x) => x.def.name === by.name);
      if (!v) throw testError(ErrorCode.NO_STORAGE_VOL, `no storage vol with matching name '${by.name}'`);
      return volRef(p, v);
    }
    const byKey = 'key' in by;
    const wanted = byKey ? by.key : by.path;
    for (const p of this.state.pools) {
      if (!p.active) continue;
      const v = p.volumes.find((x) => (byKey ? x.def.key : x.def.target?.path) === wanted);
      if (v) return volRef(p, v);
    }
    throw testError(ErrorCode.NO_STORAGE_VOL, `no storage vol with matching ${byKey ? 'key' : 'path'} '${wanted}'`);
  }

  private findVolume(ref: StorageVolRef): { pool: TestPool; vol: TestVolume } {
    const pool = this.state.pools.find((x) => x.def.name === ref.pool);
    const vol = pool?.volumes.find((x) => x.def.name === ref.name);
    if (!pool || !vol) throw testError(ErrorCode.NO_STORAGE_VOL, `no storage vol with matching name '${ref.name}'`);
    return { pool, vol };
  }

  async getVolumeXml(ref: StorageVolRef): Promise<StorageVolDef> {
    return this.findVolume(ref).vol.def;
  }
  async getVolumePath(ref: StorageVolRef): Promise<string> {
    return this.findVolume(ref).vol.def.target?.path ?? '';
  }
  async getVolumeInfo(ref: StorageVolRef): Promise<StorageVolInfo> {
    const { vol } = this.findVolume(ref);
    return { type: StorageVolType.FILE, capacity: vol.def.capacity ?? 0, allocation: vol.def.allocation ?? 0 };
  }

  /** A new volume lives at <pool target>/<name>; the test driver allocates it in full. */
  async createVolume(ref: StoragePoolRef, def: StorageVolDef): Promise<StorageVolRef> {
    const p = this.activePool(ref);
    if (p.volumes.some((v) => v.def.name === def.name)) {
      throw testError(ErrorCode.OPERATION_FAILED, 'storage vol already exists');
    }
    const sized = this.withSizes(p);
    const capacity = def.capacity ?? 0;
    if ((sized.available ?? 0) < capacity) {
      throw testError(ErrorCode.OPERATION_FAILED, `Not enough free space in pool for volume '${def.name}'`);
    }
    const path = `${p.def.target?.path ?? ''}/${def.name}`;
    const vol: TestVolume = {
      def: {
        ...def,
        type: def.type ?? 'file',
        key: path,
        capacity,
        allocation: capacity,
        target: { ...def.target, path, format: def.target?.format ?? 'raw' },
      },
    };
    p.volumes.push(vol);
    return volRef(p, vol);
  }

  async deleteVolume(ref: StorageVolRef): Promise<void> {
    const { pool, vol } = this.findVolume(ref);
    pool.volumes.splice(pool.volumes.indexOf(vol), 1);
  }
}

import type { StorageDriver } from '../contract/driver.js';
import type { StoragePoolInfo } from '../contract/info.js';
import type { StoragePoolRef } from '../contract/refs.js';
import { formatStoragePoolXml, parseStorageVolXml } from '../xml/storage/index.js';
import type { ConnectionContext } from './context.js';
import { assertNonEmpty, assertWritable, method } from './guards.js';
import { StorageVol } from './storage-vol.js';

/** A storage pool handle, as virStoragePoolPtr. */
export class StoragePool {
  constructor(
    private readonly ctx: ConnectionContext,
    readonly handle: StoragePoolRef,
  ) {}

  getName(): string {
    return this.handle.name;
  }
  getUUIDString(): string {
    return this.handle.uuid;
  }

  private op<K extends keyof StorageDriver>(name: K, api: string): NonNullable<StorageDriver[K]> {
    return method(this.ctx.driver.storage, name, api);
  }
  private write<K extends keyof StorageDriver>(name: K, api: string): NonNullable<StorageDriver[K]> {
    assertWritable(this.ctx.readOnly, api);
    return this.op(name, api);
  }

  async create(flags = 0): Promise<void> {
    return this.write('startPool', 'virStoragePoolCreate')(this.handle, flags);
  }
  async build(flags = 0): Promise<void> {
    return this.write('buildPool', 'virStoragePoolBuild')(this.handle, flags);
  }
  async destroy(): Promise<void> {
    return this.write('destroyPool', 'virStoragePoolDestroy')(this.handle);
  }
  async delete(flags = 0): Promise<void> {
    return this.write('deletePool', 'virStoragePoolDelete')(this.handle, flags);
  }
  async undefine(): Promise<void> {
    return this.write('undefinePool', 'virStoragePoolUndefine')(this.handle);
  }
  async refresh(flags = 0): Promise<void> {
    return this.write('refreshPool', 'virStoragePoolRefresh')(this.handle, flags);
  }
  async getInfo(): Promise<StoragePoolInfo> {
    return this.op('getPoolInfo', 'virStoragePoolGetInfo')(this.handle);
  }
  async getXmlDesc(flags = 0): Promise<string> {
    return formatStoragePoolXml(await this.op('getPoolXml', 'virStoragePoolGetXMLDesc')(this.handle, flags));
  }
  async getAutostart(): Promise<boolean> {
    return this.op('getPoolAutostart', 'virStoragePoolGetAutostart')(this.handle);
  }
  async setAutostart(autostart: boolean): Promise<void> {
    return this.write('setPoolAutostart', 'virStoragePoolSetAutostart')(this.handle, autostart);
  }
  async isActive(): Promise<boolean> {
    return this.op('isPoolActive', 'virStoragePoolIsActive')(this.handle);
  }
  async isPersistent(): Promise<boolean> {
    return this.op('isPoolPersistent', 'virStoragePoolIsPersistent')(this.handle);
  }

  async listAllVolumes(): Promise<StorageVol[]> {
    const refs = await this.op('listVolumes', 'virStoragePoolListAllVolumes')(this.handle);
    return refs.map((r) => new StorageVol(this.ctx, r));
  }
  async lookupVolumeByName(name: string): Promise<StorageVol> {
    assertNonEmpty(name, 'name', 'virStorageVolLookupByName');
    return new StorageVol(
      this.ctx,
      await this.op('lookupVolume', 'virStorageVolLookupByName')({ pool: this.handle, name }),
    );
  }
  async createVolumeXml(xml: string, flags = 0): Promise<StorageVol> {
    assertNonEmpty(xml, 'xmlDesc', 'virStorageVolCreateXML');
    const create = this.write('createVolume', 'virStorageVolCreateXML');
    const poolDef = await this.op('getPoolXml', 'virStorageVolCreateXML')(this.handle, 0);
    return new StorageVol(this.ctx, await create(this.handle, parseStorageVolXml(xml, poolDef), flags));
  }
}

import type { StorageDriver } from '../contract/driver.js';
import type { StorageVolInfo } from '../contract/info.js';
import type { StorageVolRef } from '../contract/refs.js';
import { formatStorageVolXml } from '../xml/storage/index.js';
import type { ConnectionContext } from './context.js';
import { assertWritable, method } from './guards.js';

/** A storage volume handle, as virStorageVolPtr. */
export class StorageVol {
  constructor(
    private readonly ctx: ConnectionContext,
    readonly handle: StorageVolRef,
  ) {}

  getName(): string {
    return this.handle.name;
  }
  getKey(): string {
    return this.handle.key;
  }
  getPoolName(): string {
    return this.handle.pool;
  }

  private op<K extends keyof StorageDriver>(name: K, api: string): NonNullable<StorageDriver[K]> {
    return method(this.ctx.driver.storage, name, api);
  }

  async getPath(): Promise<string> {
    return this.op('getVolumePath', 'virStorageVolGetPath')(this.handle);
  }
  async getInfo(): Promise<StorageVolInfo> {
    return this.op('getVolumeInfo', 'virStorageVolGetInfo')(this.handle);
  }
  async getXmlDesc(flags = 0): Promise<string> {
    return formatStorageVolXml(await this.op('getVolumeXml', 'virStorageVolGetXMLDesc')(this.handle, flags));
  }
  async delete(flags = 0): Promise<void> {
    assertWritable(this.ctx.readOnly, 'virStorageVolDelete');
    return this.op('deleteVolume', 'virStorageVolDelete')(this.handle, flags);
  }
}

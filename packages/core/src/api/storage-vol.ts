import type { StorageDriver, VolumeRange } from '../contract/driver.js';
import type { StorageVolInfo } from '../contract/info.js';
import type { StorageVolRef } from '../contract/refs.js';
import { holesAsZeros, type StreamChunk } from '../contract/stream-chunk.js';
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
  /**
   * virStorageVolUpload: write the bytes of `data` into the volume from `offset` (`length` 0:
   * as many as `data` yields). Resolves when all of them are written. With
   * StorageVolUploadFlags.SPARSE_STREAM, `data` may also yield holes (virStreamSendHole).
   */
  async upload(data: AsyncIterable<StreamChunk>, range: Partial<VolumeRange> = {}, flags = 0): Promise<void> {
    assertWritable(this.ctx.readOnly, 'virStorageVolUpload');
    const upload = this.op('uploadVolume', 'virStorageVolUpload');
    return upload(this.handle, data, { offset: range.offset ?? 0, length: range.length ?? 0 }, flags);
  }
  /**
   * virStorageVolDownload read with virStreamRecv: the volume's bytes from `offset` (`length` 0:
   * to its end). With StorageVolDownloadFlags.SPARSE_STREAM the holes the daemon sends read as zeros.
   */
  async download(range: Partial<VolumeRange> = {}, flags = 0): Promise<AsyncIterable<Uint8Array>> {
    return holesAsZeros(await this.downloadWithHoles(range, flags));
  }
  /**
   * virStorageVolDownload read with VIR_STREAM_RECV_STOP_AT_HOLE and virStreamRecvHole: data and,
   * with StorageVolDownloadFlags.SPARSE_STREAM, the volume's holes as holes.
   */
  async downloadWithHoles(range: Partial<VolumeRange> = {}, flags = 0): Promise<AsyncIterable<StreamChunk>> {
    // libvirt refuses downloads on read-only connections too: a volume may hold a guest's secrets.
    assertWritable(this.ctx.readOnly, 'virStorageVolDownload');
    const download = this.op('downloadVolume', 'virStorageVolDownload');
    return download(this.handle, { offset: range.offset ?? 0, length: range.length ?? 0 }, flags);
  }
}

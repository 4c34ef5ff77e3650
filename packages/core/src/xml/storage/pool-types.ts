/** Typed model of libvirt's storage pool XML (skeleton). Sizes in bytes. */
export interface StoragePoolDef {
  type: string;
  name: string;
  uuid: string;
  capacity?: number;
  allocation?: number;
  available?: number;
  target?: { path?: string };
}

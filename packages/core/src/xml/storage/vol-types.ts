/** Typed model of libvirt's storage volume XML (skeleton). Sizes in bytes. */
export interface StorageVolDef {
  type?: string;
  name: string;
  key?: string;
  capacity?: number;
  allocation?: number;
  target?: { path?: string; format?: string };
}

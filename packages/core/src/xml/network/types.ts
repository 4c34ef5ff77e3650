/** Typed model of libvirt's network XML (skeleton, filled in by the network XML modules). */
export interface NetworkDef {
  name: string;
  uuid: string;
  bridge?: { name?: string };
}

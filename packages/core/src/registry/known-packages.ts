/** Which npm package serves a URI scheme, for lazy discovery and the "install X" error. */
const SCHEME_PACKAGES: Readonly<Record<string, string>> = {
  test: '@tsvirt/driver-test',
  qemu: '@tsvirt/driver-qemu',
  lxc: '@tsvirt/driver-lxc',
  xen: '@tsvirt/driver-xen',
  esx: '@tsvirt/driver-esx',
  gsx: '@tsvirt/driver-esx',
  vpx: '@tsvirt/driver-esx',
  hyperv: '@tsvirt/driver-hyperv',
  vbox: '@tsvirt/driver-vbox',
  bhyve: '@tsvirt/driver-bhyve',
  network: '@tsvirt/network',
};

/** The package with libvirt's remote protocol client, which takes every `driver+transport` URI. */
export const REMOTE_PACKAGE = '@tsvirt/remote';

export function packageForScheme(driver: string): string | undefined {
  return SCHEME_PACKAGES[driver];
}

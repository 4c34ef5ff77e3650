import type { NodeInfo } from '@tsvirt/core';

/** The host the test driver pretends to be, unless a node file's <cpu>/<memory> says otherwise. */
export const DEFAULT_NODE_INFO: NodeInfo = {
  model: 'i686',
  memory: 3145728,
  cpus: 16,
  mhz: 1400,
  nodes: 2,
  sockets: 2,
  cores: 2,
  threads: 2,
};

/** The fixed SMBIOS document libvirt's test driver answers virConnectGetSysinfo with. */
export const TEST_SYSINFO = [
  "<sysinfo type='smbios'>",
  '  <bios>',
  "    <entry name='vendor'>LENOVO</entry>",
  "    <entry name='version'>G4ETA1WW (2.61 )</entry>",
  "    <entry name='date'>05/07/2014</entry>",
  "    <entry name='release'>2.61</entry>",
  '  </bios>',
  '</sysinfo>',
  '',
].join('\n');

/** The test driver's hypervisor version (virsh prints "Running hypervisor: TEST 0.0.2"). */
export const TEST_HV_VERSION = 2;
/** What virConnectGetMaxVcpus answers for the test driver. */
export const TEST_MAX_VCPUS = 32;
/** Capacity the test driver gives every storage pool, in bytes (100 GiB). */
export const DEFAULT_POOL_CAPACITY = 107374182400;
/** The guest architecture the test driver's capabilities offer (and give to <type> without arch=). */
export const TEST_DEFAULT_ARCH = 'i686';

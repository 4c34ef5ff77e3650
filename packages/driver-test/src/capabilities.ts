import type { NodeInfo } from '@tsvirt/core';

/**
 * The test driver's host capabilities, in libvirt's layout: the topology is derived from the
 * node's cells, sockets, cores and threads as libvirt's test driver lays it out (two cells of
 * eight CPUs for the default host). Only libvirt's built-in default host has NUMA cells in its
 * capabilities: for a node file it lists none, whatever the file's `<nodes>` says.
 */
export function testCapabilitiesXml(info: NodeInfo, withCells: boolean): string {
  const perCell = Math.max(1, Math.floor(info.cpus / Math.max(1, info.nodes)));
  const cells: string[] = [];
  for (let cell = 0; withCells && cell < info.nodes; cell++) {
    const cpus: string[] = [];
    for (let i = 0; i < perCell; i++) {
      const id = cell * perCell + i;
      cpus.push(`            <cpu id='${id}' socket_id='${cell}' die_id='0' core_id='${i}' siblings='${id}'/>`);
    }
    // libvirt's default test host gives cell 0 2 GiB in 4 KiB pages and cell 1 4 GiB in 8 KiB pages.
    const memory = cell === 0 ? 2097152 : 4194304;
    const pageSize = cell === 0 ? 4 : 8;
    cells.push(`        <cell id='${cell}'>
          <memory unit='KiB'>${memory}</memory>
          <pages unit='KiB' size='${pageSize}'>524288</pages>
          <pages unit='KiB' size='2048'>0</pages>
          <pages unit='KiB' size='1048576'>0</pages>
          <cpus num='${perCell}'>
${cpus.join('\n')}
          </cpus>
        </cell>`);
  }
  const guest = (osType: string) => `  <guest>
    <os_type>${osType}</os_type>
    <arch name='i686'>
      <wordsize>32</wordsize>
      <emulator>/usr/bin/test-hv</emulator>
      <domain type='test'/>
    </arch>
    <features>
      <pae/>
      <nonpae/>
    </features>
  </guest>
`;
  return `<capabilities>

  <host>
    <cpu>
      <arch>i686</arch>
      <features>
        <pae/>
        <nonpae/>
      </features>
      <pages unit='KiB' size='4'/>
      <pages unit='KiB' size='8'/>
      <pages unit='KiB' size='2048'/>
      <pages unit='KiB' size='1048576'/>
    </cpu>
    <power_management/>
    <iommu support='no'/>
    <topology>
      <cells num='${cells.length}'>
${cells.join('\n')}
      </cells>
    </topology>
    <secmodel>
      <model>testSecurity</model>
      <doi></doi>
    </secmodel>
  </host>

${guest('hvm')}
${guest('xen')}
</capabilities>
`;
}

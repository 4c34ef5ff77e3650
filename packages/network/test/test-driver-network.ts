/** What the comparisons with Debian's virsh on test:///default share. */
import { spawnSync } from 'node:child_process';

export const HAS_VIRSH = spawnSync('sh', ['-c', 'command -v virsh']).status === 0;

/** libvirt's test driver's "default" network, with its bridge and addresses. */
export const DEFAULT_XML = `<network>
  <name>default</name>
  <uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid>
  <forward mode='nat'/>
  <bridge name='virbr0' stp='on' delay='0'/>
  <ip address='192.168.122.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='192.168.122.2' end='192.168.122.254'/>
    </dhcp>
  </ip>
</network>`;

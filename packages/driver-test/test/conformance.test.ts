import { connect } from '@tsvirt/core';
import { runDriverConformance } from '@tsvirt/core/testing';
import { driver } from '../src/index.js';

runDriverConformance({
  name: 'test:///default',
  open: ({ readOnly }) => connect('test:///default', { readOnly, drivers: [driver] }),
  domainXml: (name) =>
    `<domain type='test'><name>${name}</name><memory>65536</memory><os><type>hvm</type></os></domain>`,
  checkpointDomainXml: (name) =>
    `<domain type='test'><name>${name}</name><memory>65536</memory><os><type>hvm</type></os><devices><disk type='file' device='disk'><source file='/guest/${name}.img'/><target dev='vda' bus='virtio'/></disk></devices></domain>`,
  networkXml: (name) => `<network><name>${name}</name><bridge name='tsv-${name.slice(-6)}'/></network>`,
  volumeXml: (name) => `<volume><name>${name}</name><capacity>1048576</capacity></volume>`,
  poolName: 'default-pool',
});

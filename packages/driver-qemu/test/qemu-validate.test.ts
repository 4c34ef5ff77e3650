/** The qemu driver's own refusals at XML parse time (qemu_validate.c's rules): exact errors. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode } from '@tsvirt/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA_ROOT } from '../../../tools/conformance/registry.js';
import { parseQemuCapsCache, parseQemuDomainXml } from '../src/index.js';

const dataRoot = process.env.TSVIRT_CONFORMANCE_DATA ?? DEFAULT_DATA_ROOT;
const capsFile = join(dataRoot, 'qemucapabilitiesdata', 'caps_10.0.0_x86_64.xml');
const present = existsSync(capsFile);

const guest = (devices: string, extra = '') =>
  `<domain type='qemu'><name>g</name><uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid><memory>219136</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os>${extra}<devices>${devices}</devices></domain>`;

describe.skipIf(!present)('qemu domain validation', () => {
  const caps = present ? parseQemuCapsCache(readFileSync(capsFile, 'utf8')) : undefined;
  const failure = (xml: string) => {
    try {
      parseQemuDomainXml(xml, caps!);
    } catch (e) {
      return e as { code: number; message: string };
    }
    throw new Error('expected the parse to fail');
  };

  const cases: Array<[string, string, number, string]> = [
    [
      'a SCSI LUN on virtio-blk',
      guest("<disk type='block' device='lun'><source dev='/dev/sdx'/><target dev='vda' bus='virtio'/></disk>"),
      ErrorCode.CONFIG_UNSUPPORTED,
      "unsupported configuration: This QEMU doesn't support SCSI emulation with 'virtio-blk' device",
    ],
    [
      'LUKS encryption on a vmdk image',
      guest(
        "<disk type='file'><driver name='qemu' type='vmdk'/><source file='/a'><encryption format='luks'><secret type='passphrase' uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/></encryption></source><target dev='vda' bus='virtio'/></disk>",
      ),
      ErrorCode.CONFIG_UNSUPPORTED,
      "unsupported configuration: encryption is supported only with 'raw' and 'qcow2' image format",
    ],
    [
      'a LUKS cipher on a domain disk',
      guest(
        "<disk type='file'><driver name='qemu' type='raw'/><source file='/a'/><target dev='vda' bus='virtio'/><encryption format='luks'><secret type='passphrase' uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/><cipher name='serpent' size='256' mode='cbc' hash='sha256'/></encryption></disk>",
      ),
      ErrorCode.CONFIG_UNSUPPORTED,
      'unsupported configuration: supplying <cipher> for domain disk definition is unnecessary',
    ],
    [
      'a TLS-protected tcp chardev',
      guest(
        "<serial type='tcp'><source mode='connect' host='127.0.0.1' service='9999'/><protocol type='tls'/></serial>",
      ),
      ErrorCode.CONFIG_UNSUPPORTED,
      "unsupported configuration: tcp chardev protocol 'tls' not supported",
    ],
    [
      'a pSeries serial on an x86 guest',
      guest("<serial type='pty'><target type='spapr-vio-serial'/></serial>"),
      ErrorCode.CONFIG_UNSUPPORTED,
      "unsupported configuration: Serial device with target type 'spapr-vio-serial' and target model 'spapr-vty' not compatible with guest architecture or machine type",
    ],
    [
      'two devices on one USB port',
      guest(
        "<controller type='usb' index='0'/><hub type='usb'><address type='usb' bus='0' port='1'/></hub><input type='mouse' bus='usb'><address type='usb' bus='0' port='1'/></input>",
      ),
      ErrorCode.XML_ERROR,
      'XML error: Duplicate USB address bus 0 port 1',
    ],
    [
      'a USB port behind a hub that is not there',
      guest(
        "<controller type='usb' index='0'/><input type='mouse' bus='usb'><address type='usb' bus='0' port='1.2.3'/></input>",
      ),
      ErrorCode.XML_ERROR,
      'XML error: there is no hub at port 1 in USB address bus: 0 port: 1.2.3',
    ],
    [
      'huge pages on a NUMA node the guest lacks',
      guest('', "<memoryBacking><hugepages><page size='2048' unit='KiB' nodeset='1'/></hugepages></memoryBacking>"),
      ErrorCode.XML_DETAIL,
      'hugepages: node 1 not found',
    ],
    [
      'memory hotplug without guest NUMA cells',
      guest('').replace('<vcpu>', "<maxMemory slots='4' unit='KiB'>1048576</maxMemory><vcpu>"),
      ErrorCode.CONFIG_UNSUPPORTED,
      'unsupported configuration: At least one numa node has to be configured when enabling memory hotplug',
    ],
    [
      'an expander bus on a NUMA node the guest lacks',
      guest(
        "<controller type='pci' index='1' model='pci-expander-bus'><target busNr='254'><node>1</node></target></controller>",
      ),
      ErrorCode.XML_ERROR,
      "XML error: pci-expander-bus with index 1 is configured for a NUMA node (1) not present in the domain's <cpu><numa> array (0)",
    ],
    [
      'a passt vhost-user interface without shared memory',
      guest(
        "<interface type='vhostuser'><mac address='52:54:00:00:00:01'/><source type='unix' path='/tmp/s' mode='client'/><model type='virtio'/><backend type='passt'/></interface>",
      ),
      ErrorCode.CONFIG_UNSUPPORTED,
      "unsupported configuration: 'interface' requires shared memory",
    ],
  ];

  for (const [what, xml, code, message] of cases) {
    it(`refuses ${what}`, () => {
      expect(failure(xml)).toMatchObject({ code, message });
    });
  }

  it('accepts a hub with a device behind it', () => {
    const xml = guest(
      "<controller type='usb' index='0'/><hub type='usb'><address type='usb' bus='0' port='1'/></hub><input type='mouse' bus='usb'><address type='usb' bus='0' port='1.2'/></input>",
    );
    expect(() => parseQemuDomainXml(xml, caps!)).not.toThrow();
  });
});

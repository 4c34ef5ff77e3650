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
    [
      'a pci-expander-bus behind a pci-bridge',
      guest(
        "<controller type='pci' index='0' model='pci-root'/><controller type='pci' index='1' model='pci-bridge'/><controller type='pci' index='2' model='pci-expander-bus'><address type='pci' bus='1' slot='1'/></controller>",
      ),
      ErrorCode.XML_ERROR,
      "XML error: The device at PCI address 0000:01:01.0 cannot be plugged into the PCI controller with index='1'. It requires a controller that accepts a pci-expander-bus.",
    ],
    [
      'a dmi-to-pci-bridge on a pcie-root-port',
      guest(
        "<controller type='pci' index='0' model='pcie-root'/><controller type='pci' index='1' model='pcie-root-port'/><controller type='pci' index='2' model='dmi-to-pci-bridge'><address type='pci' bus='1'/></controller>",
      ).replace("machine='pc'", "machine='q35'"),
      ErrorCode.XML_ERROR,
      "XML error: The device at PCI address 0000:01:00.0 cannot be plugged into the PCI controller with index='1'. It requires a controller that accepts a dmi-to-pci-bridge.",
    ],
    [
      'a virtio IOMMU off the root bus',
      guest(
        "<iommu model='virtio'><address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></iommu>",
        '<features><acpi/></features>',
      ).replace("machine='pc'", "machine='q35'"),
      ErrorCode.XML_ERROR,
      'XML error: The device at PCI address 0000:01:00.0 needs to be an integrated device (bus=0)',
    ],
    [
      'a configured slot below the first one the root bus offers',
      guest("<memballoon model='virtio'><address type='pci' domain='0' bus='0' slot='0' function='1'/></memballoon>"),
      ErrorCode.XML_ERROR,
      'XML error: Invalid PCI address 0000:00:00.1. slot must be >= 1',
    ],
    [
      'a pcie-expander-bus on an i440FX machine (before any slot is looked for)',
      guest("<controller type='pci' index='1' model='pcie-expander-bus'/>"),
      ErrorCode.CONFIG_UNSUPPORTED,
      'unsupported configuration: pcie-expander-bus controllers are not supported with this machine type',
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

  it("refuses an emulated TPM version the host's swtpm cannot create", () => {
    const xml = guest("<tpm model='tpm-tis'><backend type='emulator' version='1.2'/></tpm>");
    let err: unknown;
    try {
      parseQemuDomainXml(xml, caps!, { config: { swtpmTpmVersions: ['2.0'] } });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({
      code: ErrorCode.CONFIG_UNSUPPORTED,
      message: "unsupported configuration: TPM version '1.2' is not supported",
    });
    expect(() => parseQemuDomainXml(xml, caps!, { config: { swtpmTpmVersions: ['1.2', '2.0'] } })).not.toThrow();
  });
});

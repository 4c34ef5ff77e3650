/** libvirt's generic validation rules (domain_validate.c, numa_conf.c, chardev checks): exact errors. */
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/errors/codes.js';
import { formatDomainXml, parseDomainXml } from '../../../src/xml/domain/index.js';
import { itRejects, MINIMAL, withDevices } from './helpers.js';

const at = (inner: string) => MINIMAL.replace('</os>', `</os>${inner}`);
const twoCells = `<cpu><numa><cell id='0' cpus='0' memory='1024'/><cell id='1' cpus='1' memory='1024'/></numa></cpu>`;
const vcpus = (inner: string) => MINIMAL.replace('<os>', `<vcpu>4</vcpu><iothreads>1</iothreads>${inner}<os>`);
const mdev = (uuid: string, extra = '') =>
  `<hostdev mode='subsystem' type='mdev' model='vfio-pci'${extra}><source><address uuid='${uuid}'/></source></hostdev>`;
const UUID_A = '53764d0e-85a0-42b4-af5c-2046b460b1dc';

describe('generic domain validation rules', () => {
  const cases: Array<[string, string, number, string]> = [
    [
      'a unix chardev without a path',
      withDevices("<serial type='unix'><source mode='connect'/></serial>"),
      ErrorCode.INTERNAL_ERROR,
      'internal error: Missing source path attribute for char device',
    ],
    [
      'reconnect on a listening chardev',
      withDevices(
        "<serial type='unix'><source mode='bind' path='/tmp/s'><reconnect enabled='yes' timeout='1'/></source></serial>",
      ),
      ErrorCode.INTERNAL_ERROR,
      'internal error: chardev reconnect is possible only for connect mode',
    ],
    [
      'per-device boot order with <os><boot>',
      MINIMAL.replace('</os>', "<boot dev='hd'/></os>").replace(
        '</domain>',
        "<devices><disk type='file'><source file='/a'/><target dev='vda'/><boot order='1'/></disk></devices></domain>",
      ),
      ErrorCode.CONFIG_UNSUPPORTED,
      'unsupported configuration: per-device boot elements cannot be used together with os/boot elements',
    ],
    [
      'static numatune placement without a nodeset',
      at("<numatune><memory placement='static'/></numatune>"),
      ErrorCode.CONFIG_UNSUPPORTED,
      "unsupported configuration: nodeset for NUMA memory tuning must be set if 'placement' is 'static'",
    ],
    [
      'a numatune nodeset that selects nothing',
      at("<numatune><memory mode='strict' nodeset='0,^0'/></numatune>"),
      ErrorCode.CONFIG_UNSUPPORTED,
      "unsupported configuration: Invalid value of 'nodeset': 0,^0",
    ],
    [
      'memnodes with automatic placement',
      at(`<numatune><memory placement='auto'/><memnode cellid='0' nodeset='0'/></numatune>${twoCells}`),
      ErrorCode.CONFIG_UNSUPPORTED,
      'unsupported configuration: Per-node binding is not compatible with automatic NUMA placement.',
    ],
    [
      'a strict memnode under restrictive memory',
      at(
        `<numatune><memory mode='restrictive' nodeset='0'/><memnode cellid='1' mode='strict' nodeset='0'/></numatune>${twoCells}`,
      ),
      ErrorCode.XML_ERROR,
      "XML error: 'restrictive' mode is required in memnode element when mode is 'restrictive' in memory element",
    ],
    [
      'a restrictive memnode under interleaved memory',
      at(
        `<numatune><memory mode='interleave' nodeset='0'/><memnode cellid='0' mode='restrictive' nodeset='0'/></numatune>${twoCells}`,
      ),
      ErrorCode.XML_ERROR,
      "XML error: 'restrictive' mode is required in memory element when mode is 'restrictive' in memnode element",
    ],
    [
      'a memnode for a cell that does not exist',
      at(`<numatune><memnode cellid='2' nodeset='0'/></numatune>${twoCells}`),
      ErrorCode.XML_ERROR,
      "XML error: Argument 'cellid' in memnode element must correspond to existing guest's NUMA cell",
    ],
    [
      'a malformed BIOS date',
      at("<sysinfo type='smbios'><bios><entry name='date'>2010-01-01</entry></bios></sysinfo>"),
      ErrorCode.XML_DETAIL,
      "Invalid BIOS 'date' format",
    ],
    [
      'overlapping vcpusched',
      vcpus("<cputune><vcpusched vcpus='0-1' scheduler='batch'/><vcpusched vcpus='1-2' scheduler='batch'/></cputune>"),
      ErrorCode.XML_DETAIL,
      "'vcpusched' attributes 'vcpus' must not overlap",
    ],
    [
      'iothreadsched for an I/O thread that does not exist',
      vcpus("<cputune><iothreadsched iothreads='2' scheduler='batch'/></cputune>"),
      ErrorCode.CONFIG_UNSUPPORTED,
      "unsupported configuration: Cannot find 'iothread' : 2",
    ],
    [
      'an iothread on a virtio-serial controller',
      withDevices("<controller type='virtio-serial' index='0'><driver iothread='1'/></controller>"),
      ErrorCode.XML_ERROR,
      "XML error: 'iothread' attribute only supported for virtio scsi controllers",
    ],
    [
      'the same PCI host device twice (hex and decimal)',
      withDevices(
        "<hostdev mode='subsystem' type='pci'><source><address domain='0x0000' bus='0x06' slot='0x12' function='0x5'/></source></hostdev>" +
          "<hostdev mode='subsystem' type='pci'><source><address domain='0' bus='6' slot='18' function='5'/></source></hostdev>",
      ),
      ErrorCode.XML_ERROR,
      'XML error: Hostdev already exists in the domain configuration',
    ],
    [
      'the same mediated device twice',
      withDevices(mdev(UUID_A) + mdev(UUID_A.toUpperCase())),
      ErrorCode.XML_ERROR,
      'XML error: Hostdev already exists in the domain configuration',
    ],
    [
      'two vGPUs with ramfb',
      withDevices(mdev(UUID_A, " ramfb='on'") + mdev(UUID_A.replace('dc', 'dd'), " ramfb='on'")),
      ErrorCode.CONFIG_UNSUPPORTED,
      "unsupported configuration: Only one vgpu device can have 'ramfb' enabled",
    ],
    [
      'a mediated device without a uuid',
      withDevices(
        "<hostdev mode='subsystem' type='mdev' model='vfio-pci'><source><address bus='0x06' slot='0x12'/></source></hostdev>",
      ),
      ErrorCode.CONFIG_UNSUPPORTED,
      "unsupported configuration: Missing 'uuid' attribute for element <address>",
    ],
    [
      'a vfio-pci mediated device at a drive address',
      withDevices(mdev(UUID_A).replace('</hostdev>', "<address type='drive' controller='0' unit='0'/></hostdev>")),
      ErrorCode.XML_ERROR,
      "XML error: Unsupported address type 'drive' with mediated device model 'vfio-pci'",
    ],
    [
      'a shmem size that is not a power of two',
      withDevices("<shmem name='s'><model type='ivshmem-plain'/><size unit='K'>12345</size></shmem>"),
      ErrorCode.XML_ERROR,
      'XML error: shmem size must be a power of 2 and at least 1 MiB (1024 KiB)',
    ],
    [
      'a shmem smaller than 1 MiB',
      withDevices("<shmem name='s'><model type='ivshmem-plain'/><size unit='K'>512</size></shmem>"),
      ErrorCode.XML_ERROR,
      'XML error: shmem size must be a power of 2 and at least 1 MiB (1024 KiB)',
    ],
    [
      'tuning attributes on a virtio IOMMU',
      withDevices("<iommu model='virtio'><driver dma_translation='on'/></iommu>"),
      ErrorCode.XML_ERROR,
      "XML error: iommu model 'virtio' doesn't support additional attributes",
    ],
    [
      'a security model labelling the domain twice',
      at(
        "<seclabel type='static' model='selinux'><label>a</label></seclabel><seclabel type='static' model='selinux'><label>b</label></seclabel>",
      ),
      ErrorCode.XML_DETAIL,
      'seclabel for model selinux is already provided',
    ],
    [
      'a device label asking to relabel without a label',
      withDevices(
        "<disk type='block'><source dev='/dev/x'><seclabel model='selinux' relabel='yes'/></source><target dev='vda'/></disk>",
      ),
      ErrorCode.XML_ERROR,
      'XML error: Cannot specify relabel if label is missing. model=selinux',
    ],
    [
      'a USB port path five hubs deep',
      withDevices("<hub type='usb'><address type='usb' bus='0' port='1.1.1.1.1'/></hub>"),
      ErrorCode.INTERNAL_ERROR,
      "internal error: Cannot parse <address> 'port' attribute",
    ],
    [
      'a USB controller beside USB model none',
      withDevices("<controller type='usb' index='0' model='none'/><controller type='usb' index='0'/>"),
      ErrorCode.XML_DETAIL,
      "Can't add another USB controller: USB is disabled for this domain",
    ],
    [
      'a negative interface queue count',
      withDevices("<interface type='user'><driver name='vhost' queues='-5'/></interface>"),
      ErrorCode.XML_ERROR,
      "XML error: Invalid value for attribute 'queues' in element 'driver': '-5'. Expected non-negative integer value",
    ],
    [
      '<auth> both on the disk and in its source',
      withDevices(
        "<disk type='network'><auth username='u'><secret type='iscsi' usage='x'/></auth><source protocol='iscsi' name='iqn.x/1'><host name='h'/><auth username='u'><secret type='iscsi' usage='x'/></auth></source><target dev='vda'/></disk>",
      ),
      ErrorCode.CONFIG_UNSUPPORTED,
      'unsupported configuration: an <auth> definition already found for disk source',
    ],
    [
      '<encryption> both on the disk and in its source',
      withDevices(
        "<disk type='file'><source file='/a'><encryption format='luks'/></source><target dev='vda'/><encryption format='luks'/></disk>",
      ),
      ErrorCode.CONFIG_UNSUPPORTED,
      'unsupported configuration: an <encryption> definition already found for disk source',
    ],
    [
      'an iSCSI secret without a type',
      withDevices(
        "<disk type='network'><auth username='u'><secret usage='x'/></auth><source protocol='iscsi' name='iqn.x/1'><host name='h'/></source><target dev='vda'/></disk>",
      ),
      ErrorCode.CONFIG_UNSUPPORTED,
      "unsupported configuration: unknown secret type '<null>'",
    ],
    [
      'a ceph secret for iSCSI',
      withDevices(
        "<disk type='network'><auth username='u'><secret type='ceph' usage='x'/></auth><source protocol='iscsi' name='iqn.x/1'><host name='h'/></source><target dev='vda'/></disk>",
      ),
      ErrorCode.CONFIG_UNSUPPORTED,
      "unsupported configuration: invalid secret type 'ceph'",
    ],
    [
      'a disk name whose index overflows',
      withDevices("<disk type='file'><source file='/a'/><target dev='hdaxxxxxxxxxx' bus='virtio'/></disk>"),
      ErrorCode.XML_ERROR,
      "XML error: Unknown disk name 'hdaxxxxxxxxxx' and no address specified",
    ],
    [
      'huge pages on a NUMA node that does not exist',
      at(
        `<memoryBacking><hugepages><page size='2048' unit='KiB' nodeset='1,4'/></hugepages></memoryBacking>${twoCells}`,
      ),
      ErrorCode.XML_DETAIL,
      'hugepages: node 4 not found',
    ],
    [
      'two default huge page sizes (node 0 of a guest without cells is the whole guest)',
      at(
        "<memoryBacking><hugepages><page size='1048576' unit='KiB'/><page size='2048' unit='KiB' nodeset='0'/></hugepages></memoryBacking>",
      ),
      ErrorCode.XML_DETAIL,
      'two master hugepages detected: 2048 and 1048576',
    ],
    [
      'huge pages on nodes of a guest without cells',
      at("<memoryBacking><hugepages><page size='2048' unit='KiB' nodeset='0-1'/></hugepages></memoryBacking>"),
      ErrorCode.XML_DETAIL,
      'hugepages: node 0 not found',
    ],
    [
      'huge page sizes pinned to overlapping nodes',
      at(
        `<memoryBacking><hugepages><page size='2048' unit='KiB' nodeset='0'/><page size='1048576' unit='KiB' nodeset='0-1'/></hugepages></memoryBacking>${twoCells}`,
      ),
      ErrorCode.XML_DETAIL,
      'nodeset attribute of hugepages of sizes 1048576 and 2048 intersect',
    ],
    [
      'an s390 loadparm longer than eight characters',
      withDevices(
        "<disk type='file'><source file='/a'/><target dev='vda' bus='virtio'/><boot order='1' loadparm='loadparm1'/></disk>",
      ),
      ErrorCode.INTERNAL_ERROR,
      "internal error: loadparm value 'LOADPARM1' must be between 1 and 8 characters",
    ],
    [
      'an s390 loadparm with a character outside [a-zA-Z0-9. ]',
      withDevices(
        "<disk type='file'><source file='/a'/><target dev='vda' bus='virtio'/><boot order='1' loadparm='lp_1'/></disk>",
      ),
      ErrorCode.INTERNAL_ERROR,
      "internal error: invalid loadparm value 'LP_1', expecting chars in set of [a-zA-Z0-9.] and blank spaces",
    ],
    [
      'a SCSI disk whose name-derived address a SCSI host device holds',
      withDevices(
        "<disk type='block'><source dev='/dev/sdz'/><target dev='sda' bus='scsi'/></disk><hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host2'/><address bus='0' target='0' unit='1'/></source><address type='drive' controller='0' bus='0' target='0' unit='0'/></hostdev>",
      ),
      ErrorCode.CONFIG_UNSUPPORTED,
      "unsupported configuration: using disk target name 'sda' conflicts with SCSI host device address controller='0' bus='0' target='0' unit='0",
    ],
    [
      'a virtio-mem device whose range covers the base of another',
      at(`<maxMemory slots='16' unit='KiB'>16777216</maxMemory>${twoCells}`).replace(
        '</domain>',
        "<devices><memory model='virtio-mem'><target><size unit='KiB'>1048576</size><node>0</node><block unit='KiB'>2048</block><requested unit='KiB'>0</requested><address base='0x140000000'/></target></memory><memory model='virtio-mem'><target><size unit='KiB'>2097152</size><node>0</node><block unit='KiB'>2048</block><requested unit='KiB'>0</requested><address base='0x170000000'/></target></memory></devices></domain>",
      ),
      ErrorCode.CONFIG_UNSUPPORTED,
      'unsupported configuration: memory device address [0x140000000:0x180000000] overlaps with other memory device (0x170000000)',
    ],
    [
      'automatic firmware with enrolled keys but without Secure Boot',
      MINIMAL.replace('<os>', "<os firmware='efi'>").replace(
        '</os>',
        "<firmware><feature enabled='yes' name='enrolled-keys'/><feature enabled='no' name='secure-boot'/></firmware></os>",
      ),
      ErrorCode.XML_DETAIL,
      "firmware feature 'enrolled-keys' cannot be enabled when firmware feature 'secure-boot' is disabled",
    ],
    [
      'a memory device on a NUMA node that does not exist',
      at(twoCells).replace(
        '</domain>',
        "<devices><memory model='dimm'><target><size unit='KiB'>524288</size><node>2</node></target></memory></devices></domain>",
      ),
      ErrorCode.XML_DETAIL,
      "can't add memory backend for guest node '2' as the guest has only '2' NUMA nodes configured",
    ],
    [
      'a portForward on a slirp interface',
      withDevices(
        "<interface type='user'><portForward proto='tcp'><range start='22' to='2022'/></portForward></interface>",
      ),
      ErrorCode.CONFIG_UNSUPPORTED,
      "unsupported configuration: The <portForward> element can only be used with the 'passt' backend of interface type='user' or type='vhostuser'",
    ],
  ];

  itRejects(cases);

  it('accepts what those rules allow', () => {
    const ok = [
      withDevices("<shmem name='s'><model type='ivshmem-plain'/><size unit='M'>4</size></shmem>"),
      withDevices("<iommu model='intel'><driver intremap='on'/></iommu>"),
      withDevices(mdev(UUID_A) + mdev(UUID_A.replace('dc', 'dd'))),
      at(
        `<numatune><memory mode='restrictive' nodeset='0'/><memnode cellid='0' mode='restrictive' nodeset='0'/></numatune>${twoCells}`,
      ),
      vcpus("<cputune><iothreadsched iothreads='1' scheduler='batch'/></cputune>"),
      at("<cputune><vcpusched vcpus='0' scheduler='batch'/></cputune>").replace('<os>', '<vcpu>2</vcpu><os>'),
      withDevices("<hub type='usb'><address type='usb' bus='0' port='1.1.1.1'/></hub>"),
      withDevices("<disk type='file'><source file='/a'/><target dev='vdzzzzzz' bus='virtio'/></disk>"),
    ];
    for (const xml of ok) expect(() => parseDomainXml(xml)).not.toThrow();
  });

  it('keeps the port forwarding rules of a passt interface', () => {
    const rule =
      "<portForward proto='udp' address='1.2.3.4' dev='eth0'><range start='5000' end='5020' to='6000'/></portForward>";
    const def = parseDomainXml(withDevices(`<interface type='user'>${rule}<backend type='passt'/></interface>`));
    const out = formatDomainXml(def);
    expect(out).toContain("<portForward proto='udp' address='1.2.3.4' dev='eth0'>");
    expect(out).toContain("<range start='5000' end='5020' to='6000'/>");
    expect(out.indexOf('<portForward')).toBeLessThan(out.indexOf('<backend'));
  });

  it('keeps sound streams, multichannel and virtio driver options; virtio gets 2 streams', () => {
    const def = parseDomainXml(
      withDevices(
        "<sound model='virtio'><driver iommu='on' packed='on'/></sound><sound model='usb' multichannel='yes'/>",
      ),
    );
    const out = formatDomainXml(def);
    expect(out).toContain("<sound model='virtio' streams='2'>");
    expect(out).toContain("<driver iommu='on' packed='on'/>");
    expect(out).toContain("<sound model='usb' multichannel='yes'/>");
  });

  it('keeps the rdp username and a virtio video blob setting', () => {
    const def = parseDomainXml(
      withDevices(
        "<graphics type='rdp' autoport='yes' username='user' passwd='pass'/><video><model type='virtio' heads='1' primary='yes' blob='on'/></video>",
      ),
    );
    const out = formatDomainXml(def, { secure: true });
    expect(out).toContain("username='user' passwd='pass'");
    expect(out).toContain("<model type='virtio' heads='1' primary='yes' blob='on'/>");
  });

  it('writes a USB redirection filter as libvirt does (no -1, BCD minor versions)', () => {
    const def = parseDomainXml(
      withDevices(
        "<redirfilter><usbdev class='0x08' vendor='0x15E1' product='0x2007' version='9.4' allow='yes'/><usbdev class='-1' vendor='-1' product='-1' version='-1' allow='no'/></redirfilter>",
      ),
    );
    const out = formatDomainXml(def);
    expect(out).toContain("<usbdev class='0x08' vendor='0x15E1' product='0x2007' version='9.40' allow='yes'/>");
    expect(out).toContain("<usbdev allow='no'/>");
  });
});

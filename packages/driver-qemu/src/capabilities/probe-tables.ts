/**
 * Which reply of which QMP command turns on which capability flag. The facts follow libvirt's
 * probe (src/qemu/qemu_capabilities.c); each table names the command it reads.
 */

/** Commands whose presence in query-qmp-schema is the capability. */
export const COMMAND_FLAGS: ReadonlyArray<readonly [command: string, flag: string]> = [
  ['query-vnc', 'vnc'],
  ['rtc-reset-reinjection', 'rtc-reset-reinjection'],
  ['query-cpu-model-expansion', 'query-cpu-model-expansion'],
  ['query-cpu-definitions', 'query-cpu-definitions'],
  ['query-cpu-model-baseline', 'query-cpu-model-baseline'],
  ['query-cpu-model-comparison', 'query-cpu-model-comparison'],
  ['block-export-add', 'block-export-add'],
  ['blockdev-reopen', 'blockdev-reopen'],
  ['set-action', 'set-action'],
  ['query-dirty-rate', 'query-dirty-rate'],
  ['sev-inject-launch-secret', 'sev-inject-launch-secret'],
  ['calc-dirty-rate', 'calc-dirty-rate'],
  ['query-stats', 'query-stats'],
  ['query-stats-schemas', 'query-stats-schemas'],
  ['display-reload', 'display-reload'],
  ['blockdev-set-active', 'blockdev-set-active'],
];

/** Paths into query-qmp-schema (see QapiSchema for the syntax). */
export const SCHEMA_FLAGS: ReadonlyArray<readonly [path: string, flag: string]> = [
  ['blockdev-add/arg-type/+vxhs', 'vxhs'],
  ['blockdev-add/arg-type/+file/drop-cache', 'migration-file-drop-cache'],
  ['blockdev-add/arg-type/+nvme', 'drive-nvme'],
  ['blockdev-add/arg-type/+file/aio/^io_uring', 'aio.io_uring'],
  ['blockdev-add/arg-type/+rbd/encrypt', 'rbd-encryption'],
  ['blockdev-add/arg-type/+rbd/encrypt/parent', 'rbd-encryption-layering'],
  ['blockdev-add/arg-type/+rbd/encrypt/format/^luks-any', 'rbd-encryption-luks-any'],
  ['blockdev-add/arg-type/+nbd/tls-hostname', 'blockdev.nbd.tls-hostname'],
  ['blockdev-add/arg-type/+qcow2/discard-no-unref', 'qcow2-discard-no-unref'],
  ['blockdev-add/arg-type/+virtio-blk-vhost-vdpa/$fdset', 'virtio-blk-vhost-vdpa'],
  ['blockdev-snapshot/$allow-write-only-overlay', 'blockdev-snapshot.allow-write-only-overlay'],
  ['block-stream/arg-type/backing-mask-protocol', 'blockjob.backing-mask-protocol'],
  ['chardev-add/arg-type/backend/+socket/data/reconnect', 'chardev-reconnect'],
  ['chardev-add/arg-type/backend/+socket/data/reconnect-ms', 'chardev-reconnect-miliseconds'],
  ['device_add/$json-cli-hotplug', 'device.json+hotplug'],
  ['migrate-set-parameters/arg-type/block-bitmap-mapping/bitmaps/transform', 'migration-param.block-bitmap-mapping'],
  ['migrate-incoming/arg-type/exit-on-error', 'migrate-incoming.exit-on-error'],
  ['nbd-server-start/arg-type/tls-creds', 'nbd-tls'],
  ['nbd-server-add/arg-type/bitmap', 'nbd-bitmap'],
  ['netdev_add/arg-type/+stream', 'netdev.stream'],
  ['netdev_add/arg-type/+stream/reconnect', 'netdev.stream.reconnect'],
  ['netdev_add/arg-type/+stream/reconnect-ms', 'netdev-stream-reconnect-miliseconds'],
  ['netdev_add/arg-type/+vhost-vdpa', 'netdev.vhost-vdpa'],
  ['netdev_add/arg-type/+user', 'netdev.user'],
  // -netdev took JSON from the release that added the 'dgram' backend.
  ['netdev_add/arg-type/type/^dgram', 'netdev.json'],
  ['object-add/arg-type/qom-type/^secret', 'object.qapified'],
  ['query-display-options/ret-type/+egl-headless/rendernode', 'egl-headless.rendernode'],
  ['query-display-options/ret-type/+sdl', 'sdl'],
  ['query-display-options/ret-type/+egl-headless', 'egl-headless'],
  ['query-hotpluggable-cpus/ret-type/props/die-id', 'smp-dies'],
  ['query-hotpluggable-cpus/ret-type/props/cluster-id', 'smp-clusters'],
  ['query-named-block-nodes/arg-type/flat', 'query-named-block-nodes.flat'],
  ['screendump/arg-type/device', 'screendump_device'],
  ['set-numa-node/arg-type/+hmat-lb', 'numa.hmat'],
  ['object-add/arg-type/+sev-guest/kernel-hashes', 'sev-guest-kernel-hashes'],
  ['calc-dirty-rate/arg-type/mode', 'dirtyrate-param.mode'],
  ['chardev-add/arg-type/backend/+qemu-vdagent', 'chardev.qemu-vdagent'],
  ['query-display-options/ret-type/+dbus', 'display-dbus'],
  ['object-add/arg-type/+iothread/thread-pool-max', 'iothread.thread-pool-max'],
  ['query-migrate/ret-type/blocked-reasons', 'migration.blocked-reasons'],
  ['screendump/arg-type/format/^png', 'screenshot-format-png'],
];

/** QOM type names in qom-list-types whose presence is the capability. */
export const OBJECT_TYPE_FLAGS: ReadonlyArray<readonly [type: string, flag: string]> = [
  ['hda-duplex', 'hda-duplex'],
  ['hda-micro', 'hda-micro'],
  ['ccid-card-emulated', 'ccid-emulated'],
  ['ccid-card-passthru', 'ccid-passthru'],
  ['piix3-usb-uhci', 'piix3-usb-uhci'],
  ['piix4-usb-uhci', 'piix4-usb-uhci'],
  ['usb-ehci', 'usb-ehci'],
  ['ich9-usb-ehci1', 'ich9-usb-ehci1'],
  ['vt82c686b-usb-uhci', 'vt82c686b-usb-uhci'],
  ['pci-ohci', 'pci-ohci'],
  ['nec-usb-xhci', 'nec-usb-xhci'],
  ['usb-redir', 'usb-redir'],
  ['usb-hub', 'usb-hub'],
  ['ich9-ahci', 'ich9-ahci'],
  ['virtio-blk-ccw', 'virtio-ccw'],
  ['sclpconsole', 's390-sclp'],
  ['lsi53c895a', 'lsi'],
  ['virtio-scsi-pci', 'virtio-scsi-pci'],
  ['virtio-scsi-ccw', 'virtio-scsi-pci'],
  ['virtio-scsi-device', 'virtio-scsi-pci'],
  ['megasas', 'megasas'],
  ['qxl', 'qxl'],
  ['scsi-block', 'scsi-block'],
  ['VGA', 'VGA'],
  ['cirrus-vga', 'cirrus-vga'],
  ['vmware-svga', 'vmware-svga'],
  ['usb-serial', 'usb-serial'],
  ['virtio-rng-pci', 'virtio-rng'],
  ['virtio-rng-ccw', 'virtio-rng'],
  ['virtio-rng-device', 'virtio-rng'],
  ['rng-random', 'rng-random'],
  ['rng-egd', 'rng-egd'],
  ['spapr-nvram', 'nvram'],
  ['pci-bridge', 'pci-bridge'],
  ['vfio-pci', 'vfio-pci'],
  ['i82801b11-bridge', 'dmi-to-pci-bridge'],
  ['usb-storage', 'usb-storage'],
  ['virtio-mmio', 'virtio-mmio'],
  ['ich9-intel-hda', 'ich9-intel-hda'],
  ['pvpanic', 'pvpanic'],
  ['usb-kbd', 'usb-kbd'],
  ['usb-audio', 'usb-audio'],
  ['pc-dimm', 'pc-dimm'],
  ['pci-serial', 'pci-serial'],
  ['gpex-pcihost', 'gpex-pcihost'],
  ['ioh3420', 'ioh3420'],
  ['x3130-upstream', 'x3130-upstream'],
  ['xio3130-downstream', 'xio3130-downstream'],
  ['rtl8139', 'rtl8139'],
  ['e1000', 'e1000'],
  ['virtio-net-pci', 'virtio-net'],
  ['virtio-net-ccw', 'virtio-net'],
  ['virtio-net-device', 'virtio-net'],
  ['virtio-gpu-pci', 'virtio-gpu'],
  ['virtio-gpu-device', 'virtio-gpu'],
  ['virtio-vga', 'virtio-vga'],
  ['virtio-keyboard-device', 'virtio-keyboard'],
  ['virtio-keyboard-pci', 'virtio-keyboard'],
  ['virtio-mouse-device', 'virtio-mouse'],
  ['virtio-mouse-pci', 'virtio-mouse'],
  ['virtio-tablet-device', 'virtio-tablet'],
  ['virtio-tablet-pci', 'virtio-tablet'],
  ['virtio-input-host-device', 'virtio-input-host'],
  ['virtio-input-host-pci', 'virtio-input-host'],
  ['mptsas1068', 'mptsas1068'],
  ['pxb', 'pxb'],
  ['pxb-pcie', 'pxb-pcie'],
  ['intel-iommu', 'intel-iommu'],
  ['ivshmem-plain', 'ivshmem-plain'],
  ['ivshmem-doorbell', 'ivshmem-doorbell'],
  ['vhost-scsi', 'vhost-scsi'],
  ['nvdimm', 'nvdimm'],
  ['pcie-root-port', 'pcie-root-port'],
  ['qemu-xhci', 'qemu-xhci'],
  ['spapr-pci-host-bridge', 'spapr-pci-host-bridge'],
  ['vmcoreinfo', 'vmcoreinfo'],
  ['spapr-vty', 'spapr-vty'],
  ['sclplmconsole', 'sclplmconsole'],
  ['isa-serial', 'isa-serial'],
  ['pl011', 'pl011'],
  ['virtio-gpu-ccw', 'virtio-gpu-ccw'],
  ['virtio-keyboard-ccw', 'virtio-keyboard-ccw'],
  ['virtio-mouse-ccw', 'virtio-mouse-ccw'],
  ['virtio-tablet-ccw', 'virtio-tablet-ccw'],
  ['pcie-pci-bridge', 'pcie-pci-bridge'],
  ['pr-manager-helper', 'pr-manager-helper'],
  ['vfio-ccw', 'vfio-ccw'],
  ['hda-output', 'hda-output'],
  ['vmgenid', 'vmgenid'],
  ['vhost-vsock-device', 'vhost-vsock'],
  ['mch', 'mch'],
  ['sev-guest', 'sev-guest'],
  ['vfio-ap', 'vfio-ap'],
  ['zpci', 'zpci'],
  ['memory-backend-memfd', 'memory-backend-memfd'],
  ...['blk', 'net', 'rng', 'balloon', 'scsi', 'serial', '9p'].flatMap((dev) => [
    [`virtio-${dev}-pci-transitional`, 'virtio-pci-non-transitional'] as const,
    [`virtio-${dev}-pci-non-transitional`, 'virtio-pci-non-transitional'] as const,
  ]),
  ['vhost-scsi-pci-transitional', 'virtio-pci-non-transitional'],
  ['vhost-scsi-pci-non-transitional', 'virtio-pci-non-transitional'],
  ['vhost-vsock-pci-transitional', 'virtio-pci-non-transitional'],
  ['vhost-vsock-pci-non-transitional', 'virtio-pci-non-transitional'],
  ['max-x86_64-cpu', 'x86-max-cpu'],
  ['bochs-display', 'bochs-display'],
  ['dbus-vmstate', 'dbus-vmstate'],
  ['vhost-user-gpu', 'vhost-user-gpu'],
  ['vhost-user-vga', 'vhost-user-vga'],
  ['ramfb', 'ramfb'],
  ['max-arm-cpu', 'arm-max-cpu'],
  ['i8042', 'i8042'],
  ['rng-builtin', 'rng-builtin'],
  ['tpm-spapr', 'tpm-spapr'],
  ['vhost-user-fs-device', 'vhost-user-fs'],
  ['tcg-accel', 'tcg'],
  ['pvscsi', 'pvscsi'],
  ['spapr-tpm-proxy', 'spapr-tpm-proxy'],
  ['vmport', 'machine-vmport-opt'],
  // 'esp' is left out on purpose: it exists wherever dc390/am53c974 are built, but is only
  // usable built into a machine, so ncr53c90 is set per architecture instead.
  ['dc390', 'dc390'],
  ['am53c974', 'am53c974'],
  ['virtio-pmem-pci', 'virtio-pmem-pci'],
  ['vhost-user-blk', 'vhost-user-blk'],
  ['input-linux', 'input-linux'],
  ['virtio-gpu-gl-pci', 'virtio-gpu-gl-pci'],
  ['virtio-vga-gl', 'virtio-vga-gl'],
  ['s390-pv-guest', 's390-pv-guest'],
  ['virtio-mem-pci', 'virtio-mem-pci'],
  ['virtio-iommu-pci', 'virtio-iommu-pci'],
  ['sgx-epc', 'sgx-epc'],
  ['thread-context', 'thread-context'],
  ['virtio-crypto-pci', 'virtio-crypto'],
  ['virtio-crypto-device', 'virtio-crypto'],
  ['cryptodev-backend-lkcf', 'cryptodev-backend-lkcf'],
  ['pvpanic-pci', 'pvpanic-pci'],
  ['usb-mtp', 'usb-mtp'],
  ['virtio-sound-pci', 'virtio-sound'],
  ['virtio-sound-device', 'virtio-sound'],
  ['acpi-erst', 'acpi-erst'],
];

export interface DevicePropFlag {
  readonly prop: string;
  readonly flag: string;
  /** Extra flag set when the property's default value is false. */
  readonly flagIfDefaultFalse?: string;
}

/**
 * device-list-properties per device: which property sets which flag. A device is queried only
 * when its condition flag is already set (or it has none); DeviceNotFound counts as "no props".
 */
export const DEVICE_PROPS: ReadonlyArray<{
  readonly device: string;
  readonly condition?: string;
  readonly props: readonly DevicePropFlag[];
}> = (() => {
  const virtioBlk: DevicePropFlag[] = [
    { prop: 'scsi', flag: 'virtio-blk-pci.scsi', flagIfDefaultFalse: 'virtio-blk-pci.scsi.default.disabled' },
    { prop: 'queue-size', flag: 'virtio-blk.queue-size' },
    { prop: 'acpi-index', flag: 'acpi-index' },
    { prop: 'iothread-vq-mapping', flag: 'virtio-blk.iothread-mapping' },
  ];
  const virtioNet = [
    { prop: 'acpi-index', flag: 'acpi-index' },
    { prop: 'rss', flag: 'virtio-net.rss' },
  ];
  const virtioScsi = [
    { prop: 'acpi-index', flag: 'acpi-index' },
    { prop: 'iothread-vq-mapping', flag: 'virtio-scsi.iothread-mapping' },
  ];
  const virtioGpu = [
    { prop: 'virgl', flag: 'virtio-gpu.virgl' },
    { prop: 'acpi-index', flag: 'acpi-index' },
    { prop: 'blob', flag: 'virtio-gpu.blob' },
  ];
  const balloon = [
    { prop: 'deflate-on-oom', flag: 'virtio-balloon-pci.deflate-on-oom' },
    { prop: 'free-page-reporting', flag: 'virtio-balloon.free-page-reporting' },
    { prop: 'acpi-index', flag: 'acpi-index' },
  ];
  return [
    { device: 'virtio-blk-pci', props: virtioBlk },
    { device: 'virtio-net-pci', condition: 'virtio-net', props: virtioNet },
    { device: 'virtio-scsi-pci', condition: 'virtio-scsi-pci', props: virtioScsi },
    { device: 'virtio-blk-ccw', condition: 'virtio-ccw', props: virtioBlk },
    { device: 'virtio-net-ccw', condition: 'virtio-net', props: virtioNet },
    { device: 'virtio-scsi-ccw', condition: 'virtio-scsi-pci', props: virtioScsi },
    { device: 'vfio-pci', condition: 'vfio-pci', props: [] },
    {
      device: 'scsi-hd',
      props: [
        { prop: 'channel', flag: 'scsi-disk.channel' },
        { prop: 'rotation_rate', flag: 'rotation-rate' },
      ],
    },
    { device: 'ide-hd', props: [] },
    { device: 'PIIX4_PM', props: [{ prop: 'acpi-root-pci-hotplug', flag: 'piix4.acpi-root-pci-hotplug' }] },
    { device: 'usb-redir', condition: 'usb-redir', props: [{ prop: 'filter', flag: 'usb-redir.filter' }] },
    { device: 'usb-storage', condition: 'usb-storage', props: [] },
    { device: 'kvm-pit', props: [{ prop: 'lost_tick_policy', flag: 'kvm-pit-lost-tick-policy' }] },
    { device: 'VGA', condition: 'VGA', props: [{ prop: 'vgamem_mb', flag: 'VGA.vgamem_mb' }] },
    {
      device: 'vmware-svga',
      condition: 'vmware-svga',
      props: [{ prop: 'vgamem_mb', flag: 'vmware-svga.vgamem_mb' }],
    },
    {
      device: 'qxl',
      condition: 'qxl',
      props: [
        { prop: 'vgamem_mb', flag: 'qxl.vgamem_mb' },
        { prop: 'vram64_size_mb', flag: 'qxl.vram64_size_mb' },
      ],
    },
    { device: 'virtio-gpu-pci', condition: 'virtio-gpu', props: virtioGpu },
    { device: 'virtio-gpu-device', condition: 'virtio-gpu', props: virtioGpu },
    { device: 'ICH9-LPC', props: [] },
    { device: 'virtio-balloon-pci', props: balloon },
    { device: 'virtio-balloon-ccw', props: balloon },
    { device: 'virtio-balloon-device', props: balloon },
    {
      device: 'intel-iommu',
      condition: 'intel-iommu',
      props: [
        { prop: 'intremap', flag: 'intel-iommu.intremap' },
        { prop: 'caching-mode', flag: 'intel-iommu.caching-mode' },
        { prop: 'eim', flag: 'intel-iommu.eim' },
        { prop: 'device-iotlb', flag: 'intel-iommu.device-iotlb' },
        { prop: 'aw-bits', flag: 'intel-iommu.aw-bits' },
        { prop: 'dma-translation', flag: 'intel-iommu.dma-translation' },
      ],
    },
    {
      device: 'spapr-pci-host-bridge',
      condition: 'spapr-pci-host-bridge',
      props: [{ prop: 'numa_node', flag: 'spapr-pci-host-bridge.numa_node' }],
    },
    { device: 'virtio-gpu-ccw', condition: 'virtio-gpu-ccw', props: virtioGpu },
    { device: 'mch', condition: 'mch', props: [{ prop: 'extended-tseg-mbytes', flag: 'mch.extended-tseg-mbytes' }] },
    { device: 'nvdimm', condition: 'nvdimm', props: [{ prop: 'unarmed', flag: 'nvdimm.unarmed' }] },
    {
      device: 'pcie-root-port',
      condition: 'pcie-root-port',
      props: [{ prop: 'hotplug', flag: 'pcie-root-port.hotplug' }],
    },
    {
      device: 'usb-host',
      props: [
        { prop: 'hostdevice', flag: 'usb-host.hostdevice' },
        { prop: 'guest-resets-all', flag: 'usb-host.guest-resets-all' },
      ],
    },
    {
      device: 'vhost-user-fs-device',
      condition: 'vhost-user-fs',
      props: [{ prop: 'bootindex', flag: 'vhost-user-fs.bootindex' }],
    },
    {
      device: 'virtio-mem-pci',
      condition: 'virtio-mem-pci',
      props: [
        { prop: 'prealloc', flag: 'virtio-mem-pci.prealloc' },
        { prop: 'dynamic-memslots', flag: 'virtio-mem-pci.dynamic-memslots' },
      ],
    },
    {
      device: 'virtio-iommu-pci',
      condition: 'virtio-iommu-pci',
      props: [{ prop: 'boot-bypass', flag: 'virtio-iommu.boot-bypass' }],
    },
  ];
})();

/** qom-list-properties per object type. */
export const OBJECT_PROPS: ReadonlyArray<{
  readonly type: string;
  readonly condition?: string;
  readonly props: ReadonlyArray<readonly [prop: string, flag: string]>;
}> = [
  {
    type: 'memory-backend-file',
    props: [
      ['pmem', 'memory-backend-file.pmem'],
      // Stable despite the x- prefix, which QEMU kept for compatibility.
      ['x-use-canonical-path-for-ramblock-id', 'memory-backend-file.x-use-canonical-path-for-ramblock-id'],
      ['reserve', 'memory-backend-file.reserve'],
      ['prealloc-threads', 'memory-backend-file.prealloc-threads'],
    ],
  },
  {
    type: 'memory-backend-memfd',
    condition: 'memory-backend-memfd',
    props: [['hugetlb', 'memory-backend-memfd.hugetlb']],
  },
  ...['max-x86_64-cpu', 'max-arm-cpu'].map((type) => ({
    type,
    condition: type === 'max-x86_64-cpu' ? 'x86-max-cpu' : 'arm-max-cpu',
    props: [
      ['unavailable-features', 'cpu-unavailable-features'],
      ['kvm-no-adjvtime', 'cpu.kvm-no-adjvtime'],
      ['migratable', 'cpu.migratable'],
    ] as const,
  })),
];

/**
 * Machine properties, read with qom-list-properties on "<machine>-machine". A concrete machine
 * is asked only when the binary has it; 'none' always; an abstract base only on its architectures.
 */
export const MACHINE_PROPS: ReadonlyArray<{
  readonly machine: string;
  readonly abstractFor?: readonly string[];
  readonly props: ReadonlyArray<readonly [prop: string, flag: string]>;
}> = [
  { machine: 'pseries', props: [] },
  { machine: 'virt', props: [['iommu', 'machine.virt.iommu']] },
  {
    machine: 'none',
    props: [
      ['confidential-guest-support', 'confidential-guest-support'],
      ['shim', 'shim'],
    ],
  },
  {
    machine: 'generic-pc',
    abstractFor: ['x86_64', 'i686'],
    props: [['i8042', 'machine-i8042-opt']],
  },
];

/** query-command-line-options: an option (and, when given, one of its parameters). */
export const COMMAND_LINE_FLAGS: ReadonlyArray<readonly [option: string, param: string | undefined, flag: string]> = [
  ['fsdev', 'multidevs', 'fsdev.multidevs'],
  ['machine', 'hpet', 'machine-hpet'],
  ['sandbox', undefined, 'seccomp-sandbox'],
  ['spice', undefined, 'spice'],
  ['spice', 'gl', 'spice-gl'],
  ['spice', 'rendernode', 'spice-rendernode'],
  ['vnc', 'power-control', 'vnc-power-control'],
  ['run-with', 'async-teardown', 'run-with.async-teardown'],
];

/** query-migrate-capabilities. */
export const MIGRATION_FLAGS: ReadonlyArray<readonly [capability: string, flag: string]> = [
  ['rdma-pin-all', 'migrate-rdma'],
];

export const TPM_MODEL_FLAGS: ReadonlyArray<readonly [model: string, flag: string]> = [
  ['tpm-tis', 'tpm-tis'],
  ['tpm-crb', 'tpm-crb'],
  ['tpm-spapr', 'tpm-spapr'],
];

export const TPM_TYPE_FLAGS: ReadonlyArray<readonly [type: string, flag: string]> = [
  ['passthrough', 'tpm-passthrough'],
  ['emulator', 'tpm-emulator'],
];

/**
 * Flags libvirt 11 no longer reports (they are in every QEMU it still supports, so libvirt
 * stopped asking). The probe still sees them in a reply; they are dropped from the result, as
 * libvirt 11.3's QEMU 10.0 data shows.
 */
export const RETIRED_FLAGS: ReadonlySet<string> = new Set([
  'gpex-pcihost',
  'nbd-bitmap',
  'incremental-backup',
  'query-named-block-nodes.flat',
  'blockdev-snapshot.allow-write-only-overlay',
  'blockdev-reopen',
  'block-export-add',
  'migration-param.block-bitmap-mapping',
  'object.qapified',
  'compat-deprecated',
]);

/** Hyper-V enlightenments in libvirt's order (its <hyperv> feature names). */
export const HYPERV_FEATURES: readonly string[] = [
  'relaxed',
  'vapic',
  'spinlocks',
  'vpindex',
  'runtime',
  'synic',
  'stimer',
  'reset',
  'vendor_id',
  'frequencies',
  'reenlightenment',
  'tlbflush',
  'ipi',
  'evmcs',
  'avic',
  'emsr_bitmap',
  'xmm_input',
];

/** The machine libvirt makes the default per architecture, whatever QEMU marks. */
export const PREFERRED_MACHINE: Readonly<Record<string, string>> = {
  alpha: 'clipper',
  armv6l: 'integratorcp',
  armv7l: 'virt',
  armv7b: 'virt',
  aarch64: 'virt',
  i686: 'pc',
  m68k: 'mcf5208evb',
  microblaze: 'petalogix-s3adsp1800',
  microblazeel: 'petalogix-s3adsp1800',
  mips: 'malta',
  mipsel: 'malta',
  mips64: 'malta',
  mips64el: 'malta',
  or32: 'or1k-sim',
  ppc: 'g3beige',
  ppcle: 'g3beige',
  ppc64: 'pseries',
  ppc64le: 'pseries',
  ppcemb: 'bamboo',
  riscv32: 'virt',
  riscv64: 'virt',
  s390x: 's390-ccw-virtio',
  sh4: 'shix',
  sh4eb: 'shix',
  sparc: 'SS-5',
  sparc64: 'sun4u',
  x86_64: 'pc',
  xtensa: 'sim',
  xtensaeb: 'sim',
};

/**
 * The capability flags tsvirt reports, in the order libvirt numbers them (its virQEMUCapsFlags
 * list; the cache document lists flags in that order). Flags libvirt has retired are not here.
 * The names are libvirt's public spelling and never change.
 */
// biome-ignore format: a long list of names reads better packed
export const QEMU_FLAG_ORDER: readonly string[] = [
  'kvm', 'sdl', 'spice', 'hda-duplex', 'ccid-emulated', 'ccid-passthru', 'piix3-usb-uhci',
  'piix4-usb-uhci', 'usb-ehci', 'ich9-usb-ehci1', 'vt82c686b-usb-uhci', 'pci-ohci', 'usb-redir',
  'usb-hub', 'ich9-ahci', 'virtio-blk-pci.scsi', 'scsi-disk.channel', 'scsi-block', 'hda-micro',
  'nec-usb-xhci', 'lsi', 'virtio-scsi-pci', 'usb-redir.filter', 'seccomp-sandbox', 'vnc', 'qxl', 'VGA',
  'cirrus-vga', 'vmware-svga', 's390-sclp', 'usb-serial', 'virtio-rng', 'rng-random', 'rng-egd',
  'virtio-ccw', 'megasas', 'tpm-passthrough', 'tpm-tis', 'nvram', 'pci-bridge', 'vfio-pci',
  'dmi-to-pci-bridge', 'usb-storage', 'virtio-mmio', 'ich9-intel-hda', 'kvm-pit-lost-tick-policy',
  'pvpanic', 'enable-fips', 'usb-kbd', 'usb-audio', 'rtc-reset-reinjection', 'migrate-rdma',
  'VGA.vgamem_mb', 'vmware-svga.vgamem_mb', 'qxl.vgamem_mb', 'pc-dimm', 'machine-vmport-opt',
  'pci-serial', 'gpex-pcihost', 'ioh3420', 'x3130-upstream', 'xio3130-downstream', 'rtl8139', 'e1000',
  'virtio-net', 'virtio-gpu', 'virtio-gpu.virgl', 'virtio-keyboard', 'virtio-mouse', 'virtio-tablet',
  'virtio-input-host', 'virtio-balloon-pci.deflate-on-oom', 'mptsas1068', 'spice-gl',
  'qxl.vram64_size_mb', 'pxb', 'pxb-pcie', 'intel-iommu', 'virtio-vga', 'ivshmem-plain',
  'ivshmem-doorbell', 'vhost-scsi', 'query-cpu-model-expansion', 'spice-rendernode', 'nvdimm',
  'pcie-root-port', 'query-cpu-definitions', 'qemu-xhci', 'intel-iommu.intremap',
  'intel-iommu.caching-mode', 'intel-iommu.eim', 'intel-iommu.device-iotlb', 'spapr-pci-host-bridge',
  'spapr-pci-host-bridge.numa_node', 'chardev-reconnect', 'vxhs', 'vmcoreinfo', 'spapr-vty',
  'sclplmconsole', 'isa-serial', 'pl011', 'virtio-gpu-ccw', 'virtio-keyboard-ccw', 'virtio-mouse-ccw',
  'virtio-tablet-ccw', 'pcie-pci-bridge', 'nbd-tls', 'tpm-crb', 'pr-manager-helper', 'vfio-ccw',
  'screendump_device', 'hda-output', 'vmgenid', 'vhost-vsock', 'tpm-emulator', 'mch',
  'mch.extended-tseg-mbytes', 'sev-guest', 'egl-headless', 'vfio-ap', 'zpci', 'memory-backend-memfd',
  'memory-backend-memfd.hugetlb', 'egl-headless.rendernode', 'memory-backend-file.pmem',
  'nvdimm.unarmed', 'virtio-pci-non-transitional', 'machine.virt.iommu', 'nbd-bitmap', 'x86-max-cpu',
  'cpu-unavailable-features', 'canonical-cpu-features', 'bochs-display', 'migration-file-drop-cache',
  'dbus-vmstate', 'vhost-user-gpu', 'vhost-user-vga', 'incremental-backup', 'query-cpu-model-baseline',
  'query-cpu-model-comparison', 'ramfb', 'arm-max-cpu', 'drive-nvme', 'smp-dies', 'i8042',
  'rng-builtin', 'tpm-spapr', 'cpu.kvm-no-adjvtime', 'vhost-user-fs', 'query-named-block-nodes.flat',
  'blockdev-snapshot.allow-write-only-overlay', 'blockdev-reopen', 'fsdev.multidevs',
  'pcie-root-port.hotplug', 'aio.io_uring', 'tcg', 'virtio-blk-pci.scsi.default.disabled', 'pvscsi',
  'cpu.migratable', 'intel-iommu.aw-bits', 'spapr-tpm-proxy', 'numa.hmat', 'usb-host.hostdevice',
  'virtio-balloon.free-page-reporting', 'block-export-add', 'netdev.vhost-vdpa', 'ncr53c90', 'dc390',
  'am53c974', 'virtio-pmem-pci', 'vhost-user-fs.bootindex', 'vhost-user-blk', 'cpu-max',
  'memory-backend-file.x-use-canonical-path-for-ramblock-id', 'migration-param.block-bitmap-mapping',
  'vnc-power-control', 'object.qapified', 'rotation-rate', 'compat-deprecated', 'acpi-index',
  'input-linux', 'virtio-gpu-gl-pci', 'virtio-vga-gl', 'confidential-guest-support', 's390-pv-guest',
  'set-action', 'virtio-blk.queue-size', 'virtio-mem-pci', 'memory-backend-file.reserve',
  'piix4.acpi-root-pci-hotplug', 'netdev.json', 'chardev.json', 'query-dirty-rate', 'rbd-encryption',
  'sev-guest-kernel-hashes', 'sev-inject-launch-secret', 'device.json+hotplug', 'hvf',
  'virtio-mem-pci.prealloc', 'calc-dirty-rate', 'dirtyrate-param.mode', 'blockdev.nbd.tls-hostname',
  'memory-backend-file.prealloc-threads', 'virtio-iommu-pci', 'virtio-iommu.boot-bypass',
  'virtio-net.rss', 'chardev.qemu-vdagent', 'display-dbus', 'iothread.thread-pool-max',
  'usb-host.guest-resets-all', 'migration.blocked-reasons', 'query-stats', 'query-stats-schemas',
  'sgx-epc', 'thread-context', 'screenshot-format-png', 'machine-hpet', 'netdev.stream',
  'virtio-crypto', 'cryptodev-backend-lkcf', 'pvpanic-pci', 'netdev.stream.reconnect',
  'virtio-gpu.blob', 'rbd-encryption-layering', 'rbd-encryption-luks-any', 'qcow2-discard-no-unref',
  'run-with.async-teardown', 'virtio-blk-vhost-vdpa',
  // Added after libvirt 9.x, in the order libvirt 11.3's data lists them.
  'virtio-blk.iothread-mapping', 'smp-clusters', 'virtio-mem-pci.dynamic-memslots',
  'blockjob.backing-mask-protocol', 'display-reload', 'usb-mtp', 'virtio-sound', 'netdev.user',
  'acpi-erst', 'intel-iommu.dma-translation', 'machine-i8042-opt', 'chardev-reconnect-miliseconds',
  'netdev-stream-reconnect-miliseconds', 'migrate-incoming.exit-on-error', 'blockdev-set-active', 'shim',
  'virtio-scsi.iothread-mapping',
];

const rank = new Map(QEMU_FLAG_ORDER.map((name, i) => [name, i]));

/** Sorts flag names into libvirt's order; names it does not know go last, alphabetically. */
export function sortQemuFlags(flags: Iterable<string>): string[] {
  return [...flags].sort((a, b) => {
    const ra = rank.get(a) ?? Number.MAX_SAFE_INTEGER;
    const rb = rank.get(b) ?? Number.MAX_SAFE_INTEGER;
    return ra !== rb ? ra - rb : a < b ? -1 : a > b ? 1 : 0;
  });
}

/** Milliseconds spent on each phase of the workload. */
export interface WorkloadTimes {
  define: number;
  lookupDumpxml: number;
  listAll: number;
  undefine: number;
}

/** The domain every implementation defines: small, but with a disk and a NIC like a real guest. */
export function domainXml(name: string): string {
  return `<domain type='test'>
  <name>${name}</name>
  <memory unit='KiB'>65536</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <source file='/var/lib/images/${name}.img'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <interface type='network'>
      <source network='default'/>
    </interface>
  </devices>
</domain>`;
}

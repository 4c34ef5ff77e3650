/** Milliseconds spent on each phase of the workload. */
export interface WorkloadTimes {
  define: number;
  lookupDumpxml: number;
  listAll: number;
  undefine: number;
}

/**
 * The domain every implementation defines: small, but with a disk and a NIC like a real guest.
 * NAME stands for the domain's name; the libvirt side receives this same template on stdin.
 */
export const DOMAIN_XML_TEMPLATE = `<domain type='test'>
  <name>NAME</name>
  <memory unit='KiB'>65536</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <source file='/var/lib/images/NAME.img'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <interface type='network'>
      <source network='default'/>
    </interface>
  </devices>
</domain>`;

export function domainXml(name: string): string {
  return DOMAIN_XML_TEMPLATE.replaceAll('NAME', name);
}

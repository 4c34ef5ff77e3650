/**
 * Typed model of libvirt's domain XML. Sizes are normalised to KiB, as libvirt stores them.
 * (Skeleton: the element families are filled in by the domain XML modules.)
 */
export interface DomainDef {
  /** Hypervisor type attribute: 'kvm', 'qemu', 'test', ... */
  type: string;
  /** Live id; -1 (or absent) for an inactive definition. */
  id?: number;
  name: string;
  uuid: string;
  title?: string;
  description?: string;
  /** <memory>, KiB. */
  memory: number;
  /** <currentMemory>, KiB. */
  currentMemory: number;
  vcpu: { count: number; current?: number; placement?: string; cpuset?: string };
  os: { type: string; arch?: string; machine?: string };
}

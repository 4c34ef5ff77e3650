/** What every virtio device shares: the transitional model variants and the <driver> switches. */
import type { IothreadMapping, XmlElement } from '@tsvirt/core';
import type { PropBag, Props } from './props.js';

/** virtio-blk-pci → virtio-blk-pci-transitional / -non-transitional by the device's model. */
export function virtioVariant(base: string, model: string | undefined): string {
  if (model === 'virtio-transitional') return `${base}-transitional`;
  if (model === 'virtio-non-transitional') return `${base}-non-transitional`;
  return base;
}

/** iommu, ats, packed and page_per_vq from a <driver>, right after the driver name. */
export function virtioOptions(p: Props, driver: Partial<Record<string, string>> | XmlElement | undefined): void {
  if (!driver) return;
  const attrs =
    'attrs' in driver && typeof driver.attrs === 'object'
      ? (driver as XmlElement).attrs
      : (driver as Record<string, string>);
  const sw = (v: string | undefined) => (v === undefined ? undefined : v === 'on');
  p.set('iommu_platform', sw(attrs.iommu));
  p.set('ats', sw(attrs.ats));
  p.set('packed', sw(attrs.packed));
  p.set('page-per-vq', sw(attrs.page_per_vq));
}

/** QEMU's iothread-vq-mapping: each IOThread with the virtqueues it serves (all when none listed). */
export function iothreadVqMapping(p: Props, mapping: readonly IothreadMapping[] | undefined): void {
  if (!mapping?.length) return;
  p.set(
    'iothread-vq-mapping',
    mapping.map((t): PropBag => {
      const entry: PropBag = { iothread: `iothread${t.id}` };
      if (t.queues.length) entry.vqs = [...t.queues];
      return entry;
    }),
  );
}

/** What every virtio device shares: the transitional model variants and the <driver> switches. */
import type { XmlElement } from '@tsvirt/core';
import type { Props } from './props.js';

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

/**
 * libvirt's qemu XML namespace (<qemu:commandline> with <qemu:arg>/<qemu:env>): extra arguments
 * and environment the user passes straight to QEMU.
 */
import type { DomainNamespaceHandler, OutNode } from '@tsvirt/core';

export const QEMU_NAMESPACE_URI = 'http://libvirt.org/schemas/domain/qemu/1.0';

export interface QemuNamespaceData {
  args: string[];
  env: Array<{ name: string; value?: string }>;
}

export const qemuNamespace: DomainNamespaceHandler<QemuNamespaceData> = {
  prefix: 'qemu',
  uri: QEMU_NAMESPACE_URI,
  parse(elements) {
    const data: QemuNamespaceData = { args: [], env: [] };
    for (const el of elements) {
      if (!el.name.endsWith(':commandline')) continue;
      for (const n of el.nodes) {
        if (typeof n === 'string') continue;
        if (n.name.endsWith(':arg') && n.attrs.value !== undefined) data.args.push(n.attrs.value);
        else if (n.name.endsWith(':env') && n.attrs.name !== undefined)
          data.env.push({ name: n.attrs.name, value: n.attrs.value });
      }
    }
    return data.args.length || data.env.length ? data : undefined;
  },
  format(data) {
    const children: OutNode[] = [
      ...data.args.map((value): OutNode => ({ name: 'qemu:arg', attrs: [['value', value]] })),
      ...data.env.map(
        (e): OutNode => ({
          name: 'qemu:env',
          attrs: [
            ['name', e.name],
            ['value', e.value],
          ],
        }),
      ),
    ];
    return [{ name: 'qemu:commandline', children }];
  },
};

export function qemuNamespaceData(def: {
  namespaceData?: { uri: string; data: unknown };
}): QemuNamespaceData | undefined {
  return def.namespaceData?.uri === QEMU_NAMESPACE_URI ? (def.namespaceData.data as QemuNamespaceData) : undefined;
}

/**
 * The qemu XML namespace (xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'):
 * <qemu:commandline> extra arguments and environment, <qemu:capabilities> flag overrides,
 * <qemu:override> device property overrides and <qemu:deprecation> behaviour. Kept as the
 * elements were written, under the canonical 'qemu' prefix, and handed to the command line.
 */
import type { DomainNamespaceHandler, XmlElement } from '@tsvirt/core';

export const QEMU_NAMESPACE_URI = 'http://libvirt.org/schemas/domain/qemu/1.0';

export interface QemuNamespaceData {
  args: string[];
  env: Array<{ name: string; value?: string }>;
  /** Other elements of the namespace (capabilities, override, deprecation), as written. */
  elements: XmlElement[];
}

const isElement = (n: XmlElement['nodes'][number]): n is XmlElement => typeof n !== 'string';

export const qemuNamespace: DomainNamespaceHandler<QemuNamespaceData> = {
  prefix: 'qemu',
  uri: QEMU_NAMESPACE_URI,
  parse(elements) {
    const data: QemuNamespaceData = { args: [], env: [], elements: [] };
    for (const el of elements) {
      if (el.name !== 'qemu:commandline') {
        data.elements.push(el);
        continue;
      }
      for (const c of el.nodes.filter(isElement)) {
        if (c.name === 'qemu:arg' && c.attrs.value !== undefined) data.args.push(c.attrs.value);
        else if (c.name === 'qemu:env' && c.attrs.name !== undefined)
          data.env.push(
            c.attrs.value === undefined ? { name: c.attrs.name } : { name: c.attrs.name, value: c.attrs.value },
          );
      }
    }
    if (!data.args.length && !data.env.length && !data.elements.length) return undefined;
    return data;
  },
  format(data) {
    const nodes: Array<{ raw: XmlElement }> = [];
    if (data.args.length || data.env.length) {
      const children: XmlElement[] = [
        ...data.args.map((value): XmlElement => ({ name: 'qemu:arg', attrs: { value }, nodes: [] })),
        ...data.env.map(
          (e): XmlElement => ({
            name: 'qemu:env',
            attrs: e.value === undefined ? { name: e.name } : { name: e.name, value: e.value },
            nodes: [],
          }),
        ),
      ];
      nodes.push({ raw: { name: 'qemu:commandline', attrs: {}, nodes: children } });
    }
    for (const el of data.elements) nodes.push({ raw: el });
    return nodes;
  },
};

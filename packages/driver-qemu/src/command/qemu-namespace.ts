/** The <qemu:commandline> data of a definition, parsed by the qemu namespace handler (domain/namespace.ts). */
import { QEMU_NAMESPACE_URI, type QemuNamespaceData } from '../domain/namespace.js';

export function qemuNamespaceData(def: {
  namespaceData?: { uri: string; data: unknown };
}): QemuNamespaceData | undefined {
  return def.namespaceData?.uri === QEMU_NAMESPACE_URI ? (def.namespaceData.data as QemuNamespaceData) : undefined;
}

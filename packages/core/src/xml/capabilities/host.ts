/** <host> of the capabilities: uuid, cpu, power management, iommu, migration, topology, secmodels. */

import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import { childElements, firstChild, textOf, type XmlElement } from '../adapter.js';
import { attrString, childString, parseYesNo } from '../common/attributes.js';
import { xmlError } from '../common/errors.js';
import { toUnsigned } from '../common/integers.js';
import { normalizeUuid } from '../common/uuid.js';
import { a, type XmlWriter } from '../writer.js';
import { formatTopology, parseTopology } from './topology.js';
import { type HostCaps, POWER_MANAGEMENT_TARGETS, type PowerManagementTarget } from './types.js';

const D = ErrorDomain.CAPABILITIES;
const XE = ErrorCode.XML_ERROR;

export function parseHost(node: XmlElement): HostCaps {
  const cpuNode = firstChild(node, 'cpu');
  const arch = cpuNode ? childString(cpuNode, 'arch') : undefined;
  if (!cpuNode || arch === undefined) throw xmlError(D, 'missing host CPU architecture', XE);
  const host: HostCaps = {
    cpu: { arch, features: [], definition: [], pages: [] },
    secModels: [],
  };
  const uuidText = childString(node, 'uuid');
  if (uuidText !== undefined) {
    const uuid = normalizeUuid(uuidText);
    if (!uuid) throw xmlError(D, 'malformed uuid element', XE);
    host.uuid = uuid;
  }
  for (const c of childElements(cpuNode)) {
    if (c.name === 'arch') continue;
    if (c.name === 'features') host.cpu.features.push(...childElements(c).map((f) => f.name));
    else if (c.name === 'pages') {
      const size = toUnsigned(c.attrs.size);
      if (size === undefined) throw xmlError(D, "missing or invalid 'size' of host CPU <pages>", XE);
      host.cpu.pages.push(size);
    } else host.cpu.definition.push(c);
  }
  const pm = firstChild(node, 'power_management');
  if (pm) {
    host.powerManagement = childElements(pm).map((e) => {
      if (!(POWER_MANAGEMENT_TARGETS as readonly string[]).includes(e.name)) {
        throw xmlError(D, `unknown power management target '${e.name}'`, XE);
      }
      return e.name as PowerManagementTarget;
    });
  }
  const iommu = parseYesNo(firstChild(node, 'iommu'), 'support', D);
  if (iommu !== undefined) host.iommu = iommu;
  const mig = firstChild(node, 'migration_features');
  if (mig) {
    const transports = firstChild(mig, 'uri_transports');
    host.migration = {
      live: !!firstChild(mig, 'live'),
      uriTransports: transports ? childElements(transports, 'uri_transport').map(textOf) : [],
    };
  }
  const topo = firstChild(node, 'topology');
  if (topo) Object.assign(host, parseTopology(topo));
  const cache = firstChild(node, 'cache');
  if (cache) host.cache = cache;
  const mbw = firstChild(node, 'memory_bandwidth');
  if (mbw) host.memoryBandwidth = mbw;
  for (const s of childElements(node, 'secmodel')) {
    host.secModels.push({
      model: childString(s, 'model') ?? '',
      doi: firstChild(s, 'doi') ? textOf(firstChild(s, 'doi')!) : '',
      baseLabels: childElements(s, 'baselabel').map((b) => ({ type: attrString(b, 'type') ?? '', label: textOf(b) })),
    });
  }
  return host;
}

export function formatHost(w: XmlWriter, host: HostCaps): void {
  w.open('host');
  w.optText('uuid', host.uuid);
  w.open('cpu');
  w.text('arch', host.cpu.arch);
  if (host.cpu.features.length > 0) {
    w.open('features');
    for (const f of host.cpu.features) w.empty(f);
    w.close('features');
  }
  for (const d of host.cpu.definition) w.copy(d);
  for (const p of host.cpu.pages) w.empty('pages', a('unit', 'KiB') + a('size', p));
  w.close('cpu');
  if (host.powerManagement) {
    if (host.powerManagement.length === 0) w.empty('power_management');
    else {
      w.open('power_management');
      for (const t of host.powerManagement) w.empty(t);
      w.close('power_management');
    }
  }
  if (host.iommu !== undefined) w.empty('iommu', a('support', host.iommu ? 'yes' : 'no'));
  if (host.migration) {
    w.open('migration_features');
    if (host.migration.live) w.empty('live');
    if (host.migration.uriTransports.length > 0) {
      w.open('uri_transports');
      for (const t of host.migration.uriTransports) w.text('uri_transport', t);
      w.close('uri_transports');
    }
    w.close('migration_features');
  }
  formatTopology(w, host);
  if (host.cache) w.copy(host.cache);
  if (host.memoryBandwidth) w.copy(host.memoryBandwidth);
  for (const s of host.secModels) {
    w.open('secmodel');
    w.text('model', s.model);
    w.text('doi', s.doi);
    for (const b of s.baseLabels) w.text('baselabel', b.label, a('type', b.type));
    w.close('secmodel');
  }
  w.close('host');
}

/** <guest> of the capabilities: OS type, architecture, emulators, machine types, domain types, features. */

import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import { childElements, firstChild, textOf, type XmlElement } from '../adapter.js';
import { attrString, childString, parseYesNo, yesNo } from '../common/attributes.js';
import { xmlError } from '../common/errors.js';
import { toUnsigned } from '../common/integers.js';
import { a, type XmlWriter } from '../writer.js';
import type { GuestCaps, GuestFeature, GuestMachine } from './types.js';

const D = ErrorDomain.CAPABILITIES;
const XE = ErrorCode.XML_ERROR;

function parseMachines(node: XmlElement): GuestMachine[] {
  return childElements(node, 'machine').map((m) => {
    const machine: GuestMachine = { name: textOf(m) };
    const canonical = attrString(m, 'canonical');
    if (canonical !== undefined) machine.canonical = canonical;
    const maxCpus = toUnsigned(m.attrs.maxCpus);
    if (maxCpus !== undefined) machine.maxCpus = maxCpus;
    const deprecated = parseYesNo(m, 'deprecated', D);
    if (deprecated !== undefined) machine.deprecated = deprecated;
    return machine;
  });
}

export function parseGuest(node: XmlElement): GuestCaps {
  const osType = childString(node, 'os_type');
  if (osType === undefined) throw xmlError(D, 'missing guest OS type', XE);
  const archNode = firstChild(node, 'arch');
  const archName = attrString(archNode, 'name');
  if (!archNode || archName === undefined) throw xmlError(D, 'missing guest architecture', XE);
  const guest: GuestCaps = {
    osType,
    arch: { name: archName, machines: parseMachines(archNode), domains: [] },
  };
  const wordsize = toUnsigned(childString(archNode, 'wordsize'));
  if (wordsize !== undefined) guest.arch.wordsize = wordsize;
  const emulator = childString(archNode, 'emulator');
  if (emulator !== undefined) guest.arch.emulator = emulator;
  const loader = childString(archNode, 'loader');
  if (loader !== undefined) guest.arch.loader = loader;
  for (const d of childElements(archNode, 'domain')) {
    const type = attrString(d, 'type');
    if (type === undefined) throw xmlError(D, 'missing guest domain type', XE);
    const dom: GuestCaps['arch']['domains'][number] = { type, machines: parseMachines(d) };
    const demu = childString(d, 'emulator');
    if (demu !== undefined) dom.emulator = demu;
    guest.arch.domains.push(dom);
  }
  const features = firstChild(node, 'features');
  if (features) {
    guest.features = childElements(features).map((f) => {
      const feature: GuestFeature = { name: f.name };
      const def = f.attrs.default;
      if (def === 'on' || def === 'off') feature.default = def;
      const toggle = parseYesNo(f, 'toggle', D);
      if (toggle !== undefined) feature.toggle = toggle;
      return feature;
    });
  }
  return guest;
}

function formatMachines(w: XmlWriter, machines: GuestMachine[]): void {
  for (const m of machines) {
    w.text(
      'machine',
      m.name,
      a('canonical', m.canonical) + a('maxCpus', m.maxCpus) + a('deprecated', yesNo(m.deprecated)),
    );
  }
}

export function formatGuest(w: XmlWriter, g: GuestCaps): void {
  w.open('guest');
  w.text('os_type', g.osType);
  w.open('arch', a('name', g.arch.name));
  w.optText('wordsize', g.arch.wordsize);
  w.optText('emulator', g.arch.emulator);
  w.optText('loader', g.arch.loader);
  formatMachines(w, g.arch.machines);
  for (const d of g.arch.domains) {
    if (d.emulator === undefined && d.machines.length === 0) {
      w.empty('domain', a('type', d.type));
      continue;
    }
    w.open('domain', a('type', d.type));
    w.optText('emulator', d.emulator);
    formatMachines(w, d.machines);
    w.close('domain');
  }
  w.close('arch');
  if (g.features) {
    w.element('features', '', () => {
      for (const f of g.features!) w.empty(f.name, a('default', f.default) + a('toggle', yesNo(f.toggle)));
    });
  }
  w.close('guest');
}

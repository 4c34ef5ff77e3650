/** net-update's forward-interface and portgroup sections. */
import { ErrorCode, type NetworkDef, parsePortGroup, type XmlElement } from '@tsvirt/core';
import { networkError } from '../errors.js';
import { invalid, noSupport } from './errors.js';
import { type Command, insert } from './list.js';

/** `inUse(dev)`: how many guest ports use a pool device (one in use cannot be deleted). */
export function updateForwardInterface(
  def: NetworkDef,
  command: Command,
  node: XmlElement,
  inUse: (dev: string) => number,
): void {
  if (command === 'modify') throw noSupport('forward interface entries cannot be modified, only added or deleted');
  const dev = node.attrs.dev;
  if (!dev) throw networkError(ErrorCode.XML_ERROR, 'missing dev attribute in <interface> element');
  const forward = def.forward;
  const list = forward?.interfaces ?? [];
  const i = list.findIndex((x) => x.dev === dev);
  if (command === 'delete') {
    if (i < 0)
      throw invalid(`couldn't find an interface entry in network '${def.name}' matching <interface dev='${dev}'>`);
    const used = inUse(dev);
    if (used > 0) {
      // libvirt's message has the two spaces.
      throw invalid(
        `unable to delete interface '${dev}' in network '${def.name}'. It is currently being used  by ${used} domains.`,
      );
    }
    list.splice(i, 1);
  } else {
    if (i >= 0) {
      throw invalid(
        `there is an existing interface entry in network '${def.name}' that matches "<interface dev='${dev}'>"`,
      );
    }
    if (!forward) {
      // An isolated network has no <forward> to hold a pool.
      throw noSupport(`can't update 'forward' section of network '${def.name}'`);
    }
    insert(list, { dev }, command);
  }
}

export function updatePortGroup(def: NetworkDef, command: Command, node: XmlElement): void {
  const pg = parsePortGroup(node);
  const i = def.portGroups.findIndex((p) => p.name === pg.name);
  if ((command === 'modify' || command === 'delete') && i < 0) {
    throw invalid(`couldn't find a portgroup entry in network '${def.name}' matching <portgroup name='${pg.name}'>`);
  }
  if ((command === 'add-first' || command === 'add-last') && i >= 0) {
    throw invalid(
      `there is an existing portgroup entry in network '${def.name}' that matches "<portgroup name='${pg.name}'>"`,
    );
  }
  if (command !== 'delete' && pg.default) {
    const other = def.portGroups.findIndex((p, j) => p.default && j !== i);
    if (other >= 0) {
      throw invalid(
        `a different portgroup entry in network '${def.name}' is already set as the default. Only one default is allowed.`,
      );
    }
  }
  if (command === 'modify') def.portGroups[i] = pg;
  else if (command === 'delete') def.portGroups.splice(i, 1);
  else insert(def.portGroups, pg, command);
}

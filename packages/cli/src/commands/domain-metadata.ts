/** desc and metadata: the domain's title, description and namespaced <metadata> elements. */
import { AffectFlags, DomainMetadataType, ErrorCode, isVirError } from '@tsvirt/core';
import type { Control } from '../control.js';
import { optDomain, optString } from '../lookup.js';
import { affectFlags, CURRENT_EXCLUSIVE, exclusive } from './common.js';
import { type CommandDef, opt } from './types.js';

/** Interactive editing needs a terminal and an editor; tsvirsh does not offer it. */
function refuseEdit(ctl: Control): false {
  ctl.error('--edit (an interactive editor) is not supported by tsvirsh');
  return false;
}

const AFFECT_OPTS = [
  opt.bool('live', 'modify/get running state'),
  opt.bool('config', 'modify/get persistent configuration'),
  opt.bool('current', 'modify/get current state configuration'),
];

export const desc: CommandDef = {
  name: 'desc',
  group: 'domain',
  help: "show or set domain's description or title",
  desc: 'Allows setting or modifying the description or title of a domain.',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    ...AFFECT_OPTS,
    opt.bool('title', 'modify/get the title instead of description'),
    opt.bool('edit', 'open an editor to modify the description'),
    opt.argv('new-desc', 'message', { emptyOk: true }),
  ],
  async run(ctl, cmd) {
    if (!exclusive(ctl, cmd, CURRENT_EXCLUSIVE)) return false;
    const { dom } = await optDomain(ctl, cmd);
    const title = cmd.bool('title');
    const type = title ? DomainMetadataType.TITLE : DomainMetadataType.DESCRIPTION;
    const what = title ? 'title' : 'description';
    const words = cmd.argv('new-desc');
    if (cmd.bool('edit')) return refuseEdit(ctl);
    if (words.length > 0) {
      try {
        await dom.setMetadata(type, words.join(' '), undefined, undefined, affectFlags(cmd));
      } catch (e) {
        ctl.saveError(e);
        ctl.error(`Failed to set new domain ${what}`);
        return false;
      }
      ctl.printExtra(`Domain ${what} updated successfully`);
      return true;
    }
    // virsh reads the title or description of the persistent config or the current definition.
    let text = '';
    try {
      text = await dom.getMetadata(type, undefined, cmd.bool('config') ? AffectFlags.CONFIG : 0);
    } catch (e) {
      if (!isVirError(e) || e.code !== ErrorCode.NO_DOMAIN_METADATA) {
        ctl.saveError(e);
        return false;
      }
    }
    ctl.data({ [what]: text === '' ? null : text });
    if (text === '') {
      ctl.printExtra(`No ${what} for domain: ${dom.getName()}`);
      return true;
    }
    // virsh ends these lines with the blank line every command gets.
    ctl.print(text);
    return true;
  },
};

export const metadata: CommandDef = {
  name: 'metadata',
  group: 'domain',
  help: "show or set domain's custom XML metadata",
  desc: 'Shows or modifies the XML metadata of a domain.',
  opts: [
    opt.data('domain', 'domain name, id or uuid'),
    opt.data('uri', 'URI of the namespace'),
    ...AFFECT_OPTS,
    opt.bool('edit', 'use an editor to change the metadata'),
    opt.string('key', 'key to be used as a namespace identifier', { named: true }),
    opt.string('set', 'new metadata to set', { named: true }),
    opt.bool('remove', 'remove the metadata corresponding to an uri'),
  ],
  async run(ctl, cmd) {
    const setGiven = cmd.string('set') !== undefined;
    if (!exclusive(ctl, cmd, CURRENT_EXCLUSIVE)) return false;
    if (cmd.bool('edit') && setGiven) {
      ctl.error('Options --edit and --set are mutually exclusive');
      return false;
    }
    if (cmd.bool('remove') && setGiven) {
      ctl.error('Options --remove and --set are mutually exclusive');
      return false;
    }
    if (!exclusive(ctl, cmd, [['remove', 'edit']])) return false;
    const { dom } = await optDomain(ctl, cmd);
    const uri = optString(ctl, cmd, 'uri') ?? '';
    const key = optString(ctl, cmd, 'key');
    const value = optString(ctl, cmd, 'set');
    const flags = affectFlags(cmd);
    if (key === undefined && (value !== undefined || cmd.bool('edit'))) {
      ctl.error('namespace key is required when modifying metadata');
      return false;
    }
    if (cmd.bool('edit')) return refuseEdit(ctl);
    if (value !== undefined || cmd.bool('remove')) {
      try {
        await dom.setMetadata(DomainMetadataType.ELEMENT, value, key, uri, flags);
      } catch (e) {
        ctl.saveError(e);
        return false;
      }
      ctl.printExtra(value !== undefined ? 'Metadata modified\n' : 'Metadata removed\n');
      return true;
    }
    let xml: string;
    try {
      xml = await dom.getMetadata(DomainMetadataType.ELEMENT, uri, flags);
    } catch (e) {
      ctl.saveError(e);
      return false;
    }
    ctl.data({ uri, metadata: xml });
    ctl.print(`${xml}\n`);
    return true;
  },
};

/** `domxml-to-native FORMAT (--domain D | --xml FILE)`: the driver's native form of a definition. */
import { conn, optDomain } from '../lookup.js';
import { readFileOpt } from './common.js';
import { type CommandDef, opt } from './types.js';

export const domxmlToNative: CommandDef = {
  name: 'domxml-to-native',
  group: 'domain',
  help: 'Convert domain XML to native config',
  desc: 'Convert domain XML config to a native guest configuration format.',
  opts: [
    opt.data('format', 'target config data type format'),
    opt.string('domain', 'domain name, id or uuid', { named: true }),
    opt.string('xml', 'xml data file to export from'),
  ],
  async run(ctl, cmd) {
    const format = cmd.string('format') ?? '';
    const hasDomain = cmd.string('domain') !== undefined;
    const hasXml = cmd.string('xml') !== undefined;
    if (hasDomain && hasXml) {
      ctl.error('Options --domain and --xml are mutually exclusive');
      return false;
    }
    if (!hasDomain && !hasXml) {
      ctl.error('need either domain or domain XML');
      return false;
    }
    let xml: string;
    if (hasDomain) {
      const { dom } = await optDomain(ctl, cmd);
      xml = await dom.getXmlDesc();
    } else {
      const file = readFileOpt(ctl, cmd, 'xml');
      if (!file) return false;
      xml = file.xml;
    }
    try {
      ctl.print(await conn(ctl).domainXmlToNative(format, xml, 0));
    } catch (e) {
      ctl.saveError(e);
      return false;
    }
    return true;
  },
};

import type { ConformanceSuite } from '../suite.js';
import { suite as domainschema } from './domainschema.js';
import { suite as genericxml2xml } from './genericxml2xml.js';
import { suite as networkxml2conf } from './networkxml2conf.js';
import { suite as networkxml2firewall } from './networkxml2firewall.js';
import { suite as networkxml2xml } from './networkxml2xml.js';
import { suite as qemucaps } from './qemucaps.js';
import { suite as qemuxml2argv } from './qemuxml2argv.js';
import { suite as qemuxml2xml, errorSuite as qemuxmlerrors } from './qemuxml2xml.js';
import { suite as storagepoolxml2xml } from './storagepoolxml2xml.js';
import { suite as storagevolxml2xml } from './storagevolxml2xml.js';
import { suite as virnetworkportxml2xml } from './virnetworkportxml2xml.js';

/** Every suite the runner knows, in the order they are reported. */
export const suites: ConformanceSuite[] = [
  genericxml2xml,
  domainschema,
  networkxml2xml,
  networkxml2conf,
  networkxml2firewall,
  virnetworkportxml2xml,
  storagepoolxml2xml,
  storagevolxml2xml,
  qemuxml2xml,
  qemuxml2argv,
  qemucaps,
  qemuxmlerrors,
];

import {
  CONTRACT_VERSION,
  type ConnectUri,
  DECLINED,
  DomainState,
  type DriverDescriptor,
  ErrorCode,
  ErrorDomain,
  parseCapabilitiesXml,
  VirError,
} from '@tsvirt/core';
import { testCapabilitiesXml } from './capabilities.js';
import { TestConnection } from './connection.js';
import { DEFAULT_NODE_XML } from './default-node.js';
import { withInterfaceNames } from './domains.js';
import { loadNodeFile, type NodeContents, parseNode } from './node-file.js';
import { TestState } from './state.js';

/** test:///default is one shared host per process while any connection to it is open. */
let shared: { state: TestState; refs: number } | undefined;

function stateFrom(contents: NodeContents, isDefault: boolean): TestState {
  const caps = parseCapabilitiesXml(testCapabilitiesXml(contents.nodeInfo, isDefault));
  const state = new TestState(contents.nodeInfo, caps);
  for (const d of contents.domains) {
    state.domains.add(d);
    if (d.state !== DomainState.SHUTOFF) {
      // Loaded running domains have one definition, so even their inactive XML shows testnetN.
      d.def = withInterfaceNames(d.def);
      state.domains.setId(d, state.nextDomainId++);
    }
  }
  state.networks.push(...contents.networks);
  state.pools.push(...contents.pools);
  state.interfaces.push(...contents.interfaces);
  return state;
}

async function openDefault(): Promise<TestConnection> {
  if (!shared) shared = { state: stateFrom(await parseNode(DEFAULT_NODE_XML, '/', 'default'), true), refs: 0 };
  const entry = shared;
  entry.refs++;
  return new TestConnection(entry.state, 'test:///default', () => {
    if (--entry.refs === 0 && shared === entry) shared = undefined;
  });
}

/** libvirt's test driver: test:///default or test:///ABSOLUTE/PATH/TO/node.xml, in memory. */
export const driver: DriverDescriptor = {
  contractVersion: CONTRACT_VERSION,
  name: 'test',
  uriSchemes: ['test'],
  localOnly: true,
  embeddable: true,
  async open(uri: ConnectUri) {
    if (uri.driver !== 'test') return DECLINED;
    if (uri.host !== undefined || uri.transport !== undefined) return DECLINED;
    if (uri.path === '' || uri.path === '/') {
      throw new VirError({
        code: ErrorCode.INVALID_ARG,
        domain: ErrorDomain.TEST,
        detail: 'testOpen: supply a path or use test:///default',
      });
    }
    if (uri.path === '/default') return openDefault();
    const contents = await loadNodeFile(uri.path);
    return new TestConnection(stateFrom(contents, false), `test://${uri.path}`, () => {});
  },
};

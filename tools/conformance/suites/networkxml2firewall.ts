/**
 * networkxml2firewall: the firewall commands libvirt runs when it starts a network
 * (tests/networkxml2firewalltest.c), for both backends. networkxml2firewalldata/NAME.xml is
 * parsed; its commands are run dry (every command succeeds with empty output, `nft -ae` answers
 * "# handle 5309", as in libvirt's harness), printed the way libvirt prints a dry-run command
 * line, and, after the base.iptables / base.nftables prologue (the private chains a first
 * network creates) is stripped, compared with NAME-linux.iptables / NAME-linux.nftables.
 * A case is NAME and a backend; a case whose input or expected output is missing from the data
 * fails with that reason.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNetworkXml } from '../../../packages/core/src/xml/network/index.js';
import {
  type Argv,
  FIREWALL_BACKENDS,
  type FirewallBackend,
  firewallTransactions,
  runTransactions,
} from '../../../packages/network/src/firewall/index.js';
import type { ConformanceCase, ConformanceSuite } from '../suite.js';
import { compareOutput } from './xml2xml-common.js';

const FOLDER = 'networkxml2firewalldata';

/** libvirt's shell quoting of one argument in a printed command line. */
function shellQuote(arg: string): string {
  if (arg !== '' && !/[|&;<>()$`\\"' \t\n*?[#~=%!]/.test(arg)) return arg;
  return `'${arg.replace(/'/g, "'\\''")}'`;
}

/**
 * Printed as libvirt prints a dry-run command: an option and its value share a line, and so
 * does a lone "!" (it negates the next option); everything else gets a line of its own.
 */
function printCommand(argv: Argv): string {
  let out = '';
  argv.forEach((arg, i) => {
    out += shellQuote(arg);
    const next = argv[i + 1];
    if (next === undefined) out += '\n';
    else out += (arg.startsWith('-') && !next.startsWith('-')) || next === '!' ? ' ' : ' \\\n';
  });
  return out;
}

async function dryRun(xml: string, backend: FirewallBackend): Promise<string> {
  let printed = '';
  await runTransactions(firewallTransactions(parseNetworkXml(xml), backend), async (argv) => {
    printed += printCommand(argv);
    return argv[1] === '-ae' ? '# handle 5309' : '';
  });
  return printed;
}

async function runCase(dir: string, name: string, backend: FirewallBackend): Promise<void> {
  const input = join(dir, `${name}.xml`);
  const expected = join(dir, `${name}-linux.${backend}`);
  const base = readFileSync(join(dir, `base.${backend}`), 'utf8');
  let actual = await dryRun(readFileSync(input, 'utf8'), backend);
  if (actual.startsWith(base)) actual = actual.slice(base.length);
  compareOutput(actual, readFileSync(expected, 'utf8'));
}

/** The suite's folder holds some cases only in part: an input without outputs, or the reverse. */
function incompleteReason(dir: string, name: string, backend: string): { incomplete?: string } {
  if (!existsSync(join(dir, `${name}.xml`))) return { incomplete: `${name}.xml is not in ${FOLDER}` };
  if (!existsSync(join(dir, `${name}-linux.${backend}`)))
    return { incomplete: `${name}-linux.${backend} is not in ${FOLDER}` };
  return {};
}

export const suite: ConformanceSuite = {
  name: 'networkxml2firewall',
  folders: [FOLDER],
  cases(root: string): ConformanceCase[] {
    const dir = join(root, FOLDER);
    const names = new Set<string>();
    for (const f of readdirSync(dir)) {
      const m = /^(.+?)(?:\.xml|-linux\.(?:iptables|nftables))$/.exec(f);
      if (m) names.add(m[1]!);
    }
    return [...names].sort().flatMap((name) =>
      FIREWALL_BACKENDS.map((backend) => ({
        name: `${name} (${backend})`,
        ...incompleteReason(dir, name, backend),
        run: () => runCase(dir, name, backend),
      })),
    );
  },
};

/**
 * qemucaps: libvirt's QEMU capability probe (tests/qemucapabilitiestest.c). Each
 * qemucapabilitiesdata/NAME.replies transcript (QMP commands with QEMU's replies, one section
 * per QEMU process) is replayed through tsvirt's probe; the result is compared with NAME.xml
 * fact by fact (version, package, arch, flags, machines, CPU models, host CPU, Hyper-V, the
 * QMP conversation itself) and as a whole cache document.
 *
 * Like libvirt's harness, the suite supplies microcodeVersion (a host fact, not a QMP one)
 * from the expected file, so the whole document can match.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  formatQemuCapsCache,
  parseQemuCapsCache,
  probeQemuCaps,
  QEMU_ACCELS,
  type QemuCaps,
  QmpReplay,
} from '../../../packages/driver-qemu/src/index.js';
import type { ConformanceCase, ConformanceSuite } from '../suite.js';
import { firstDifference } from './xml2xml-common.js';

export interface QemuCapsFact {
  readonly fact: string;
  readonly matched: number;
  readonly total: number;
  /** Expected items tsvirt did not produce. */
  readonly missing: readonly string[];
  /** Items tsvirt produced that the expected data lacks. */
  readonly extra: readonly string[];
}

export interface QemuCapsFileResult {
  readonly name: string;
  readonly facts: readonly QemuCapsFact[];
}

const FOLDER = 'qemucapabilitiesdata';

function scalar(fact: string, actual: unknown, expected: unknown): QemuCapsFact {
  const ok = actual === expected;
  return {
    fact,
    matched: ok ? 1 : 0,
    total: 1,
    missing: ok ? [] : [String(expected)],
    extra: ok ? [] : [String(actual)],
  };
}

/** Compares two lists of keyed items: an item matches when an equal one (same key and content) exists. */
function listFact<T>(fact: string, actual: readonly T[], expected: readonly T[], key: (t: T) => string): QemuCapsFact {
  const body = (t: T) => JSON.stringify(t);
  const actualBodies = new Map(actual.map((t) => [key(t), body(t)]));
  const expectedBodies = new Map(expected.map((t) => [key(t), body(t)]));
  const missing = expected.filter((t) => actualBodies.get(key(t)) !== body(t)).map(key);
  const extra = actual.filter((t) => expectedBodies.get(key(t)) !== body(t)).map(key);
  return { fact, matched: expected.length - missing.length, total: expected.length, missing, extra };
}

function orderFact(fact: string, actual: readonly string[], expected: readonly string[]): QemuCapsFact {
  const same = actual.length === expected.length && actual.every((a, i) => a === expected[i]);
  return {
    fact,
    matched: same ? 1 : 0,
    total: 1,
    missing: same ? [] : [`expected order ${expected.slice(0, 3).join(', ')}…`],
    extra: same ? [] : [`got ${actual.slice(0, 3).join(', ')}…`],
  };
}

export function compareQemuCaps(actual: QemuCaps, expected: QemuCaps): QemuCapsFact[] {
  const facts: QemuCapsFact[] = [
    scalar('version', actual.version, expected.version),
    scalar('package', actual.package, expected.package),
    scalar('arch', actual.arch, expected.arch),
    listFact('flags', [...actual.flags], [...expected.flags], (f) => f),
    orderFact('flag order', [...actual.flags], [...expected.flags]),
  ];
  for (const accel of QEMU_ACCELS) {
    const a = actual.accels[accel];
    const e = expected.accels[accel];
    facts.push(listFact(`${accel} machines`, a.machines, e.machines, (m) => m.name));
    facts.push(
      orderFact(
        `${accel} machine order`,
        a.machines.map((m) => m.name),
        e.machines.map((m) => m.name),
      ),
    );
    facts.push(listFact(`${accel} CPU models`, a.cpuModels, e.cpuModels, (c) => c.name));
    facts.push(scalar(`${accel} host CPU model`, a.hostCpu?.model, e.hostCpu?.model));
    facts.push(listFact(`${accel} host CPU properties`, a.hostCpu?.props ?? [], e.hostCpu?.props ?? [], (p) => p.name));
  }
  facts.push(listFact('Hyper-V enlightenments', actual.hyperv?.caps ?? [], expected.hyperv?.caps ?? [], (c) => c));
  return facts;
}

/** Replays one transcript through the probe and compares every fact. */
export async function runQemuCapsFile(root: string, name: string): Promise<QemuCapsFileResult> {
  const dir = join(root, FOLDER);
  const expectedText = readFileSync(join(dir, `${name}.xml`), 'utf8');
  const expected = parseQemuCapsCache(expectedText);
  const replay = QmpReplay.fromText(readFileSync(join(dir, `${name}.replies`), 'utf8'));
  const actual = await probeQemuCaps(
    { main: replay.peer(0), tcg: async () => replay.peer(1) },
    {
      emulator: expected.emulator,
      qemuCtime: expected.qemuCtime,
      selfCtime: expected.selfCtime,
      selfVers: expected.selfVers,
      ...(expected.microcodeVersion !== undefined ? { microcodeVersion: expected.microcodeVersion } : {}),
    },
  );
  const facts = compareQemuCaps(actual, expected);

  // The conversation: every recorded command asked, in the recorded order, nothing else.
  const total = replay.sections.reduce((n, s) => n + s.length, 0);
  const unused = replay.sections.flatMap((_, i) => replay.unused(i)).map((e) => e.command);
  const deviations = replay.deviations.map((d) => `${d.command} (${d.kind})`);
  facts.push({
    fact: 'QMP commands',
    matched: total - unused.length - replay.deviations.filter((d) => d.kind === 'out-of-order').length,
    total,
    missing: unused,
    extra: deviations,
  });

  const document = formatQemuCapsCache(actual);
  const same = document === expectedText;
  facts.push({
    fact: 'cache document',
    matched: same ? 1 : 0,
    total: 1,
    missing: same ? [] : [firstDifference(document, expectedText)],
    extra: [],
  });
  return { name, facts };
}

export function listQemuCapsFiles(root: string): string[] {
  return readdirSync(join(root, FOLDER))
    .filter((f) => f.endsWith('.replies'))
    .map((f) => f.slice(0, -'.replies'.length))
    .sort();
}

function describe(f: QemuCapsFact): string {
  const parts = [`${f.fact} matched ${f.matched} of ${f.total}`];
  if (f.missing.length) parts.push(`missing: ${f.missing.join(', ')}`);
  if (f.extra.length) parts.push(`extra: ${f.extra.join(', ')}`);
  return parts.join('; ');
}

export const suite: ConformanceSuite = {
  name: 'qemucaps',
  folders: [FOLDER],
  async cases(root: string): Promise<ConformanceCase[]> {
    const cases: ConformanceCase[] = [];
    for (const name of listQemuCapsFiles(root)) {
      let result: QemuCapsFileResult;
      try {
        result = await runQemuCapsFile(root, name);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        cases.push({
          name: `${name}: probe`,
          run: () => {
            throw new Error(reason);
          },
        });
        continue;
      }
      for (const f of result.facts) {
        cases.push({
          name: `${name}: ${f.fact} (${f.matched}/${f.total})`,
          run: () => {
            if (f.matched !== f.total || f.extra.length > 0) throw new Error(describe(f));
          },
        });
      }
    }
    return cases;
  },
};

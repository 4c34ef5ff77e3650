/**
 * Host and bulk statistics through tsvirtd: Debian's virsh and libvirt-python (/usr/bin/python3)
 * against tsvirtd's test:///default print exactly what they print in-process on libvirt's own
 * test driver (NODE_GET_CELLS_FREE_MEMORY, NODE_GET_CPU_STATS, NODE_GET_MEMORY_STATS,
 * NODE_GET_CPU_MAP, CONNECT_GET_CPU_MODEL_NAMES, CONNECT_GET_ALL_DOMAIN_STATS).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProgram, runVirsh, virshAvailable } from '../cli/run-both.js';
import { tsvirtdForSuite } from './daemon-pair.js';
import type { Tsvirtd } from './tsvirtd.js';

const hasVirsh = virshAvailable();
const PYTHON = '/usr/bin/python3';

/** libvirt-python's view of the same APIs, printed one fact a line (errors as code/domain/message). */
const PY_SCRIPT = `
import sys, libvirt
libvirt.registerErrorHandler(lambda *a: None, None)
c = libvirt.open(sys.argv[1])
def show(label, f):
    try:
        r = f()
        if isinstance(r, list) and r and isinstance(r[0], tuple):
            r = [(d.name(), sorted(p.items())) for d, p in r]
        print(label, r)
    except libvirt.libvirtError as e:
        print(label, 'ERR', e.get_error_code(), e.get_error_domain(), e.get_error_message())
show('all', lambda: c.getAllDomainStats())
show('state+cpu', lambda: c.getAllDomainStats(libvirt.VIR_DOMAIN_STATS_STATE | libvirt.VIR_DOMAIN_STATS_CPU_TOTAL))
show('enforce', lambda: c.getAllDomainStats(libvirt.VIR_DOMAIN_STATS_PERF, libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS))
show('badflag', lambda: c.getAllDomainStats(0, 1 << 28))
show('inactive', lambda: c.getAllDomainStats(0, libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE))
d = c.lookupByName('test')
show('list', lambda: c.domainListGetStats([d, d], libvirt.VIR_DOMAIN_STATS_STATE))
show('cpustats', lambda: c.getCPUStats(-1))
show('cpustats3', lambda: c.getCPUStats(3))
show('memstats', lambda: c.getMemoryStats(-1))
show('cells', lambda: c.getCellsFreeMemory(0, 8))
show('cells1', lambda: c.getCellsFreeMemory(1, 1))
show('cpumap', lambda: c.getCPUMap())
show('models', lambda: c.getCPUModelNames('x86_64'))
show('models-arm', lambda: c.getCPUModelNames('aarch64'))
show('models-bad', lambda: c.getCPUModelNames('sparc'))
d.destroy()
show('after-destroy', lambda: c.getAllDomainStats(0, libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE))
show('list-after-destroy', lambda: c.domainListGetStats([d]))
`;

const COMMANDS = [
  'freecell',
  'freecell --all',
  'freecell --cellno 1',
  'freecell --cellno 3',
  'nodecpustats',
  'nodecpustats --cpu 2',
  'nodecpustats --cpu -2',
  'nodememstats',
  'nodecpumap',
  'nodecpumap --pretty',
  'cpu-models x86_64',
  'cpu-models ppc64',
  'cpu-models armv7l',
  'cpu-models sparc',
  'cpu-models nope',
  'domstats',
  'domstats --raw --state --cpu-total --balloon --vcpu --interface --block --iothread',
  'domstats --enforce --block',
  'domstats test test',
  'domstats nope',
  'destroy test; domstats --list-active; domstats --list-shutoff --state; domstats --list-running test',
];

describe.skipIf(!hasVirsh)('host statistics: virsh and libvirt-python through tsvirtd', () => {
  const suite = tsvirtdForSuite();
  const d = (): Tsvirtd => suite.ours;
  let work = '';
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tsvirt-host-stats-'));
    await writeFile(join(work, 'stats.py'), PY_SCRIPT);
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  for (const cmd of COMMANDS) {
    it(cmd, async () => {
      const local = await runVirsh(['-c', 'test:///default', cmd]);
      const remote = await runVirsh(['-c', d().unixUri(), cmd]);
      expect(remote).toEqual(local);
    });
    it(`read-only socket: ${cmd}`, async () => {
      const local = await runVirsh(['-r', '-c', 'test:///default', cmd]);
      const remote = await runVirsh(['-c', d().roUri(), cmd]);
      expect(remote).toEqual(local);
    });
  }

  it('nodecpustats --percent (two samples a second apart)', async () => {
    const [local, remote] = await Promise.all([
      runVirsh(['-c', 'test:///default', 'nodecpustats --percent']),
      runVirsh(['-c', d().unixUri(), 'nodecpustats --percent']),
    ]);
    expect(remote).toEqual(local);
  });

  it.skipIf(!existsSync(PYTHON))(
    'libvirt-python: getAllDomainStats, domainListGetStats and the node APIs',
    async () => {
      const script = join(work, 'stats.py');
      const local = await runProgram(PYTHON, [script, 'test:///default']);
      const remote = await runProgram(PYTHON, [script, d().unixUri()]);
      expect(local.status).toBe(0);
      expect(remote).toEqual(local);
      expect(local.stdout).toContain("all [('test', [('state.reason', 0), ('state.state', 1)])]");
    },
  );
});

/**
 * Command sequences for setmem, setmaxmem and setvcpus on test:///default: sizes and units,
 * affect flags on running, shut-off and transient domains, virsh's own option checks, and what
 * dominfo / dumpxml / vcpucount show afterwards.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function resizeCases(dir: string): Record<string, string[]> {
  const xml = join(dir, 'small.xml');
  writeFileSync(
    xml,
    `<domain type='test'><name>small</name><memory>1048576</memory><currentMemory>524288</currentMemory>
  <vcpu current='1'>4</vcpu><os><type>hvm</type></os></domain>`,
  );
  // No dominfo: its CPU time moves between the two runs.
  const info = 'vcpucount test; dumpxml test';
  return {
    help: ['help setmem', 'help setmaxmem', 'help setvcpus'],
    setmem: [
      `setmem test 100M; ${info}`,
      `setmem test --size 300000 --live; ${info}`,
      'setmem test 1x',
      'setmem test 1zz',
      'setmem test -5',
      'setmem test 0',
      'setmem test 99999999999999999999',
      'setmem test 18446744073709551615G',
      'setmem test 1b; dumpxml test',
      'setmem test 1.5M',
      'setmem test 10GB',
      'setmem test 100 --current --live',
      'setmem test 100 --current --config',
      `setmem test 200000 --config; ${info}`,
      'setmem nosuch 100',
      'setmem test',
      `destroy test; setmem test 200000 --config; ${info}`,
      `destroy test; setmem test 200000; ${info}`,
      `destroy test; setmem test 200000 --current; ${info}`,
      `create ${xml}; setmem small 100000 --config`,
    ],
    setmaxmem: [
      'setmaxmem test 100M',
      'setmaxmem test 100M --live',
      `setmaxmem test 2G --config; ${info}`,
      `destroy test; setmaxmem test 2G; ${info}`,
      `destroy test; setmaxmem test 1000; ${info}`,
      'setmaxmem test 1q',
      'setmaxmem test 0',
      'setmaxmem test 0 --config',
      'setmaxmem test 100 --current --config',
      `create ${xml}; setmaxmem small 2G; setmaxmem small 2G --config`,
    ],
    setvcpus: [
      `setvcpus test 1; ${info}`,
      `setvcpus test 2 --live; ${info}`,
      `setvcpus test 4 --maximum --config; ${info}`,
      'setvcpus test 4 --maximum',
      'setvcpus test 4 --maximum --live',
      'setvcpus test 2 --guest',
      'setvcpus test 2 --guest --config',
      'setvcpus test 2 --hotpluggable',
      'setvcpus test 2 --current --live',
      'setvcpus test x',
      'setvcpus test -1',
      'setvcpus test 0',
      'setvcpus nosuch 0',
      'setvcpus test 1x',
      'setvcpus test 999',
      `destroy test; setvcpus test 1 --config; ${info}`,
      `destroy test; setvcpus test 1; ${info}`,
      `destroy test; setvcpus test 1 --current; ${info}`,
      `create ${xml}; setvcpus small 2; setvcpus small 3 --config; vcpucount small`,
    ],
  };
}

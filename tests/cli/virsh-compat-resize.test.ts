/**
 * setmem, setmaxmem and setvcpus: the same command sequences through libvirt's own
 * `virsh -c test:///default` and through tsvirsh must print the same stdout and stderr and exit alike.
 */
import { resizeCases } from './resize-cases.js';
import { describeSameOutput } from './same-output.js';

describeSameOutput(
  'setmem, setmaxmem and setvcpus: tsvirsh matches virsh on test:///default',
  'tests/cli/virsh-compat-resize',
  resizeCases,
);

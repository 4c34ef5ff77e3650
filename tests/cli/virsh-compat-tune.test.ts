/**
 * memtune, blkiotune, numatune, domblkinfo, domtime and domfsinfo: the same command sequences
 * through libvirt's own `virsh -c test:///default` and through tsvirsh must print the same
 * stdout and stderr and exit alike (values, "unlimited", unit scaling, every error wording,
 * --live/--config/--current on running, shut-off and transient domains, the XML written back).
 */
import { describeSameOutput } from './same-output.js';
import { tuneCases } from './tune-cases.js';

describeSameOutput(
  'tuning and block-info commands: tsvirsh matches virsh on test:///default',
  'tests/cli/virsh-compat-tune',
  tuneCases,
);

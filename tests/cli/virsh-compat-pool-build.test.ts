/** pool-build, pool-delete and pool-refresh: tsvirsh and virsh print and exit alike. */
import { describeSameOutput } from './same-output.js';

describeSameOutput('pool-build, pool-delete, pool-refresh match virsh', import.meta.url, () => ({
  'pool-build': [
    'pool-build default-pool',
    'pool-destroy default-pool; pool-build default-pool; pool-build --pool default-pool',
    'pool-build default-pool --overwrite; pool-build default-pool --no-overwrite',
    'pool-build default-pool --overwrite --no-overwrite',
    'pool-destroy default-pool; pool-build default-pool --overwrite',
    'pool-build nope; pool-build; pool-build default-pool --bogus',
    'help pool-build; pool-build --help',
  ],
  'pool-delete': [
    'pool-delete default-pool',
    'pool-destroy default-pool; pool-delete default-pool; pool-list --all',
    'pool-delete nope; pool-delete',
    'help pool-delete',
  ],
  'pool-refresh': [
    'pool-refresh default-pool; pool-refresh --pool default-pool',
    'pool-destroy default-pool; pool-refresh default-pool',
    'pool-refresh nope; pool-refresh',
    'help pool-refresh',
  ],
}));

/** domrename: tsvirsh and virsh print and exit alike. */
import { describeSameOutput } from './same-output.js';

describeSameOutput('domrename matches virsh', import.meta.url, () => ({
  domrename: [
    'domrename test t2',
    'destroy test; domrename test t2; list --all; domrename t2 t2; domrename --domain t2 --new-name t3; domstate t3; domid t3',
    "destroy test; domrename test ''; domrename nope ''; domrename nope x",
    "destroy test; domrename test 'a b'; list --all --name",
    'destroy test; domrename test; domrename',
    'help domrename; domrename --help',
  ],
}));

/** iothreadinfo, iothreadpin, iothreadadd and iothreaddel: tsvirsh beside virsh on test:///default. */
import { describeSameOutput } from './same-output.js';

describeSameOutput('IOThread commands print what virsh prints', 'iothread.test.ts', () => ({
  iothreadinfo: [
    'iothreadinfo test',
    'iothreadadd test 3; iothreadinfo test; iothreadinfo test --config; iothreadinfo test --live',
    'iothreadadd test 2 --config; iothreadinfo test --config; iothreadinfo test --current --live',
    'destroy test; iothreadinfo test; iothreadadd test 4; iothreadinfo test; iothreadinfo test --live',
    'iothreadinfo nosuch',
  ],
  iothreadpin: [
    'iothreadadd test 3; iothreadpin test 3 1; iothreadinfo test; dumpxml test',
    'iothreadadd test 3; iothreadpin test 3 9; iothreadpin test 3 abc; iothreadpin test 5 1; iothreadpin test 3 1 --config',
    'iothreadadd test 3; iothreadpin test x 1; iothreadpin test 3 r; iothreadinfo test',
  ],
  'iothreadadd and iothreaddel': [
    'iothreadadd test 3; iothreadadd test 3; iothreadadd test 0; iothreadadd test -1; iothreadadd test abc',
    'iothreadadd test 3; iothreaddel test 5; iothreaddel test 0; iothreaddel test 3; iothreadinfo test; dumpxml test',
    'iothreadadd test 3 --live --config; iothreadadd test 3 --current --live; iothreaddel test 3 --config',
  ],
}));

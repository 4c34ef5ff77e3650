/**
 * Run as its own process by restart.test.ts: opens qemu:///embed?root=ROOT, prints "ready" and
 * keeps the driver open until its standard input ends.
 */
import { connect } from '@tsvirt/core';

const conn = await connect(`qemu:///embed?root=${process.argv[2]}`);
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', () => {
  void conn.close().then(() => process.exit(0));
});

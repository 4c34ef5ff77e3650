/**
 * Run as its own process by restart.test.ts: opens qemu:///embed?root=ROOT, defines and starts
 * the guest from the XML on stdin, prints its pid, and exits without stopping it, as a
 * process hosting the driver would when it is restarted.
 */
import { readFileSync } from 'node:fs';
import { connect } from '@tsvirt/core';

const root = process.argv[2];
const conn = await connect(`qemu:///embed?root=${root}`);
const dom = await conn.defineDomainXml(readFileSync(0, 'utf8'));
await dom.create();
process.stdout.write(`${dom.getID()}\n`);
await conn.close();

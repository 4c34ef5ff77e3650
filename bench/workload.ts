/** The benchmark workload, run through tsvirt's public API on test:///default. */
import { connect } from '@tsvirt/core';
import { domainXml, type WorkloadTimes } from './shared.js';

export async function runTsvirtWorkload(n: number): Promise<WorkloadTimes> {
  const conn = await connect('test:///default');
  try {
    const names = Array.from({ length: n }, (_, i) => `bench-${i}`);
    let t = performance.now();
    const doms = [];
    for (const name of names) doms.push(await conn.defineDomainXml(domainXml(name)));
    const define = performance.now() - t;

    t = performance.now();
    for (const name of names) await (await conn.lookupDomainByName(name)).getXmlDesc();
    const lookupDumpxml = performance.now() - t;

    t = performance.now();
    const all = await conn.listAllDomains();
    const listAll = performance.now() - t;
    if (all.length !== n + 1) throw new Error(`listAllDomains returned ${all.length}, expected ${n + 1}`);

    t = performance.now();
    for (const dom of doms) await dom.undefine();
    const undefine = performance.now() - t;
    return { define, lookupDumpxml, listAll, undefine };
  } finally {
    await conn.close();
  }
}

/**
 * core's apiErrorDomain (the module an API reports its refusals in, used in process) must agree
 * with the domain libvirtd reports for every API of libvirt 9.0's protocol (the generated table).
 */
import { apiErrorDomain } from '@tsvirt/core';
import { describe, expect, it } from 'vitest';
import { QemuProcedureApis, RemoteProcedureApis } from '../src/protocol/procedure-apis.js';

describe('apiErrorDomain', () => {
  it("gives libvirtd's error domain for every API of the remote and qemu programs", () => {
    const apis = [...RemoteProcedureApis.values(), ...QemuProcedureApis.values()];
    expect(apis.length).toBeGreaterThan(350);
    const wrong = apis.filter((a) => apiErrorDomain(a.api) !== a.domain).map((a) => `${a.api} ${a.domain}`);
    expect(wrong).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { runTsvirsh } from './run-both.js';

/** `--json`: one JSON document per command on stdout, errors on stderr as virsh prints them. */
describe('tsvirsh --json', () => {
  it('lists domains as objects', async () => {
    const r = await runTsvirsh(['-c', 'test:///default', '--json', 'list', '--all']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { id: 1, name: 'test', uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f', state: 'running' },
    ]);
  });

  it('gives one document per command of a sequence', async () => {
    const r = await runTsvirsh([
      '-c',
      'test:///default',
      '--json',
      'domstate test --reason; suspend test; domstate test',
    ]);
    const docs = r.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(docs).toHaveLength(3);
    expect(docs[0]).toMatchObject({ state: 'running' });
    expect(docs[1]).toMatchObject({ ok: true });
    expect(docs[2]).toMatchObject({ state: 'paused' });
  });

  it("reports failures with libvirt's code and keeps virsh's stderr and exit status", async () => {
    const r = await runTsvirsh(['-c', 'test:///default', '--json', 'destroy test; destroy test']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      "error: Failed to destroy domain 'test'\nerror: Requested operation is not valid: domain is not running\n",
    );
    const [done, failed] = r.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(done).toEqual({ ok: true, message: "Domain 'test' destroyed" });
    expect(failed).toMatchObject({ error: { code: 55, codeName: 'OPERATION_INVALID', domain: 20 } });
  });
});

import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/errors/codes.js';
import { formatDomainSnapshotXml, parseDomainSnapshotXml } from '../../../src/xml/snapshot/index.js';
import { HAVE_SCHEMAS, HAVE_XMLLINT, relaxngErrors } from '../network/helpers.js';

const DOMAIN = `<domain type='test'>
  <name>test</name>
  <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>
  <memory unit='KiB'>8388608</memory>
  <currentMemory unit='KiB'>2097152</currentMemory>
  <vcpu placement='static'>2</vcpu>
  <os>
    <type arch='i686'>hvm</type>
    <boot dev='hd'/>
  </os>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <memballoon model='none'/>
  </devices>
</domain>
`;

const REDEFINE = `<domainsnapshot>
  <name>s1</name>
  <description>before upgrade</description>
  <state>running</state>
  <parent>
    <name>s0</name>
  </parent>
  <creationTime>1700000000</creationTime>
  <memory snapshot='external' file='/var/lib/snap/s1.mem'/>
  <disks>
    <disk name='vda' snapshot='external' type='file'>
      <driver type='qcow2'/>
      <source file='/var/lib/snap/s1.qcow2'/>
    </disk>
    <disk name='vdb' snapshot='no'/>
  </disks>
${DOMAIN.trimEnd()
  .split('\n')
  .map((l) => `  ${l}`)
  .join('\n')}
</domainsnapshot>
`;

describe('domain snapshot XML', () => {
  it('new snapshots get a creation time and, without a name, are named after it', () => {
    const def = parseDomainSnapshotXml(
      '<domainsnapshot><description>d</description><state>paused</state></domainsnapshot>',
      {
        now: () => 1234,
      },
    );
    expect(def).toMatchObject({ name: '1234', creationTime: 1234, description: 'd' });
    expect(def.state).toBeUndefined();
  });

  it('round-trips a redefined snapshot with its embedded domain', () => {
    const def = parseDomainSnapshotXml(REDEFINE, { redefine: true });
    expect(def.parent).toBe('s0');
    expect(def.domainXml).toBe(DOMAIN);
    expect(formatDomainSnapshotXml(def)).toBe(REDEFINE);
  });

  it('embeds domain XML given by the caller', () => {
    const out = formatDomainSnapshotXml({ name: 'a', state: 'shutoff', creationTime: 5 }, { domainXml: DOMAIN });
    expect(out).toContain("\n  <domain type='test'>\n    <name>test</name>\n");
    expect(out.endsWith('  </domain>\n</domainsnapshot>\n')).toBe(true);
  });

  it('rejects bad input', () => {
    expect(() => parseDomainSnapshotXml('<domainsnapshot><name>a</name></domainsnapshot>', { redefine: true })).toThrow(
      expect.objectContaining({ code: ErrorCode.XML_ERROR }),
    );
    expect(() => parseDomainSnapshotXml("<domainsnapshot><memory snapshot='external'/></domainsnapshot>")).toThrow(
      expect.objectContaining({
        code: ErrorCode.XML_ERROR,
        message: 'XML error: external memory snapshots require a filename',
      }),
    );
    expect(() => parseDomainSnapshotXml('<snapshot/>')).toThrow(expect.objectContaining({ code: ErrorCode.XML_ERROR }));
  });

  it.skipIf(!HAVE_SCHEMAS || !HAVE_XMLLINT)('formatter output validates against domainsnapshot.rng', () => {
    const docs = [
      formatDomainSnapshotXml(parseDomainSnapshotXml(REDEFINE, { redefine: true })),
      formatDomainSnapshotXml({ name: 'b', creationTime: 9, domainUuid: '6695eb01-f6a4-8304-79aa-97f2502e193f' }),
    ];
    expect(relaxngErrors('domainsnapshot.rng', docs)).toBe('');
  });
});

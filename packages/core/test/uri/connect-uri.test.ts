import { describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain } from '../../src/errors/codes.js';
import { formatConnectUri, isRemoteUri, parseConnectUri, uriParam } from '../../src/uri/connect-uri.js';
import { parseClientConfig, resolveAlias } from '../../src/uri/default-uri.js';

describe('parseConnectUri', () => {
  it('splits driver, transport, user, host, port, path and params', () => {
    const u = parseConnectUri('qemu+ssh://root@host.example:2222/system?keyfile=%2Froot%2Fid&no_verify=1');
    expect(u).toMatchObject({
      scheme: 'qemu+ssh',
      driver: 'qemu',
      transport: 'ssh',
      user: 'root',
      host: 'host.example',
      port: 2222,
      path: '/system',
    });
    expect(uriParam(u, 'keyfile')).toBe('/root/id');
    expect(uriParam(u, 'no_verify')).toBe('1');
    expect(isRemoteUri(u)).toBe(true);
  });

  it('reads local URIs with an empty authority', () => {
    const u = parseConnectUri('test:///default');
    expect(u).toMatchObject({ driver: 'test', transport: undefined, host: undefined, path: '/default' });
    expect(isRemoteUri(u)).toBe(false);
    expect(parseConnectUri('qemu:///embed?root=/tmp/x%20y').params).toEqual([['root', '/tmp/x y']]);
  });

  it('handles IPv6 hosts and keeps repeated parameters in order', () => {
    const u = parseConnectUri('qemu+tcp://[::1]:16509/system?a=1&a=2');
    expect(u.host).toBe('::1');
    expect(u.port).toBe(16509);
    expect(u.params).toEqual([
      ['a', '1'],
      ['a', '2'],
    ]);
    expect(uriParam(u, 'a')).toBe('2');
  });

  it.each([
    '',
    'no-scheme',
    '1qemu:///x',
    'qemu://host:99999/system',
    'qemu://[::1/system',
    'test:///a b',
    'qemu://h/%zz',
    'test:default',
  ])('rejects %j with VIR_ERR_INVALID_ARG from VIR_FROM_URI', (text) => {
    try {
      parseConnectUri(text);
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: ErrorCode.INVALID_ARG, domain: ErrorDomain.URI });
      expect((err as Error).message).toMatch(/^invalid argument: Unable to parse URI /);
    }
  });

  it('formats back to the same text', () => {
    for (const text of [
      'test:///default',
      'qemu+ssh://root@host:22/system?keyfile=/root/id',
      'qemu+tcp://[::1]:16509/system',
    ]) {
      expect(formatConnectUri(parseConnectUri(text))).toBe(text);
    }
  });
});

describe('client configuration', () => {
  it('reads uri_default and uri_aliases in libvirt.conf syntax', () => {
    const conf = parseClientConfig(`# comment
uri_default = "test:///default"
uri_aliases = [
  "hail=qemu+ssh://root@hail.cloud.example.com/system",
  "sleet=qemu+ssh://root@sleet.cloud.example.com/system",
]
`);
    expect(conf.uri_default).toBe('test:///default');
    expect(resolveAlias('sleet', conf.uri_aliases)).toBe('qemu+ssh://root@sleet.cloud.example.com/system');
    expect(resolveAlias('test:///default', conf.uri_aliases)).toBe('test:///default');
    expect(resolveAlias('other', conf.uri_aliases)).toBe('other');
  });

  it('refuses a malformed file with VIR_ERR_CONF_SYNTAX', () => {
    expect(() => parseClientConfig('uri_default "x"')).toThrow(
      expect.objectContaining({ code: ErrorCode.CONF_SYNTAX }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { parseDaemonArgs } from '../src/cli-args.js';
import { ConfigError, parseConf } from '../src/config.js';
import { checkSettings, settingsFromConf } from '../src/settings.js';

describe('libvirtd.conf syntax', () => {
  it('reads strings, integers, lists and comments', () => {
    const conf = parseConf(
      [
        '# a comment',
        'unix_sock_dir = "/tmp/x"   # trailing comment',
        "unix_sock_group = 'libvirt'",
        'listen_tcp = 1',
        'tcp_port = "16600"',
        'access_drivers = [ "polkit",',
        '   "nop" ]',
        'max_clients=-3',
        '',
      ].join('\n'),
    );
    expect(Object.fromEntries(conf)).toEqual({
      unix_sock_dir: '/tmp/x',
      unix_sock_group: 'libvirt',
      listen_tcp: 1,
      tcp_port: '16600',
      access_drivers: ['polkit', 'nop'],
      max_clients: -3,
    });
  });

  it('reports syntax errors with the file and line', () => {
    expect(() => parseConf('a = 1\nb 2\n', 'f.conf')).toThrow(/f\.conf:2: expecting an assignment/);
    expect(() => parseConf('a = "x\n', 'f.conf')).toThrow(ConfigError);
    expect(() => parseConf('a = [1 2]', 'f.conf')).toThrow(/separator in list/);
  });
});

describe('daemon settings', () => {
  it('defaults: 0600 read-write socket, 0666 read-only socket, no TCP, loopback, port 16509', () => {
    const s = settingsFromConf(new Map(), { XDG_RUNTIME_DIR: '/run/user/1' });
    expect(s).toMatchObject({
      unixSockRwPerms: 0o600,
      unixSockRoPerms: 0o666,
      listenTcp: false,
      listenAddr: '127.0.0.1',
      tcpPort: 16509,
      authTcp: 'none',
      busyPollUs: 200,
    });
  });

  it("reads tsvirtd's busy_poll_us, 0 to 10000 µs", () => {
    expect(settingsFromConf(parseConf('busy_poll_us = 0')).busyPollUs).toBe(0);
    expect(settingsFromConf(parseConf('busy_poll_us = 500')).busyPollUs).toBe(500);
    expect(() => settingsFromConf(parseConf('busy_poll_us = 20000'))).toThrow(
      'busy_poll_us: 20000 is not between 0 and 10000',
    );
    expect(() => settingsFromConf(parseConf('busy_poll_us = "x"'))).toThrow('busy_poll_us: expected an integer');
  });

  it('reads libvirtd keys', () => {
    const s = settingsFromConf(
      parseConf('unix_sock_rw_perms = "0770"\ntcp_port = "16600"\nlisten_tcp = 1\nlog_level = 1\nunix_sock_dir = "/d"'),
    );
    expect(s).toMatchObject({
      unixSockRwPerms: 0o770,
      tcpPort: 16600,
      listenTcp: true,
      logLevel: 1,
      unixSockDir: '/d',
    });
  });

  it('refuses bad values', () => {
    expect(() => settingsFromConf(parseConf('unix_sock_rw_perms = "rw"'))).toThrow("Failed to parse mode 'rw'");
    expect(() => settingsFromConf(parseConf('auth_tcp = "kerberos"'))).toThrow('unknown authentication type kerberos');
    expect(() => settingsFromConf(parseConf('tcp_port = 70000'))).toThrow(/not a port/);
  });

  it('refuses auth none on a non-loopback TCP address unless explicitly allowed', () => {
    const open = settingsFromConf(parseConf('listen_tls = 0\nlisten_tcp = 1\nlisten_addr = "0.0.0.0"'));
    expect(() => checkSettings(open, true)).toThrow(/refusing auth_tcp = "none" on non-loopback address '0.0.0.0'/);
    expect(() => checkSettings(open, false)).not.toThrow();
    const allowed = settingsFromConf(
      parseConf('listen_tls = 0\nlisten_tcp = 1\nlisten_addr = "0.0.0.0"\ntcp_allow_insecure_none = 1'),
    );
    expect(() => checkSettings(allowed, true)).not.toThrow();
    const loopback = settingsFromConf(parseConf('listen_tls = 0\nlisten_tcp = 1\nlisten_addr = "::1"'));
    expect(() => checkSettings(loopback, true)).not.toThrow();
  });

  it('refuses TLS without its files, SASL and polkit', () => {
    const trio =
      'ca_file = "/nonexistent/tsvirt/cacert.pem"\ncert_file = "/nonexistent/c.pem"\nkey_file = "/nonexistent/k.pem"';
    const missing = settingsFromConf(parseConf(trio));
    expect(() => checkSettings(missing, true)).toThrow(
      "Cannot read CA certificate '/nonexistent/tsvirt/cacert.pem': No such file or directory",
    );
    expect(() => checkSettings(missing, false)).not.toThrow();
    // As libvirtd: one of the three set means all three must be.
    const onlyCa = settingsFromConf(parseConf('ca_file = "/nonexistent/tsvirt/cacert.pem"'));
    expect(() => checkSettings(onlyCa, true)).toThrow('No server certificate path set to match server key');
    const onlyCert = settingsFromConf(parseConf('cert_file = "/c.pem"'));
    expect(() => checkSettings(onlyCert, true)).toThrow('No CA certificate path set to match server key/cert');
    const tlsSasl = settingsFromConf(parseConf('auth_tls = "sasl"'));
    expect(() => checkSettings(tlsSasl, true)).toThrow(/auth_tls = "sasl": tsvirtd supports only auth "none"/);
    expect(() => checkSettings(settingsFromConf(parseConf('auth_unix_rw = "sasl"')), false)).toThrow(
      /auth_unix_rw = "sasl": tsvirtd supports only auth "none"/,
    );
  });
});

describe('tsvirtd arguments', () => {
  it("parses libvirtd's options", () => {
    expect(parseDaemonArgs(['-l', '--config', 'f', '-p', 'pid', '--timeout=30', '-v'])).toEqual({
      listen: true,
      config: 'f',
      pidFile: 'pid',
      timeout: 30,
      verbose: true,
      help: false,
      version: false,
    });
    expect(() => parseDaemonArgs(['--bogus'])).toThrow("unrecognized option '--bogus'");
    expect(() => parseDaemonArgs(['--config'])).toThrow("option '--config' requires an argument");
    expect(() => parseDaemonArgs(['-t', 'x'])).toThrow("Invalid value for timeout 'x'");
  });
});

import { type ConnectUri, ErrorCode, ErrorDomain, uriParam, VirError } from '@tsvirt/core';

/** Which program relays the stream on the far side (URI `proxy=`). */
export type SshProxy = 'auto' | 'netcat' | 'native';

/** POSIX shell single-quoting: the result is one word whatever `s` holds. */
export function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function parseProxy(value: string | undefined): SshProxy {
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === 'netcat' || value === 'native') return value;
  throw new VirError({
    code: ErrorCode.INVALID_ARG,
    domain: ErrorDomain.REMOTE,
    message: `invalid argument: Unknown remote proxy '${value}'`,
  });
}

function flag(uri: ConnectUri, name: string): boolean {
  const v = uriParam(uri, name);
  return v !== undefined && v !== '' && v !== '0';
}

export interface SshRemoteCommand {
  proxy: SshProxy;
  /** `netcat=`: the nc binary on the far side (choosing it implies the netcat proxy in auto mode). */
  netcat?: string;
  /** The far side's daemon socket, for nc. */
  socket: string;
  /** The URI the far side's virt-ssh-helper should open. */
  driverUri: string;
  readOnly: boolean;
}

/**
 * The command run on the far host. sshd hands it to the remote user's shell, so it is built from
 * quoted words only: `sh -c SCRIPT` where SCRIPT is itself a quoted word. Modern hosts run
 * `virt-ssh-helper URI` (which finds the right daemon itself); older ones `nc -U SOCKET`, with
 * `-q0` where that nc needs it to exit at end of input. `auto` prefers the helper when installed.
 */
export function sshRemoteCommand(c: SshRemoteCommand): string {
  let proxy = c.proxy;
  if (proxy === 'auto' && c.netcat !== undefined) proxy = 'netcat';
  if (proxy === 'native' && c.netcat !== undefined) {
    throw new VirError({
      code: ErrorCode.INVALID_ARG,
      domain: ErrorDomain.REMOTE,
      message: 'invalid argument: netcat path not valid with native proxy mode',
    });
  }
  const nc = shellQuote(c.netcat ?? 'nc');
  const ncScript =
    `if ${nc} -q 2>&1 | grep 'requires an argument' >/dev/null 2>&1; then ARG=-q0; else ARG=; fi; ` +
    `exec ${nc} $ARG -U ${shellQuote(c.socket)}`;
  const helper = `exec virt-ssh-helper${c.readOnly ? ' -r' : ''} ${shellQuote(c.driverUri)}`;
  const script =
    proxy === 'native'
      ? helper
      : proxy === 'netcat'
        ? ncScript
        : `if command -v virt-ssh-helper >/dev/null 2>&1; then ${helper}; else ${ncScript}; fi`;
  return `sh -c ${shellQuote(script)}`;
}

/**
 * The argument vector for the system ssh (URI `command=` names another binary). ssh reads
 * ~/.ssh/config itself. `keyfile=` → -i, `known_hosts=` → UserKnownHostsFile,
 * `known_hosts_verify=` normal|auto|ignore → StrictHostKeyChecking yes-as-configured|accept-new|no,
 * `no_verify=1` → StrictHostKeyChecking=no, `no_tty=1` → no terminal and no prompts (BatchMode).
 */
export function sshArgv(uri: ConnectUri, remoteCommand: string): string[] {
  const argv = [uriParam(uri, 'command') || 'ssh'];
  if (uri.port !== undefined) argv.push('-p', String(uri.port));
  if (uri.user) argv.push('-l', uri.user);
  const keyfile = uriParam(uri, 'keyfile');
  if (keyfile) argv.push('-i', keyfile);
  const knownHosts = uriParam(uri, 'known_hosts');
  if (knownHosts) argv.push('-o', `UserKnownHostsFile=${knownHosts}`);
  const verify = uriParam(uri, 'known_hosts_verify');
  if (verify === 'auto') argv.push('-o', 'StrictHostKeyChecking=accept-new');
  else if (verify === 'ignore') argv.push('-o', 'StrictHostKeyChecking=no');
  else if (verify !== undefined && verify !== 'normal') {
    throw new VirError({
      code: ErrorCode.INVALID_ARG,
      domain: ErrorDomain.REMOTE,
      message: `invalid argument: Unknown known_hosts_verify value '${verify}'`,
    });
  }
  if (flag(uri, 'no_tty')) argv.push('-T', '-o', 'BatchMode=yes');
  argv.push('-e', 'none');
  if (flag(uri, 'no_verify')) argv.push('-o', 'StrictHostKeyChecking=no');
  argv.push('--', uri.host || 'localhost', remoteCommand);
  return argv;
}

export function sshProxyOf(uri: ConnectUri): SshProxy {
  return parseProxy(uriParam(uri, 'proxy'));
}

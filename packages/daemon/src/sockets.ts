import { existsSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdir, unlink } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';

/** Is something accepting connections on this unix socket path? */
function inUse(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ path });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** A group name (or number) from /etc/group, as libvirtd resolves unix_sock_group. */
export function groupId(group: string): number {
  if (/^\d+$/.test(group)) return Number(group);
  const text = existsSync('/etc/group') ? readFileSync('/etc/group', 'utf8') : '';
  for (const line of text.split('\n')) {
    const [name, , gid] = line.split(':');
    if (name === group && gid) return Number(gid);
  }
  throw new Error(`Failed to find group '${group}'`);
}

export interface UnixSocketSpec {
  path: string;
  mode: number;
  gid?: number;
}

/**
 * Listen on a unix socket with libvirtd's rules: the directory is created, a stale socket file
 * left by a dead daemon is removed, a live one is an error; then mode and group are applied.
 */
export async function listenUnix(spec: UnixSocketSpec, onClient: (s: Socket) => void): Promise<Server> {
  await mkdir(spec.path.slice(0, spec.path.lastIndexOf('/')) || '/', { recursive: true, mode: 0o755 });
  if (existsSync(spec.path)) {
    if (await inUse(spec.path)) throw new Error(`Failed to bind socket to '${spec.path}': Address already in use`);
    await unlink(spec.path);
  }
  const server = createServer(onClient);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ path: spec.path }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  await chmod(spec.path, spec.mode);
  if (spec.gid !== undefined) await chown(spec.path, -1, spec.gid);
  return server;
}

/**
 * Listen on a TCP address and port. Nagle is off on every accepted socket (TCP_NODELAY), as
 * libvirtd sets it: a reply is one write and must not wait for the ACK of the previous one.
 */
export async function listenTcp(host: string, port: number, onClient: (s: Socket) => void): Promise<Server> {
  const server = createServer({ noDelay: true }, onClient);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `Failed to bind socket to ${host}:${port}: ${err.code === 'EADDRINUSE' ? 'Address already in use' : err.message}`,
        ),
      ),
    );
    server.listen({ host, port }, () => resolve());
  });
  return server;
}

/**
 * Where a qemu:/// connection keeps its files. The three URIs differ only in the roots:
 * system uses the host-wide directories, session the user's XDG directories, and embed puts
 * everything under the root= the caller gives, so tests and embedding apps never touch /etc.
 */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { type ConnectUri, ErrorCode, ErrorDomain, uriParam, VirError } from '@tsvirt/core';

export type QemuUriKind = 'system' | 'session' | 'embed';

export interface QemuPaths {
  readonly kind: QemuUriKind;
  /** Persistent domain definitions (NAME.xml). */
  readonly configDir: string;
  /** Links to the definitions of autostarted domains. */
  readonly autostartDir: string;
  /** Live state: status files, monitor sockets, pid files. Cleared at reboot on a real host. */
  readonly stateDir: string;
  /** Per-domain private directories and managed-save images. */
  readonly libDir: string;
  readonly logDir: string;
  /** Probed capabilities, keyed by emulator path and ctime. */
  readonly cacheDir: string;
}

/** Host-wide directories of qemu:///system; `config.systemRoot` puts them all under another prefix. */
export const SYSTEM_ROOTS = {
  config: '/etc/tsvirt',
  run: '/run/tsvirt',
  lib: '/var/lib/tsvirt',
  log: '/var/log/tsvirt',
  cache: '/var/cache/tsvirt',
} as const;

function fromRoots(
  kind: QemuUriKind,
  r: { config: string; run: string; lib: string; log: string; cache: string },
): QemuPaths {
  const configDir = join(r.config, 'qemu');
  return {
    kind,
    configDir,
    autostartDir: join(configDir, 'autostart'),
    stateDir: join(r.run, 'qemu'),
    libDir: join(r.lib, 'qemu'),
    logDir: join(r.log, 'qemu'),
    cacheDir: join(r.cache, 'qemu'),
  };
}

function sessionRoots(env: NodeJS.ProcessEnv) {
  const home = env.HOME || homedir();
  const config = join(env.XDG_CONFIG_HOME || join(home, '.config'), 'tsvirt');
  const cache = join(env.XDG_CACHE_HOME || join(home, '.cache'), 'tsvirt');
  const run = join(env.XDG_RUNTIME_DIR || join(cache, 'run'), 'tsvirt');
  return { config, run, lib: join(config, 'qemu', 'lib'), log: join(cache, 'qemu', 'log'), cache };
}

function unsupported(detail: string): VirError {
  return new VirError({ code: ErrorCode.CONFIG_UNSUPPORTED, domain: ErrorDomain.QEMU, detail });
}

/** The paths for a qemu:/// URI; undefined when the path is not one this driver serves. */
export function qemuPathsFor(
  uri: ConnectUri,
  env: NodeJS.ProcessEnv = process.env,
  systemRoot?: string,
): QemuPaths | undefined {
  switch (uri.path) {
    case '/system': {
      if (systemRoot === undefined) return fromRoots('system', SYSTEM_ROOTS);
      if (!isAbsolute(systemRoot)) throw unsupported('root path must be absolute');
      const under = (dir: string) => join(systemRoot, dir);
      return fromRoots('system', {
        config: under(SYSTEM_ROOTS.config),
        run: under(SYSTEM_ROOTS.run),
        lib: under(SYSTEM_ROOTS.lib),
        log: under(SYSTEM_ROOTS.log),
        cache: under(SYSTEM_ROOTS.cache),
      });
    }
    case '/session':
      return fromRoots('session', sessionRoots(env));
    case '/embed': {
      const root = uriParam(uri, 'root');
      if (root === undefined || root === '') {
        throw new VirError({
          code: ErrorCode.INVALID_ARG,
          domain: ErrorDomain.QEMU,
          detail: "Missing URI parameter 'root'",
        });
      }
      if (!isAbsolute(root)) throw unsupported('root path must be absolute');
      // libvirt's embed layout: ROOT/etc, ROOT/run, ROOT/lib, ROOT/log, ROOT/cache.
      return fromRoots('embed', {
        config: join(root, 'etc'),
        run: join(root, 'run'),
        lib: join(root, 'lib'),
        log: join(root, 'log'),
        cache: join(root, 'cache'),
      });
    }
    default:
      return undefined;
  }
}

/** A domain's private directory, as libvirt names it: domain-ID-NAME (name shortened to 20). */
export function domainLibDir(paths: QemuPaths, id: number, name: string): string {
  return join(paths.libDir, `domain-${id}-${name.slice(0, 20)}`);
}

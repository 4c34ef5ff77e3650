/**
 * Where the driver keeps its files, by URI: network:///system uses libvirt's system paths,
 * network:///session the user's, network:///embed?root=DIR everything under DIR.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface DriverPaths {
  /** Persistent definitions (NAME.xml) and autostart links (autostart/NAME.xml). */
  readonly configDir: string;
  readonly autostartDir: string;
  /** Run-time state of active networks (NAME.xml, NAME.json), and dnsmasq pid files. */
  readonly stateDir: string;
  readonly pidDir: string;
  /**
   * Where earlier versions kept that run-time state (a persistent directory, and for
   * network:///system libvirt's run directory): what this driver left there is moved to
   * stateDir when the driver starts.
   */
  readonly legacyStateDirs: readonly string[];
  /** dnsmasq's config, hosts files and leases. */
  readonly dnsmasqDir: string;
}

export function systemPaths(): DriverPaths {
  return {
    configDir: '/etc/libvirt/qemu/networks',
    autostartDir: '/etc/libvirt/qemu/networks/autostart',
    stateDir: '/run/tsvirt/network',
    pidDir: '/run/tsvirt/network',
    legacyStateDirs: ['/var/lib/tsvirt/network', '/run/libvirt/network'],
    dnsmasqDir: '/var/lib/libvirt/dnsmasq',
  };
}

export function sessionPaths(): DriverPaths {
  const config = process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
  const runtime = process.env.XDG_RUNTIME_DIR ?? join(homedir(), '.cache');
  return {
    configDir: join(config, 'libvirt/qemu/networks'),
    autostartDir: join(config, 'libvirt/qemu/networks/autostart'),
    stateDir: join(runtime, 'tsvirt/network'),
    pidDir: join(runtime, 'tsvirt/network'),
    legacyStateDirs: [
      join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local/share'), 'tsvirt/network'),
      join(runtime, 'libvirt/network'),
    ],
    dnsmasqDir: join(config, 'libvirt/dnsmasq'),
  };
}

/** An embedded driver's tree: everything below one root directory. */
export function embedPaths(root: string): DriverPaths {
  return {
    configDir: join(root, 'etc/networks'),
    autostartDir: join(root, 'etc/networks/autostart'),
    stateDir: join(root, 'run/network'),
    pidDir: join(root, 'run/network'),
    legacyStateDirs: [join(root, 'lib/network')],
    dnsmasqDir: join(root, 'lib/dnsmasq'),
  };
}

/**
 * Where the driver keeps its files, by URI: network:///system uses tsvirt's system paths (the
 * definitions beside qemu:///system's, in /etc/tsvirt/qemu/networks, as libvirt keeps them in
 * /etc/libvirt/qemu/networks; `config.systemRoot` puts every path under another prefix),
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
  /**
   * Where earlier versions kept persistent definitions (libvirt's own directory): imported
   * (copied) once, when configDir does not exist yet.
   */
  readonly legacyConfigDirs: readonly string[];
  /** dnsmasq's config, hosts files and leases. */
  readonly dnsmasqDir: string;
}

/** `root`: the prefix of every path (qemu:///system's `config.systemRoot`); '/' by default. */
export function systemPaths(root = '/'): DriverPaths {
  const at = (p: string) => join(root, p);
  return {
    configDir: at('/etc/tsvirt/qemu/networks'),
    autostartDir: at('/etc/tsvirt/qemu/networks/autostart'),
    stateDir: at('/run/tsvirt/network'),
    pidDir: at('/run/tsvirt/network'),
    legacyStateDirs: [at('/var/lib/tsvirt/network'), at('/run/libvirt/network')],
    legacyConfigDirs: [at('/etc/libvirt/qemu/networks')],
    // Unchanged from earlier versions: running dnsmasq processes read their files here.
    dnsmasqDir: at('/var/lib/libvirt/dnsmasq'),
  };
}

export function sessionPaths(): DriverPaths {
  const config = process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
  const runtime = process.env.XDG_RUNTIME_DIR ?? join(homedir(), '.cache');
  return {
    configDir: join(config, 'tsvirt/qemu/networks'),
    autostartDir: join(config, 'tsvirt/qemu/networks/autostart'),
    stateDir: join(runtime, 'tsvirt/network'),
    pidDir: join(runtime, 'tsvirt/network'),
    legacyStateDirs: [
      join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local/share'), 'tsvirt/network'),
      join(runtime, 'libvirt/network'),
    ],
    legacyConfigDirs: [join(config, 'libvirt/qemu/networks')],
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
    legacyConfigDirs: [],
    dnsmasqDir: join(root, 'lib/dnsmasq'),
  };
}

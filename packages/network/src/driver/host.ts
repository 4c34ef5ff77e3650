/**
 * The host the driver changes: runs ip, nft, iptables, tc, sysctl and dnsmasq as argument
 * vectors, optionally inside a network namespace (`ip netns exec NS …`), which is how the tests
 * keep every change away from the real host.
 */
import { execFile } from 'node:child_process';
import type { Argv } from '../firewall/types.js';

export class CommandError extends Error {
  constructor(
    readonly argv: Argv,
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(`${argv.join(' ')}: ${stderr.trim() || `exit status ${exitCode}`}`);
    this.name = 'CommandError';
  }
}

export class Host {
  /** @param netns run every command in this network namespace (it must exist). */
  constructor(readonly netns?: string) {}

  /** The argv that runs `argv` where this host is. */
  wrap(argv: Argv): string[] {
    return this.netns === undefined ? [...argv] : ['ip', 'netns', 'exec', this.netns, ...argv];
  }

  /** Runs a command to completion; resolves with its standard output, rejects with CommandError. */
  run(argv: Argv): Promise<string> {
    const [file, ...args] = this.wrap(argv);
    return new Promise((resolve, reject) => {
      execFile(file!, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err) {
          const code = typeof err.code === 'number' ? err.code : null;
          reject(new CommandError(argv, stderr || err.message, code));
        } else {
          resolve(stdout);
        }
      });
    });
  }

  /** Sets a sysctl (dotted name, as `sysctl -w` takes it); /proc/sys belongs to the namespace. */
  async setSysctl(name: string, value: string): Promise<void> {
    await this.run(['sysctl', '-q', '-w', `${name}=${value}`]);
  }

  async linkExists(dev: string): Promise<boolean> {
    try {
      await this.run(['ip', 'link', 'show', 'dev', dev]);
      return true;
    } catch {
      return false;
    }
  }
}

/** Device names in use (the host's or the namespace's links). */
export async function linkNames(host: Host): Promise<Set<string>> {
  const parsed = JSON.parse(await host.run(['ip', '-j', 'link', 'show'])) as Array<{ ifname: string }>;
  return new Set(parsed.map((l) => l.ifname));
}

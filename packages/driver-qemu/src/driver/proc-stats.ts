/**
 * CPU and memory figures of a process or one of its threads from /proc, in the units libvirt
 * reports them: nanoseconds for times (from clock ticks), KiB for the resident set.
 */
import { readFile } from 'node:fs/promises';

/** USER_HZ: the unit of utime/stime in /proc/PID/stat on Linux. */
const CLOCK_TICKS_PER_SECOND = 100n;
const NS_PER_TICK = 1_000_000_000n / CLOCK_TICKS_PER_SECOND;
const PAGE_KIB = 4n;

export interface ProcTimes {
  /** utime + stime, ns. */
  total: bigint;
  user: bigint;
  system: bigint;
  /** Resident set size, KiB. */
  rssKiB: bigint;
}

/** `pid` 'self' reads this process; `tid` reads one thread (/proc/PID/task/TID/stat). */
export async function readProcTimes(pid: number | 'self', tid?: number): Promise<ProcTimes | undefined> {
  const path = tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  // The command name may hold spaces and parentheses: the fields start after its last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // Counted from field 3 (state): utime is field 14, stime 15, rss 24.
  const user = BigInt(fields[11] ?? 0) * NS_PER_TICK;
  const system = BigInt(fields[12] ?? 0) * NS_PER_TICK;
  const rssKiB = BigInt(fields[21] ?? 0) * PAGE_KIB;
  return { total: user + system, user, system, rssKiB };
}

/** How long a thread waited for a CPU (schedstat's run delay, ns); 0 when the kernel does not say. */
export async function readRunDelay(pid: number, tid: number): Promise<bigint> {
  try {
    const text = await readFile(`/proc/${pid}/task/${tid}/schedstat`, 'utf8');
    return BigInt(text.trim().split(/\s+/)[1] ?? 0);
  } catch {
    return 0n;
  }
}

/**
 * A thread's total wait time (ns) from /proc/PID/task/TID/sched, whose wait_sum is in
 * milliseconds with a fraction; kernels without schedstats lack the line, which counts as 0.
 */
export async function readWaitSum(pid: number, tid: number): Promise<bigint> {
  try {
    const text = await readFile(`/proc/${pid}/task/${tid}/sched`, 'utf8');
    const m = /wait_sum\s*:\s*(\d+)(?:\.(\d+))?/.exec(text);
    if (!m) return 0n;
    const frac = (m[2] ?? '').padEnd(6, '0').slice(0, 6);
    return BigInt(m[1] ?? 0) * 1_000_000n + BigInt(frac);
  } catch {
    return 0n;
  }
}

import { readFile, unlink, writeFile } from 'node:fs/promises';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Write our pid; refuse when the file names another live process (one daemon per pid file). */
export async function acquirePidFile(path: string): Promise<void> {
  const old = await readFile(path, 'utf8').catch(() => '');
  const pid = Number.parseInt(old.trim(), 10);
  if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
    throw new Error(`Failed to acquire pid file '${path}': process ${pid} is running`);
  }
  await writeFile(path, `${process.pid}\n`, { mode: 0o644 });
}

export async function releasePidFile(path: string): Promise<void> {
  const text = await readFile(path, 'utf8').catch(() => '');
  if (Number.parseInt(text.trim(), 10) === process.pid) await unlink(path).catch(() => {});
}

/**
 * Runs tc steps on the host. A step whose kernel part is missing (this kernel may be built
 * without sfq, the fw classifier or the police action) is detected from tc's own refusal at run
 * time: its fallback runs instead and a warning says what is different from libvirt.
 */
import type { Argv } from '../firewall/types.js';
import type { TcFeature, TcStep } from './tc-commands.js';

export type RunArgv = (argv: Argv) => Promise<unknown>;

/** tc's answers when the kernel has no such qdisc, classifier or action. */
const MISSING_KERNEL_PART =
  /Specified qdisc kind is unknown|TC classifier not found|Failed to load TC action module|Unknown (qdisc|filter|action)|No such file or directory|Operation not supported/i;

function warningFor(feature: TcFeature, step: TcStep): string {
  const dev = step.argv[step.argv.indexOf('dev') + 1];
  switch (feature) {
    case 'sfq': {
      const parent = step.argv[step.argv.indexOf('parent') + 1];
      return `the kernel has no sfq qdisc: class ${parent} on ${dev} gets a pfifo leaf instead (no per-flow fairness inside the class)`;
    }
    case 'fw':
      return `the kernel has no fw classifier: the fw filter on ${dev} is left out (it only steers firewall-marked packets)`;
    case 'police': {
      const rate = step.argv[step.argv.indexOf('rate') + 1];
      return `the kernel has no police action: the ingress rate limit ${rate} on ${dev} is not enforced (the ingress qdisc stays, without a policer)`;
    }
  }
}

/** Runs `steps` in order; returns the warnings of the fallbacks taken. Throws on a real failure. */
export async function runTcSteps(steps: readonly TcStep[], run: RunArgv): Promise<string[]> {
  const warnings: string[] = [];
  for (const step of steps) {
    try {
      await run(step.argv);
    } catch (err) {
      if (step.mayFail) continue;
      if (step.needs && MISSING_KERNEL_PART.test((err as Error).message)) {
        if (step.fallback) await run(step.fallback);
        warnings.push(warningFor(step.needs, step));
        continue;
      }
      throw err;
    }
  }
  return warnings;
}

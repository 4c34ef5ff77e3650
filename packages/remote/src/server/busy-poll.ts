/** A window starts here when it grows from nothing, as Linux's haltpoll (guest_halt_poll_grow_start). */
const GROW_START_US = 50;

/**
 * Keeps the event loop polling its sockets, instead of sleeping in the kernel, for a short window
 * after each reply. A client's next call usually follows its reply within tens of microseconds;
 * caught while polling, it costs no wake-up of a sleeping thread (on a virtual machine, no
 * wake-up of a halted vCPU, which takes longer than the call itself).
 *
 * The window adapts as Linux's haltpoll cpuidle governor does: it doubles (up to `maxUs`) when a
 * call came in soon after the window had ended, and halves (down to none) when the loop then
 * slept longer than `maxUs`, so a daemon whose clients are slow or idle spends almost nothing.
 */
export class BusyPoll {
  private windowUs: number;
  private until = 0;
  private polling = false;
  /** When the last reply went out, while no call has come in since. */
  private repliedAt: number | undefined;

  /** `now` reads a clock in milliseconds, as performance.now() does (tests pass their own). */
  constructor(
    private readonly maxUs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.windowUs = Math.min(maxUs, GROW_START_US);
  }

  /** The current window in µs. */
  get window(): number {
    return this.windowUs;
  }

  /** Whether the loop is polling now. */
  get active(): boolean {
    return this.polling;
  }

  /** A reply went out: poll for the next call for the current window. */
  replied(): void {
    if (this.maxUs <= 0) return;
    this.repliedAt = this.now();
    if (this.windowUs === 0) return;
    this.until = this.repliedAt + this.windowUs / 1000;
    if (!this.polling) {
      this.polling = true;
      setImmediate(this.poll);
    }
  }

  /** A call came in: if the loop had gone to sleep, adapt the window to how long it waited. */
  called(): void {
    const since = this.repliedAt;
    this.repliedAt = undefined;
    if (this.polling || since === undefined) return;
    const waitedUs = (this.now() - since) * 1000;
    if (waitedUs <= this.maxUs) this.windowUs = Math.min(this.maxUs, Math.max(GROW_START_US, this.windowUs * 2));
    else this.windowUs = this.windowUs / 2 < GROW_START_US ? 0 : this.windowUs / 2;
  }

  // A pending setImmediate makes libuv look at its sockets without blocking, so each turn of
  // this loop is one non-blocking poll.
  private readonly poll = (): void => {
    if (this.now() < this.until) {
      setImmediate(this.poll);
      return;
    }
    this.polling = false;
  };
}

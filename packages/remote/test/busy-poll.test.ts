import { describe, expect, it } from 'vitest';
import { BusyPoll } from '../src/server/busy-poll.js';

/** A clock the test moves by hand, in µs (BusyPoll reads milliseconds). */
function manualClock() {
  let us = 0;
  return {
    now: () => us / 1000,
    advance: (by: number) => {
      us += by;
    },
  };
}

/** Let the polling loop take a few turns of the event loop. */
const turns = async (n = 3) => {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
};

describe('BusyPoll', () => {
  it('polls after a reply for its window, then stops', async () => {
    const clock = manualClock();
    const poll = new BusyPoll(200, clock.now);
    poll.replied();
    expect(poll.active).toBe(true);
    await turns();
    expect(poll.active).toBe(true);
    clock.advance(poll.window + 1);
    await turns();
    expect(poll.active).toBe(false);
  });

  it('grows the window while calls come soon after the loop went to sleep, halves it when even the maximum missed', async () => {
    const clock = manualClock();
    const poll = new BusyPoll(200, clock.now);
    const seen: number[] = [poll.window];
    for (let i = 0; i < 4; i++) {
      poll.replied();
      clock.advance(poll.window + 1);
      await turns();
      expect(poll.active).toBe(false);
      clock.advance(20);
      poll.called();
      seen.push(poll.window);
    }
    // 20 µs after a 200 µs window is longer than the maximum: halved, then grown again.
    expect(seen).toEqual([50, 100, 200, 100, 200]);
  });

  it('leaves the window alone when a call is caught while polling', async () => {
    const clock = manualClock();
    const poll = new BusyPoll(200, clock.now);
    poll.replied();
    clock.advance(10);
    poll.called();
    expect(poll.window).toBe(50);
    clock.advance(100);
    await turns();
  });

  it('shrinks the window to nothing when calls come long after a reply, and grows it back', async () => {
    const clock = manualClock();
    const poll = new BusyPoll(200, clock.now);
    poll.replied();
    clock.advance(1000);
    await turns();
    poll.called();
    expect(poll.window).toBe(0);
    // With no window the loop sleeps at once; a quick next call brings polling back.
    poll.replied();
    expect(poll.active).toBe(false);
    clock.advance(30);
    poll.called();
    expect(poll.window).toBe(50);
  });

  it('never polls when turned off', () => {
    const poll = new BusyPoll(0);
    poll.replied();
    poll.called();
    expect(poll.active).toBe(false);
    expect(poll.window).toBe(0);
  });
});

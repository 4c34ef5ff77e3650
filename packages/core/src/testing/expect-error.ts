import { expect } from 'vitest';
import { isVirError } from '../errors/vir-error.js';

/** Assert that `promise` rejects with a VirError of `code` (and, optionally, a message matching `message`). */
export async function expectVirError(
  promise: Promise<unknown>,
  code: number,
  message?: string | RegExp,
): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected the call to fail').toBeDefined();
  expect(isVirError(caught), `expected a VirError, got ${String(caught)}`).toBe(true);
  const err = caught as { code: number; message: string };
  expect({ code: err.code, message: err.message }).toMatchObject({ code });
  if (message !== undefined) expect(err.message).toMatch(message);
}

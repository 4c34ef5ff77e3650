/** The commands of virNetworkUpdate, by name, and adding an entry first or last. */
export type Command = 'modify' | 'delete' | 'add-last' | 'add-first';

/** virNetworkUpdateCommand numbers. */
export const COMMANDS: Record<number, Command> = { 1: 'modify', 2: 'delete', 3: 'add-last', 4: 'add-first' };

export function insert<T>(list: T[], item: T, command: Command): void {
  if (command === 'add-first') list.unshift(item);
  else list.push(item);
}

/**
 * virsh's command-string grammar: words separated by blanks; ';' or a newline ends a command;
 * single quotes take everything literally; inside double quotes and outside quotes a backslash
 * takes the next character literally; a word starting with '#' comments out the rest of the line.
 */

/** One command's words, in order. */
export type Words = string[];

export class TokenizeError extends Error {}

export type Token = { kind: 'word'; text: string } | { kind: 'end-command' };

/** Split a command string into words and command separators. */
export function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = input.length;
  while (true) {
    while (i < n && (input[i] === ' ' || input[i] === '\t' || (input[i] === '\\' && input[i + 1] === '\n'))) {
      i += input[i] === '\\' ? 2 : 1;
    }
    if (i >= n) return out;
    const c = input[i];
    if (c === ';' || c === '\n') {
      out.push({ kind: 'end-command' });
      i++;
      continue;
    }
    if (c === '#') {
      while (i < n && input[i] !== '\n') i++;
      if (i < n) i++;
      out.push({ kind: 'end-command' });
      continue;
    }
    let word = '';
    let single = false;
    let double = false;
    while (i < n) {
      const ch = input[i] as string;
      if (!single && !double && (ch === ' ' || ch === '\t' || ch === ';' || ch === '\n')) break;
      if (!double && ch === "'") {
        single = !single;
        i++;
        continue;
      }
      if (!single && ch === '\\') {
        i++;
        if (i >= n) throw new TokenizeError('dangling \\');
        word += input[i];
        i++;
        continue;
      }
      if (!single && ch === '"') {
        double = !double;
        i++;
        continue;
      }
      word += ch;
      i++;
    }
    if (double) throw new TokenizeError('missing "');
    out.push({ kind: 'word', text: word });
  }
}

/** Split a command string into commands (lists of words); empty commands are dropped. */
export function splitCommands(input: string): Words[] {
  const commands: Words[] = [];
  let current: Words = [];
  for (const t of tokenize(input)) {
    if (t.kind === 'end-command') {
      if (current.length > 0) commands.push(current);
      current = [];
    } else {
      current.push(t.text);
    }
  }
  if (current.length > 0) commands.push(current);
  return commands;
}

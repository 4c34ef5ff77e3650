import { readFile } from 'node:fs/promises';

/** A value of libvirt's config syntax: a number, a string, or a list of them. */
export type ConfValue = number | string | ConfValue[];

/** A config-file error, worded like libvirt's virConf errors. */
export class ConfigError extends Error {}

/**
 * Parse libvirtd.conf syntax (virConf): `key = value` lines, `#` comments, values that are
 * integers, "double" or 'single' quoted strings, or [lists, of, them] (lists may span lines).
 */
export function parseConf(text: string, file = 'config'): Map<string, ConfValue> {
  const out = new Map<string, ConfValue>();
  let i = 0;
  let line = 1;
  const fail = (what: string): never => {
    throw new ConfigError(`configuration file syntax error: ${file}:${line}: ${what}`);
  };
  const skipBlank = (newlines: boolean): void => {
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '#') {
        while (i < text.length && text[i] !== '\n') i++;
      } else if (ch === ' ' || ch === '\t' || ch === '\r') i++;
      else if (ch === '\n' && newlines) {
        line++;
        i++;
      } else break;
    }
  };
  const value = (): ConfValue => {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      const end = text.indexOf(ch, i + 1);
      if (end < 0) fail('unterminated string');
      const s = text.slice(i + 1, end);
      if (s.includes('\n')) fail('unterminated string');
      i = end + 1;
      return s;
    }
    if (ch === '[') {
      i++;
      const list: ConfValue[] = [];
      for (;;) {
        skipBlank(true);
        if (text[i] === ']') {
          i++;
          return list;
        }
        list.push(value());
        skipBlank(true);
        if (text[i] === ',') i++;
        else if (text[i] !== ']') fail('expecting a separator in list');
      }
    }
    const m = /^[-+]?\d+/.exec(text.slice(i));
    if (!m) fail('expecting a value');
    i += m![0].length;
    return Number(m![0]);
  };
  for (;;) {
    skipBlank(true);
    if (i >= text.length) break;
    const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i));
    if (!m) fail('expecting a name');
    const key = m![0];
    i += key.length;
    skipBlank(false);
    if (text[i] !== '=') fail('expecting an assignment');
    i++;
    skipBlank(false);
    out.set(key, value());
    skipBlank(false);
    if (i < text.length && text[i] !== '\n') fail('expecting a separator');
  }
  return out;
}

export async function readConf(file: string): Promise<Map<string, ConfValue>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ConfigError(
      `Failed to open file '${file}': ${e.code === 'ENOENT' ? 'No such file or directory' : e.message}`,
    );
  }
  return parseConf(text, file);
}

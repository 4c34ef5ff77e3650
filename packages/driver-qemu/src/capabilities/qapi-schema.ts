/**
 * Questions about QEMU's QAPI schema (the reply of query-qmp-schema), asked with libvirt's path
 * syntax: "command/arg-type/member/+variant/...". A path ends in a type, or in a yes/no test:
 * '^value' (an enum has that value), '!type' (a builtin has that JSON type), '$feature' (the
 * type or enum value carries that feature). '*member' asks for an optional member. Arrays are
 * looked through, alternates are tried branch by branch.
 */
import type { QmpSchemaEntry } from '../qmp/types.js';

type Entry = QmpSchemaEntry & Record<string, unknown>;

export class QapiSchema {
  private readonly byName = new Map<string, Entry>();

  constructor(entries: readonly QmpSchemaEntry[]) {
    for (const e of entries) this.byName.set(e.name, e as Entry);
  }

  has(path: string): boolean {
    const [first, ...rest] = path.split('/');
    const entry = first ? this.byName.get(first) : undefined;
    return entry !== undefined && this.walk(entry, rest, 0);
  }

  private lookup(name: unknown): Entry | undefined {
    return typeof name === 'string' ? this.byName.get(name) : undefined;
  }

  private walk(entry: Entry, query: readonly string[], depth: number): boolean {
    if (depth > 1000) return false; // a loop in a malformed schema
    if (query.length === 0) return true;
    switch (entry['meta-type']) {
      case 'object':
        return this.walkObject(entry, query, depth);
      case 'array': {
        const element = this.lookup(entry['element-type']);
        return element !== undefined && this.walk(element, query, depth + 1);
      }
      case 'command':
      case 'event':
        return this.walkCommand(entry, query, depth);
      case 'enum':
        return walkEnum(entry, query);
      case 'builtin':
        return query.length === 1 && query[0]!.startsWith('!') && entry['json-type'] === query[0]!.slice(1);
      case 'alternate':
        return members(entry).some((m) => {
          const branch = this.lookup(m.type);
          return branch !== undefined && this.walk(branch, query, depth + 1);
        });
      default:
        return false;
    }
  }

  private walkObject(entry: Entry, query: readonly string[], depth: number): boolean {
    const [step, ...rest] = query as [string, ...string[]];
    const modifier = /^[A-Za-z]/.test(step) ? '' : step[0]!;
    const name = modifier ? step.slice(1) : step;
    if (modifier === '^' || modifier === '!') return false;
    if (modifier === '$') return rest.length === 0 && hasFeature(entry, name);
    let target: Record<string, unknown> | undefined;
    if (modifier === '+') {
      target = listOf(entry.variants).find((v) => v.case === name);
    } else {
      target = members(entry).find((m) => m.name === name);
      if (modifier === '*' && target && !('default' in target)) return false;
    }
    const next = target ? this.lookup(target.type) : undefined;
    return next !== undefined && this.walk(next, rest, depth + 1);
  }

  private walkCommand(entry: Entry, query: readonly string[], depth: number): boolean {
    const [step, ...rest] = query as [string, ...string[]];
    if (step.startsWith('$')) return rest.length === 0 && hasFeature(entry, step.slice(1));
    if (!/^[A-Za-z]/.test(step)) return false;
    const next = this.lookup(entry[step]);
    return next !== undefined && this.walk(next, rest, depth + 1);
  }
}

function listOf(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value) ? (value.filter((v) => typeof v === 'object' && v !== null) as never) : [];
}

function members(entry: Record<string, unknown>): Array<Record<string, unknown>> {
  return listOf(entry.members);
}

function hasFeature(entry: Record<string, unknown>, feature: string): boolean {
  return Array.isArray(entry.features) && entry.features.includes(feature);
}

function walkEnum(entry: Entry, query: readonly string[]): boolean {
  const [step, feature, ...extra] = query as [string, string | undefined, ...string[]];
  if (!step.startsWith('^') || extra.length > 0) return false;
  if (feature !== undefined && !feature.startsWith('$')) return false;
  const value = step.slice(1);
  // QEMU 6.2 added "members" (with per-value features) beside the older plain "values".
  const enumMembers = members(entry);
  if (enumMembers.length > 0) {
    const member = enumMembers.find((m) => m.name === value);
    if (!member) return false;
    return feature === undefined || hasFeature(member, feature.slice(1));
  }
  return feature === undefined && Array.isArray(entry.values) && entry.values.includes(value);
}

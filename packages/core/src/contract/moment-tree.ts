/**
 * libvirt's "moments" (snapshots and checkpoints) form one tree per domain. This is the tree
 * walk both listings share: roots, children or descendants of one moment, topological order,
 * and the leaf filters.
 */

/** What a moment needs for the walk: its name and its parent's. */
export interface MomentNode {
  name?: string;
  parent?: string;
}

export interface MomentSelect {
  /** List the children of this moment (instead of the whole domain). */
  from?: string;
  /** With `from`: every descendant; without: only roots. (libvirt's shared ROOTS/DESCENDANTS bit.) */
  rootsOrDescendants?: boolean;
  /** Parents before their children. */
  topological?: boolean;
  leaves?: boolean;
  noLeaves?: boolean;
}

/** The moments picked, in creation order (or topological order when asked). */
export function selectMoments<T extends MomentNode>(all: readonly T[], how: MomentSelect): T[] {
  // A parent's children, newest first (libvirt links a new child in front of its siblings).
  const children = new Map<string | undefined, T[]>();
  for (const m of all) {
    const list = children.get(m.parent) ?? [];
    list.unshift(m);
    children.set(m.parent, list);
  }
  const subtree = (name: string | undefined): T[] => (children.get(name) ?? []).flatMap((c) => [c, ...subtree(c.name)]);

  let picked: T[];
  if (how.from !== undefined) {
    picked = how.rootsOrDescendants ? subtree(how.from) : (children.get(how.from) ?? []);
  } else if (how.topological) {
    picked = how.rootsOrDescendants ? (children.get(undefined) ?? []) : subtree(undefined);
  } else {
    picked = how.rootsOrDescendants ? all.filter((m) => !m.parent) : [...all];
  }
  return picked.filter((m) => {
    const hasChildren = children.has(m.name);
    if (how.leaves && hasChildren) return false;
    if (how.noLeaves && !hasChildren) return false;
    return true;
  });
}

/** Every descendant of `name`, parents before children. */
export function momentDescendants<T extends MomentNode>(all: readonly T[], name: string): T[] {
  return all.filter((m) => m.parent === name).flatMap((c) => [c, ...momentDescendants(all, c.name ?? '')]);
}

/** What a delete does to a domain's moments; the driver applies it to its own records. */
export interface MomentDeletePlan {
  /** Names of the moments to remove. */
  doomed: Set<string>;
  /** The deleted moment's children move up to this parent (undefined: they become roots). */
  reparentTo: string | undefined;
  /** Whether children are moved up at all (a plain delete of a moment that keeps its subtree). */
  reparent: boolean;
  /** The domain's current moment afterwards. */
  current: string | undefined;
}

/**
 * Deleting `name` as libvirt does it for both kinds: with `children` its whole subtree goes
 * too, with `childrenOnly` only the subtree; otherwise its children move up to its parent. The
 * current moment moves to the deleted one's parent (or to `name` when only its children went).
 */
export function planMomentDelete(
  all: readonly MomentNode[],
  name: string,
  how: { children?: boolean; childrenOnly?: boolean },
  current: string | undefined,
): MomentDeletePlan {
  const target = all.find((m) => m.name === name);
  const withChildren = Boolean(how.children || how.childrenOnly);
  const doomed = new Set<string>();
  if (withChildren) for (const m of momentDescendants(all, name)) doomed.add(m.name ?? '');
  if (!how.childrenOnly) doomed.add(name);
  let next = current;
  if (current !== undefined && doomed.has(current)) next = doomed.has(name) ? target?.parent : name;
  return { doomed, reparentTo: target?.parent, reparent: !withChildren, current: next };
}

/**
 * A driver's records after `plan`: the doomed ones gone, and the deleted moment's children
 * moved to its parent, where they become its newest children (libvirt splices them in front
 * of the new parent's list, which this module reads from the end of creation order).
 */
export function applyMomentDelete<T>(
  records: readonly T[],
  nodeOf: (r: T) => MomentNode,
  withParent: (r: T, parent: string | undefined) => T,
  deleted: string,
  plan: MomentDeletePlan,
): T[] {
  const kept = records.filter((r) => !plan.doomed.has(nodeOf(r).name ?? ''));
  if (!plan.reparent) return kept;
  const stay = kept.filter((r) => nodeOf(r).parent !== deleted);
  const moved = kept.filter((r) => nodeOf(r).parent === deleted).map((r) => withParent(r, plan.reparentTo));
  return [...stay, ...moved];
}

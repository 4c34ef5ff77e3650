/**
 * virsh's tree layout (vshTreePrint), as snapshot-list --tree uses it: a root on its own line,
 * a "|" line before a node's children, "+- name" for each child, a "|" column kept open while
 * siblings remain, and a closing line of indentation after the last leaf of a branch.
 */
export interface TreeNode {
  name: string;
  parent: string | undefined;
}

/** The tree under `root`, children in the order `nodes` lists them. */
export function renderTree(nodes: readonly TreeNode[], root: TreeNode): string {
  let out = '';
  const walk = (node: TreeNode, indent: string, isRoot: boolean, isLast: boolean): void => {
    out += `${indent}${isRoot ? '' : '+- '}${node.name}\n`;
    const own = isRoot ? indent : `${indent}${isLast ? ' ' : '|'} `;
    const children = nodes.filter((n) => n.parent === node.name);
    if (children.length > 0) out += `${own}  |\n`;
    children.forEach((c, i) => {
      walk(c, `${own}  `, false, i === children.length - 1);
    });
    if (children.length === 0 && isLast) out += `${own}\n`;
  };
  walk(root, '', true, true);
  return out;
}

/**
 * virsh's table layout (vshTable): every cell starts with one space, columns are padded to the
 * widest cell plus two spaces (the last column is not padded), and the header is underlined by
 * dashes: width + 3 for every column. With the header hidden (-q), widths ignore it.
 */

/** Display width of one code point, as wcwidth() sees it for the common cases. */
function charWidth(cp: number): number {
  if (cp === 0) return 0;
  // Combining marks take no column.
  if (
    (cp >= 0x0300 && cp <= 0x036f) ||
    (cp >= 0x1ab0 && cp <= 0x1aff) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xfe20 && cp <= 0xfe2f)
  ) {
    return 0;
  }
  // East Asian wide and full-width ranges.
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch.codePointAt(0) ?? 0);
  return w;
}

/** Non-printable characters are shown as \xHH, as virsh does, so a name cannot break the layout. */
export function safeCell(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

export class Table {
  private readonly rows: string[][] = [];
  constructor(private readonly header: readonly string[]) {}

  add(...cells: string[]): this {
    this.rows.push(cells.map(safeCell));
    return this;
  }

  get length(): number {
    return this.rows.length;
  }

  render(withHeader = true): string {
    const all = withHeader ? [[...this.header], ...this.rows] : this.rows;
    const ncols = this.header.length;
    const widths = new Array<number>(ncols).fill(0);
    for (const row of all) {
      row.forEach((cell, i) => {
        widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell));
      });
    }
    const line = (row: readonly string[]): string => {
      let s = '';
      row.forEach((cell, i) => {
        s += ` ${cell}`;
        if (i < row.length - 1) s += ' '.repeat((widths[i] ?? 0) - displayWidth(cell) + 2);
      });
      return `${s}\n`;
    };
    let out = '';
    if (withHeader) {
      out += line(this.header);
      out += '-'.repeat(widths.reduce((sum, w) => sum + w + 3, 0));
      out += '\n';
    }
    for (const row of this.rows) out += line(row);
    return out;
  }
}

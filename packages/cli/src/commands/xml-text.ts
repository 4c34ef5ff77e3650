import type { Domain } from '@tsvirt/core';

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number.parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? _m;
  });
}

/** The text of a top-level element of an XML document (first occurrence), '' when absent. */
export function topLevelText(xml: string, element: string): string {
  const m = new RegExp(`<${element}>([\\s\\S]*?)</${element}>`).exec(xml);
  return m ? unescapeXml(m[1] ?? '') : '';
}

/** A domain's <title>, as `list --title` shows it. */
export async function domainTitle(dom: Domain): Promise<string> {
  return topLevelText(await dom.getXmlDesc(0), 'title');
}

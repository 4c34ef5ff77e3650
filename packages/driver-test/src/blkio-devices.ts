import { ErrorCode, ErrorDomain, VirError } from '@tsvirt/core';

const invalid = (detail: string) => new VirError({ code: ErrorCode.INVALID_ARG, domain: ErrorDomain.DOMAIN, detail });

/** The byte-count kinds hold 64-bit values; weights and IOPS are 32-bit. */
const isBytes = (field: string) => field.endsWith('_bytes_sec');

/**
 * A blkiotune device list as virsh passes it, "/path,value,/path,value": libvirt's
 * virDomainDriverParseBlkioDeviceStr, with its wording for a malformed list or value.
 */
export function parseBlkioDevices(text: string, field: string): { path: string; value: number }[] {
  if (text === '') return [];
  const commas = text.split(',').length - 1;
  const malformed = () => invalid(`unable to parse blkio device '${field}' '${text}'`);
  // Paths and values alternate, so a valid list has an odd number of commas.
  if (commas % 2 === 0) throw malformed();
  const out: { path: string; value: number }[] = [];
  let rest = text;
  while (true) {
    const comma = rest.indexOf(',');
    if (comma < 0) throw malformed();
    const path = rest.slice(0, comma);
    const valueText = rest.slice(comma + 1);
    // strtoul's reading: blanks, an optional '+', digits; what follows must be ',' or the end.
    const m = /^[ \t\n\v\f\r]*\+?(\d+)/.exec(valueText);
    const max = isBytes(field) ? 2n ** 64n - 1n : 2n ** 32n - 1n;
    if (!m || BigInt(m[1]!) > max) {
      throw invalid(`invalid value '${valueText}' for parameter '${field}' of device '${path}'`);
    }
    out.push({ path, value: Number(m[1]) });
    const after = valueText.slice(m[0].length);
    if (after === '') break;
    if (!after.startsWith(',')) throw malformed();
    rest = after.slice(1);
  }
  return out;
}

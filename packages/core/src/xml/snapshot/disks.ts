/** <disks> of a snapshot: per-disk snapshot location, new image type, format and source. */

import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import { childElements, firstChild, type XmlElement } from '../adapter.js';
import { attrString } from '../common/attributes.js';
import { xmlError } from '../common/errors.js';
import { a, attrList, type XmlWriter } from '../writer.js';
import { SNAPSHOT_LOCATIONS, type SnapshotDisk, type SnapshotLocation } from './types.js';

const D = ErrorDomain.DOMAIN_SNAPSHOT;

export function parseSnapshotDisks(node: XmlElement): SnapshotDisk[] {
  return childElements(node, 'disk').map((d) => {
    const name = attrString(d, 'name');
    if (name === undefined) throw xmlError(D, 'missing name from disk snapshot element', ErrorCode.XML_ERROR);
    const disk: SnapshotDisk = { name };
    const snapshot = attrString(d, 'snapshot');
    if (snapshot !== undefined) {
      if (!(SNAPSHOT_LOCATIONS as readonly string[]).includes(snapshot)) {
        throw xmlError(D, `unknown disk snapshot setting '${snapshot}'`, ErrorCode.CONFIG_UNSUPPORTED);
      }
      disk.snapshot = snapshot as SnapshotLocation;
    }
    const type = attrString(d, 'type');
    const source = firstChild(d, 'source');
    const driverType = attrString(firstChild(d, 'driver'), 'type');
    if (driverType !== undefined) disk.driverType = driverType;
    if (source) {
      disk.source = source;
      disk.type = type ?? 'file';
      // A new image implies an external snapshot.
      disk.snapshot ??= 'external';
    } else if (type !== undefined) disk.type = type;
    return disk;
  });
}

export function formatSnapshotDisks(w: XmlWriter, disks: SnapshotDisk[] | undefined): void {
  if (!disks || disks.length === 0) return;
  w.open('disks');
  for (const d of disks) {
    const attrs: Array<[string, string | undefined]> = [
      ['name', d.name],
      ['snapshot', d.snapshot],
    ];
    if (!d.source && d.driverType === undefined) {
      w.empty('disk', attrList(attrs));
      continue;
    }
    w.open('disk', attrList([...attrs, ['type', d.type ?? 'file']]));
    if (d.driverType !== undefined) w.empty('driver', a('type', d.driverType));
    if (d.source) w.copy(d.source);
    w.close('disk');
  }
  w.close('disks');
}

/**
 * AMD SEV and SEV-SNP guests: the launch-security object QEMU's machine points at through
 * confidential-guest-support (always "lsec0" in libvirt).
 */
import type { LaunchSecurity, XmlElement } from '@tsvirt/core';
import { Props } from './props.js';
import type { BuildState } from './state.js';

export const LAUNCH_SECURITY_ID = 'lsec0';

/** Whether the machine needs confidential-guest-support for this definition. */
export function hasSevLaunchSecurity(sec: LaunchSecurity | undefined): boolean {
  return sec?.type === 'sev' || sec?.type === 'sev-snp';
}

function childText(sec: LaunchSecurity, name: string): string | undefined {
  const el = sec.extra?.find((e: XmlElement) => e.name === name);
  const text = el?.nodes.filter((n): n is string => typeof n === 'string').join('');
  return text?.trim() || undefined;
}

function childNumber(sec: LaunchSecurity, name: string): number | undefined {
  const t = childText(sec, name);
  return t === undefined ? undefined : Number(t);
}

export function buildLaunchSecurity(s: BuildState): void {
  const sec = s.def.launchSecurity;
  if (!sec || !hasSevLaunchSecurity(sec)) return;
  const p = new Props()
    .set('qom-type', sec.type === 'sev' ? 'sev-guest' : 'sev-snp-guest')
    .set('id', LAUNCH_SECURITY_ID);
  if (sec.type === 'sev') {
    p.set('cbitpos', sec.cbitpos).set('reduced-phys-bits', sec.reducedPhysBits).set('policy', sec.policy);
    // libvirt writes the certificate and session blobs to files in the domain's dir.
    if (sec.dhCert) p.set('dh-cert-file', `${s.ctx.libDir}/dh_cert.base64`);
    if (sec.session) p.set('session-file', `${s.ctx.libDir}/session.base64`);
    if (sec.kernelHashes) p.set('kernel-hashes', true);
  } else {
    const attrs = sec.attrs ?? {};
    p.set('cbitpos', childNumber(sec, 'cbitpos')).set('reduced-phys-bits', childNumber(sec, 'reducedPhysBits'));
    p.set('policy', childNumber(sec, 'policy'));
    p.set('guest-visible-workarounds', childText(sec, 'guestVisibleWorkarounds'));
    p.set('id-block', childText(sec, 'idBlock')).set('id-auth', childText(sec, 'idAuth'));
    p.set('host-data', childText(sec, 'hostData'));
    if (attrs.authorKey === 'yes') p.set('author-key-enabled', true);
    if (attrs.vcek === 'no') p.set('vcek-disabled', true);
    if (attrs.kernelHashes === 'yes') p.set('kernel-hashes', true);
  }
  s.object(p);
}

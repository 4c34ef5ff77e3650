/** Typed model of libvirt's capabilities XML (skeleton). */
export interface CapabilitiesDef {
  host: { uuid?: string; arch: string };
  guests: Array<{ osType: string; arch: string }>;
}

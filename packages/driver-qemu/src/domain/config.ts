/**
 * The few qemu.conf settings and environment variables that change what post-parse adds
 * (libvirt's virQEMUDriverConfig). Defaults are those of a stock qemu.conf.
 */
export interface QemuDriverConfig {
  /** vnc_allow_host_audio: a VNC guest gets the host's audio backend (from QEMU_AUDIO_DRV). */
  vncAllowHostAudio?: boolean;
  /** nographics_allow_host_audio: the same for guests without graphics. */
  nogfxAllowHostAudio?: boolean;
  /** The environment the daemon sees; QEMU_AUDIO_DRV and SDL_AUDIODRIVER pick the host backend. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Folders of QEMU firmware descriptors, highest priority first (the host's are
   * /etc/qemu/firmware then /usr/share/qemu/firmware). None are read when absent.
   */
  firmwareDirs?: readonly string[];
  /** qemu.conf nvram = [...] pairs; libvirt's built-in list when absent. */
  nvram?: ReadonlyArray<{ code: string; vars: string }>;
  /** nvram_dir: where per-domain NVRAM stores are created. */
  nvramDir?: string;
  /** The driver's state folder (/var/lib/libvirt/qemu). */
  libDir?: string;
  /**
   * TPM versions the host's swtpm_setup can create ('1.2', '2.0'; what its
   * --print-capabilities lists as tpm-1.2/tpm-2.0). Emulated TPMs of other versions are
   * refused; nothing is checked when absent.
   */
  swtpmTpmVersions?: readonly string[];
}

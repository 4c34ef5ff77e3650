/**
 * What the command-line builder needs besides the definition and the binary's capabilities:
 * where this domain's files live and how descriptors reach QEMU. The caller (the driver, or a
 * test harness with libvirt's fake values) decides these; the builder never invents them.
 */
export interface QemuBuildContext {
  /** The running domain's id (-1 for a definition that is not running). */
  readonly domainId: number;
  /** Where QEMU waits for migration state (-incoming URI, e.g. 'fd:7'); unset for a fresh start. */
  readonly incoming?: string;
  /** Per-domain private directory (libvirt: <libDir>/domain-<id>-<name>), holds master-key.aes. */
  readonly libDir: string;
  /** Per-domain runtime directory for sockets. */
  readonly runDir?: string;
  /** Directory of the daemon's runtime state (libvirt: /var/run/libvirt/qemu), for dbus/vnc sockets. */
  readonly stateDir?: string;
  /** How QEMU reaches the monitor: a descriptor libvirt passes, or a socket path. */
  readonly monitor: { readonly fd: number } | { readonly path: string };
  /** Environment passed to QEMU before the per-domain HOME/XDG variables. */
  readonly env?: { readonly PATH?: string; readonly USER?: string; readonly LOGNAME?: string };
  /** Host NUMA nodes numad advises for placement='auto' (a node set such as '0-3'). */
  readonly autoNodeset?: string;
  /** Socket of the swtpm libvirt starts for an emulated TPM. */
  readonly tpmEmulatorSocket?: (alias: string) => string;
  /** Port for a graphics device with autoport (libvirt allocates from 5900 up). */
  readonly allocatePort?: (graphicsType: string) => number;
  /** DRM render node used when <gl> names none. */
  readonly defaultRenderNode?: string;
  /** spice_tls_x509_cert_dir. */
  readonly spiceTlsDir?: string;
  /** qemu.conf settings the command line follows (libvirt's defaults where absent). */
  readonly conf?: QemuCommandConf;
  /**
   * The domain's master key and the secret store: values libvirt passes to QEMU encrypted
   * (disk passphrases and auth, HTTP cookies, TLS key passwords).
   */
  readonly secrets?: {
    readonly masterKey: Uint8Array;
    randomIv(): Uint8Array;
    lookup(ref: { readonly type?: string; readonly uuid?: string; readonly usage?: string }): Uint8Array;
  };
  /**
   * The caller hot-plugs the online vCPUs marked hotpluggable after QEMU starts (as libvirt does),
   * so -smp counts only the others.
   */
  readonly plugsHotpluggableVcpus?: boolean;
  /** The free guest context id found for a <vsock> whose <cid auto='yes'/> names none. */
  readonly vsockAutoCid?: () => number;
  /** The daemon user's XDG_RUNTIME_DIR (default for PipeWire's runtime dir). */
  readonly userRuntimeDir?: string;
  /** The current time in ms (for clock offset='variable'); defaults to Date.now. */
  readonly now?: () => number;
  /** The host time zone's offset east of UTC in seconds at a time (ms); defaults to the process's zone. */
  readonly utcOffsetSeconds?: (atMs: number) => number;
  /** The /dev/sgN node of a host SCSI device (adapter name, bus, target, unit). */
  readonly scsiHostdevPath?: (adapter: string, bus: number, target: number, unit: number) => string;
  /** The host's NUMA nodes and their CPUs (to narrow preallocation threads to pinned emulator CPUs). */
  readonly hostNumaNodes?: ReadonlyArray<{ readonly id: number; readonly cpus: readonly number[] }>;
  /** Mounted hugetlbfs file systems (libvirt's hugetlbfs_mount), the default page size first. */
  readonly hugetlbfs?: ReadonlyArray<{ readonly sizeKiB: number; readonly dir: string; readonly isDefault?: boolean }>;
  /** Where file-backed guest RAM lives (libvirt's memory_backing_dir). */
  readonly memoryBackingDir?: string;
  /**
   * Hands out the number of a descriptor libvirt would open and pass to QEMU: `kind` says what
   * it is, `owner` names the device or fd-set entry it belongs to (e.g. 'charserial0', 'hostnet0').
   */
  readonly passFd?: (kind: FdKind, owner: string) => number;
}

/** What a passed descriptor is: a listening chardev socket, an fd-set file, a tap or vhost-net device. */
export type FdKind =
  | 'chardev-socket'
  | 'fdset'
  | 'tap'
  | 'tap-ethernet'
  | 'vhost'
  | 'vhost-user'
  | 'vhost-vsock'
  | 'vhost-scsi'
  | 'tpm-passthrough';

/** The qemu.conf knobs that change the command line (graphics and chardev TLS, SASL, sockets). */
export interface QemuCommandConf {
  /** vnc_listen / spice_listen: the address a listen without one gets (127.0.0.1). */
  readonly vncListen?: string;
  readonly spiceListen?: string;
  /** vnc_auto_unix_socket / spice_auto_unix_socket: such a listen becomes a socket in the domain's dir. */
  readonly vncAutoUnixSocket?: boolean;
  readonly spiceAutoUnixSocket?: boolean;
  /** vnc_tls with vnc_tls_x509_cert_dir (/etc/pki/libvirt-vnc) and vnc_tls_x509_verify (on). */
  readonly vncTls?: boolean;
  readonly vncTlsX509CertDir?: string;
  readonly vncTlsX509Verify?: boolean;
  /** vnc_sasl / spice_sasl with their SASL configuration folders (/etc/sasl2). */
  readonly vncSasl?: boolean;
  readonly vncSaslDir?: string;
  readonly spiceSasl?: boolean;
  readonly spiceSaslDir?: string;
  /** chardev_tls with chardev_tls_x509_cert_dir (/etc/pki/libvirt-chardev) and its verify flag (on). */
  readonly chardevTls?: boolean;
  readonly chardevTlsX509CertDir?: string;
  readonly chardevTlsX509Verify?: boolean;
  /** nbd_tls, nbd_tls_x509_cert_dir (/etc/pki/libvirt-nbd) and the UUID of the key's password secret. */
  readonly nbdTls?: boolean;
  readonly nbdTlsX509CertDir?: string;
  readonly nbdTlsX509SecretUuid?: string;
}

/** Flag bits with libvirt's values, so they travel unchanged over the wire. */

/** virConnectListAllDomainsFlags. */
export const ListDomainsFlags = {
  ACTIVE: 1 << 0,
  INACTIVE: 1 << 1,
  PERSISTENT: 1 << 2,
  TRANSIENT: 1 << 3,
  RUNNING: 1 << 4,
  PAUSED: 1 << 5,
  SHUTOFF: 1 << 6,
  OTHER: 1 << 7,
  MANAGEDSAVE: 1 << 8,
  NO_MANAGEDSAVE: 1 << 9,
  AUTOSTART: 1 << 10,
  NO_AUTOSTART: 1 << 11,
  HAS_SNAPSHOT: 1 << 12,
  NO_SNAPSHOT: 1 << 13,
  HAS_CHECKPOINT: 1 << 14,
  NO_CHECKPOINT: 1 << 15,
} as const;

/** virDomainXMLFlags. */
export const DomainXmlFlags = { SECURE: 1 << 0, INACTIVE: 1 << 1, UPDATE_CPU: 1 << 2, MIGRATABLE: 1 << 3 } as const;

/** virDomainGetMessages: which kinds of note (none given: both). */
export const DomainMessageFlags = { DEPRECATION: 1 << 0, TAINTING: 1 << 1 } as const;

/** virDomainConsoleFlags: FORCE takes a console over from the session holding it. */
export const DomainConsoleFlags = { FORCE: 1 << 0, SAFE: 1 << 1 } as const;

/** virDomainUndefineFlagsValues. */
export const UndefineFlags = {
  MANAGED_SAVE: 1 << 0,
  SNAPSHOTS_METADATA: 1 << 1,
  NVRAM: 1 << 2,
  KEEP_NVRAM: 1 << 3,
  CHECKPOINTS_METADATA: 1 << 4,
  TPM: 1 << 5,
  KEEP_TPM: 1 << 6,
} as const;

/** virConnectListAllNetworksFlags. */
export const ListNetworksFlags = {
  INACTIVE: 1 << 0,
  ACTIVE: 1 << 1,
  PERSISTENT: 1 << 2,
  TRANSIENT: 1 << 3,
  AUTOSTART: 1 << 4,
  NO_AUTOSTART: 1 << 5,
} as const;

/** virNetworkUpdateCommand. */
export const NetworkUpdateCommand = {
  NONE: 0,
  MODIFY: 1,
  DELETE: 2,
  ADD_LAST: 3,
  ADD_FIRST: 4,
} as const;

/** virNetworkUpdateSection. */
export const NetworkUpdateSection = {
  NONE: 0,
  BRIDGE: 1,
  DOMAIN: 2,
  IP: 3,
  IP_DHCP_HOST: 4,
  IP_DHCP_RANGE: 5,
  FORWARD: 6,
  FORWARD_INTERFACE: 7,
  FORWARD_PF: 8,
  PORTGROUP: 9,
  DNS_HOST: 10,
  DNS_TXT: 11,
  DNS_SRV: 12,
} as const;

/** virNetworkUpdateFlags: CURRENT (0) is live when the network runs, else config. */
export const NetworkUpdateFlags = {
  AFFECT_CURRENT: 0,
  AFFECT_LIVE: 1 << 0,
  AFFECT_CONFIG: 1 << 1,
} as const;

/** virConnectListAllStoragePoolsFlags (the state/persistence/autostart bits). */
export const ListPoolsFlags = {
  INACTIVE: 1 << 0,
  ACTIVE: 1 << 1,
  PERSISTENT: 1 << 2,
  TRANSIENT: 1 << 3,
  AUTOSTART: 1 << 4,
  NO_AUTOSTART: 1 << 5,
} as const;

/** virDomainSnapshotCreateFlags (subset). */
export const SnapshotCreateFlags = {
  REDEFINE: 1 << 0,
  CURRENT: 1 << 1,
  NO_METADATA: 1 << 2,
  HALT: 1 << 3,
  DISK_ONLY: 1 << 4,
  REUSE_EXT: 1 << 5,
  QUIESCE: 1 << 6,
  ATOMIC: 1 << 7,
  LIVE: 1 << 8,
  VALIDATE: 1 << 9,
} as const;

/** virDomainSnapshotDeleteFlags. */
/** virDomainModificationImpact: which definition a change applies to (CURRENT is 0). */
export const AffectFlags = { CURRENT: 0, LIVE: 1 << 0, CONFIG: 1 << 1 } as const;
/** virDomainSaveRestoreFlags (virDomainSaveFlags, virDomainRestoreFlags, virDomainManagedSave). */
export const SaveRestoreFlags = { BYPASS_CACHE: 1 << 0, RUNNING: 1 << 1, PAUSED: 1 << 2, RESET_NVRAM: 1 << 3 } as const;
export const SnapshotDeleteFlags = { CHILDREN: 1 << 0, METADATA_ONLY: 1 << 1, CHILDREN_ONLY: 1 << 2 } as const;
/** virDomainSnapshotRevertFlags. */
export const SnapshotRevertFlags = { RUNNING: 1 << 0, PAUSED: 1 << 1, FORCE: 1 << 2, RESET_NVRAM: 1 << 3 } as const;

/** Returns true when every bit of `bit` is set in `flags`. */
export function hasFlag(flags: number, bit: number): boolean {
  return (flags & bit) === bit;
}

/** virDomainSnapshotListFlags (DESCENDANTS shares ROOTS' bit: it applies to child listings). */
export const SnapshotListFlags = {
  ROOTS: 1 << 0,
  DESCENDANTS: 1 << 0,
  METADATA: 1 << 1,
  LEAVES: 1 << 2,
  NO_LEAVES: 1 << 3,
  NO_METADATA: 1 << 4,
  INACTIVE: 1 << 5,
  ACTIVE: 1 << 6,
  DISK_ONLY: 1 << 7,
  INTERNAL: 1 << 8,
  EXTERNAL: 1 << 9,
  TOPOLOGICAL: 1 << 10,
} as const;
/** Every virDomainSnapshotListFlags bit. */
export const SNAPSHOT_LIST_ALL_FLAGS = (1 << 11) - 1;

/** virStorageVolUploadFlags: the stream may carry holes (virStreamSendHole). */
export const StorageVolUploadFlags = { SPARSE_STREAM: 1 << 0 } as const;

/** virStorageVolDownloadFlags: the daemon sends the volume's holes as holes, not zeros. */
export const StorageVolDownloadFlags = { SPARSE_STREAM: 1 << 0 } as const;

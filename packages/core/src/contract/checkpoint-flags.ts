/** libvirt's virDomainCheckpoint* flag values. */

/** virDomainCheckpointCreateFlags. */
export const CheckpointCreateFlags = { REDEFINE: 1 << 0, QUIESCE: 1 << 1, REDEFINE_VALIDATE: 1 << 2 } as const;

/** virDomainCheckpointListFlags (DESCENDANTS shares ROOTS' bit: it applies to child listings). */
export const CheckpointListFlags = {
  ROOTS: 1 << 0,
  DESCENDANTS: 1 << 0,
  TOPOLOGICAL: 1 << 1,
  LEAVES: 1 << 2,
  NO_LEAVES: 1 << 3,
} as const;
/** Every virDomainCheckpointListFlags bit. */
export const CHECKPOINT_LIST_ALL_FLAGS = (1 << 4) - 1;

/** virDomainCheckpointXMLFlags. */
export const CheckpointXmlFlags = { SECURE: 1 << 0, NO_DOMAIN: 1 << 1, SIZE: 1 << 2 } as const;

/** virDomainCheckpointDeleteFlags. */
export const CheckpointDeleteFlags = { CHILDREN: 1 << 0, METADATA_ONLY: 1 << 1, CHILDREN_ONLY: 1 << 2 } as const;

/**
 * QMP's wire messages and the typed subset of commands tsvirt sends. Shapes follow QEMU's
 * QAPI schema (qapi/*.json); only the members tsvirt reads are spelled out.
 */

export type QmpArgs = Readonly<Record<string, unknown>>;

export interface QmpGreeting {
  readonly QMP: {
    readonly version: { readonly qemu: QmpVersionTriple; readonly package: string };
    readonly capabilities: readonly string[];
  };
}

export interface QmpEvent {
  readonly event: string;
  readonly data?: Readonly<Record<string, unknown>>;
  readonly timestamp: { readonly seconds: number; readonly microseconds: number };
}

export interface QmpVersionTriple {
  readonly major: number;
  readonly minor: number;
  readonly micro: number;
}

export interface QmpVersionInfo {
  readonly qemu: QmpVersionTriple;
  readonly package: string;
}

export interface QmpSchemaEntry {
  readonly name: string;
  readonly 'meta-type': string;
  readonly [member: string]: unknown;
}

export interface QmpObjectTypeInfo {
  readonly name: string;
  readonly abstract?: boolean;
  readonly parent?: string;
}

export interface QmpPropertyInfo {
  readonly name: string;
  readonly type: string;
  readonly description?: string;
  readonly 'default-value'?: unknown;
}

export interface QmpMachineInfo {
  readonly name: string;
  readonly alias?: string;
  readonly 'is-default'?: boolean;
  readonly 'cpu-max': number;
  readonly 'hotpluggable-cpus': boolean;
  readonly 'numa-mem-supported'?: boolean;
  readonly 'default-cpu-type'?: string;
  readonly 'default-ram-id'?: string;
  readonly deprecated?: boolean;
  readonly acpi?: boolean;
}

export interface QmpCpuDefinitionInfo {
  readonly name: string;
  readonly typename?: string;
  readonly 'unavailable-features'?: readonly string[];
  readonly 'migration-safe'?: boolean;
  readonly static?: boolean;
  readonly deprecated?: boolean;
}

export interface QmpCpuModelInfo {
  readonly name: string;
  readonly props?: Readonly<Record<string, unknown>>;
}

export interface QmpCpuModelExpansionInfo {
  readonly model: QmpCpuModelInfo;
}

export interface QmpCommandLineOptionInfo {
  readonly option: string;
  readonly parameters: ReadonlyArray<{ readonly name: string; readonly type: string }>;
}

export interface QmpMigrationCapabilityStatus {
  readonly capability: string;
  readonly state: boolean;
}

/** Commands with typed arguments and results; anything else goes through the untyped form. */
export interface QmpCommands {
  qmp_capabilities: { args: { enable?: readonly string[] } | undefined; ret: Record<string, never> };
  'query-version': { args: undefined; ret: QmpVersionInfo };
  'query-target': { args: undefined; ret: { arch: string } };
  'query-qmp-schema': { args: undefined; ret: QmpSchemaEntry[] };
  'query-kvm': { args: undefined; ret: { enabled: boolean; present: boolean } };
  'query-status': { args: undefined; ret: { running: boolean; status: string } };
  'qom-list-types': { args: { implements?: string; abstract?: boolean } | undefined; ret: QmpObjectTypeInfo[] };
  'device-list-properties': { args: { typename: string }; ret: QmpPropertyInfo[] };
  'qom-list-properties': { args: { typename: string }; ret: QmpPropertyInfo[] };
  'query-machines': { args: { 'compat-props'?: boolean } | undefined; ret: QmpMachineInfo[] };
  'query-cpu-definitions': { args: undefined; ret: QmpCpuDefinitionInfo[] };
  'query-cpu-model-expansion': {
    args: { type: 'static' | 'full'; model: QmpCpuModelInfo };
    ret: QmpCpuModelExpansionInfo;
  };
  'query-tpm-models': { args: undefined; ret: string[] };
  'query-tpm-types': { args: undefined; ret: string[] };
  'query-command-line-options': { args: { option?: string } | undefined; ret: QmpCommandLineOptionInfo[] };
  'query-migrate-capabilities': { args: undefined; ret: QmpMigrationCapabilityStatus[] };
  quit: { args: undefined; ret: Record<string, never> };
  stop: { args: undefined; ret: Record<string, never> };
  cont: { args: undefined; ret: Record<string, never> };
}

export type QmpCommandName = keyof QmpCommands;
export type QmpCommandArgs<K extends QmpCommandName> = QmpCommands[K]['args'];
export type QmpCommandReturn<K extends QmpCommandName> = QmpCommands[K]['ret'];

/**
 * Anything that answers QMP commands: a live monitor, or a replay of a recorded transcript.
 * The probe talks only to this, so the same code runs against QEMU and against test data.
 */
export interface QmpPeer {
  execute(command: string, args?: QmpArgs): Promise<unknown>;
}

import { ErrorCode } from './codes.js';

/**
 * How libvirt words an error of each code: the text used without detail, and the template
 * ('%s' stands for the detail) used with one. virsh prints exactly these, so they are facts
 * of libvirt's behaviour that scripts match on.
 */
type Wording = readonly [plain: string, withDetail: string];

const C = ErrorCode;
const WORDING: Partial<Record<ErrorCode, Wording>> = {
  [C.INTERNAL_ERROR]: ['internal error', 'internal error: %s'],
  [C.NO_MEMORY]: ['out of memory', 'out of memory'],
  [C.NO_SUPPORT]: [
    'this function is not supported by the connection driver',
    'this function is not supported by the connection driver: %s',
  ],
  [C.NO_CONNECT]: ['no connection driver available', 'no connection driver available for %s'],
  [C.INVALID_CONN]: ['invalid connection pointer in', 'invalid connection pointer in %s'],
  [C.INVALID_DOMAIN]: ['invalid domain pointer in', 'invalid domain pointer in %s'],
  [C.INVALID_ARG]: ['invalid argument', 'invalid argument: %s'],
  [C.OPERATION_FAILED]: ['operation failed', 'operation failed: %s'],
  [C.UNKNOWN_HOST]: ['unknown host', 'unknown host %s'],
  [C.OS_TYPE]: ['unknown OS type', 'unknown OS type %s'],
  [C.NO_KERNEL]: ['missing kernel information', 'missing kernel information'],
  [C.NO_SOURCE]: ['missing source information for device', 'missing source information for device %s'],
  [C.NO_TARGET]: ['missing target information for device', 'missing target information for device %s'],
  [C.NO_NAME]: ['missing name information', 'missing name information in %s'],
  [C.NO_OS]: ['missing operating system information', 'missing operating system information for %s'],
  [C.NO_DEVICE]: ['missing devices information', 'missing devices information for %s'],
  [C.XML_ERROR]: ['XML description is invalid or not well formed', 'XML error: %s'],
  [C.DOM_EXIST]: ['this domain exists already', 'domain %s exists already'],
  [C.OPERATION_DENIED]: ['operation forbidden for read only access', 'operation forbidden: %s'],
  [C.OPEN_FAILED]: ['failed to open configuration file for reading', 'failed to open %s for reading'],
  [C.READ_FAILED]: ['failed to read configuration file', 'failed to read configuration file %s'],
  [C.PARSE_FAILED]: ['failed to parse configuration file', 'failed to parse configuration file %s'],
  [C.CONF_SYNTAX]: ['configuration file syntax error', 'configuration file syntax error: %s'],
  [C.WRITE_FAILED]: ['failed to write configuration file', 'failed to write configuration file: %s'],
  [C.XML_DETAIL]: ['parser error', '%s'],
  [C.INVALID_NETWORK]: ['invalid network pointer in', 'invalid network pointer in %s'],
  [C.NETWORK_EXIST]: ['this network exists already', 'network %s exists already'],
  [C.SYSTEM_ERROR]: ['system call error', '%s'],
  [C.RPC]: ['RPC error', '%s'],
  [C.GNUTLS_ERROR]: ['GNUTLS call error', '%s'],
  [C.WAR_NO_NETWORK]: ['Failed to find the network', 'Failed to find the network: %s'],
  [C.NO_DOMAIN]: ['Domain not found', 'Domain not found: %s'],
  [C.NO_NETWORK]: ['Network not found', 'Network not found: %s'],
  [C.INVALID_MAC]: ['invalid MAC address', 'invalid MAC address: %s'],
  [C.AUTH_FAILED]: ['authentication failed', 'authentication failed: %s'],
  [C.AUTH_CANCELLED]: ['authentication cancelled', 'authentication cancelled: %s'],
  [C.NO_STORAGE_POOL]: ['Storage pool not found', 'Storage pool not found: %s'],
  [C.NO_STORAGE_VOL]: ['Storage volume not found', 'Storage volume not found: %s'],
  [C.STORAGE_VOL_EXIST]: ['this storage volume exists already', 'storage volume %s exists already'],
  [C.STORAGE_PROBE_FAILED]: ['Storage pool probe failed', 'Storage pool probe failed: %s'],
  [C.STORAGE_POOL_BUILT]: ['Storage pool already built', 'Storage pool already built: %s'],
  [C.INVALID_STORAGE_POOL]: ['invalid storage pool pointer in', 'invalid storage pool pointer in %s'],
  [C.INVALID_STORAGE_VOL]: ['invalid storage volume pointer in', 'invalid storage volume pointer in %s'],
  [C.WAR_NO_STORAGE]: ['Failed to find a storage driver', 'Failed to find a storage driver: %s'],
  [C.NO_NODE_DEVICE]: ['Node device not found', 'Node device not found: %s'],
  [C.NO_SECURITY_MODEL]: ['Security model not found', 'Security model not found: %s'],
  [C.OPERATION_INVALID]: ['Requested operation is not valid', 'Requested operation is not valid: %s'],
  [C.NO_INTERFACE]: ['Interface not found', 'Interface not found: %s'],
  [C.INVALID_INTERFACE]: ['invalid interface pointer in', 'invalid interface pointer in %s'],
  [C.MULTIPLE_INTERFACES]: ['multiple matching interfaces found', 'multiple matching interfaces found: %s'],
  [C.NO_SECRET]: ['Secret not found', 'Secret not found: %s'],
  [C.CONFIG_UNSUPPORTED]: ['unsupported configuration', 'unsupported configuration: %s'],
  [C.OPERATION_TIMEOUT]: ['Timed out during operation', 'Timed out during operation: %s'],
  [C.HOOK_SCRIPT_FAILED]: ['Hook script execution failed', 'Hook script execution failed: %s'],
  [C.INVALID_DOMAIN_SNAPSHOT]: ['Invalid snapshot', 'Invalid snapshot: %s'],
  [C.NO_DOMAIN_SNAPSHOT]: ['Domain snapshot not found', 'Domain snapshot not found: %s'],
  [C.INVALID_STREAM]: ['invalid stream pointer', 'invalid stream pointer in %s'],
  [C.ARGUMENT_UNSUPPORTED]: ['argument unsupported', 'argument unsupported: %s'],
  [C.SNAPSHOT_REVERT_RISKY]: ['revert requires force', 'revert requires force: %s'],
  [C.OPERATION_ABORTED]: ['operation aborted', 'operation aborted: %s'],
  [C.NO_DOMAIN_METADATA]: ['metadata not found', 'metadata not found: %s'],
  [C.MIGRATE_UNSAFE]: ['Unsafe migration', 'Unsafe migration: %s'],
  [C.OVERFLOW]: ['numerical overflow', 'numerical overflow: %s'],
  [C.BLOCK_COPY_ACTIVE]: ['block copy still active', 'block copy still active: %s'],
  [C.OPERATION_UNSUPPORTED]: ['Operation not supported', 'Operation not supported: %s'],
  [C.SSH]: ['SSH transport error', 'SSH transport error: %s'],
  [C.AGENT_UNRESPONSIVE]: ['Guest agent is not responding', 'Guest agent is not responding: %s'],
  [C.RESOURCE_BUSY]: ['resource busy', 'resource busy %s'],
  [C.ACCESS_DENIED]: ['access denied', 'access denied: %s'],
  [C.DBUS_SERVICE]: ['error from service', 'error from service: %s'],
  [C.CPU_INCOMPATIBLE]: ['the CPU is incompatible with host CPU', 'the CPU is incompatible with host CPU: %s'],
  [C.XML_INVALID_SCHEMA]: [
    'XML document failed to validate against schema',
    'XML document failed to validate against schema: %s',
  ],
  [C.AUTH_UNAVAILABLE]: ['authentication unavailable', 'authentication unavailable: %s'],
  [C.NO_SERVER]: ['Server not found', 'Server not found: %s'],
  [C.NO_CLIENT]: ['Client not found', 'Client not found: %s'],
  [C.LIBSSH]: ['libssh transport error', 'libssh transport error: %s'],
  [C.DEVICE_MISSING]: ['device not found', 'device not found: %s'],
  [C.INVALID_DOMAIN_CHECKPOINT]: ['Invalid checkpoint', 'Invalid checkpoint: %s'],
  [C.NO_DOMAIN_CHECKPOINT]: ['Domain checkpoint not found', 'Domain checkpoint not found: %s'],
  [C.NO_NETWORK_PORT]: ['network port not found', 'network port not found: %s'],
  [C.NETWORK_PORT_EXIST]: ['this network port exists already', 'network port %s exists already'],
  [C.NO_HOSTNAME]: ['no hostname found', 'no hostname found: %s'],
  [C.MULTIPLE_DOMAINS]: ['multiple matching domains found', 'multiple matching domains found: %s'],
};

/** The full message libvirt shows for `code` with optional `detail`. */
export function formatErrorMessage(code: ErrorCode, detail?: string): string {
  const wording = WORDING[code];
  if (!wording) return detail ?? 'unknown error';
  if (detail === undefined || detail === '') return wording[0];
  return wording[1].replace('%s', detail);
}

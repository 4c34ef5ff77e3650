import { type Connection, connect, ErrorCode, ErrorDomain, parseConnectUri, VirError } from '@tsvirt/core';

/**
 * How the daemon opens what a client asked for: any installed driver, found by core's discovery,
 * but never a remote URI (the daemon does not relay to another daemon, as libvirtd does not).
 */
export function openForClient(searchPaths: readonly string[] = []) {
  return async (name: string | undefined, readOnly: boolean): Promise<Connection> => {
    if (name !== undefined && name !== '') {
      const uri = parseConnectUri(name);
      if (uri.transport || uri.host) {
        throw new VirError({
          code: ErrorCode.NO_CONNECT,
          domain: ErrorDomain.NONE,
          message: `no connection driver available for ${name}`,
        });
      }
    }
    return connect(name, { readOnly, searchPaths });
  };
}

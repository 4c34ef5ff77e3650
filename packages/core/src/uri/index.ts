export {
  type ConnectUri,
  KNOWN_URI_PARAMS,
  type KnownUriParam,
  parseConnectUri,
  formatConnectUri,
  uriParam,
  isRemoteUri,
} from './connect-uri.js';
export {
  defaultUri,
  clientConfigPath,
  readClientConfig,
  parseClientConfig,
  resolveAlias,
  type ClientConfig,
} from './default-uri.js';

export {
  type ConnectUri,
  formatConnectUri,
  isRemoteUri,
  KNOWN_URI_PARAMS,
  type KnownUriParam,
  parseConnectUri,
  uriParam,
} from './connect-uri.js';
export {
  type ClientConfig,
  clientConfigPath,
  defaultUri,
  parseClientConfig,
  readClientConfig,
  resolveAlias,
} from './default-uri.js';

/** The tls-creds-x509 objects libvirt adds for TLS-protected VNC servers, chardevs and NBD clients. */
import { Props } from './props.js';

export function tlsCredsX509(id: string, dir: string, endpoint: 'client' | 'server', verifyPeer: boolean): Props {
  return new Props()
    .set('qom-type', 'tls-creds-x509')
    .set('id', id)
    .set('dir', dir)
    .set('endpoint', endpoint)
    .set('verify-peer', verifyPeer);
}

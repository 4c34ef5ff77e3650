export { formatAddnHosts } from './addnhosts.js';
export { buildDnsmasqConfig, type DnsmasqFiles } from './config.js';
export { addnhostsPath, configPath, type DnsmasqPaths, hostsfilePath, leasesPath } from './paths.js';

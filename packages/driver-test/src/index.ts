export { DEFAULT_NODE_XML } from './default-node.js';
export { driver, driver as default } from './descriptor.js';
export { loadNodeFile, type NodeContents, parseNode } from './node-file.js';

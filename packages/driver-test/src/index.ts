export { driver } from './descriptor.js';
export { driver as default } from './descriptor.js';
export { DEFAULT_NODE_XML } from './default-node.js';
export { parseNode, loadNodeFile, type NodeContents } from './node-file.js';

export { loadMnistDigits, mnistDataset } from './mnist.js';
export { NodeDatasetCache } from './dataset-cache.js';
export { EmbeddedIpfs, parseCid } from './embedded-ipfs.js';
export { startGateway, type Gateway } from './gateway.js';
export { KuboStore, kuboAddOptions } from './kubo.js';
export { balancedLayout, fixedSizeChunker, importerOptions } from './unixfs-settings.js';

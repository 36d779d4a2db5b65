// Typed ABIs for viem, generated from forge's build output (see scripts/generate-abis.mjs).
export * from './generated/index.js';

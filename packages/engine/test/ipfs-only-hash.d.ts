// ipfs-only-hash 4 ships no types.
declare module 'ipfs-only-hash' {
  const Hash: {
    of(content: Uint8Array | string, options?: Record<string, unknown>): Promise<string>;
  };
  export default Hash;
}

/** The chain data the runtime hands to mappings, independent of the RPC client's types. */
export type Hex = `0x${string}`;

export interface ChainBlock {
  readonly hash: Hex;
  readonly parentHash: Hex;
  readonly unclesHash: Hex;
  readonly author: Hex;
  readonly stateRoot: Hex;
  readonly transactionsRoot: Hex;
  readonly receiptsRoot: Hex;
  readonly number: bigint;
  readonly gasUsed: bigint;
  readonly gasLimit: bigint;
  readonly timestamp: bigint;
  readonly difficulty: bigint;
  /** 0 when the node omits it (post-merge), as graph-node does. */
  readonly totalDifficulty: bigint;
  readonly size: bigint | null;
  readonly baseFeePerGas: bigint | null;
}

export interface ChainTransaction {
  readonly hash: Hex;
  readonly index: bigint;
  readonly from: Hex;
  readonly to: Hex | null;
  readonly value: bigint;
  readonly gasLimit: bigint;
  /** The effective gas price (EIP-1559: min(maxFee, baseFee + priorityFee)). */
  readonly gasPrice: bigint;
  readonly input: Hex;
  readonly nonce: bigint;
}

export interface ChainLog {
  readonly address: Hex;
  readonly topics: readonly Hex[];
  readonly data: Hex;
  readonly blockHash: Hex;
  readonly blockNumber: bigint;
  readonly transactionHash: Hex;
  readonly transactionIndex: bigint;
  readonly logIndex: bigint;
  readonly removed: boolean;
}

export interface ChainReceipt {
  readonly transactionHash: Hex;
  readonly transactionIndex: bigint;
  readonly blockHash: Hex;
  readonly blockNumber: bigint;
  readonly cumulativeGasUsed: bigint;
  readonly gasUsed: bigint;
  readonly contractAddress: Hex | null;
  readonly logs: readonly ChainLog[];
  readonly status: bigint | null;
  readonly root: Hex | null;
  readonly logsBloom: Hex;
}

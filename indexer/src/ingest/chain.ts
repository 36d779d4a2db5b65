import type { Block, Log, PublicClient, Transaction, TransactionReceipt } from 'viem';
import type {
  ChainBlock,
  ChainLog,
  ChainReceipt,
  ChainTransaction,
  Hex,
} from '../wasm/chain-types.js';
import type { EthCallResult } from '../wasm/context.js';
import { isRevertMessage } from '../wasm/host-exports.js';

/** A block with its transactions, as the runtime hands it to mappings. */
export interface FullBlock {
  readonly block: ChainBlock;
  readonly transactions: ReadonlyMap<Hex, ChainTransaction>;
}

/** Block-range log fetching adapts to the node: shrink on errors, grow while quick. */
export interface RangeOptions {
  readonly initial: number;
  readonly min: number;
  readonly max: number;
}

export const DEFAULT_RANGE: RangeOptions = { initial: 10, min: 1, max: 50_000 };

/** Aim for about this many logs per eth_getLogs response (big responses are slow and time out). */
const TARGET_LOGS = 5_000;

function toBlock(b: Block<bigint, true>): FullBlock {
  const block: ChainBlock = {
    hash: b.hash!,
    parentHash: b.parentHash,
    unclesHash: b.sha3Uncles,
    author: b.miner,
    stateRoot: b.stateRoot,
    transactionsRoot: b.transactionsRoot,
    receiptsRoot: b.receiptsRoot,
    number: b.number!,
    gasUsed: b.gasUsed,
    gasLimit: b.gasLimit,
    timestamp: b.timestamp,
    difficulty: b.difficulty ?? 0n,
    totalDifficulty: b.totalDifficulty ?? 0n,
    size: b.size ?? null,
    baseFeePerGas: b.baseFeePerGas ?? null,
  };
  const transactions = new Map<Hex, ChainTransaction>();
  for (const tx of b.transactions)
    transactions.set(tx.hash, toTransaction(tx, block.baseFeePerGas));
  return { block, transactions };
}

function toTransaction(tx: Transaction, baseFee: bigint | null): ChainTransaction {
  let gasPrice = tx.gasPrice ?? 0n;
  if (tx.maxFeePerGas !== undefined && baseFee !== null) {
    const tip = tx.maxPriorityFeePerGas ?? 0n;
    gasPrice = tx.maxFeePerGas < baseFee + tip ? tx.maxFeePerGas : baseFee + tip;
  }
  return {
    hash: tx.hash,
    index: BigInt(tx.transactionIndex ?? 0),
    from: tx.from,
    to: tx.to ?? null,
    value: tx.value,
    gasLimit: tx.gas,
    gasPrice,
    input: tx.input,
    nonce: BigInt(tx.nonce),
  };
}

export function toChainLog(log: Log): ChainLog {
  return {
    address: log.address.toLowerCase() as Hex,
    topics: log.topics as Hex[],
    data: log.data,
    blockHash: log.blockHash!,
    blockNumber: log.blockNumber!,
    transactionHash: log.transactionHash!,
    transactionIndex: BigInt(log.transactionIndex ?? 0),
    logIndex: BigInt(log.logIndex ?? 0),
    removed: log.removed ?? false,
  };
}

function toReceipt(r: TransactionReceipt): ChainReceipt {
  return {
    transactionHash: r.transactionHash,
    transactionIndex: BigInt(r.transactionIndex),
    blockHash: r.blockHash,
    blockNumber: r.blockNumber,
    cumulativeGasUsed: r.cumulativeGasUsed,
    gasUsed: r.gasUsed,
    contractAddress: r.contractAddress ?? null,
    logs: r.logs.map(toChainLog),
    status: r.status === 'success' ? 1n : r.status === 'reverted' ? 0n : null,
    root: (r.root as Hex | undefined) ?? null,
    logsBloom: r.logsBloom,
  };
}

export interface LogFilter {
  readonly addresses: readonly Hex[] | null;
  readonly topic0: readonly Hex[];
}

/** The JSON-RPC side of ingestion, over a viem public client. */
export class ChainSource {
  private range: number;
  rpcCalls = 0;

  constructor(
    readonly client: PublicClient,
    private readonly rangeOptions: RangeOptions = DEFAULT_RANGE,
  ) {
    this.range = rangeOptions.initial;
  }

  async headNumber(): Promise<number> {
    this.rpcCalls++;
    return Number(await this.client.getBlockNumber({ cacheTime: 0 }));
  }

  async blockByNumber(number: number): Promise<FullBlock> {
    this.rpcCalls++;
    return toBlock(
      await this.client.getBlock({ blockNumber: BigInt(number), includeTransactions: true }),
    );
  }

  async blockByHash(hash: Hex): Promise<FullBlock> {
    this.rpcCalls++;
    return toBlock(await this.client.getBlock({ blockHash: hash, includeTransactions: true }));
  }

  async receipt(hash: Hex): Promise<ChainReceipt> {
    this.rpcCalls++;
    return toReceipt(await this.client.getTransactionReceipt({ hash }));
  }

  async logsByHash(filter: LogFilter, blockHash: Hex): Promise<ChainLog[]> {
    if (filter.topic0.length === 0) return [];
    this.rpcCalls++;
    const logs = (await this.client.request({
      method: 'eth_getLogs',
      params: [
        {
          blockHash,
          ...(filter.addresses ? { address: [...filter.addresses] } : {}),
          topics: [[...filter.topic0]],
        },
      ],
    })) as unknown as RpcLog[];
    return logs.map(fromRpcLog);
  }

  /**
   * Logs for [from, to] in as few eth_getLogs calls as the node allows; returns the logs and the
   * last block covered (may be < to when the range had to shrink).
   */
  async logsInRange(
    filter: LogFilter,
    from: number,
    to: number,
  ): Promise<{ logs: ChainLog[]; to: number }> {
    if (filter.topic0.length === 0) return { logs: [], to };
    for (;;) {
      const end = Math.min(to, from + this.range - 1);
      const started = Date.now();
      try {
        this.rpcCalls++;
        const logs = (await this.client.request({
          method: 'eth_getLogs',
          params: [
            {
              fromBlock: `0x${from.toString(16)}`,
              toBlock: `0x${end.toString(16)}`,
              ...(filter.addresses ? { address: [...filter.addresses] } : {}),
              topics: [[...filter.topic0]],
            },
          ],
        })) as unknown as RpcLog[];
        // next range from the observed density: ~TARGET_LOGS logs, at most 10x growth, and only
        // grow while responses stay quick
        const blocks = end - from + 1;
        const byDensity = Math.floor((blocks * TARGET_LOGS) / Math.max(1, logs.length));
        const quick = Date.now() - started < 2_000;
        const next = Math.min(byDensity, quick ? blocks * 10 : blocks);
        this.range = Math.max(this.rangeOptions.min, Math.min(this.rangeOptions.max, next));
        return { logs: logs.map(fromRpcLog), to: end };
      } catch (error) {
        if (this.range <= this.rangeOptions.min) throw error;
        // "query returned more than 10000 results", "block range too large", timeouts: shrink
        this.range = Math.max(this.rangeOptions.min, Math.floor(this.range / 4));
      }
    }
  }

  get currentRange(): number {
    return this.range;
  }

  async ethCall(to: Hex, data: Hex, blockHash: Hex): Promise<EthCallResult> {
    this.rpcCalls++;
    try {
      const result = (await this.client.request({
        method: 'eth_call',
        params: [{ to, data, gas: '0x2faf080' }, { blockHash } as unknown as `0x${string}`],
      })) as Hex;
      return { ok: true, data: result };
    } catch (error) {
      const message = collectMessages(error);
      if (isRevertMessage(message)) return { ok: false, reason: message };
      throw error;
    }
  }

  async getBalance(address: Hex, blockHash: Hex): Promise<bigint> {
    this.rpcCalls++;
    const result = (await this.client.request({
      method: 'eth_getBalance',
      params: [address, { blockHash } as unknown as `0x${string}`],
    })) as Hex;
    return BigInt(result);
  }

  async getCode(address: Hex, blockHash: Hex): Promise<Hex> {
    this.rpcCalls++;
    return (await this.client.request({
      method: 'eth_getCode',
      params: [address, { blockHash } as unknown as `0x${string}`],
    })) as Hex;
  }
}

interface RpcLog {
  address: Hex;
  topics: Hex[];
  data: Hex;
  blockHash: Hex;
  blockNumber: Hex;
  transactionHash: Hex;
  transactionIndex: Hex;
  logIndex: Hex;
  removed?: boolean;
}

function fromRpcLog(log: RpcLog): ChainLog {
  return {
    address: log.address.toLowerCase() as Hex,
    topics: log.topics,
    data: log.data,
    blockHash: log.blockHash,
    blockNumber: BigInt(log.blockNumber),
    transactionHash: log.transactionHash,
    transactionIndex: BigInt(log.transactionIndex),
    logIndex: BigInt(log.logIndex),
    removed: log.removed ?? false,
  };
}

function collectMessages(error: unknown): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let i = 0; e && i < 8; i++) {
    const obj = e as {
      message?: string;
      details?: string;
      shortMessage?: string;
      cause?: unknown;
      data?: unknown;
    };
    parts.push(obj.message ?? '', obj.details ?? '', obj.shortMessage ?? '');
    e = obj.cause;
  }
  return parts.join(' ');
}

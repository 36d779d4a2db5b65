import {
  BaseError,
  ContractFunctionRevertedError,
  encodeFunctionData,
  keccak256,
  type Abi,
  type Address,
  type Hex,
  type TransactionReceipt,
} from 'viem';
import { ChainError } from '../errors.js';
import type { ChainConnection } from './client.js';

/**
 * A signed transaction recorded before it is broadcast. Resending the same raw bytes is
 * idempotent (same nonce, same hash), which is what makes claim and submit crash-safe: after a
 * restart the worker rebroadcasts the journaled transaction instead of signing a new one.
 */
export interface SignedTx {
  readonly label: string;
  readonly hash: Hex;
  readonly raw: Hex;
  readonly nonce: number;
}

export interface ContractCall {
  readonly address: Address;
  readonly abi: Abi;
  readonly functionName: string;
  readonly args?: readonly unknown[];
  readonly value?: bigint;
}

/** A revert with the contract's custom error decoded (name and args), e.g. LeaseHeld. */
export class TxRevertedError extends ChainError {
  override name = 'TxRevertedError';
  constructor(
    readonly label: string,
    readonly errorName: string | undefined,
    readonly errorArgs: readonly unknown[] | undefined,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${label} reverted${errorName ? ` with ${errorName}` : ''}: ${message}`, options);
  }
}

/** Turns a viem error into a TxRevertedError when it is a revert, else a ChainError. */
export function asChainError(label: string, error: unknown): ChainError {
  if (error instanceof ChainError) return error;
  if (error instanceof BaseError) {
    const revert = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError) {
      return new TxRevertedError(
        label,
        revert.data?.errorName,
        revert.data?.args,
        revert.shortMessage,
        { cause: error },
      );
    }
    return new ChainError(`${label}: ${error.shortMessage}`, { cause: error });
  }
  return new ChainError(`${label}: ${(error as Error).message}`, { cause: error });
}

/**
 * Simulates the call (so reverts surface with their decoded custom error before anything is
 * signed), signs it with the next nonce, hands the signed bytes to `record` (the journal) and only
 * then broadcasts it and waits for the receipt.
 */
export async function sendRecorded(
  conn: ChainConnection,
  label: string,
  call: ContractCall,
  record: (tx: SignedTx) => void = () => {},
  afterBroadcast: () => void = () => {},
): Promise<{ tx: SignedTx; receipt: TransactionReceipt }> {
  const { publicClient, account } = conn;
  let gas: bigint;
  try {
    await publicClient.simulateContract({
      address: call.address,
      abi: call.abi,
      functionName: call.functionName,
      args: call.args,
      value: call.value,
      account,
    } as never);
    gas = await publicClient.estimateGas({
      account,
      to: call.address,
      data: encodeFunctionData({
        abi: call.abi,
        functionName: call.functionName,
        args: call.args,
      } as never),
      value: call.value,
    });
  } catch (error) {
    throw asChainError(label, error);
  }
  const data = encodeFunctionData({
    abi: call.abi,
    functionName: call.functionName,
    args: call.args,
  } as never);
  // Roles of one process share the account: sign and broadcast one transaction at a time so two
  // never take the same nonce.
  const tx = await withAccountLock(conn, async () => {
    const signed = await sign(conn, label, call, data, gas);
    record(signed);
    await broadcast(conn, signed);
    return signed;
  });
  afterBroadcast();
  const receipt = await waitFor(conn, tx);
  return { tx, receipt };
}

const locks = new WeakMap<ChainConnection, Promise<unknown>>();

async function withAccountLock<T>(conn: ChainConnection, work: () => Promise<T>): Promise<T> {
  const previous = locks.get(conn) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(work);
  locks.set(conn, next);
  return next;
}

async function sign(
  conn: ChainConnection,
  label: string,
  call: ContractCall,
  data: Hex,
  gas: bigint,
): Promise<SignedTx> {
  const { publicClient, account, chainId } = conn;
  const [nonce, fees] = await Promise.all([
    publicClient.getTransactionCount({ address: account.address, blockTag: 'pending' }),
    publicClient.estimateFeesPerGas(),
  ]);
  const raw = await account.signTransaction({
    chainId,
    type: 'eip1559',
    to: call.address,
    data,
    value: call.value ?? 0n,
    gas: (gas * 12n) / 10n,
    nonce,
    maxFeePerGas: fees.maxFeePerGas,
    maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
  });
  return { label, hash: keccak256(raw), raw, nonce };
}

/**
 * (Re)broadcasts a recorded transaction and waits for its receipt. "already known" and "nonce too
 * low" answers are expected on a rebroadcast and ignored: the receipt decides.
 */
export async function broadcastAndWait(
  conn: ChainConnection,
  tx: SignedTx,
  options: { timeoutMs?: number } = {},
): Promise<TransactionReceipt> {
  await broadcast(conn, tx);
  return waitFor(conn, tx, options);
}

async function broadcast(conn: ChainConnection, tx: SignedTx): Promise<void> {
  const { publicClient } = conn;
  try {
    await publicClient.sendRawTransaction({ serializedTransaction: tx.raw });
  } catch (error) {
    const text = error instanceof BaseError ? error.details + error.shortMessage : String(error);
    if (
      !/already known|nonce too low|known transaction|already imported|AlreadyKnown/i.test(text)
    ) {
      const existing = await publicClient
        .getTransactionReceipt({ hash: tx.hash })
        .catch(() => undefined);
      if (!existing) throw asChainError(tx.label, error);
    }
  }
}

async function waitFor(
  conn: ChainConnection,
  tx: SignedTx,
  options: { timeoutMs?: number } = {},
): Promise<TransactionReceipt> {
  const { publicClient } = conn;
  let receipt: TransactionReceipt;
  try {
    receipt = await publicClient.waitForTransactionReceipt({
      hash: tx.hash,
      timeout: options.timeoutMs ?? 120_000,
    });
  } catch (error) {
    throw asChainError(tx.label, error);
  }
  if (receipt.status !== 'success')
    throw new TxRevertedError(tx.label, undefined, undefined, `transaction ${tx.hash} reverted`);
  return receipt;
}

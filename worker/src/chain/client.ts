import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type Chain,
  type PublicClient,
  type Transport,
  type WalletClient,
} from 'viem';
import type { PrivateKeyAccount } from 'viem/accounts';

/** One account on one chain: the clients every role shares. */
export interface ChainConnection {
  readonly chainId: number;
  readonly chain: Chain;
  readonly publicClient: PublicClient<Transport, Chain>;
  readonly walletClient: WalletClient<Transport, Chain, PrivateKeyAccount>;
  readonly account: PrivateKeyAccount;
}

/** Connects to an RPC endpoint; the chain id is asked from the node. */
export async function connect(args: {
  rpcUrl: string;
  account: PrivateKeyAccount;
  pollingIntervalMs?: number;
}): Promise<ChainConnection> {
  const transport = http(args.rpcUrl, { retryCount: 3, timeout: 30_000 });
  const probe = createPublicClient({ transport });
  const chainId = await probe.getChainId();
  const chain = defineChain({
    id: chainId,
    name: `chain-${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [args.rpcUrl] } },
  });
  const pollingInterval = args.pollingIntervalMs ?? 1_000;
  const publicClient = createPublicClient({ chain, transport, pollingInterval });
  const walletClient = createWalletClient({
    chain,
    transport,
    account: args.account,
    pollingInterval,
  });
  return { chainId, chain, publicClient, walletClient, account: args.account };
}

/**
 * Voting and delegation with the connected account: injected wallets found through EIP-6963, or
 * on the local chain (31337) one of anvil's dev accounts. Reverts are decoded into the court's
 * custom errors; a rejected request or a wrong network says so in words.
 */
import { useSearchParams } from '@remix-run/react';
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import {
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  http,
  type Account,
  type Chain,
  type WalletClient,
} from 'viem';
import { COURT_ERROR_HELP, disputeCourtAbi, portalErrorAbi, umTokenAbi } from '../lib/contracts.js';
import { devAccountsFor, LOCAL_CHAIN_ID } from '../lib/dev-accounts.js';
import {
  createWalletStore,
  serverWalletSnapshot,
  type Eip6963ProviderDetail,
  type WalletStore,
} from '../lib/eip6963.js';
import { decodeRevert } from '../lib/revert.js';
import { shortHex } from '../lib/format.js';

export type PublicChain = {
  chainId: number;
  rpcUrl: string;
  token: `0x${string}` | null;
  court: `0x${string}` | null;
  problem: string | null;
};

let walletStore: WalletStore | null = null;
function getWalletStore(): WalletStore {
  walletStore ??= createWalletStore(window);
  return walletStore;
}

function useWallets(): readonly Eip6963ProviderDetail[] {
  const wallets = useSyncExternalStore(
    (l) => getWalletStore().subscribe(l),
    () => getWalletStore().getSnapshot(),
    serverWalletSnapshot,
  );
  useEffect(() => getWalletStore().request(), []);
  return wallets;
}

type Signer = {
  address: `0x${string}`;
  label: string;
  client: WalletClient;
  account: Account | `0x${string}`;
};

export function VotePanel({
  chain,
  disputeId,
  open,
  canVote,
}: {
  chain: PublicChain;
  disputeId: string;
  open: boolean;
  canVote: boolean | null;
}) {
  const wallets = useWallets();
  const [params, setParams] = useSearchParams();
  const [signer, setSigner] = useState<Signer | null>(null);
  const [message, setMessage] = useState<{
    kind: 'ok' | 'error';
    text: string;
    help?: string;
  } | null>(null);
  const [busy, setBusy] = useState(false);
  const viemChain: Chain = useMemo(
    () =>
      defineChain({
        id: chain.chainId,
        name: chain.chainId === LOCAL_CHAIN_ID ? 'Local (anvil)' : `Chain ${chain.chainId}`,
        nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
        rpcUrls: { default: { http: [chain.rpcUrl] } },
      }),
    [chain.chainId, chain.rpcUrl],
  );
  const devAccounts = useMemo(() => devAccountsFor(chain.chainId, 10), [chain.chainId]);

  const chooseAccount = (s: Signer) => {
    setSigner(s);
    setMessage(null);
    const next = new URLSearchParams(params);
    next.set('account', s.address);
    setParams(next, { replace: true, preventScrollReset: true });
  };

  const connectWallet = async (w: Eip6963ProviderDetail) => {
    try {
      const accounts = (await w.provider.request({
        method: 'eth_requestAccounts',
      })) as `0x${string}`[];
      const hexChain = (await w.provider.request({ method: 'eth_chainId' })) as string;
      if (Number(hexChain) !== chain.chainId) {
        setMessage({
          kind: 'error',
          text: `${w.info.name} is on chain ${Number(hexChain)}; this portal reads chain ${chain.chainId}. Switch networks in the wallet.`,
        });
        return;
      }
      const address = accounts[0]!;
      chooseAccount({
        address,
        label: w.info.name,
        account: address,
        client: createWalletClient({ chain: viemChain, transport: custom(w.provider) }),
      });
    } catch (err) {
      const d = decodeRevert(err, portalErrorAbi);
      setMessage({ kind: 'error', text: d.message });
    }
  };

  const send = async (
    what: 'vote' | 'delegate',
    args: { support?: number; reason?: string; delegatee?: `0x${string}` },
  ) => {
    if (!signer) return;
    setBusy(true);
    setMessage(null);
    try {
      const publicClient = createPublicClient({ chain: viemChain, transport: http(chain.rpcUrl) });
      const hash =
        what === 'vote'
          ? await signer.client.writeContract({
              chain: viemChain,
              account: signer.account,
              address: chain.court!,
              abi: disputeCourtAbi,
              functionName: 'castVote',
              args: [BigInt(disputeId), args.support!, args.reason ?? ''],
            })
          : await signer.client.writeContract({
              chain: viemChain,
              account: signer.account,
              address: chain.token!,
              abi: umTokenAbi,
              functionName: 'delegate',
              args: [args.delegatee!],
            });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      setMessage(
        receipt.status === 'success'
          ? {
              kind: 'ok',
              text:
                what === 'vote'
                  ? `Vote recorded in block ${receipt.blockNumber}. The tally updates when the block is indexed.`
                  : `Delegated in block ${receipt.blockNumber}.`,
            }
          : { kind: 'error', text: `The transaction reverted (block ${receipt.blockNumber}).` },
      );
    } catch (err) {
      const d = decodeRevert(err, portalErrorAbi);
      setMessage({
        kind: 'error',
        text: d.message,
        help: d.kind === 'custom' ? COURT_ERROR_HELP[d.errorName] : undefined,
      });
    } finally {
      setBusy(false);
    }
  };

  const missing = !chain.court || !chain.token;
  return (
    <section className="card" aria-labelledby="vote-title">
      <h2 id="vote-title" style={{ marginTop: 0 }}>
        Vote
      </h2>
      {missing ? (
        <p className="muted">
          Voting is unavailable: {chain.problem ?? 'the court or token address is unknown'}.
        </p>
      ) : null}
      <p>
        {signer ? (
          <>
            Acting as <span className="mono">{shortHex(signer.address)}</span> ({signer.label}).
          </>
        ) : (
          'Choose an account to see your voting power and vote.'
        )}
      </p>
      <div className="filters">
        {wallets.map((w) => (
          <button key={w.info.uuid} type="button" onClick={() => void connectWallet(w)}>
            <img src={w.info.icon} alt="" width={16} height={16} /> Connect {w.info.name}
          </button>
        ))}
        {wallets.length === 0 ? (
          <span className="muted">No browser wallet found (EIP-6963).</span>
        ) : null}
        {devAccounts.length > 0 ? (
          <label>
            Dev account (local chain only)
            <select
              defaultValue=""
              aria-label="Dev account"
              onChange={(e) => {
                const a = devAccounts[Number(e.target.value)];
                if (a)
                  chooseAccount({
                    address: a.address,
                    label: `dev account ${a.index}`,
                    account: a.account,
                    client: createWalletClient({
                      chain: viemChain,
                      account: a.account,
                      transport: http(chain.rpcUrl),
                    }),
                  });
              }}
            >
              <option value="" disabled>
                pick…
              </option>
              {devAccounts.map((a) => (
                <option key={a.index} value={a.index}>
                  #{a.index} {shortHex(a.address)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      {signer && open ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            void send('vote', {
              support: Number(f.get('support')),
              reason: String(f.get('reason') ?? ''),
            });
          }}
        >
          <fieldset style={{ border: 0, padding: 0 }}>
            <legend>Your vote</legend>
            <label>
              <input type="radio" name="support" value="0" required /> Fraud — the step was computed
              wrongly
            </label>
            <br />
            <label>
              <input type="radio" name="support" value="1" /> Valid — the worker&apos;s claim stands
            </label>
            <br />
            <label>
              <input type="radio" name="support" value="2" /> Abstain — counts towards quorum only
            </label>
          </fieldset>
          <label>
            Reason (optional, public)
            <input name="reason" maxLength={500} style={{ width: '100%' }} />
          </label>
          <p>
            <button
              className="primary"
              type="submit"
              disabled={busy || missing || canVote === false}
            >
              {busy ? 'Sending…' : 'Cast vote'}
            </button>
          </p>
        </form>
      ) : null}
      {signer ? (
        <p>
          <button
            type="button"
            disabled={busy || missing}
            onClick={() => void send('delegate', { delegatee: signer.address })}
          >
            Delegate to myself
          </button>{' '}
          <span className="muted">
            (counts from the next dispute on; it cannot change this one)
          </span>
        </p>
      ) : null}
      {message ? (
        <p
          role={message.kind === 'error' ? 'alert' : 'status'}
          className={message.kind === 'error' ? 'error-text' : undefined}
        >
          {message.text}
          {message.help ? <> — {message.help}</> : null}
        </p>
      ) : null}
    </section>
  );
}

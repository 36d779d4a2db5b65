/**
 * Voting and delegation with the connected account: injected wallets found through EIP-6963, or
 * on the local chain (31337) one of anvil's dev accounts. Reverts are decoded into the court's
 * custom errors; a rejected request or a wrong network says so in words.
 */
import { useFetcher, useSearchParams } from '@remix-run/react';
import { ballotTypedData, type Support } from '@um/protocol';
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import {
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  http,
  isAddress,
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
  const relay = useFetcher<
    | { ok: true; txHash: string; blockNumber: string }
    | { ok: false; message: string; help?: string }
  >();
  const relayed = relay.data;
  useEffect(() => {
    if (relay.state !== 'idle' || !relayed) return;
    setBusy(false);
    setMessage(
      relayed.ok
        ? {
            kind: 'ok',
            text: `Signed vote relayed in block ${relayed.blockNumber}. The tally updates when the block is indexed.`,
          }
        : { kind: 'error', text: relayed.message, help: relayed.help },
    );
  }, [relay.state, relayed]);
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

  /** Signs the EIP-712 ballot with the chosen account and posts it to the page's relay action. */
  const signAndRelay = async (support: Support, reason: string) => {
    if (!signer || !chain.court) return;
    setBusy(true);
    setMessage(null);
    try {
      const publicClient = createPublicClient({ chain: viemChain, transport: http(chain.rpcUrl) });
      const nonce = await publicClient.readContract({
        address: chain.court,
        abi: disputeCourtAbi,
        functionName: 'nonces',
        args: [signer.address],
      });
      const signature = await signer.client.signTypedData({
        account: signer.account,
        ...ballotTypedData({
          chainId: chain.chainId,
          court: chain.court,
          ballot: { disputeId: BigInt(disputeId), support, voter: signer.address, nonce, reason },
        }),
      });
      relay.submit(
        {
          intent: 'castVoteBySig',
          support: String(support),
          voter: signer.address,
          reason,
          signature,
        },
        { method: 'post' },
      );
    } catch (err) {
      const d = decodeRevert(err, portalErrorAbi);
      setMessage({
        kind: 'error',
        text: d.message,
        help: d.kind === 'custom' ? COURT_ERROR_HELP[d.errorName] : undefined,
      });
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
          method="post"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const support = Number(f.get('support')) as Support;
            const reason = String(f.get('reason') ?? '');
            if (f.get('method') === 'signature') void signAndRelay(support, reason);
            else void send('vote', { support, reason });
          }}
        >
          <input type="hidden" name="intent" value="castVoteBySig" />
          <input type="hidden" name="voter" value={signer.address} />
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
          <fieldset style={{ border: 0, padding: 0 }}>
            <legend>How to submit</legend>
            <label>
              <input type="radio" name="method" value="transaction" defaultChecked /> Send the
              transaction myself (castVote, pays gas)
            </label>
            <br />
            <label>
              <input type="radio" name="method" value="signature" /> Sign the ballot and let the
              portal relay it (castVoteBySig, no gas)
            </label>
          </fieldset>
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
        <form
          aria-label="Delegation"
          onSubmit={(e) => {
            e.preventDefault();
            const to = String(new FormData(e.currentTarget).get('delegatee') ?? '').trim();
            if (!isAddress(to, { strict: false })) {
              setMessage({ kind: 'error', text: `“${to}” is not an address.` });
              return;
            }
            void send('delegate', { delegatee: to as `0x${string}` });
          }}
        >
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
          <p className="filters">
            <label>
              Or delegate to
              <input name="delegatee" placeholder="0x…" className="mono" size={44} />
            </label>
            <button type="submit" disabled={busy || missing}>
              Delegate
            </button>
          </p>
        </form>
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

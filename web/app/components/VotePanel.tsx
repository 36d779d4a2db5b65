/**
 * Court v2 with the connected account: sealed ballots (one signature relayed by the portal, or
 * commit and reveal by transaction with the salt in localStorage), court stake, and claims: injected wallets found through EIP-6963, or
 * on the local chain (31337) one of anvil's dev accounts. Reverts are decoded into the court's
 * custom errors; a rejected request or a wrong network says so in words.
 */
import { useFetcher, useSearchParams } from '@remix-run/react';
import { ballotCommitment, ballotCommitTypedData, type Support } from '@um/protocol';
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import {
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  http,
  parseUnits,
  toHex,
  type Account,
  type Chain,
  type WalletClient,
} from 'viem';
import {
  COURT_ERROR_HELP,
  disputeCourtAbi,
  portalErrorAbi,
  trainingRunAbi,
  umTokenAbi,
} from '../lib/contracts.js';
import type { DisputePhase } from '../lib/dispute-phase.js';
import { formatTime, formatTokens } from '../lib/format.js';
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

type CourtAccount = {
  stake: string;
  pendingUnstake: string;
  unlockAt: number;
  balance: string;
  allowance: string;
  now: number;
  unstakeCooldown: number;
};

/** Where the no-relay path keeps a ballot's choice and salt until its reveal. */
const saltKey = (chainId: number, court: string, disputeId: string, voter: string) =>
  `um:ballot:${chainId}:${court.toLowerCase()}:${disputeId}:${voter.toLowerCase()}`;

function randomSalt(): `0x${string}` {
  return toHex(crypto.getRandomValues(new Uint8Array(32)));
}

export function VotePanel({
  chain,
  disputeId,
  runAddress,
  phase,
  committed,
  revealed,
  relayed,
  canVote,
  court,
}: {
  chain: PublicChain;
  disputeId: string;
  runAddress: `0x${string}`;
  phase: DisputePhase;
  committed: boolean;
  revealed: boolean;
  relayed: boolean;
  canVote: boolean | null;
  court: CourtAccount | null;
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
  const relayed_ = relay.data;
  useEffect(() => {
    if (relay.state !== 'idle' || !relayed_) return;
    setBusy(false);
    setMessage(
      relayed_.ok
        ? {
            kind: 'ok',
            text: `Sealed ballot relayed in block ${relayed_.blockNumber}. The portal reveals it for you when the reveal phase starts.`,
          }
        : { kind: 'error', text: relayed_.message, help: relayed_.help },
    );
  }, [relay.state, relayed_]);
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

  const showError = (err: unknown) => {
    const d = decodeRevert(err, portalErrorAbi);
    setMessage({
      kind: 'error',
      text: d.message,
      help: d.kind === 'custom' ? COURT_ERROR_HELP[d.errorName] : undefined,
    });
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
      showError(err);
    }
  };

  /** Sends transactions one after the other; `done` words the success. */
  const send = async (
    calls: Array<{
      address: `0x${string}`;
      abi: readonly unknown[];
      functionName: string;
      args: readonly unknown[];
    }>,
    done: (block: bigint) => string,
  ) => {
    if (!signer) return;
    setBusy(true);
    setMessage(null);
    try {
      const publicClient = createPublicClient({ chain: viemChain, transport: http(chain.rpcUrl) });
      let block = 0n;
      for (const c of calls) {
        const hash = await signer.client.writeContract({
          chain: viemChain,
          account: signer.account,
          ...c,
        } as Parameters<WalletClient['writeContract']>[0]);
        const receipt = await publicClient.waitForTransactionReceipt({ hash });
        if (receipt.status !== 'success') {
          setMessage({
            kind: 'error',
            text: `${c.functionName} reverted (block ${receipt.blockNumber}).`,
          });
          return;
        }
        block = receipt.blockNumber;
      }
      setMessage({ kind: 'ok', text: done(block) });
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const courtAddr = chain.court;
  const localKey = (voter: string) => saltKey(chain.chainId, courtAddr ?? '', disputeId, voter);

  /** One signature: the BallotCommit goes to the relay with the choice and salt. */
  const signAndRelay = async (support: Support) => {
    if (!signer || !courtAddr) return;
    setBusy(true);
    setMessage(null);
    try {
      const salt = randomSalt();
      const commitment = ballotCommitment(BigInt(disputeId), signer.address, support, salt);
      // Kept here too, so the voter can still reveal if the portal does not.
      window.localStorage.setItem(localKey(signer.address), JSON.stringify({ support, salt }));
      const signature = await signer.client.signTypedData({
        account: signer.account,
        ...ballotCommitTypedData({
          chainId: chain.chainId,
          court: courtAddr,
          ballot: { disputeId: BigInt(disputeId), voter: signer.address, commitment },
        }),
      });
      relay.submit(
        {
          intent: 'commitVoteBySig',
          support: String(support),
          voter: signer.address,
          salt,
          commitment,
          signature,
        },
        { method: 'post' },
      );
    } catch (err) {
      showError(err);
      setBusy(false);
    }
  };

  const commitByTransaction = (support: Support) => {
    if (!signer || !courtAddr) return;
    const salt = randomSalt();
    window.localStorage.setItem(localKey(signer.address), JSON.stringify({ support, salt }));
    void send(
      [
        {
          address: courtAddr,
          abi: disputeCourtAbi,
          functionName: 'commitVote',
          args: [
            BigInt(disputeId),
            ballotCommitment(BigInt(disputeId), signer.address, support, salt),
          ],
        },
      ],
      (b) =>
        `Sealed ballot committed in block ${b}. Your choice and salt are kept in this browser: come back in the reveal phase to reveal it.`,
    );
  };

  const revealByTransaction = () => {
    if (!signer || !courtAddr) return;
    const saved = window.localStorage.getItem(localKey(signer.address));
    if (!saved) {
      setMessage({
        kind: 'error',
        text: 'This browser holds no salt for your ballot on this dispute (it was committed elsewhere, or the portal relays it).',
      });
      return;
    }
    const { support, salt } = JSON.parse(saved) as { support: Support; salt: `0x${string}` };
    void send(
      [
        {
          address: courtAddr,
          abi: disputeCourtAbi,
          functionName: 'revealVote',
          args: [BigInt(disputeId), signer.address, support, salt],
        },
      ],
      (b) => `Ballot revealed in block ${b}. The tally updates when the block is indexed.`,
    );
  };

  const parseAmount = (raw: string): bigint | null => {
    try {
      const v = parseUnits(raw.trim(), 18);
      return v > 0n ? v : null;
    } catch {
      return null;
    }
  };

  const missing = !chain.court || !chain.token;
  const unlocked = court ? court.pendingUnstake !== '0' && court.now >= court.unlockAt : false;
  return (
    <section className="card" aria-labelledby="vote-title">
      <h2 id="vote-title" style={{ marginTop: 0 }}>
        Vote, stake and claim
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
      {signer && phase === 'commit' && !committed ? (
        <form
          method="post"
          aria-label="Ballot"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const support = Number(f.get('support')) as Support;
            if (f.get('method') === 'signature') void signAndRelay(support);
            else commitByTransaction(support);
          }}
        >
          <fieldset style={{ border: 0, padding: 0 }}>
            <legend>Your sealed ballot</legend>
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
          <fieldset style={{ border: 0, padding: 0 }}>
            <legend>How to submit</legend>
            <label>
              <input type="radio" name="method" value="signature" defaultChecked /> Sign once and
              let the portal commit and later reveal it (no gas; the portal learns your choice)
            </label>
            <br />
            <label>
              <input type="radio" name="method" value="transaction" /> Commit by transaction now and
              reveal by transaction later (pays gas; the salt stays in this browser)
            </label>
          </fieldset>
          <p>
            <button
              className="primary"
              type="submit"
              disabled={busy || missing || canVote === false}
            >
              {busy ? 'Sending…' : 'Commit ballot'}
            </button>
          </p>
        </form>
      ) : null}
      {signer && phase === 'reveal' && committed && !revealed ? (
        <p>
          <button type="button" className="primary" disabled={busy} onClick={revealByTransaction}>
            Reveal my ballot
          </button>{' '}
          <span className="muted">
            {relayed
              ? 'The portal reveals relayed ballots by itself; this does it now.'
              : 'Uses the salt kept in this browser.'}
          </span>
        </p>
      ) : null}
      {signer && phase === 'resolved' && revealed && courtAddr ? (
        <p>
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void send(
                [
                  {
                    address: courtAddr,
                    abi: disputeCourtAbi,
                    functionName: 'claimReward',
                    args: [BigInt(disputeId), signer.address],
                  },
                ],
                (b) => `Court reward paid in block ${b}.`,
              )
            }
          >
            Claim my court reward
          </button>
        </p>
      ) : null}
      {signer ? (
        <p>
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void send(
                [{ address: runAddress, abi: trainingRunAbi, functionName: 'withdraw', args: [] }],
                (b) => `Run credits withdrawn in block ${b}.`,
              )
            }
          >
            Withdraw my credits from this run
          </button>{' '}
          <span className="muted">(deposits returned, rewards, challenger payouts)</span>
        </p>
      ) : null}
      {signer && court && courtAddr && chain.token ? (
        <section aria-labelledby="stake-title" id="court-stake">
          <h3 id="stake-title">Court stake</h3>
          <p>
            Staked: <strong>{formatTokens(court.stake)} UM</strong> · in wallet:{' '}
            {formatTokens(court.balance)} UM. Stake counts in disputes opened after it; an unstake
            request removes the weight at once and the tokens unlock after a{' '}
            {Math.round(court.unstakeCooldown / 60)}-minute cooldown.
          </p>
          {court.pendingUnstake !== '0' ? (
            <p id="pending-unstake">
              Unstaking {formatTokens(court.pendingUnstake)} UM:{' '}
              {unlocked ? 'unlocked' : `unlocks at ${formatTime(String(court.unlockAt))}`}.{' '}
              <button
                type="button"
                disabled={busy || !unlocked}
                onClick={() =>
                  void send(
                    [
                      {
                        address: courtAddr,
                        abi: disputeCourtAbi,
                        functionName: 'withdrawUnstaked',
                        args: [],
                      },
                    ],
                    (b) => `Unstaked UM withdrawn in block ${b}.`,
                  )
                }
              >
                Withdraw unstaked UM
              </button>
            </p>
          ) : null}
          <form
            className="filters"
            aria-label="Stake"
            onSubmit={(e) => {
              e.preventDefault();
              const f = new FormData(e.currentTarget);
              const amount = parseAmount(String(f.get('amount') ?? ''));
              if (amount === null) {
                setMessage({
                  kind: 'error',
                  text: 'Enter an amount of UM above zero, e.g. 100 or 2.5.',
                });
                return;
              }
              const op = (e.nativeEvent as SubmitEvent).submitter?.getAttribute('value');
              if (op === 'unstake')
                void send(
                  [
                    {
                      address: courtAddr,
                      abi: disputeCourtAbi,
                      functionName: 'requestUnstake',
                      args: [amount],
                    },
                  ],
                  (b) => `Unstake requested in block ${b}; the tokens unlock after the cooldown.`,
                );
              else
                void send(
                  [
                    ...(BigInt(court.allowance) < amount
                      ? [
                          {
                            address: chain.token!,
                            abi: umTokenAbi,
                            functionName: 'approve',
                            args: [courtAddr, amount],
                          },
                        ]
                      : []),
                    {
                      address: courtAddr,
                      abi: disputeCourtAbi,
                      functionName: 'stake',
                      args: [amount],
                    },
                  ],
                  (b) => `Staked in block ${b}. It counts in disputes opened from now on.`,
                );
            }}
          >
            <label>
              Amount (UM)
              <input name="amount" inputMode="decimal" size={12} />
            </label>
            <button type="submit" name="op" value="stake" disabled={busy}>
              Approve and stake
            </button>
            <button type="submit" name="op" value="unstake" disabled={busy}>
              Request unstake
            </button>
          </form>
        </section>
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

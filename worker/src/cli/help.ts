import { roles } from './roles.js';

export const usage = `um-worker: the bundled Unstoppable Models service — train, verify, evaluate, aggregate.

Usage:
  um-worker --roles <${roles.join('|')}>[,...] [options]      run the service
  um-worker vote --dispute <id> [vote options]                  judge a dispute; commit, reveal or claim
  um-worker stake [--amount <UM> [--permit]]                    stake UM in the court (voting weight)
  um-worker unstake --amount <UM>                               stop voting with UM; unlocks after the cooldown
  um-worker withdraw-unstaked                                   take back UM whose cooldown passed
  um-worker keystore --out <file>                               encrypt UM_PRIVATE_KEY into a keystore
  um-worker --help

Roles (combinable):
  train       claim a round, fetch the base state, compute k steps, publish, submit; finalise due rounds
  verify      recompute submitted rounds against their on-chain step hashes; challenge the FIRST
              wrong step by commit and reveal (salt journaled first); resolve disputes; withdraw
  evaluate    (operator) evaluate market candidates on the seed, sign, send to the aggregator
  aggregate   collect attestations on POST /attestations, call attest() at a 2/3 stake quorum

Options (flag · environment · config-file key; flags beat env, env beats the file):
  --config <file>            UM_CONFIG              JSON object of the options below (no keys in it)
  --roles <list>             UM_ROLES               roles to run, comma-separated
  --rpc <url>                UM_RPC_URL             JSON-RPC endpoint [http://127.0.0.1:8545]
  --deployments <dir>        UM_DEPLOYMENTS_DIR     folder of <chainId>.json [<repo>/deployments]
  --run <address>            UM_RUN                 the TrainingRun (train, verify)
  --run-id <n>               UM_RUN_ID              or its RunFactory id
  --from-block <n>           UM_FROM_BLOCK          first block to read events from [deployment start]
  --data-dir <dir>           UM_DATA_DIR            journals and the embedded IPFS blocks [./.um-worker]
  --ipfs <store>             UM_IPFS                embedded:<dir> | kubo:<rpc-url> | gateway:<url> [embedded:<data-dir>/ipfs]
                             (UM_IPFS_API=<rpc-url> is short for UM_IPFS=kubo:<rpc-url>)
  --ipfs-gateway <urls>      UM_IPFS_GATEWAY        read-only gateways tried for missing content
  --gateway-port <port>      UM_GATEWAY_PORT        serve the embedded store on /ipfs/<cid> (0 = any port)
  --http-host <host>         UM_HTTP_HOST           [127.0.0.1]
  --http-port <port|off>     UM_HTTP_PORT           /health, /metrics, /eigen/node/*, /attestations [9464]
  --poll-ms <ms>             UM_POLL_MS             chain polling interval [2000]
  --confirmations <n>        UM_CONFIRMATIONS       blocks before verify/evaluate act on an event [0]
  --content-timeout-ms <ms>  UM_CONTENT_TIMEOUT_MS  deadline for one IPFS read [15000]
  --rounds <n>               UM_ROUNDS              train: stop claiming after n submitted rounds
  --train-unpaid             UM_TRAIN_UNPAID        train: keep going when the pool cannot pay
  --verify-share <0..1>      UM_VERIFY_SHARE        verify: share of rounds to recompute [1]
  --aggregator <url>         UM_AGGREGATOR_URL      evaluate: where to send signed attestations
  --register-stake <UM>      UM_REGISTER_STAKE      evaluate: register as operator with this stake
  --task <ids>               UM_TASKS               evaluate: only these market tasks
  --fault <fault>            UM_FAULTS              demos/tests only: wrong-step:N | skip-update |
                                                    withhold-checkpoint | bad-checkpoint | wrong-score
  --log-level <level>        UM_LOG_LEVEL           trace|debug|info|warn|error [info]

Keys (never logged, never accepted as a flag):
  UM_PRIVATE_KEY=0x…                                 the account's key, or
  --keystore <file> (UM_KEYSTORE) with UM_KEYSTORE_PASSWORD or --password-file <file>
                                                    (Web3 Secret Storage v3, as geth and cast write)

Vote options (the command acts on the dispute's phase: commit → reveal → claim after the ruling):
  --dispute <id>             the DisputeCourt dispute to judge
  --support <auto|fraud|valid|abstain>   [auto = the verdict of the one-step replay]
  --dry-run                  print the verdict and evidence only
  --wait                     after committing, wait for the reveal phase and reveal
  --print-payload            journal a salted ballot for --voter and print the EIP-712 BallotCommit
                             to sign elsewhere (the salt stays in <data-dir>/ballots.json)
  --voter <address>          the voter of --print-payload/--signature/reveal [the key's address]
  --signature <0x…>          relay the --voter's signed BallotCommit (commitVoteBySig)
  --json                     machine-readable output
  plus --rpc, --deployments, --ipfs, --ipfs-gateway, --data-dir, --from-block
  Ballots' salts live in <data-dir>/ballots.json, written before the commit is sent: keep it
  until the reveal (a rerun in the reveal phase reveals from it, whoever runs it).

Court stake options (stake, unstake, withdraw-unstaked):
  --amount <UM>              amount in UM, e.g. 1000 or 0.5 (stake without it prints the status)
  --permit                   stake: one stakeWithPermit transaction, no separate approve
  --json                     machine-readable output
  plus --rpc, --deployments; the key as for the service

Examples:
  # train and verify run 0 on a local anvil (npm run dev), checkpoints in the embedded IPFS node
  UM_PRIVATE_KEY=0x… um-worker --roles train,verify --run-id 0 --gateway-port 8081

  # verify a tenth of the rounds of a run on a remote chain, through Kubo and a keystore
  UM_KEYSTORE_PASSWORD=… um-worker --roles verify --rpc https://rpc.example.org \\
      --run 0xRun… --verify-share 0.1 --ipfs kubo:http://127.0.0.1:5001 --keystore ./operator.json

  # an operator and an aggregator
  um-worker --roles aggregate --http-port 9500
  um-worker --roles evaluate --register-stake 1000 --aggregator http://127.0.0.1:9500

  # demo a cheating trainer (its round 1 is wrong from step 6 on when k = 4)
  um-worker --roles train --run-id 0 --fault wrong-step:6

  # stake 1000 UM in the court (approve + stake), or with an ERC-2612 permit; check the status
  um-worker stake --amount 1000
  um-worker stake --amount 1000 --permit
  um-worker stake
  # stop voting with 400 UM; after the cooldown take them back
  um-worker unstake --amount 400
  um-worker withdraw-unstaked

  # judge dispute 1 by replaying its step; commit the verdict now, reveal on a second run
  um-worker vote --dispute 1 --dry-run
  um-worker vote --dispute 1                 # commit phase: commits a hidden ballot
  um-worker vote --dispute 1                 # reveal phase: reveals it; after the ruling: claims
  um-worker vote --dispute 1 --wait          # commit, wait for the reveal phase, reveal
  # a hardware-wallet voter: print the BallotCommit, relay its signature, reveal later
  um-worker vote --dispute 1 --support fraud --print-payload --voter 0xYou…
  um-worker vote --dispute 1 --voter 0xYou… --signature 0x…
  um-worker vote --dispute 1 --voter 0xYou…  # reveal phase

Exit codes: 0 stopped cleanly · 1 a role failed · 2 bad configuration or key.
`;

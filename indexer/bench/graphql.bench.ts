/**
 * GraphQL benchmark: p50/p95 latency and requests/s for three portal-shaped queries, over real
 * HTTP, against a PGlite store filled with ~100k entity versions written through transactBlock.
 *   npx tsx bench/graphql.bench.ts [--scale 1] [--requests 300] [--concurrency 8]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadSchema } from '../src/schema/index.js';
import { startServer } from '../src/server/index.js';
import {
  PostgresSubgraphStore,
  type BlockPtr,
  type EntityOperation,
  type StoreValue,
} from '../src/store/index.js';

export const SDL = /* GraphQL */ `
  enum StepStatus {
    Proposed
    Challenged
    Finalized
    Reverted
  }
  enum SubmissionStatus {
    Pending
    Accepted
    Rejected
  }
  type Account @entity {
    id: Bytes!
    stake: BigInt!
    steps: [Step!]! @derivedFrom(field: "submitter")
  }
  type Run @entity {
    id: ID!
    name: String!
    stepCount: Int!
    createdAt: Timestamp!
    steps: [Step!]! @derivedFrom(field: "run")
  }
  type Step @entity {
    id: ID!
    run: Run!
    number: Int!
    submitter: Account!
    weightsHash: Bytes!
    deposit: BigInt!
    status: StepStatus!
    submittedAt: Timestamp!
    challenges: [Challenge!]! @derivedFrom(field: "step")
  }
  type Challenge @entity(immutable: true) {
    id: ID!
    step: Step!
    challenger: Account!
    bond: BigInt!
  }
  type Task @entity {
    id: ID!
    reward: BigInt!
    metric: String!
    submissions: [Submission!]! @derivedFrom(field: "task")
  }
  type Submission @entity {
    id: ID!
    task: Task!
    optimizer: Account!
    score: BigDecimal!
    status: SubmissionStatus!
    submittedAt: Timestamp!
  }
`;

export const PORTAL_QUERIES: Readonly<
  Record<string, { query: string; variables: Record<string, unknown> }>
> = {
  'run history (20 latest steps of a run)': {
    query: `query History($run: String!) {
      steps(first: 20, orderBy: number, orderDirection: desc, where: {run: $run}) {
        id number weightsHash deposit status submittedAt submitter { id stake }
      }
    }`,
    variables: { run: 'run-7' },
  },
  'leaderboard (top 50 accepted submissions of a task)': {
    query: `query Leaderboard($task: String!) {
      submissions(first: 50, orderBy: score, orderDirection: desc, where: {task: $task, status: Accepted}) {
        id score submittedAt optimizer { id } task { id reward metric }
      }
    }`,
    variables: { task: 'task-3' },
  },
  'run detail (nested steps and challenges, _meta)': {
    query: `query Run($run: ID!) {
      _meta { block { number hash } hasIndexingErrors }
      run(id: $run) {
        id name stepCount createdAt
        steps(first: 10, orderBy: number, orderDirection: desc) { number status challenges { id bond challenger { id } } }
      }
    }`,
    variables: { run: 'run-7' },
  },
};

const str = (value: string): StoreValue => ({ kind: 'String', value });
const int = (value: number): StoreValue => ({ kind: 'Int', value });
const big = (value: bigint): StoreValue => ({ kind: 'BigInt', value });
const ts = (seconds: number): StoreValue => ({
  kind: 'Timestamp',
  value: BigInt(seconds) * 1_000_000n,
});
const bytes = (n: number, length: number): StoreValue => ({
  kind: 'Bytes',
  value: new Uint8Array(Buffer.from(n.toString(16).padStart(length * 2, '0'), 'hex')),
});
const accountId = (n: number): string => `0x${n.toString(16).padStart(40, '0')}`;

function ptr(number: number): BlockPtr {
  const hash = (n: number): `0x${string}` => `0x${n.toString(16).padStart(64, '0')}`;
  return {
    number,
    hash: hash(n0(number)),
    parentHash: hash(n0(number - 1)),
    timestamp: 1_700_000_000 + number * 12,
  };
}
const n0 = (n: number): number => 0xb000 + n;

/** Writes the data set block by block; returns the number of entity versions written. */
export async function fill(store: PostgresSubgraphStore, scale: number): Promise<number> {
  const accounts = 1000;
  const runs = 50;
  const stepsPerRun = Math.round(1000 * scale);
  const tasks = 20;
  const submissionsPerTask = Math.round(2000 * scale);
  let block = 1;
  let versions = 0;
  const write = async (operations: EntityOperation[]): Promise<void> => {
    await store.transactBlock(ptr(block++), operations, []);
    versions += operations.length;
  };
  const account = (n: number): EntityOperation => ({
    op: 'set',
    entityType: 'Account',
    id: accountId(n),
    data: { id: bytes(n, 20), stake: big(BigInt(n) * 10n ** 18n) },
  });
  await write(Array.from({ length: accounts }, (_, n) => account(n)));
  await write(
    Array.from({ length: runs }, (_, r) => ({
      op: 'set' as const,
      entityType: 'Run',
      id: `run-${r}`,
      data: {
        id: str(`run-${r}`),
        name: str(`Run ${r}`),
        stepCount: int(stepsPerRun),
        createdAt: ts(1_700_000_000 + r),
      },
    })),
  );
  await write(
    Array.from({ length: tasks }, (_, t) => ({
      op: 'set' as const,
      entityType: 'Task',
      id: `task-${t}`,
      data: {
        id: str(`task-${t}`),
        reward: big(BigInt(t + 1) * 10n ** 20n),
        metric: str('accuracy'),
      },
    })),
  );
  const step = (r: number, s: number, status: string): EntityOperation => ({
    op: 'set',
    entityType: 'Step',
    id: `run-${r}-step-${s}`,
    data: {
      id: str(`run-${r}-step-${s}`),
      run: str(`run-${r}`),
      number: int(s),
      submitter: bytes((r * 31 + s) % accounts, 20),
      weightsHash: bytes(r * 1_000_000 + s, 32),
      deposit: big(10n ** 18n),
      status: str(status),
      submittedAt: ts(1_700_000_000 + s * 60),
    },
  });
  // Steps arrive a batch per block; every step is later finalised (a second version).
  const batch = 1000;
  let pending: EntityOperation[] = [];
  for (let s = 0; s < stepsPerRun; s++) {
    for (let r = 0; r < runs; r++) {
      pending.push(step(r, s, 'Proposed'));
      if (s % 50 === 7) {
        pending.push({
          op: 'set',
          entityType: 'Challenge',
          id: `ch-${r}-${s}`,
          data: {
            id: str(`ch-${r}-${s}`),
            step: str(`run-${r}-step-${s}`),
            challenger: bytes((r + s) % accounts, 20),
            bond: big(5n * 10n ** 17n),
          },
        });
      }
      if (pending.length >= batch) {
        await write(pending);
        pending = [];
        process.stderr.write(`\rfilling: ${versions} entity versions, block ${block}`);
      }
    }
  }
  if (pending.length) await write(pending);
  for (let s = 0; s < stepsPerRun; s += 20) {
    await write(
      Array.from({ length: runs * Math.min(20, stepsPerRun - s) }, (_, i) =>
        step(i % runs, s + Math.floor(i / runs), 'Finalized'),
      ),
    );
    process.stderr.write(`\rfilling: ${versions} entity versions, block ${block}`);
  }
  const statuses = ['Pending', 'Accepted', 'Accepted', 'Rejected'];
  for (let start = 0; start < tasks * submissionsPerTask; start += batch) {
    const ops: EntityOperation[] = [];
    for (let i = start; i < Math.min(start + batch, tasks * submissionsPerTask); i++) {
      const t = i % tasks;
      ops.push({
        op: 'set',
        entityType: 'Submission',
        id: `sub-${i}`,
        data: {
          id: str(`sub-${i}`),
          task: str(`task-${t}`),
          optimizer: bytes(i % accounts, 20),
          score: {
            kind: 'BigDecimal',
            value: `0.${String((i * 7919) % 1_000_000).padStart(6, '0')}1`,
          },
          status: str(statuses[i % statuses.length]!),
          submittedAt: ts(1_700_000_000 + i),
        },
      });
    }
    await write(ops);
    process.stderr.write(`\rfilling: ${versions} entity versions, block ${block}`);
  }
  process.stderr.write('\n');
  return versions;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export interface GraphqlBenchResult {
  readonly query: string;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly sequentialRps: number;
  readonly concurrentRps: number;
}

export async function runGraphqlBench(argv: string[] = []): Promise<GraphqlBenchResult[]> {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: 'string', default: '1' },
      requests: { type: 'string', default: '300' },
      concurrency: { type: 'string', default: '8' },
    },
    strict: false,
  });
  const scale = Number(values.scale);
  const requests = Number(values.requests);
  const concurrency = Number(values.concurrency);
  const dir = mkdtempSync(join(tmpdir(), 'um-indexer-graphql-bench-'));
  const schema = loadSchema(SDL);
  const store = await PostgresSubgraphStore.open({ schema, dataDir: dir });
  const results: GraphqlBenchResult[] = [];
  try {
    const fillStart = performance.now();
    const versions = await fill(store, scale);
    const fillSeconds = (performance.now() - fillStart) / 1000;
    process.stderr.write(
      `filled ${versions} entity versions in ${fillSeconds.toFixed(1)} s (${Math.round(versions / fillSeconds)} versions/s through transactBlock)\n`,
    );
    await store.db.exec('analyze');
    const server = await startServer({ store, schema, name: 'bench', port: 0 });
    try {
      const post = async (body: string): Promise<void> => {
        const response = await fetch(server.endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        const json = (await response.json()) as { errors?: unknown };
        if (json.errors) throw new Error(`benchmark query failed: ${JSON.stringify(json.errors)}`);
      };
      for (const [name, { query, variables }] of Object.entries(PORTAL_QUERIES)) {
        const body = JSON.stringify({ query, variables });
        for (let i = 0; i < 20; i++) await post(body); // warm-up
        const latencies: number[] = [];
        const sequentialStart = performance.now();
        for (let i = 0; i < requests; i++) {
          const started = performance.now();
          await post(body);
          latencies.push(performance.now() - started);
          if (i % 50 === 0) process.stderr.write(`\r${name}: ${i}/${requests}`);
        }
        const sequentialSeconds = (performance.now() - sequentialStart) / 1000;
        let next = 0;
        const concurrentStart = performance.now();
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (next++ < requests) await post(body);
          }),
        );
        const concurrentSeconds = (performance.now() - concurrentStart) / 1000;
        latencies.sort((a, b) => a - b);
        results.push({
          query: name,
          p50Ms: percentile(latencies, 50),
          p95Ms: percentile(latencies, 95),
          sequentialRps: requests / sequentialSeconds,
          concurrentRps: requests / concurrentSeconds,
        });
        process.stderr.write('\n');
      }
    } finally {
      await server.close();
    }
    const cpu = cpus();
    console.log(
      `\n## GraphQL queries (PGlite, ${versions} entity versions, ${requests} requests per query)`,
    );
    console.log(
      `machine: ${cpu[0]?.model ?? 'unknown'} × ${cpu.length}, load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}, node ${process.version}`,
    );
    console.log(
      '| query | p50 ms | p95 ms | req/s (1 client) | req/s (' + concurrency + ' clients) |',
    );
    console.log('|---|---:|---:|---:|---:|');
    for (const r of results) {
      console.log(
        `| ${r.query} | ${r.p50Ms.toFixed(1)} | ${r.p95Ms.toFixed(1)} | ${r.sequentialRps.toFixed(0)} | ${r.concurrentRps.toFixed(0)} |`,
      );
    }
    return results;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runGraphqlBench(process.argv.slice(2));
}

// The supervisor behind `npm run dev`: shutdown order, crash reporting and the console filter.
import { describe, expect, it } from 'vitest';
import { consoleFilter, readableLine } from '../scripts/lib/stack.mjs';
import { Supervisor, waitFor } from '../scripts/lib/supervisor.mjs';

// A child that prints "up", then on SIGTERM prints "<name> stopping" and exits after `delayMs`.
const service = (name, delayMs) => [
  '-e',
  `console.log('up'); process.on('SIGTERM', () => { console.log('${name} stopping'); setTimeout(() => process.exit(0), ${delayMs}); }); setInterval(() => {}, 1000);`,
];

describe('Supervisor', () => {
  it('stops clients before what they depend on: higher tiers first, one tier in parallel', async () => {
    const lines = [];
    const supervisor = new Supervisor({ log: (line) => lines.push(line), colour: false });
    supervisor.start('chain', process.execPath, service('chain', 0), { tier: 0 });
    supervisor.start('worker-a', process.execPath, service('worker-a', 300), { tier: 3 });
    supervisor.start('worker-b', process.execPath, service('worker-b', 300), { tier: 3 });
    supervisor.start('portal', process.execPath, service('portal', 0), { tier: 4 });
    await waitFor(
      'four services up',
      () => lines.filter((l) => l.endsWith(' up')).length === 4,
      10_000,
      50,
    );
    await supervisor.stop();
    const order = lines.filter((l) => l.endsWith('stopping')).map((l) => l.split('│ ')[1]);
    expect(order[0]).toBe('portal stopping');
    expect(order.slice(1, 3).sort()).toEqual(['worker-a stopping', 'worker-b stopping']);
    expect(order[3]).toBe('chain stopping');
  });

  it('reports a service that dies with its last lines, once', async () => {
    const lines = [];
    const crashes = [];
    const supervisor = new Supervisor({
      log: (line) => lines.push(line),
      colour: false,
      onCrash: (name, code) => crashes.push([name, code]),
    });
    supervisor.start('indexer', process.execPath, [
      '-e',
      "console.log('opening the store'); process.exit(3)",
    ]);
    await waitFor('the crash report', () => crashes.length === 1, 10_000, 50);
    expect(crashes).toEqual([['indexer', 3]]);
    expect(lines.some((l) => l.includes('exited (3) unexpectedly'))).toBe(true);
    expect(lines.some((l) => l.includes('  opening the store'))).toBe(true);
    await supervisor.stop();
  });
});

describe('the console filter', () => {
  it('turns pino lines into readable ones and keeps what a visitor cares about', () => {
    const submitted = JSON.stringify({
      level: 30,
      time: 1,
      pid: 2,
      hostname: 'h',
      msg: 'round submitted',
      round: 3,
    });
    expect(readableLine(submitted)).toEqual({ level: 30, text: 'round submitted round=3' });
    const quiet = consoleFilter(false);
    expect(quiet(submitted)).toBe('round submitted round=3');
    expect(quiet(JSON.stringify({ level: 20, msg: 'step computed', step: 4 }))).toBeNull();
    expect(quiet(JSON.stringify({ level: 40, msg: 'rpc slow' }))).toBe('WARN rpc slow');
    expect(quiet('GET /runs/0xabc 200 - - 12.3 ms')).toBeNull();
    expect(quiet('[remix-serve] http://localhost:3000')).toBe(
      '[remix-serve] http://localhost:3000',
    );
    expect(consoleFilter(true)(JSON.stringify({ level: 20, msg: 'step computed' }))).toBe(
      'debug step computed',
    );
  });
});

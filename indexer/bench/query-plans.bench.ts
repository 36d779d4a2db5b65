/**
 * Query plans on PGlite (issue 15): a page ordered by a text id with and without an index in
 * the byte order (`collate "C"`) the store sorts by, and a selective filter before and after
 * ANALYZE. Plain SQL over the store's table shape and visibility clause, 100 000 rows.
 * Run: npx tsx bench/query-plans.bench.ts
 */
import { PGlite } from '@electric-sql/pglite';
const db = await PGlite.create();
await db.exec(`create table t (vid bigserial primary key, block_range int4range not null, id text not null, value numeric not null, n int4 not null);
insert into t (block_range, id, value, n) select int4range(g, null), 'id-' || lpad(g::text, 7, '0'), g, g from generate_series(1, 100000) g;
create unique index t_id_block on t (id, lower(block_range));
create index t_lower on t (lower(block_range)); create index t_value on t (value);`);
const q = `select * from t e where lower(e.block_range) <= 200000 and coalesce(upper(e.block_range), 2147483647) > 200000 order by e.id collate "C" asc limit 1000 offset 0`;
const qv = `select * from t e where lower(e.block_range) <= 200000 and coalesce(upper(e.block_range), 2147483647) > 200000 and e.value > 99900 order by e.id collate "C" asc limit 100`;
async function time(label: string, sql: string): Promise<void> {
  for (let i = 0; i < 3; i++) await db.query(sql);
  const runs: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    await db.query(sql);
    runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  console.log(label.padEnd(50), 'p50', runs[7]!.toFixed(2), 'ms');
}
await time('order by id, no C index, no ANALYZE', q);
await time('value_gt filter, no ANALYZE', qv);
await db.exec('analyze');
await time('order by id, no C index, after ANALYZE', q);
await time('value_gt filter, after ANALYZE', qv);
await db.exec('create index t_id_c on t (id collate "C")');
await time('order by id, with C index', q);
await time('value_gt filter, with C index + ANALYZE', qv);

/**
 * The rounds table (@tanstack/react-table v9 for the column model and cells). Sorting, filtering
 * and paging happen in the subgraph: headers and pager are links to URLs that carry the table
 * state, so the loader asks GraphQL for exactly one page and the table works without JavaScript.
 */
import { Form, Link } from '@remix-run/react';
import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import {
  ROUND_STATUSES,
  PAGE_SIZES,
  roundsTableSearch,
  toggleSort,
  type RoundSortColumn,
  type RoundsTableState,
} from '../graphql/rounds-variables.js';
import type { RoundRow } from '../graphql/types.js';
import { formatTime } from '../lib/format.js';
import { AddressLink, ChallengeWindow, Hash, StatusBadge } from './ui.js';

const features = tableFeatures({});
const helper = createColumnHelper<typeof features, RoundRow>();

const SORTABLE: Partial<Record<string, RoundSortColumn>> = {
  number: 'number',
  status: 'status',
  worker: 'worker',
  submittedAtBlock: 'submittedAtBlock',
  challengeDeadline: 'challengeDeadline',
};

function makeColumns(runPath: string, chainNow: number | null) {
  return helper.columns([
    helper.accessor('number', {
      id: 'number',
      header: 'Round',
      cell: (c) => (
        <Link to={`${runPath}/rounds/${c.getValue()}`}>
          #{c.getValue()}
          {c.row.original.attempt > 0 ? (
            <span className="muted"> (attempt {c.row.original.attempt + 1})</span>
          ) : null}
        </Link>
      ),
    }),
    helper.accessor('status', {
      id: 'status',
      header: 'Status',
      cell: (c) => <StatusBadge status={c.getValue()} />,
    }),
    helper.accessor((r) => r.worker.id, {
      id: 'worker',
      header: 'Worker',
      cell: (c) => <AddressLink address={c.getValue()} />,
    }),
    helper.accessor((r) => r, {
      id: 'steps',
      header: 'Steps',
      cell: (c) => {
        const r = c.getValue();
        return r.firstStep === null ? '—' : `${r.firstStep}–${r.lastStep ?? '?'}`;
      },
    }),
    helper.accessor('finalStateHash', {
      id: 'finalStateHash',
      header: 'State hash',
      cell: (c) => <Hash value={c.getValue()} />,
    }),
    helper.accessor('stateURI', {
      id: 'checkpoint',
      header: 'Checkpoint',
      cell: (c) => {
        const uri = c.getValue();
        return uri ? (
          <Link to={`${runPath}/rounds/${c.row.original.number}#checkpoint`} title={uri}>
            model.json
          </Link>
        ) : (
          '—'
        );
      },
    }),
    helper.accessor('submittedAtTimestamp', {
      id: 'submittedAtBlock',
      header: 'Submitted',
      cell: (c) => formatTime(c.getValue()),
    }),
    helper.accessor('challengeDeadline', {
      id: 'challengeDeadline',
      header: 'Challenge window',
      cell: (c) => (
        <ChallengeWindow
          status={c.row.original.status}
          deadline={c.getValue()}
          chainNow={chainNow}
        />
      ),
    }),
    helper.accessor(
      (r) =>
        r.openChallenges[0]?.dispute ??
        (r.invalidatedBy ? { id: r.invalidatedBy.id, status: 'Resolved' } : null),
      {
        id: 'dispute',
        header: 'Dispute',
        cell: (c) => {
          const d = c.getValue();
          return d ? (
            <Link to={`/disputes/${d.id}`}>
              #{d.id} ({d.status})
            </Link>
          ) : (
            ''
          );
        },
      },
    ),
  ]);
}

type Props = {
  rows: RoundRow[];
  hasNext: boolean;
  state: RoundsTableState;
  runPath: string;
  chainNow: number | null;
};

export function RoundsTable({ rows, hasNext, state, runPath, chainNow }: Props) {
  const table = useTable({ features, columns: makeColumns(runPath, chainNow), data: rows });
  return (
    <section aria-labelledby="rounds-title">
      <h2 id="rounds-title">Rounds</h2>
      <Form method="get" className="filters" preventScrollReset>
        <input type="hidden" name="sort" value={state.sort} />
        <input type="hidden" name="dir" value={state.dir} />
        <label>
          Status
          <select name="status" defaultValue={state.status ?? ''}>
            <option value="">any</option>
            {ROUND_STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Worker
          <input name="worker" defaultValue={state.worker ?? ''} placeholder="0x…" size={24} />
        </label>
        <label>
          Rows
          <select name="size" defaultValue={String(state.size)}>
            {PAGE_SIZES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <button type="submit">Filter</button>
      </Form>
      <div className="table-wrap">
        <table id="rounds-table">
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sortKey = SORTABLE[header.column.id];
                  const active = sortKey && state.sort === sortKey;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={
                        active ? (state.dir === 'asc' ? 'ascending' : 'descending') : undefined
                      }
                    >
                      {sortKey ? (
                        <Link
                          to={roundsTableSearch(toggleSort(state, sortKey)) || '?'}
                          preventScrollReset
                        >
                          <table.FlexRender header={header} />
                          {active ? (state.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                        </Link>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.length === 0 ? (
              <tr>
                <td colSpan={9} className="muted">
                  No rounds match.
                </td>
              </tr>
            ) : (
              table.getRowModel().rows.map((row) => (
                <tr key={row.id} data-round={row.original.number}>
                  {row.getAllCells().map((cell) => (
                    <td key={cell.id}>
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label="Rounds pages">
        {state.page > 1 ? (
          <Link
            to={roundsTableSearch({ ...state, page: state.page - 1 }) || '?'}
            preventScrollReset
            rel="prev"
          >
            ← Previous
          </Link>
        ) : (
          <span className="muted">← Previous</span>
        )}
        <span>Page {state.page}</span>
        {hasNext ? (
          <Link
            to={roundsTableSearch({ ...state, page: state.page + 1 })}
            preventScrollReset
            rel="next"
          >
            Next →
          </Link>
        ) : (
          <span className="muted">Next →</span>
        )}
      </nav>
    </section>
  );
}

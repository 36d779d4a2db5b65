/**
 * Loader helpers: subgraph failures become HTTP errors with a typed body that the error boundary
 * renders in words ("the indexer is unreachable at …"), instead of a crash or a blank page.
 */
import { json } from '@remix-run/node';
import {
  SubgraphError,
  SubgraphHttpError,
  SubgraphQueryError,
  SubgraphUnreachableError,
} from '../graphql/client.server.js';

export type PortalErrorBody =
  | { kind: 'subgraph-unreachable'; url: string; message: string }
  | { kind: 'subgraph-http'; url: string; status: number; message: string }
  | { kind: 'subgraph-query'; message: string }
  | { kind: 'not-found'; what: string }
  | { kind: 'bad-request'; title: string; message: string };

export async function fromSubgraph<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof SubgraphUnreachableError) {
      throw json<PortalErrorBody>(
        { kind: 'subgraph-unreachable', url: err.url, message: err.message },
        { status: 503 },
      );
    }
    if (err instanceof SubgraphHttpError) {
      throw json<PortalErrorBody>(
        { kind: 'subgraph-http', url: err.url, status: err.status, message: err.message },
        { status: 502 },
      );
    }
    if (err instanceof SubgraphQueryError || err instanceof SubgraphError) {
      throw json<PortalErrorBody>(
        { kind: 'subgraph-query', message: err.message },
        { status: 502 },
      );
    }
    throw err;
  }
}

export function notFound(what: string): never {
  throw json<PortalErrorBody>({ kind: 'not-found', what }, { status: 404 });
}

/** A 400 page whose heading says what was wrong (an address, a number, a page parameter). */
export function badRequest(
  message: string,
  title = 'A parameter of this page is not valid',
): never {
  throw json<PortalErrorBody>({ kind: 'bad-request', title, message }, { status: 400 });
}

/** A GraphQL query string carrying its result and variables types (no code generator needed). */
export type TypedQuery<
  TData,
  TVariables extends Record<string, unknown> = Record<string, never>,
> = {
  readonly name: string;
  readonly source: string;
  /** Phantom fields: never set, only carry the types. */
  readonly __data?: TData;
  readonly __variables?: TVariables;
};

export function typedQuery<
  TData,
  TVariables extends Record<string, unknown> = Record<string, never>,
>(name: string, source: string): TypedQuery<TData, TVariables> {
  return { name, source };
}

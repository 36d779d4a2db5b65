import { IndexerError } from '../errors.js';

/** schema.graphql is not a valid subgraph schema (graph-node would refuse to deploy it). */
export class SchemaError extends IndexerError {
  override name = 'SchemaError';
  constructor(
    message: string,
    /** Every problem found, one message each (the schema is checked as a whole). */
    readonly problems: readonly string[] = [message],
  ) {
    super(message);
  }
}

/** An entity does not fit its type in the schema (graph-node's entity validation messages). */
export class EntityValidationError extends IndexerError {
  override name = 'EntityValidationError';
  constructor(
    message: string,
    readonly entityType: string,
    readonly entityId: string,
  ) {
    super(message);
  }
}

/** A type name that the schema does not declare as @entity. */
export class UnknownEntityTypeError extends IndexerError {
  override name = 'UnknownEntityTypeError';
  constructor(readonly entityType: string) {
    super(
      `Entity type \`${entityType}\` is not defined in the subgraph schema (or is not an @entity type)`,
    );
  }
}

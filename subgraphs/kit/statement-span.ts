/**
 * What a department's SQL statement tells its trace: the operation and the table it names first, as
 * OpenTelemetry's database conventions name them (`SELECT person`), and never the statement's text. A
 * statement's values are parameters here, but a department of another repository might inline one, and a
 * value may be an ID number; the operation and the table are all an operator needs to find a slow query.
 */
import type { Attributes } from '@opentelemetry/api';
import { ATTR_DB_COLLECTION_NAME, ATTR_DB_OPERATION_NAME, ATTR_DB_SYSTEM_NAME, DB_SYSTEM_NAME_VALUE_POSTGRESQL } from '@opentelemetry/semantic-conventions';
import type { DatabaseLocation } from './database';

/** The table each operation names first: a quoted or bare identifier, optionally schema-qualified (none when a subquery comes first). */
const TABLE: Record<string, RegExp> = {
  SELECT: /\bfrom\s+(?:("[^"]+"|\w+)(?:\.("[^"]+"|\w+))?)?/i,
  DELETE: /^\s*delete\s+from\s+("[^"]+"|\w+)(?:\.("[^"]+"|\w+))?/i,
  INSERT: /^\s*insert\s+(?:or\s+\w+\s+)?into\s+("[^"]+"|\w+)(?:\.("[^"]+"|\w+))?/i,
  UPDATE: /^\s*update\s+("[^"]+"|\w+)(?:\.("[^"]+"|\w+))?/i,
};

const unquoted = (identifier: string) => identifier.replace(/^"|"$/g, '');

export function statementSpan(sql: string, database: DatabaseLocation['kind']): { name: string; attributes: Attributes } {
  const operation = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'SQL';
  const found = TABLE[operation]?.exec(sql);
  const identifier = found?.[2] ?? found?.[1];
  const table = identifier ? unquoted(identifier) : undefined;
  return {
    name: table ? `${operation} ${table}` : operation,
    attributes: {
      [ATTR_DB_SYSTEM_NAME]: database === 'postgres' ? DB_SYSTEM_NAME_VALUE_POSTGRESQL : 'sqlite',
      [ATTR_DB_OPERATION_NAME]: operation,
      ...(table && { [ATTR_DB_COLLECTION_NAME]: table }),
    },
  };
}

/**
 * What a schema change does to the graph, as Apollo's schema checks classify it: breaking (an operation
 * that works today fails), dangerous (it may change what a working operation gets), safe. The API
 * schemas are compared — what apps can ask for — so the supergraph's own join__ machinery never counts;
 * GraphQL Inspector does the comparison. A department's sharing classes are part of the contract with
 * the apps too: a field that becomes NONE (不予共享) stops every grant of it.
 */
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import type { GraphQLSchema } from 'graphql';
import type { Catalog } from '../contracts/supergraph-catalog';

export type ChangeLevel = 'breaking' | 'dangerous' | 'safe';

export interface SchemaChange {
  level: ChangeLevel;
  /** Schema coordinate (`Person.name`, `Query.person.idNumber` as Inspector writes arguments). */
  coordinate: string;
  /** Inspector's change type (FIELD_REMOVED…), or SHARING_CLASS_CHANGED / SENSITIVITY_CHANGED. */
  type: string;
  message: string;
}

const LEVELS: Readonly<Record<CriticalityLevel, ChangeLevel>> = {
  [CriticalityLevel.Breaking]: 'breaking',
  [CriticalityLevel.Dangerous]: 'dangerous',
  [CriticalityLevel.NonBreaking]: 'safe',
};

function fromInspector(change: Change): SchemaChange {
  return { level: LEVELS[change.criticality.level], coordinate: change.path ?? '', type: change.type, message: change.message };
}

/** Inspector's changes from one schema to another. */
export async function inspectorChanges(before: GraphQLSchema, after: GraphQLSchema): Promise<SchemaChange[]> {
  return (await diff(before, after)).map(fromInspector);
}

/** Fields in both graphs whose department changed their sharing class or sensitivity. */
export function sharingChanges(before: Catalog, after: Catalog): SchemaChange[] {
  const changes: SchemaChange[] = [];
  for (const [coordinate, now] of after.fields) {
    const was = before.fields.get(coordinate)?.sharing;
    if (!was) continue;
    if (was.class !== now.sharing.class) {
      const level: ChangeLevel = now.sharing.class === 'NONE' ? 'breaking' : 'dangerous';
      const why =
        now.sharing.class === 'NONE'
          ? 'no app may read it any more: every grant of it stops'
          : now.sharing.class === 'CONDITIONAL'
            ? 'apps must now state a purpose of their grant (X-Purpose) to read it'
            : 'it is shared more widely than before';
      changes.push({ level, coordinate, type: 'SHARING_CLASS_CHANGED', message: `Sharing class of '${coordinate}' changed from ${was.class} to ${now.sharing.class}: ${why}` });
    }
    if (was.sensitivity !== now.sharing.sensitivity) {
      changes.push({ level: 'dangerous', coordinate, type: 'SENSITIVITY_CHANGED', message: `Sensitivity of '${coordinate}' changed from ${was.sensitivity} to ${now.sharing.sensitivity}` });
    }
  }
  return changes;
}

/** Every change from the committed graph to the candidate, API schema and sharing classes. */
export async function schemaChanges(before: Catalog, after: Catalog): Promise<SchemaChange[]> {
  return [...(await inspectorChanges(before.apiSchema, after.apiSchema)), ...sharingChanges(before, after)];
}

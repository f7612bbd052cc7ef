/**
 * The access matrix: one row per app, purpose and granted field, with everything an auditor needs to
 * judge it — the owning department, sharing class, sensitivity, legal basis, conditions, mask, validity.
 */
import { getNamedType, isObjectType } from 'graphql';
import { grantCoordinate, grantMask, type ContractDocument } from './contract-schema';
import { MASK_DESCRIPTIONS, type MaskProfile } from './masking';
import { sharingKey, subjectArguments, type SubjectArgument, type SubjectDeclarations } from './subject-arguments';
import type { Catalog, FieldFacts } from './supergraph-catalog';

export interface MatrixRow {
  app: string;
  appName: string;
  purpose: string;
  purposeDescription: string;
  coordinate: string;
  description: string;
  /** The departments that resolve the field (for an entity's key, its owner), or that resolve the fields taking the argument. */
  departments: string[];
  /** UNCONDITIONAL, CONDITIONAL or NONE as declared (`unknown` if the field is not in the supergraph). */
  sharingClass: string;
  sensitivity: string;
  legalBasis: string;
  condition: string;
  /** The conditions as codes, for a console to name in its own language (`condition` says them in English). */
  conditions: GrantCondition[];
  /** The region the contract limits rows to (a division-code prefix), if any. */
  region: string | null;
  mask: string;
  /** The mask profile (`NAME`, `ID_NUMBER`…), null when the grant releases the field raw. */
  maskProfile: MaskProfile | null;
  /**
   * When this grant releases the field raw: the masks other grants put on the same field (another app, or
   * another purpose). The grant defeats those masks for whoever holds it — what an auditor looks at first.
   */
  unmasks: MaskProfile[];
  validFrom: string;
  validUntil: string;
}

/** Why a grant applies only sometimes: a stated purpose, an open case, the operator's own data, a region. */
export type GrantCondition = 'PURPOSE_STATED' | 'CASE_REQUIRED' | 'OPERATOR_ONLY' | 'REGION';

const CLASS_LABELS: Record<string, string> = { UNCONDITIONAL: '无条件共享 unconditional', CONDITIONAL: '有条件共享 conditional', NONE: '不予共享 not shared' };

function describe(catalog: Catalog, coordinate: string): string {
  const [typeName, fieldName] = coordinate.split('.') as [string, string];
  const type = catalog.apiSchema.getType(typeName);
  const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
  return field?.description ?? '';
}

/**
 * An argument naming a subject, as a row: what it names, the departments of the fields that take it, and
 * the sharing class of the subject's key.
 */
function describeArgument(catalog: Catalog, argument: SubjectArgument): { description: string; facts: Pick<FieldFacts, 'sharing' | 'subgraphs'> | undefined } {
  const key = catalog.fields.get(sharingKey(catalog, argument));
  const match = /^(\w+)\.(\w+)\((\w+):\)$/.exec(argument.coordinate);
  const takers = match
    ? [`${match[1]}.${match[2]}`]
    : Object.values(catalog.apiSchema.getTypeMap())
        .filter(isObjectType)
        .flatMap((type) => Object.values(type.getFields()).filter((f) => f.args.some((a) => getNamedType(a.type).name === argument.coordinate.split('.')[0])).map((f) => `${type.name}.${f.name}`));
  const subgraphs = [...new Set(takers.flatMap((taker) => catalog.fields.get(taker)?.subgraphs ?? []))];
  return {
    description: `the ${argument.keys.join(' or ')} of a data subject (given to ${takers.join(', ')}): naming one is a read of it`,
    facts: key && { sharing: key.sharing, subgraphs },
  };
}

export function accessMatrix(contracts: readonly ContractDocument[], catalog: Catalog, declarations: SubjectDeclarations): MatrixRow[] {
  const subjects = subjectArguments(catalog.apiSchema, declarations);
  const rows: MatrixRow[] = [];
  for (const contract of [...contracts].sort((a, b) => a.app.localeCompare(b.app))) {
    for (const purpose of contract.purposes) {
      const conditions = [
        purpose.caseRequired && 'open case about the data subject (X-Case-Id)',
        purpose.subjectIsOperator && "the operator's own data only",
        contract.region && `rows in region ${contract.region}`,
      ].filter(Boolean);
      const conditionCodes: GrantCondition[] = [
        ...(purpose.caseRequired ? (['CASE_REQUIRED'] as const) : []),
        ...(purpose.subjectIsOperator ? (['OPERATOR_ONLY'] as const) : []),
        ...(contract.region ? (['REGION'] as const) : []),
      ];
      for (const grant of purpose.grants) {
        const coordinate = grantCoordinate(grant);
        const argument = subjects.byCoordinate.get(coordinate);
        const described = argument && describeArgument(catalog, argument);
        const facts = described ? described.facts : catalog.fields.get(coordinate);
        const mask = grantMask(grant);
        const sharingClass = facts?.sharing.class ?? 'unknown';
        rows.push({
          app: contract.app,
          appName: contract.name,
          purpose: purpose.code,
          purposeDescription: purpose.description,
          coordinate,
          description: described?.description ?? describe(catalog, coordinate),
          departments: facts?.subgraphs ?? [],
          sharingClass,
          sensitivity: facts?.sharing.sensitivity ?? '',
          legalBasis: purpose.legalBasis ?? contract.legalBasis ?? '',
          condition: [sharingClass === 'CONDITIONAL' ? `purpose ${purpose.code} stated (X-Purpose)` : '', ...conditions].filter(Boolean).join('; ') || 'none',
          conditions: sharingClass === 'CONDITIONAL' ? ['PURPOSE_STATED', ...conditionCodes] : conditionCodes,
          region: contract.region ?? null,
          mask: mask ? MASK_DESCRIPTIONS[mask] : 'none',
          maskProfile: mask ?? null,
          unmasks: [],
          validFrom: purpose.validFrom ?? contract.validFrom,
          validUntil: purpose.validUntil ?? contract.validUntil,
        });
      }
    }
  }
  return withUnmasks(rows);
}

/** Marks each raw grant of a field that other grants mask with those masks. */
function withUnmasks(rows: MatrixRow[]): MatrixRow[] {
  const masksOf = new Map<string, Set<MaskProfile>>();
  for (const row of rows) if (row.maskProfile) masksOf.set(row.coordinate, (masksOf.get(row.coordinate) ?? new Set()).add(row.maskProfile));
  return rows.map((row) => (row.maskProfile ? row : { ...row, unmasks: [...(masksOf.get(row.coordinate) ?? [])].sort() }));
}

const COLUMNS: Array<[keyof MatrixRow, string]> = [
  ['app', 'App'],
  ['purpose', 'Purpose'],
  ['coordinate', 'Field'],
  ['description', 'What it is'],
  ['departments', 'Department'],
  ['sharingClass', 'Sharing class'],
  ['sensitivity', 'Sensitivity'],
  ['legalBasis', 'Legal basis'],
  ['condition', 'Condition'],
  ['mask', 'Mask'],
  ['validUntil', 'Valid until'],
];

/** A row's value for people: the sharing class with its Chinese name, the departments as a list. */
function shown(row: MatrixRow, key: keyof MatrixRow): string {
  if (key === 'sharingClass') return CLASS_LABELS[row.sharingClass] ?? row.sharingClass;
  const value = row[key];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

export function matrixMarkdown(rows: readonly MatrixRow[]): string {
  const cell = (value: string) => value.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const lines = [
    '# GovGraph access matrix',
    '',
    'Who may read which field, for which purpose, on which legal basis and under which conditions.',
    '',
    `| ${COLUMNS.map(([, title]) => title).join(' | ')} |`,
    `|${COLUMNS.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${COLUMNS.map(([key]) => cell(shown(row, key))).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}

export function matrixHtml(rows: readonly MatrixRow[]): string {
  const escape = (value: string) => value.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const body = rows.map((row) => `<tr>${COLUMNS.map(([key]) => `<td>${escape(shown(row, key))}</td>`).join('')}</tr>`).join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>GovGraph access matrix</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #ccc;padding:4px 6px;vertical-align:top}th{background:#f3f3f3;position:sticky;top:0}</style>
</head><body><h1>GovGraph access matrix</h1>
<p>Who may read which field, for which purpose, on which legal basis and under which conditions.</p>
<table><thead><tr>${COLUMNS.map(([, title]) => `<th>${escape(title)}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody></table></body></html>
`;
}

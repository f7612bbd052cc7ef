import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getOperationAST, isInputObjectType, parse, type FieldNode, type GraphQLInputObjectType } from 'graphql';
import { appSchema } from './app-schema';
import { loadPlatform } from './load-contracts';
import { subjectArguments, subjectsNamed, usesInValue, type SubjectUses } from './subject-arguments';
import { buildCatalog } from './supergraph-catalog';

const ROOT = join(__dirname, '..');
const { apiSchema } = buildCatalog(readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8'));
const { platform } = loadPlatform(join(ROOT, 'contracts', 'platform.yaml'));
const subjects = subjectArguments(apiSchema, platform!.subjectKeys);

test('every argument and input field typed as a subject key names that subject, and nothing else does', () => {
  expect(Object.fromEntries([...subjects.byCoordinate].map(([coordinate, a]) => [coordinate, a.subject]))).toEqual({
    'Query.person(idNumber:)': 'Person',
    'Query.enterprise(creditCode:)': 'Enterprise',
    'Query.applications(applicant:)': 'Person',
    'Query.applications(enterprise:)': 'Enterprise',
    'SubmitApplicationInput.applicant': 'Person',
    'SubmitApplicationInput.enterprise': 'Enterprise',
    'ReportEventInput.enterprise': 'Enterprise',
    'IssueCertificateInput.holderIdNumber': 'Person',
    'IssueCertificateInput.holderCreditCode': 'Enterprise',
  });
});

/** The uses and sources of the first field of an operation, and the subjects it names with these variables. */
function uses(text: string, variables: Record<string, unknown> = {}) {
  const operation = getOperationAST(parse(text))!;
  const root = operation.operation === 'mutation' ? apiSchema.getMutationType()! : apiSchema.getQueryType()!;
  const selection = operation.selectionSet.selections[0] as FieldNode;
  const field = root.getFields()[selection.name.value]!;
  const found: SubjectUses = { uses: [], sources: [] };
  for (const argument of selection.arguments ?? []) {
    const definition = field.args.find((a) => a.name === argument.name.value)!;
    usesInValue(subjects, `${root.name}.${field.name}(${definition.name}:)`, definition.type, argument.value, found);
  }
  return { uses: found.uses.map((u) => u.coordinate), named: subjectsNamed(subjects, found.sources, variables, operation).map((n) => `${n.coordinate}=${n.key}`) };
}

test('a literal names its subject; a null names none', () => {
  expect(uses('{ applications(applicant: "A", status: SUBMITTED) { totalCount } }')).toEqual({ uses: ['Query.applications(applicant:)'], named: ['Query.applications(applicant:)=A'] });
  expect(uses('{ applications(applicant: null) { totalCount } }')).toEqual({ uses: [], named: [] });
});

test('a variable is a use whatever its value; the request’s value, or the default, is what it names', () => {
  const text = 'query($who: IdNumber = "D") { applications(applicant: $who) { totalCount } }';
  expect(uses(text, { who: 'V' })).toEqual({ uses: ['Query.applications(applicant:)'], named: ['Query.applications(applicant:)=V'] });
  expect(uses(text)).toEqual({ uses: ['Query.applications(applicant:)'], named: ['Query.applications(applicant:)=D'] });
});

test('an input object given as a variable uses every subject field it can hold, and names those it holds', () => {
  const text = 'mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { id } }';
  expect(uses(text, { input: { applicant: 'A' } })).toEqual({ uses: ['SubmitApplicationInput.applicant', 'SubmitApplicationInput.enterprise'], named: ['SubmitApplicationInput.applicant=A'] });
  const inline = 'mutation($a: IdNumber!) { submitApplication(input: { applicant: $a, itemCode: "X" }) { id } }';
  expect(uses(inline, { a: 'B' })).toEqual({ uses: ['SubmitApplicationInput.applicant'], named: ['SubmitApplicationInput.applicant=B'] });
});

describe("an app's schema keeps only the subject arguments it is granted", () => {
  const granted = new Set(['Query.applications', 'ApplicationConnection.totalCount', 'Mutation.submitApplication', 'Application.id', 'Query.person', 'Person.name']);
  const schema = appSchema(apiSchema, granted, subjects)!;
  const query = schema.getQueryType()!;

  test('an optional one is left out; the field stays', () => {
    expect(query.getFields()['applications']!.args.map((a) => a.name)).toEqual(['status', 'regionCode', 'first', 'after']);
  });

  test('a field that cannot be called without one goes', () => {
    expect(query.getFields()['person']).toBeUndefined();
    expect(schema.getMutationType()).toBeNull();
  });

  test('granted, it is kept, input objects pruned of the subject fields that are not', () => {
    const more = appSchema(apiSchema, new Set([...granted, 'Query.person(idNumber:)', 'SubmitApplicationInput.applicant']), subjects)!;
    expect(more.getQueryType()!.getFields()['person']!.args.map((a) => a.name)).toEqual(['idNumber']);
    const input = more.getType('SubmitApplicationInput');
    expect(isInputObjectType(input)).toBe(true);
    expect(Object.keys((input as GraphQLInputObjectType).getFields())).toEqual(['itemCode', 'applicant', 'form', 'mode', 'acceptingRegion', 'handlingRegion', 'idempotencyKey', 'manualReview']);
    expect(Object.keys(more.getMutationType()!.getFields())).toEqual(['submitApplication']);
  });
});

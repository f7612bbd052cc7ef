import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, getOperationAST, isInputObjectType, parse, type FieldNode, type GraphQLInputObjectType } from 'graphql';
import { appSchema } from './app-schema';
import { loadPlatform } from './load-contracts';
import { checkContracts } from './check-contracts';
import { misdeclaredSubjectArguments, subjectArguments, subjectFieldsSent, subjectsNamed, undeclaredSubjectArguments, usesInValue, type SubjectUses } from './subject-arguments';
import { buildCatalog } from './supergraph-catalog';

const ROOT = join(__dirname, '..');
const catalog = buildCatalog(readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8'));
const { apiSchema } = catalog;
const { platform } = loadPlatform(join(ROOT, 'contracts', 'platform.yaml'));
const subjects = subjectArguments(apiSchema, platform!);

test('every argument and input field typed as a subject key names that subject, and nothing else does', () => {
  expect(Object.fromEntries([...subjects.byCoordinate].map(([coordinate, a]) => [coordinate, a.subjects.join(' or ')]))).toEqual({
    'Query.person(idNumber:)': 'Person',
    'Query.enterprise(creditCode:)': 'Enterprise',
    'Query.applications(applicant:)': 'Person',
    'Query.applications(enterprise:)': 'Enterprise',
    'SubmitApplicationInput.applicant': 'Person',
    'SubmitApplicationInput.enterprise': 'Enterprise',
    'ReportEventInput.enterprise': 'Enterprise',
    'IssueCertificateInput.holderIdNumber': 'Person',
    'IssueCertificateInput.representativeIdNumber': 'Person',
    'IssueCertificateInput.holderCreditCode': 'Enterprise',
    // Typed String, declared in platform.yaml subjectArguments: an ID number or a credit code.
    'Query.auditRecords(subject:)': 'Person or Enterprise',
    'Query.verifyCertificate(holder:)': 'Person or Enterprise',
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

test('a literal names its subject; a null names none, but is a use, as a variable sent as null is', () => {
  expect(uses('{ applications(applicant: "A", status: SUBMITTED) { totalCount } }')).toEqual({ uses: ['Query.applications(applicant:)'], named: ['Query.applications(applicant:)=A'] });
  expect(uses('{ applications(applicant: null) { totalCount } }')).toEqual({ uses: ['Query.applications(applicant:)'], named: [] });
});

test('a variable is a use whatever its value; the request’s value, or the default, is what it names', () => {
  const text = 'query($who: IdNumber = "D") { applications(applicant: $who) { totalCount } }';
  expect(uses(text, { who: 'V' })).toEqual({ uses: ['Query.applications(applicant:)'], named: ['Query.applications(applicant:)=V'] });
  expect(uses(text)).toEqual({ uses: ['Query.applications(applicant:)'], named: ['Query.applications(applicant:)=D'] });
});

test('an input object given as a variable uses, its value unknown, every subject field it can hold, and names those it holds', () => {
  const text = 'mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { id } }';
  expect(uses(text, { input: { applicant: 'A' } })).toEqual({ uses: ['SubmitApplicationInput.applicant', 'SubmitApplicationInput.enterprise'], named: ['SubmitApplicationInput.applicant=A'] });
  const inline = 'mutation($a: IdNumber!) { submitApplication(input: { applicant: $a, itemCode: "X" }) { id } }';
  expect(uses(inline, { a: 'B' })).toEqual({ uses: ['SubmitApplicationInput.applicant'], named: ['SubmitApplicationInput.applicant=B'] });
});

describe('the subject fields an input object variable sends are those its value holds', () => {
  const filings = buildSchema(`
    scalar IdNumber
    type Person { idNumber: IdNumber! name: String }
    input PartyInput { idNumber: IdNumber, role: String }
    input FilingInput { holder: IdNumber, representative: IdNumber, lead: PartyInput, parties: [PartyInput!], note: String }
    type Query { person(idNumber: IdNumber!): Person }
    type Mutation { file(input: FilingInput, more: [FilingInput!], note: String): Boolean }
  `);
  const known = subjectArguments(filings, { subjectKeys: { Person: 'idNumber' }, subjectArguments: {} });
  const sent = (text: string, variables: Record<string, unknown> = {}) =>
    Object.fromEntries([...subjectFieldsSent(known, filings, getOperationAST(parse(text))!, variables)].map(([name, fields]) => [name, fields.map((f) => f.coordinate).sort()]));
  const FILE = 'mutation($input: FilingInput, $note: String) { file(input: $input, note: $note) }';

  test('a field left out is not sent; one given, even as null, is; a variable of no such type is not looked at', () => {
    expect(sent(FILE, { input: { note: 'x' }, note: 'y' })).toEqual({ input: [] });
    expect(sent(FILE, { input: { holder: 'A', note: 'x' } })).toEqual({ input: ['FilingInput.holder'] });
    expect(sent(FILE, { input: { holder: null, representative: 'B' } })).toEqual({ input: ['FilingInput.holder', 'FilingInput.representative'] });
    expect(sent(FILE)).toEqual({ input: [] });
    expect(sent(FILE, { input: null })).toEqual({ input: [] });
  });

  test('nested input objects and lists of them send what their values hold', () => {
    expect(sent(FILE, { input: { lead: { role: 'chair' } } })).toEqual({ input: [] });
    expect(sent(FILE, { input: { lead: { idNumber: null } } })).toEqual({ input: ['PartyInput.idNumber'] });
    expect(sent(FILE, { input: { lead: null, parties: [{ role: 'a' }, { role: 'b' }] } })).toEqual({ input: [] });
    expect(sent(FILE, { input: { parties: [{ role: 'a' }, { idNumber: 'C', role: 'b' }] } })).toEqual({ input: ['PartyInput.idNumber'] });
    const list = 'mutation($more: [FilingInput!]) { file(more: $more) }';
    expect(sent(list, { more: [{ note: 'x' }, { representative: 'B' }, { lead: { idNumber: 'C' } }] })).toEqual({ more: ['FilingInput.representative', 'PartyInput.idNumber'] });
    expect(sent(list, { more: [] })).toEqual({ more: [] });
  });

  test("a variable's default is what it sends when the request gives no value; a value given replaces it", () => {
    const defaulted = 'mutation($input: FilingInput = { representative: "D", lead: { idNumber: "E" } }) { file(input: $input) }';
    expect(sent(defaulted)).toEqual({ input: ['FilingInput.representative', 'PartyInput.idNumber'] });
    expect(sent(defaulted, { input: { holder: 'A' } })).toEqual({ input: ['FilingInput.holder'] });
    expect(sent('mutation($input: FilingInput = null) { file(input: $input) }')).toEqual({ input: [] });
  });

  test('a value that is no object sends every subject field its type can hold', () => {
    expect(sent(FILE, { input: 'holder=A' })).toEqual({ input: ['FilingInput.holder', 'FilingInput.representative', 'PartyInput.idNumber'] });
    expect(sent(FILE, { input: { lead: 7 } })).toEqual({ input: ['PartyInput.idNumber'] });
  });

  test('with what the variables send, a variable uses only those fields; where the keys come from is unchanged', () => {
    const operation = getOperationAST(parse(FILE))!;
    const argument = (operation.selectionSet.selections[0] as FieldNode).arguments![0]!;
    const type = filings.getMutationType()!.getFields()['file']!.args[0]!.type;
    const judge = (variables?: Record<string, unknown>) => {
      const found: SubjectUses = { uses: [], sources: [] };
      usesInValue(known, 'Mutation.file(input:)', type, argument.value, found, variables && subjectFieldsSent(known, filings, operation, variables));
      return { uses: found.uses.map((u) => u.coordinate), sources: found.sources.map((s) => s.coordinate), named: subjectsNamed(known, found.sources, variables ?? {}, operation).map((n) => n.coordinate) };
    };
    expect(judge({ input: { note: 'x' } })).toEqual({ uses: [], sources: ['Mutation.file(input:)'], named: [] });
    expect(judge({ input: { holder: 'A' } })).toEqual({ uses: ['FilingInput.holder'], sources: ['Mutation.file(input:)'], named: ['FilingInput.holder'] });
    expect(judge()).toEqual({ uses: ['FilingInput.holder', 'FilingInput.representative', 'PartyInput.idNumber'], sources: ['Mutation.file(input:)'], named: [] });
  });
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

describe('String arguments that carry a subject key (platform.yaml subjectArguments)', () => {
  const registry = buildSchema(`
    scalar IdNumber
    type Person { idNumber: IdNumber! name: String }
    input HolderInput { holderKey: String, note: String }
    type Query {
      person(idNumber: IdNumber!): Person
      check(holder: String, name: String, ownerIdNumber: String, reason: String): Boolean
      byInput(input: HolderInput): Boolean
    }
  `);
  const none = { subjectKeys: { Person: 'idNumber' }, subjectArguments: {} };

  test('a String named like a key that is neither typed nor declared is named; a declared one is a subject argument', () => {
    expect(undeclaredSubjectArguments(registry, subjectArguments(registry, none))).toEqual(['HolderInput.holderKey', 'Query.check(holder:)', 'Query.check(ownerIdNumber:)']);
    const declared = { subjectKeys: { Person: 'idNumber' }, subjectArguments: { 'Query.check(holder:)': ['Person'], 'Query.check(ownerIdNumber:)': ['Person'], 'HolderInput.holderKey': ['Person'] } };
    const known = subjectArguments(registry, declared);
    expect(undeclaredSubjectArguments(registry, known)).toEqual([]);
    expect(known.byCoordinate.get('HolderInput.holderKey')).toEqual({ coordinate: 'HolderInput.holderKey', subjects: ['Person'], keys: ['Person.idNumber'] });
    expect(misdeclaredSubjectArguments(registry, { ...declared, subjectArguments: { 'Query.check(holdr:)': ['Person'], 'Query.byInput(input:)': ['Person'] } })).toEqual(['Query.check(holdr:)', 'Query.byInput(input:)']);
  });

  test('a value names each type declared, as the departments read it (trimmed, upper case)', () => {
    const found: SubjectUses = { uses: [], sources: [] };
    const operation = getOperationAST(parse('{ auditRecords(subject: " 9144010000000000x ") { totalCount } }'))!;
    const argument = (operation.selectionSet.selections[0] as FieldNode).arguments![0]!;
    const definition = apiSchema.getQueryType()!.getFields()['auditRecords']!.args.find((a) => a.name === 'subject')!;
    usesInValue(subjects, 'Query.auditRecords(subject:)', definition.type, argument.value, found);
    expect(subjectsNamed(subjects, found.sources, {}, operation)).toEqual([
      { coordinate: 'Query.auditRecords(subject:)', subject: 'Person', key: '9144010000000000X' },
      { coordinate: 'Query.auditRecords(subject:)', subject: 'Enterprise', key: '9144010000000000X' },
    ]);
  });

  test('contracts check refuses the graph when a declaration is taken away', () => {
    const problems = checkContracts([], catalog, { ...platform!, subjectArguments: { 'Query.auditRecords(subject:)': ['Person', 'Enterprise'] } });
    expect(problems).toContainEqual(expect.objectContaining({ file: 'platform.yaml', coordinate: 'Query.verifyCertificate(holder:)', message: expect.stringMatching(/String named like a subject's key/) }));
    expect(checkContracts([], catalog, platform!)).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlatform } from './load-contracts';
import { platformReferenceProblems } from './platform-references';
import type { Platform } from './platform-schema';
import { buildCatalog } from './supergraph-catalog';

const ROOT = join(__dirname, '..');
const catalog = buildCatalog(readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8'));
const shipped = loadPlatform(join(ROOT, 'contracts', 'platform.yaml')).platform!;
const problemsWith = (change: Partial<Platform>) => platformReferenceProblems(catalog, { ...shipped, ...change });

test('every name in the shipped platform file is found in the supergraph', () => {
  expect(platformReferenceProblems(catalog, shipped)).toEqual([]);
});

test.each<[string, Partial<Platform>, string]>([
  ['a regionOf type that does not exist', { regionOf: { ...shipped.regionOf, Persn: ['household.regionCode'] } }, 'regionOf.Persn: Persn is not an object type of the supergraph'],
  ['a misspelt regionOf path', { regionOf: { ...shipped.regionOf, Person: ['houshold.regionCode'] } }, 'regionOf.Person: houshold.regionCode is not a path of fields from Person'],
  ['a regionOf path ending on an object', { regionOf: { ...shipped.regionOf, Person: ['household'] } }, 'regionOf.Person: household from Person ends on an object, not a value'],
  ['one bad path among a list', { regionOf: { ...shipped.regionOf, Application: ['acceptingRegion', 'handlingRegoin'] } }, 'regionOf.Application: handlingRegoin is not a path of fields from Application'],
  ['a misspelt perOperation coordinate', { perOperation: { ...shipped.perOperation, 'Query.persons': 5 } }, 'perOperation: Query.persons is not a field of the supergraph'],
  ['a subject key that is not a field', { subjectKeys: { ...shipped.subjectKeys, Enterprise: 'creditNumber' } }, 'subjectKeys.Enterprise: creditNumber is not a path of fields from Enterprise'],
  ['an ownerOf path that leads nowhere', { ownerOf: { Application: ['applicant.id'] } }, 'ownerOf.Application: applicant.id is not a path of fields from Application'],
  ['one bad owner path among a list', { ownerOf: { ...shipped.ownerOf, Certificate: ['holderKey', 'representativeId'] } }, 'ownerOf.Certificate: representativeId is not a path of fields from Certificate'],
  ['a sameDatum copy that is not a field', { sameDatum: { 'MarriageCertificateData.spouse': 'MarriageRegistration.spouse.name' } }, 'sameDatum: MarriageCertificateData.spouse is not a field of the supergraph'],
  ['a sameDatum path that leads nowhere', { sameDatum: { 'MarriageCertificateData.spouseName': 'MarriageRegistration.partner.name' } }, 'sameDatum.MarriageCertificateData.spouseName: partner.name is not a path of fields from MarriageRegistration'],
  ['a case status field that does not exist', { cases: { ...shipped.cases!, statusField: 'state' } }, 'cases.statusField: state is not a path of fields from Application'],
  ['a case type that does not exist', { cases: { ...shipped.cases!, type: 'Case' } }, 'cases.type: Case is not an object type of the supergraph'],
  ['a case binding an unknown type', { cases: { ...shipped.cases!, binds: ['Person', 'Applicaton'] } }, 'cases.binds: Applicaton is not an object type of the supergraph'],
  ['a case opener that is not a field', { cases: { ...shipped.cases!, openedBy: ['Mutation.submitApplicaton'] } }, 'cases.openedBy: Mutation.submitApplicaton is not a field of the supergraph'],
  ['a misspelt open status', { cases: { ...shipped.cases!, openStatuses: ['SUBMITED', 'ACCEPTED'] } }, 'cases.openStatuses: SUBMITED is not a value of Application.status (one of SUBMITTED, PRE_REVIEWED, RETURNED, ACCEPTED, FORWARDED, IN_REVIEW, IN_PROGRESS, PARTS_DONE, APPROVED, REJECTED, DELIVERED)'],
  ['a case query that asks for a field the graph does not have', { cases: { ...shipped.cases!, query: 'query C($id: ID!) { case: application(id: $id) { id status applicant { idNumbr } } }' } }, 'cases.query: Cannot query field "idNumbr" on type "Person". Did you mean "idNumber"?'],
])('%s is named', (_name, change, problem) => {
  expect(problemsWith(change)).toEqual([problem]);
});

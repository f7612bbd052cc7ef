import { platformSchema } from './platform-schema';

test('the operator subject must be a subject type: otherwise no operator rule would apply to it', () => {
  expect(platformSchema.safeParse({ subjectKeys: { Person: 'idNumber' }, operatorSubject: 'Person' }).success).toBe(true);
  expect(platformSchema.safeParse({ subjectKeys: { Person: 'idNumber' } }).success).toBe(true);
  const wrong = platformSchema.safeParse({ subjectKeys: { Person: 'idNumber' }, operatorSubject: 'Enterprise' });
  expect(wrong.success).toBe(false);
  expect(wrong.error?.issues).toEqual([expect.objectContaining({ path: ['operatorSubject'], message: 'operatorSubject must be one of the types in subjectKeys' })]);
});

test('an owner path is one path or a list of them, read as a list; an empty list or a bad path is refused', () => {
  expect(platformSchema.parse({ ownerOf: { Application: 'applicant.idNumber', Certificate: ['holderKey', 'representativeKey'] } }).ownerOf).toEqual({
    Application: ['applicant.idNumber'],
    Certificate: ['holderKey', 'representativeKey'],
  });
  expect(platformSchema.safeParse({ ownerOf: { Certificate: [] } }).success).toBe(false);
  expect(platformSchema.safeParse({ ownerOf: { Certificate: ['holderKey', 'representative key'] } }).success).toBe(false);
});

test("a seal's keys must be subject keys (the holder's); its other sealed fields are listed under fields", () => {
  const seals = (keys: string[]) => ({ Certificate: { sealedIn: ['seal.signature'], fields: ['number', 'data'], keys } });
  expect(platformSchema.safeParse({ subjectKeys: { Person: 'idNumber' }, seals: seals(['Person.idNumber']) }).success).toBe(true);
  const wrong = platformSchema.safeParse({ subjectKeys: { Person: 'idNumber' }, seals: seals(['Person.name']) });
  expect(wrong.error?.issues).toEqual([expect.objectContaining({ path: ['seals'], message: 'seals: keys may name only the subject keys in subjectKeys (Person.idNumber)' })]);
  expect(platformSchema.safeParse({ seals: { Certificate: { sealedIn: [], fields: ['number'] } } }).success).toBe(false);
});

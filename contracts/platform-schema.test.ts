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

import { platformSchema } from './platform-schema';

test('the operator subject must be a subject type: otherwise no operator rule would apply to it', () => {
  expect(platformSchema.safeParse({ subjectKeys: { Person: 'idNumber' }, operatorSubject: 'Person' }).success).toBe(true);
  expect(platformSchema.safeParse({ subjectKeys: { Person: 'idNumber' } }).success).toBe(true);
  const wrong = platformSchema.safeParse({ subjectKeys: { Person: 'idNumber' }, operatorSubject: 'Enterprise' });
  expect(wrong.success).toBe(false);
  expect(wrong.error?.issues).toEqual([expect.objectContaining({ path: ['operatorSubject'], message: 'operatorSubject must be one of the types in subjectKeys' })]);
});

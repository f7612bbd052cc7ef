/**
 * `npm run contracts -- schema --app <id>`: the SDL a front-end team generates code from, run as the
 * command is. Read back with graphql-js as a code generator reads it.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSchema, isScalarType, type GraphQLObjectType } from 'graphql';

const ROOT = join(__dirname, '..');

async function contractsCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(__dirname, 'cli.ts'), ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const fieldOf = (schema: ReturnType<typeof buildSchema>, type: string, field: string) => (schema.getType(type) as GraphQLObjectType).getFields()[field]!;

describe('contracts schema --app', () => {
  test('prints the scalars with their descriptions and @specifiedBy, and each field with its purposes and mask for that app', async () => {
    const { code, stdout, stderr } = await contractsCli('schema', '--app', 'market-supervision');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('scalar IdNumber @specifiedBy(url: "https://openstd.samr.gov.cn/bzgk/gb/newGbInfo?hcno=080D6FBF2BB468F9007657F26D60013E")');
    const schema = buildSchema(stdout);
    const idNumber = schema.getType('IdNumber');
    expect(isScalarType(idNumber) && [idNumber.description, idNumber.specifiedByURL]).toEqual([
      expect.stringMatching(/^公民身份号码: .*GB 11643/),
      'https://openstd.samr.gov.cn/bzgk/gb/newGbInfo?hcno=080D6FBF2BB468F9007657F26D60013E',
    ]);
    const dateTime = schema.getType('DateTime');
    expect(isScalarType(dateTime) && dateTime.specifiedByURL).toBe('https://www.rfc-editor.org/rfc/rfc3339');
    expect(fieldOf(schema, 'Person', 'name').description).toBe('Purposes: LEGAL_REPRESENTATIVE_CHECK. Masked: NAME — name: surname only (张**).');
    expect(fieldOf(schema, 'Enterprise', 'status').description).toBe('Purposes: none needed (shared unconditionally).');
    expect(schema.getType('Person')!.description).toMatch(/Cache key: none for this app: idNumber comes masked/);
    expect(schema.getType('Enterprise')!.description).toMatch(/Cache key: creditCode \(Apollo Client: keyFields: \["creditCode"\]\)/);
    // Another app's purposes for the same fields are not told.
    expect(stdout).not.toMatch(/SELF_SERVICE|CROSS_PROVINCE_CASE|EVENT_ENTERPRISE_CONTACT/);
  }, 30_000);

  test("another app's schema carries its own purposes for the same field, unmasked", async () => {
    const { code, stdout } = await contractsCli('schema', '--app', 'oneservice-portal');
    expect(code).toBe(0);
    const schema = buildSchema(stdout);
    expect(fieldOf(schema, 'Person', 'name').description).toBe("Purposes: SELF_SERVICE (the operator's own data only).");
    expect(schema.getType('Person')!.description).toMatch(/Cache key: idNumber \(Apollo Client: keyFields: \["idNumber"\]\)/);
    expect(stdout).not.toMatch(/LEGAL_REPRESENTATIVE_CHECK|MARKET_INSPECTION|Masked: NAME/);
  }, 30_000);

  test('an app without a contract gets no schema, and exit code 1', async () => {
    const { code, stdout, stderr } = await contractsCli('schema', '--app', 'no-such-app');
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toContain('app no-such-app has no contract in force: it can read nothing');
  }, 30_000);
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { formatProblem } from './problem';
import { parseContracts } from './load-contracts';
import { originProblem } from './web-origin';

describe('an origin is one exact origin, as a browser sends it, from a secure context', () => {
  test.each(['https://portal.example.gov.cn', 'https://portal.example.gov.cn:8443', 'http://localhost:5173', 'http://127.0.0.1:8080', 'http://[::1]:5173', 'https://xn--zfr164b.cn'])(
    '%s is accepted',
    (origin) => expect(originProblem(origin)).toBeUndefined(),
  );

  test.each([
    ['https://*.example.gov.cn', /no wildcard/],
    ['*', /no wildcard/],
    ['portal.example.gov.cn', /must be an origin such as/],
    ['null', /must be an origin such as/],
    ['', /must be an origin such as/],
    ['ftp://portal.example.gov.cn', /http\(s\) origin/],
    ['file:///srv/portal', /http\(s\) origin/],
    ['https://portal.example.gov.cn/', /no path, trailing slash.*: https:\/\/portal\.example\.gov\.cn$/],
    ['https://portal.example.gov.cn/app', /no path/],
    ['https://portal.example.gov.cn?x=1', /query/],
    ['https://user@portal.example.gov.cn', /user/],
    ['https://Portal.Example.gov.cn', /upper case.*: https:\/\/portal\.example\.gov\.cn$/],
    ['https://portal.example.gov.cn:443', /default port.*: https:\/\/portal\.example\.gov\.cn$/],
    ['http://localhost:80', /default port.*: http:\/\/localhost$/],
    ['https://政务.cn', /: https:\/\/xn--/],
    ['http://portal.example.gov.cn', /must use https/],
    ['http://192.168.1.20:5173', /must use https/],
    ['http://localhost.example.com:5173', /must use https/],
  ])('%s is refused: %s', (origin, message) => expect(originProblem(origin)).toMatch(message));
});

describe('a contract lists its origins, and a bad one stops it', () => {
  const portal = parse(readFileSync(join(__dirname, 'apps', 'oneservice-portal.yaml'), 'utf8')) as Record<string, unknown>;
  const problemsOf = (contract: Record<string, unknown>) => {
    const { contracts, problems } = parseContracts([{ file: `${String(contract['app'])}.yaml`, text: stringify(contract) }]);
    return { contracts, problems: problems.map(formatProblem) };
  };

  test('the demo portal is served from a Vite dev server on localhost:5173', () => {
    const { contracts, problems } = problemsOf(portal);
    expect(problems).toEqual([]);
    expect(contracts[0]!.contract.origins).toEqual(['http://localhost:5173']);
  });

  test('a contract without origins is called from servers only', () => {
    const { origins: _origins, ...serverOnly } = portal;
    const { contracts, problems } = problemsOf(serverOnly);
    expect(problems).toEqual([]);
    expect(contracts[0]!.contract.origins).toBeUndefined();
  });

  test('every bad origin is reported with file, app and its place in the list', () => {
    const { contracts, problems } = problemsOf({ ...portal, origins: ['https://portal.example.gov.cn', 'https://*.example.gov.cn', 'https://portal.example.gov.cn/app', 'http://portal.example.gov.cn'] });
    expect(contracts).toEqual([]);
    expect(problems).toEqual([
      expect.stringMatching(/oneservice-portal\.yaml: oneservice-portal: origins\.1: must be one exact origin: no wildcard/),
      expect.stringMatching(/oneservice-portal: origins\.2: must be scheme, host and port only/),
      expect.stringMatching(/oneservice-portal: origins\.3: must use https/),
    ]);
  });

  test('origins must be a list of strings', () => {
    expect(problemsOf({ ...portal, origins: 'http://localhost:5173' }).problems).toEqual([expect.stringMatching(/oneservice-portal: origins: /)]);
  });

  test("an internal app (the platform's own) may list no origin: no browser page is inside the platform", () => {
    const hall = parse(readFileSync(join(__dirname, 'apps', 'service-hall.yaml'), 'utf8')) as Record<string, unknown>;
    expect(hall['internal']).toBe(true);
    expect(problemsOf(hall).problems).toEqual([]);
    expect(problemsOf({ ...hall, origins: ['https://hall.example.gov.cn'] }).problems).toEqual([
      expect.stringMatching(/service-hall: origins: an internal app is called only from inside the platform/),
    ]);
    expect(problemsOf({ ...hall, origins: [] }).problems).toEqual([]);
  });
});

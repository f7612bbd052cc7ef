import { documentCommands, fencedBlocks, shellWords } from './readme-examples';

const sh = (text: string) => `\`\`\`sh\n${text}\n\`\`\`\n`;

describe('documentCommands', () => {
  test('reads a POST example with its headers, body and the token command set before it', () => {
    const doc = sh(
      [
        'TOKEN=$(npm run -s token -- --app oneservice-portal --operator 330108197103300546)',
        'curl -s http://127.0.0.1:4000/graphql \\',
        `  -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`,
        `  -H 'X-Purpose: SELF_SERVICE' \\`,
        `  -d '{"query":"{ person(idNumber: \\"330108197103300546\\") { name } }"}'`,
      ].join('\n'),
    );
    const [example, ...more] = documentCommands(doc).examples;
    expect(more).toEqual([]);
    expect(example).toMatchObject({
      line: 3,
      method: 'POST',
      url: 'http://127.0.0.1:4000/graphql',
      headers: [
        { name: 'authorization', value: [{ text: 'Bearer ' }, { variable: 'TOKEN' }] },
        { name: 'content-type', value: [{ text: 'application/json' }] },
        { name: 'x-purpose', value: [{ text: 'SELF_SERVICE' }] },
      ],
      body: [{ text: '{"query":"{ person(idNumber: \\"330108197103300546\\") { name } }"}' }],
      params: [],
    });
    expect(example!.variables.get('TOKEN')).toEqual({ kind: 'command', words: ['npm', 'run', '-s', 'token', '--', '--app', 'oneservice-portal', '--operator', '330108197103300546'] });
  });

  test('reads a GET example, its token set in an earlier block as in one terminal session', () => {
    const doc = `${sh('TOKEN=$(npm run -s token -- --app auditor)')}\ntext between\n\n${sh(
      `curl -s -G http://127.0.0.1:4000/graphql -H "authorization: Bearer $TOKEN" -H 'apollo-require-preflight: true' \\\n  --data-urlencode 'query={ serviceItems { code } }'`,
    )}`;
    const [example] = documentCommands(doc).examples;
    expect(example).toMatchObject({ method: 'GET', params: [{ name: 'query', value: [{ text: '{ serviceItems { code } }' }] }] });
    expect(example!.body).toBeUndefined();
    expect(example!.variables.get('TOKEN')).toEqual({ kind: 'command', words: ['npm', 'run', '-s', 'token', '--', '--app', 'auditor'] });
  });

  test('a later assignment changes the token of the examples after it, not before', () => {
    const curl = `curl -s http://127.0.0.1:4000/graphql -H "authorization: Bearer $TOKEN" -d '{}'`;
    const doc = sh(['TOKEN=first', curl, 'TOKEN=$(npm run -s token -- --app auditor)', curl].join('\n'));
    const [before, after] = documentCommands(doc).examples;
    expect(before!.variables.get('TOKEN')).toEqual({ kind: 'literal', word: [{ text: 'first' }] });
    expect(after!.variables.get('TOKEN')).toMatchObject({ kind: 'command' });
  });

  test('curl to anything but /graphql is not an example, whatever its options; other commands are listed; non-shell blocks are not read', () => {
    const doc = `${sh('curl -s http://127.0.0.1:4000/readyz\ncurl -s -u portal:secret -d grant_type=client_credentials http://127.0.0.1:9000/token\nnpm run -s sample -- --app auditor   # a comment\nnpm run contracts -- report > x.html')}\n\`\`\`text\ncurl -s http://127.0.0.1:4000/graphql -d '{}'\n\`\`\`\n`;
    const { examples, commands } = documentCommands(doc);
    expect(examples).toEqual([]);
    expect(commands.map((c) => c.text)).toEqual(['npm run -s sample -- --app auditor   # a comment', 'npm run contracts -- report > x.html']);
  });

  test('refuses, naming the line, a curl option it does not understand rather than skipping the example', () => {
    const doc = `intro\n${sh(`curl -s --compressed http://127.0.0.1:4000/graphql -d '{}'`)}`;
    expect(() => documentCommands(doc, 'README.md')).toThrow('README.md line 3: curl option --compressed is not understood');
  });

  test('refuses a pipe in an example', () => {
    expect(() => documentCommands(sh(`curl -s http://127.0.0.1:4000/graphql -d '{}' | jq .`))).toThrow('| (pipes, redirections, lists, backquotes) is not understood');
  });
});

describe('shellWords', () => {
  test('joins quoted and unquoted pieces of one word, expands variables outside single quotes only', () => {
    expect(shellWords(`a'b c'"d $X"\\ e '$Y' # gone`, 'here')).toEqual([[{ text: 'ab cd ' }, { variable: 'X' }, { text: ' e' }], [{ text: '$Y' }]]);
  });

  test('keeps escaped quotes and dollars inside double quotes', () => {
    expect(shellWords('"say \\"hi\\" for \\$5 to ${NAME}"', 'here')).toEqual([[{ text: 'say "hi" for $5 to ' }, { variable: 'NAME' }]]);
  });

  test('refuses an unterminated quote', () => {
    expect(() => shellWords(`'open`, 'here')).toThrow('here: an unterminated single quote');
  });
});

test('fencedBlocks reads each block whole, with the line of each of its lines', () => {
  expect(fencedBlocks('x\n```sh\na\n```\n````md\n```\ninner\n```\n````\n')).toEqual([
    { language: 'sh', lines: [{ line: 3, text: 'a' }] },
    { language: 'md', lines: [{ line: 6, text: '```' }, { line: 7, text: 'inner' }, { line: 8, text: '```' }] },
  ]);
});

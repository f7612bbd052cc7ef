/**
 * The GraphQL examples of a Markdown document, read as a shell would read them: every `curl` to a
 * `/graphql` URL in a ```sh (or bash, shell) block is an example, with the variables (`TOKEN=$(npm run -s
 * token -- …)` or `TOKEN=<literal>`) set before it, in this block or an earlier one, as in one terminal
 * session reading the document from the top. Only the shell a README needs is understood — single and double
 * quotes, `$NAME` / `${NAME}`, backslash line continuations — and only the curl options listed below: anything
 * else in an example is an error naming it, never silently skipped.
 */

/** A piece of a shell word: literal text, or the value of a variable. */
export type WordPart = { text: string } | { variable: string };
export type Word = WordPart[];

/** What a variable was set to: a literal word, or the output of a command (its words, all literal). */
export type Definition = { kind: 'literal'; word: Word } | { kind: 'command'; words: string[] };

export interface CurlExample {
  /** The line of the document where the curl command starts (1-based). */
  line: number;
  method: 'GET' | 'POST';
  url: string;
  /** Header names in lower case. */
  headers: Array<{ name: string; value: Word }>;
  /** The request body (POST), or the query string's parameters (GET), as given. */
  body?: Word;
  params: Array<{ name: string; value: Word }>;
  /** The variables in force where the example is, as a terminal reading the document would have them. */
  variables: ReadonlyMap<string, Definition>;
}

export interface DocumentCommands {
  examples: CurlExample[];
  /** Every other command line of the shell blocks (continuations joined), with its line. */
  commands: Array<{ line: number; text: string }>;
}

const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell']);

/** The fenced code blocks of a Markdown text: their language and lines (with the line number of each). */
export function fencedBlocks(markdown: string): Array<{ language: string; lines: Array<{ line: number; text: string }> }> {
  const blocks: Array<{ language: string; lines: Array<{ line: number; text: string }> }> = [];
  let open: { fence: string; language: string; lines: Array<{ line: number; text: string }> } | undefined;
  markdown.split('\n').forEach((text, index) => {
    const fence = /^(`{3,}|~{3,})\s*([\w-]*)/.exec(text);
    if (!open) {
      if (fence) open = { fence: fence[1]!, language: fence[2]!.toLowerCase(), lines: [] };
      return;
    }
    if (/^(`{3,}|~{3,})\s*$/.test(text) && text.trim().startsWith(open.fence)) {
      blocks.push({ language: open.language, lines: open.lines });
      open = undefined;
      return;
    }
    open.lines.push({ line: index + 1, text });
  });
  return blocks;
}

/** Splits one logical command line into shell words. */
export function shellWords(text: string, where: string): Word[] {
  const words: Word[] = [];
  let word: Word | undefined;
  const add = (part: WordPart) => {
    word ??= [];
    const last = word[word.length - 1];
    if ('text' in part && last && 'text' in last) last.text += part.text;
    else word.push(part);
  };
  const variableAt = (i: number): { name: string; end: number } => {
    const braced = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(text.slice(i));
    if (braced) return { name: braced[1]!, end: i + braced[0].length };
    const plain = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i));
    if (plain) return { name: plain[1]!, end: i + plain[0].length };
    if (text[i + 1] === '(') throw new Error(`${where}: a command substitution $(…) is understood only as the whole value of a variable`);
    return { name: '', end: i };
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') {
      if (word) words.push(word);
      word = undefined;
      i += 1;
    } else if (c === '#' && !word) {
      break;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1) throw new Error(`${where}: an unterminated single quote`);
      add({ text: text.slice(i + 1, end) });
      i = end + 1;
    } else if (c === '"') {
      i += 1;
      add({ text: '' });
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && '$`"\\'.includes(text[i + 1] ?? '')) {
          add({ text: text[i + 1]! });
          i += 2;
        } else if (text[i] === '$') {
          const variable = variableAt(i);
          if (variable.name) add({ variable: variable.name });
          else add({ text: '$' });
          i = variable.name ? variable.end : i + 1;
        } else if (text[i] === '`') {
          throw new Error(`${where}: backquotes are not understood`);
        } else {
          add({ text: text[i]! });
          i += 1;
        }
      }
      if (i >= text.length) throw new Error(`${where}: an unterminated double quote`);
      i += 1;
    } else if (c === '\\') {
      add({ text: text[i + 1] ?? '' });
      i += 2;
    } else if (c === '$') {
      const variable = variableAt(i);
      if (variable.name) add({ variable: variable.name });
      else add({ text: '$' });
      i = variable.name ? variable.end : i + 1;
    } else if ('|&;<>`'.includes(c)) {
      throw new Error(`${where}: ${c} (pipes, redirections, lists, backquotes) is not understood in an example`);
    } else {
      add({ text: c });
      i += 1;
    }
  }
  if (word) words.push(word);
  return words;
}

/** The text of a word that must hold no variable. */
export function literal(word: Word, where: string): string {
  return word
    .map((part) => {
      if ('variable' in part) throw new Error(`${where}: $${part.variable} where a literal is expected`);
      return part.text;
    })
    .join('');
}

/** The logical lines of a shell block: backslash-newline continuations joined, blank lines dropped. */
function logicalLines(lines: ReadonlyArray<{ line: number; text: string }>): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  let pending: { line: number; text: string } | undefined;
  for (const { line, text } of lines) {
    const continued = /\\$/.test(text) && !/\\\\$/.test(text);
    const piece = continued ? text.slice(0, -1) : text;
    pending = pending ? { line: pending.line, text: `${pending.text}${piece}` } : { line, text: piece };
    if (!continued) {
      if (pending.text.trim() !== '') out.push({ line: pending.line, text: pending.text.trim() });
      pending = undefined;
    }
  }
  if (pending && pending.text.trim() !== '') out.push({ line: pending.line, text: pending.text.trim() });
  return out;
}

const SILENT_OPTIONS = new Set(['-s', '-S', '-sS', '--silent', '--show-error', '-i', '--include']);

function curlExample(words: Word[], line: number, variables: ReadonlyMap<string, Definition>, where: string): CurlExample | undefined {
  let url: string | undefined;
  let method: 'GET' | 'POST' | undefined;
  let get = false;
  const headers: Array<{ name: string; value: Word }> = [];
  const params: Array<{ name: string; value: Word }> = [];
  let body: Word | undefined;
  const next = (index: number, option: string) => {
    const value = words[index + 1];
    if (!value) throw new Error(`${where}: ${option} needs a value`);
    return value;
  };
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    const flag = word.length === 1 && 'text' in word[0]! ? word[0].text : undefined;
    if (flag !== undefined && SILENT_OPTIONS.has(flag)) continue;
    if (flag === '-H' || flag === '--header') {
      const header = next(i++, flag);
      const first = header[0];
      const colon = first && 'text' in first ? first.text.indexOf(':') : -1;
      if (!first || !('text' in first) || colon === -1) throw new Error(`${where}: a header must start with its name and a colon`);
      const rest: Word = [{ text: first.text.slice(colon + 1).trimStart() }, ...header.slice(1)];
      headers.push({ name: first.text.slice(0, colon).trim().toLowerCase(), value: rest });
    } else if (flag === '-d' || flag === '--data' || flag === '--data-raw' || flag === '--data-binary') {
      if (body) throw new Error(`${where}: more than one request body`);
      body = next(i++, flag);
    } else if (flag === '--data-urlencode') {
      const pair = literal(next(i++, flag), where);
      const equals = pair.indexOf('=');
      if (equals <= 0) throw new Error(`${where}: --data-urlencode takes name=value`);
      params.push({ name: pair.slice(0, equals), value: [{ text: pair.slice(equals + 1) }] });
    } else if (flag === '-G' || flag === '--get') {
      get = true;
    } else if (flag === '-X' || flag === '--request') {
      const requested = literal(next(i++, flag), where).toUpperCase();
      if (requested !== 'GET' && requested !== 'POST') throw new Error(`${where}: method ${requested} is not understood`);
      method = requested;
    } else if (flag !== undefined && flag.startsWith('-')) {
      throw new Error(`${where}: curl option ${flag} is not understood by tests/support/readme-examples.ts`);
    } else {
      if (url !== undefined) throw new Error(`${where}: more than one URL`);
      url = literal(word, where);
    }
  }
  if (!url) throw new Error(`${where}: curl without a URL`);
  if (new URL(url).pathname !== '/graphql') return undefined;
  if (get && body) throw new Error(`${where}: -G with -d is not understood; use --data-urlencode`);
  if (!get && params.length > 0) throw new Error(`${where}: --data-urlencode without -G is not understood`);
  return { line, method: get ? 'GET' : method ?? (body ? 'POST' : 'GET'), url, headers, params, ...(body && { body }), variables: new Map(variables) };
}

/** Every GraphQL example of a Markdown document, and every other command of its shell blocks. */
export function documentCommands(markdown: string, documentName = 'the document'): DocumentCommands {
  const variables = new Map<string, Definition>();
  const examples: CurlExample[] = [];
  const commands: DocumentCommands['commands'] = [];
  for (const block of fencedBlocks(markdown)) {
    if (!SHELL_LANGUAGES.has(block.language)) continue;
    for (const { line, text } of logicalLines(block.lines)) {
      const where = `${documentName} line ${line}`;
      const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(text);
      if (assignment) {
        const [, name, value] = assignment;
        const substitution = /^\$\((.*)\)$/.exec(value!);
        variables.set(
          name!,
          substitution
            ? { kind: 'command', words: shellWords(substitution[1]!, where).map((w) => literal(w, where)) }
            : { kind: 'literal', word: shellWords(value!, where)[0] ?? [] },
        );
        continue;
      }
      if (!/^curl\s/.test(text)) {
        commands.push({ line, text });
        continue;
      }
      const words = shellWords(text, where);
      // Only a curl to the graph is an example: others (an identity provider's token endpoint, /readyz)
      // may use options this reader does not know, and are not its business.
      const toGraph = words.some((word) => /\/graphql(\?|$)/.test(word.map((part) => ('text' in part ? part.text : '')).join('')));
      if (!toGraph) continue;
      const example = curlExample(words, line, variables, where);
      if (example) examples.push(example);
    }
  }
  return { examples, commands };
}

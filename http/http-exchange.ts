/**
 * The HTTP side of /graphql on Node's own server, without express, for the gateway and every department:
 * reading a JSON body within its limit, handing the request to Apollo Server and writing its answer.
 * Express's router, body parser and response helpers were ~10 % of the gateway's CPU on a
 * single-department lookup; the other routes (health, metrics, console) stay on express, where that
 * cost does not matter.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createGunzip, createInflate } from 'node:zlib';
import { pipeline, type Readable } from 'node:stream';
import { HeaderMap, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import Negotiator from 'negotiator';

/** Headers on every answer: it carries personal data, so it is never cached, content-sniffed or framed. */
export function setProtectiveHeaders(res: ServerResponse): void {
  res.setHeader('cache-control', 'no-store');
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
}

export const JSON_TYPE = 'application/json; charset=utf-8';
export const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';

/**
 * The type to answer a GraphQL error body in: application/graphql-response+json when the Accept header
 * prefers it (GraphQL over HTTP), application/json otherwise — also when the header allows neither, as a
 * refusal must still be read. Chosen as Apollo Server chooses for the answers it writes (negotiator: by q,
 * then the order of the Accept header, then application/json), so a client gets one type whether GraphQL
 * ran or not.
 */
export function errorBodyType(accept: string | undefined): string {
  if (!accept) return JSON_TYPE;
  return new Negotiator({ headers: { accept } }).mediaType([JSON_TYPE, GRAPHQL_RESPONSE_TYPE]) ?? JSON_TYPE;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, contentType = JSON_TYPE): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', contentType);
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

/**
 * A server answering /graphql with `handleGraphql` and every other path with `otherRoutes` (express), every
 * answer with the protective headers. An error the handler did not expect goes to `onUnexpected` and is
 * answered 500 without its details.
 */
export function createGraphqlServer(
  handleGraphql: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  otherRoutes: (req: IncomingMessage, res: ServerResponse) => void,
  onUnexpected: (error: unknown) => void,
): Server {
  return createServer((req, res) => {
    setProtectiveHeaders(res);
    const path = req.url?.split('?', 1)[0];
    if (path !== '/graphql' && path !== '/graphql/') return otherRoutes(req, res);
    handleGraphql(req, res).catch((error: unknown) => {
      onUnexpected(error);
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }, errorBodyType(req.headers.accept));
      else res.destroy();
    });
  });
}

export type BodyProblem = 'too-large' | 'not-json' | 'not-object' | 'unsupported-encoding';

const BODY_PROBLEM_STATUS: Record<BodyProblem, number> = { 'too-large': 413, 'unsupported-encoding': 415, 'not-json': 400, 'not-object': 400 };

/** Answers a body that could not be read with its status; after a 413 the connection closes, as the rest of the body is never read. */
export function refuseBody(res: ServerResponse, problem: BodyProblem, body: unknown, contentType = JSON_TYPE): void {
  if (problem === 'too-large') res.setHeader('connection', 'close');
  sendJson(res, BODY_PROBLEM_STATUS[problem], body, contentType);
}

export type JsonBody = { ok: true; value: unknown } | { ok: false; problem: BodyProblem };

function isJsonContent(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  return type !== undefined && type.split(';', 1)[0]!.trim().toLowerCase() === 'application/json';
}

/** The body as sent, or undone from gzip or deflate; undefined for an encoding the exchange does not read. */
function decoded(req: IncomingMessage): Readable | undefined {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding === 'identity') return req;
  const inflate = encoding === 'gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : undefined;
  // pipeline passes a failure of either stream to the other, so a broken upload cannot leave one dangling.
  return inflate && pipeline(req, inflate, () => undefined);
}

/**
 * The stream's bytes, until it ends or passes `maxBytes`. Reading stops there without destroying the
 * request, so that the answer can still be written (the caller closes the connection after it).
 */
function collect(stream: Readable, maxBytes: number): Promise<Buffer | BodyProblem> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      stream.off('data', onData);
      stream.pause();
      resolve('too-large');
    };
    stream.on('data', onData);
    stream.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    // Kept for the stream's life: an upload that fails after the answer must not become an uncaught error.
    stream.on('error', () => resolve('not-json'));
  });
}

/**
 * The request's JSON body: undefined (not read) unless the content type is JSON, so that Apollo Server's
 * own checks answer other content types; an object or an array, as GraphQL over HTTP allows; at most
 * `maxBytes` after decompression. An empty JSON body is `{}`, which Apollo Server answers as missing.
 * After `too-large` the rest of the body is unread: answer it with `refuseBody`.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<JsonBody | undefined> {
  if (!isJsonContent(req)) return undefined;
  if (Number(req.headers['content-length']) > maxBytes) return { ok: false, problem: 'too-large' };
  const stream = decoded(req);
  if (!stream) return { ok: false, problem: 'unsupported-encoding' };
  const bytes = await collect(stream, maxBytes);
  if (typeof bytes === 'string') return { ok: false, problem: bytes };
  const text = bytes.toString('utf8');
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? { ok: true, value } : { ok: false, problem: 'not-object' };
  } catch {
    return { ok: false, problem: 'not-json' };
  }
}

/** The operations a request carries, for checks before Apollo Server (a GET carries one, in its query string). */
export function operationsOf(req: IncomingMessage, body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (body !== undefined) return [body];
  const search = new URLSearchParams(searchOf(req).slice(1));
  return [Object.fromEntries(search)];
}

function searchOf(req: IncomingMessage): string {
  const url = req.url ?? '';
  const at = url.indexOf('?');
  return at === -1 ? '' : url.slice(at);
}

export function apolloRequestOf(req: IncomingMessage, body: unknown): HTTPGraphQLRequest {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return { method: (req.method ?? 'GET').toUpperCase(), headers, search: searchOf(req), body };
}

export async function writeApolloResponse(res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  // The protective cache-control stays (Apollo Server sets its own on an automatic persisted query's miss).
  for (const [name, value] of response.headers) if (name !== 'cache-control') res.setHeader(name, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.setHeader('content-length', Buffer.byteLength(response.body.string));
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

interface MediaRange {
  type: string;
  subtype: string;
  params: Record<string, string>;
  q: number;
}

function mediaRange(text: string): MediaRange | undefined {
  const [name = '', ...rest] = text.split(';').map((part) => part.trim().toLowerCase());
  const [type, subtype] = name.split('/');
  if (!type || !subtype) return undefined;
  const params: Record<string, string> = {};
  for (const param of rest) {
    const at = param.indexOf('=');
    if (at > 0) params[param.slice(0, at).trim()] = param.slice(at + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  const { q = '1', ...others } = params;
  return { type, subtype, params: others, q: Number.parseFloat(q) || 0 };
}

/** The media types Apollo Server answers a single result in (its MEDIA_TYPES). */
const SINGLE_RESULT_TYPES = ['application/json; charset=utf-8', 'application/graphql-response+json; charset=utf-8', 'application/json; callbackSpec=1.0; charset=utf-8'].map(
  (type) => mediaRange(type)!,
);

/** How specifically `range` names `type` (type 4, subtype 2, parameters 1), or undefined when it does not. */
function specificity(type: MediaRange, range: MediaRange): number | undefined {
  let s = 0;
  if (range.type === type.type) s |= 4;
  else if (range.type !== '*') return undefined;
  if (range.subtype === type.subtype) s |= 2;
  else if (range.subtype !== '*') return undefined;
  const keys = Object.keys(range.params);
  if (keys.length === 0) return s;
  return keys.every((key) => range.params[key] === '*' || range.params[key] === type.params[key]) ? s | 1 : undefined;
}

/**
 * Whether Apollo Server will find a type the request's Accept header allows for its answer. It decides
 * only after running the operation (406, the departments already called), so the gateway asks first, by
 * the same rule: for each type, the most specific range that names it decides, by its q. Requests that
 * accept a multipart answer (@defer) are left to Apollo Server.
 */
export function acceptsSingleResult(accept: string | undefined): boolean {
  if (!accept || accept.toLowerCase().includes('multipart/')) return true;
  const ranges = accept.split(',').flatMap((part) => mediaRange(part) ?? []);
  return SINGLE_RESULT_TYPES.some((type) => {
    let best = { s: -1, q: 0 };
    for (const range of ranges) {
      const s = specificity(type, range);
      if (s !== undefined && (s > best.s || (s === best.s && range.q > best.q))) best = { s, q: range.q };
    }
    return best.q > 0;
  });
}

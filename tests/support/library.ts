/**
 * A second, unrelated deployment for the generic-gateway tests: three small library subgraphs that use
 * interfaces, a union, @provides, @requires, @override, @interfaceObject and a mutation. Plain
 * @apollo/subgraph servers, not the kit: the gateway must work with any department's implementation.
 */
import { join } from 'node:path';
import { GraphQLError } from 'graphql';
import { startForeignGraph, type ForeignGraph } from './foreign-graph';

export const LIBRARY = join(__dirname, '..', 'fixtures', 'library');

interface Book { id: string; title: string; isbn: string; authorId: string }
const FILMS = [{ id: 'f1', title: '霸王别姬', director: '陈凯歌' }, { id: 'f2', title: '活着', director: '张艺谋' }];
const AUTHORS: Record<string, { id: string; name: string; born: number; homeAddress: string }> = {
  a1: { id: 'a1', name: '曹雪芹', born: 1715, homeAddress: '北京西山' },
  a2: { id: 'a2', name: '罗贯中', born: 1330, homeAddress: '山西太原' },
};
const RATINGS: Record<string, number> = { b1: 5, b2: 4, f1: 5, f2: 4 };
const REVIEWS: Record<string, number> = { b1: 1203, b2: 877 };

export interface Library extends ForeignGraph {
  mutations: () => number;
}

export async function startLibrary(): Promise<Library> {
  const books = new Map<string, Book>([
    ['b1', { id: 'b1', title: '红楼梦', isbn: '9787020002207', authorId: 'a1' }],
    ['b2', { id: 'b2', title: '三国演义', isbn: '9787020008728', authorId: 'a2' }],
  ]);
  let mutations = 0;
  const media = (id: string) => books.get(id) ?? FILMS.find((f) => f.id === id) ?? null;
  const kind = (m: { id: string }) => (m.id.startsWith('b') ? 'Book' : 'Film');

  const resolvers: Record<string, object> = {
    catalog: {
      Query: {
        media: () => [...books.values(), ...FILMS],
        search: (_: unknown, { term }: { term: string }) => [...books.values(), ...FILMS].filter((m) => m.title.includes(term) || term === '*'),
        book: (_: unknown, { id }: { id: string }) => books.get(id) ?? null,
        films: () => FILMS,
      },
      Mutation: {
        addBook: (_: unknown, { id, title }: { id: string; title: string }) => {
          mutations += 1;
          const book = { id, title, isbn: '', authorId: 'a1' };
          books.set(id, book);
          return book;
        },
      },
      Media: { __resolveType: kind, __resolveReference: (ref: { id: string }) => media(ref.id) },
      SearchResult: { __resolveType: kind },
      Book: { __resolveReference: (ref: { id: string }) => books.get(ref.id), author: (b: Book) => ({ id: b.authorId, name: AUTHORS[b.authorId]!.name }) },
      Film: { __resolveReference: (ref: { id: string }) => FILMS.find((f) => f.id === ref.id) },
    },
    people: {
      Author: {
        __resolveReference: (ref: { id: string }) => AUTHORS[ref.id],
        biography: (a: { id: string; name: string }) => {
          if (a.id === 'a2') throw new GraphQLError('This biography is withheld.', { extensions: { code: 'FORBIDDEN' } });
          return `${a.name}，清代小说家。`;
        },
      },
      Media: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, rating: RATINGS[ref.id] }) },
    },
    reviews: {
      Book: {
        __resolveReference: (ref: { id: string; title?: string }) => ({ ...ref }),
        summary: (b: { title: string }) => `《${b.title}》是一部经典作品。`,
        reviewCount: (b: { id: string }) => REVIEWS[b.id] ?? 0,
      },
    },
  };

  return { ...(await startForeignGraph(LIBRARY, resolvers)), mutations: () => mutations };
}

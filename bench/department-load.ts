/**
 * What one request of each query costs the departments through each contender: the GraphQL requests they
 * receive and the SQL statements they run, from their own counters, one request at a time with nothing else
 * running. It explains ratios: a gateway that fetches entities in fewer department calls does less work for
 * the same answer.
 */
import { post, type BenchQuery, type Target } from './agreement';
import type { Departments } from './deployment';

export interface DepartmentLoad {
  contender: string;
  query: string;
  calls: number;
  statements: number;
}

export async function departmentLoad(departments: Departments, queries: readonly BenchQuery[], contenders: readonly Target[], direct: Target): Promise<DepartmentLoad[]> {
  const counters = async () => [await departments.counter('govgraph_subgraph_requests_total'), await departments.counter('govgraph_db_statements_total')] as const;
  const load: DepartmentLoad[] = [];
  for (const q of queries) {
    for (const target of [...contenders, ...(q.direct ? [direct] : [])]) {
      const [calls, statements] = await counters();
      await post(target.url, await target.headers(), q.query);
      const [callsAfter, statementsAfter] = await counters();
      load.push({ contender: target.name, query: q.name, calls: callsAfter - calls, statements: statementsAfter - statements });
    }
  }
  return load;
}

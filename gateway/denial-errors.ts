/**
 * The errors a client gets for the fields the access gate refused. FORBIDDEN and CASE_REQUIRED: one per
 * field, with its coordinate and path. PURPOSE_REQUIRED: one per set of purposes that would grant the
 * fields — a request states one purpose, so fields the same purposes open are one thing to act on — with
 * the purposes (`extensions.purposes`), every coordinate and every path; `coordinate` and `path` as well
 * when it is about one.
 */
import { GraphQLError } from 'graphql';
import type { Denial } from '../contracts/access-gate';

function fieldError(denial: Denial): GraphQLError {
  return new GraphQLError(`${denial.code === 'FORBIDDEN' ? 'Forbidden' : 'Not allowed'}: ${denial.reason}.`, {
    path: denial.path.split('.'),
    extensions: { code: denial.code, coordinate: denial.coordinate },
  });
}

function purposeError(purposes: readonly string[], denials: readonly Denial[]): GraphQLError {
  const coordinates = [...new Set(denials.map((d) => d.coordinate))];
  const paths = denials.map((d) => d.path.split('.'));
  const fields = `${coordinates.join(', ')} ${coordinates.length === 1 ? 'is' : 'are'}`;
  return new GraphQLError(`Not allowed: ${fields} shared conditionally: state a purpose of the grant in X-Purpose (${purposes.join(', ')}).`, {
    ...(paths.length === 1 && { path: paths[0] }),
    extensions: { code: 'PURPOSE_REQUIRED', purposes, ...(coordinates.length === 1 && { coordinate: coordinates[0] }), coordinates, paths },
  });
}

/** The purposes that would grant a denied field, in one order, when a purpose would. */
const purposesOf = (denial: Denial) => (denial.code === 'PURPOSE_REQUIRED' && denial.purposes ? [...denial.purposes].sort() : undefined);

/** The errors for an operation's denials, in the order of the first denial each stands for. */
export function errorsOfDenials(denials: readonly Denial[]): GraphQLError[] {
  const groups = new Map<string, Denial[]>();
  for (const [index, denial] of denials.entries()) {
    const purposes = purposesOf(denial);
    const key = purposes ? `purposes ${purposes.join(',')}` : `field ${index}`;
    const group = groups.get(key);
    if (group) group.push(denial);
    else groups.set(key, [denial]);
  }
  return [...groups.values()].map((group) => {
    const purposes = purposesOf(group[0]!);
    return purposes ? purposeError(purposes, group) : fieldError(group[0]!);
  });
}

/**
 * The life cycle of a city event: reported → dispatched (automatically, to every responsible department)
 * → each department accepts and resolves its part (joint handling) → resolved when all parts are →
 * closed by the centre → evaluated. Pure: the resolvers ask it what is allowed before they write.
 */
import { GraphQLError } from 'graphql';

export type EventStatus = 'REPORTED' | 'DISPATCHED' | 'IN_PROGRESS' | 'RESOLVED' | 'CLOSED';
export type DispatchStatus = 'DISPATCHED' | 'ACCEPTED' | 'RESOLVED';
export type EventAction = 'ACCEPT_DISPATCH' | 'RESOLVE_PART' | 'CLOSE' | 'EVALUATE';

export interface EventState {
  status: EventStatus;
  evaluated: boolean;
  dispatches: ReadonlyArray<{ department: string; status: DispatchStatus }>;
}

/** Every action allowed now, with the department it applies to where it is one department's part. */
export function allowedActions(state: EventState): string[] {
  const actions: string[] = [];
  for (const dispatch of state.dispatches) {
    if (dispatch.status === 'DISPATCHED') actions.push(`ACCEPT_DISPATCH(${dispatch.department})`);
    if (dispatch.status === 'ACCEPTED') actions.push(`RESOLVE_PART(${dispatch.department})`);
  }
  if (state.status === 'RESOLVED') actions.push('CLOSE');
  if (state.status === 'CLOSED' && !state.evaluated) actions.push('EVALUATE');
  return actions;
}

/** Throws BAD_USER_INPUT listing what is allowed when `action` is not. */
export function assertAllowed(state: EventState, action: EventAction, department?: string): void {
  const wanted = department === undefined ? action : `${action}(${department})`;
  const allowed = allowedActions(state);
  if (allowed.includes(wanted)) return;
  throw new GraphQLError(`${wanted} is not allowed for this event now (status ${state.status}); allowed: ${allowed.length ? allowed.join(', ') : 'nothing'}.`, {
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

/** The event's status once its dispatches are as given. */
export function statusAfterParts(dispatches: EventState['dispatches']): EventStatus {
  if (dispatches.length > 0 && dispatches.every((d) => d.status === 'RESOLVED')) return 'RESOLVED';
  if (dispatches.some((d) => d.status !== 'DISPATCHED')) return 'IN_PROGRESS';
  return 'DISPATCHED';
}

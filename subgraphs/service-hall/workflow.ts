/**
 * 跨省通办 in its three modes: which step may follow which, and which region takes it.
 *   全程网办 FULL_ONLINE — the handling region accepts, reviews, decides and delivers, all online;
 *   代收代办 PROXY — the accepting region accepts and forwards; only the handling region reviews and decides;
 *     the accepting region delivers;
 *   多地联办 MULTI_SITE — the accepting region accepts; each involved region completes its part; the
 *     handling region decides when all parts are done.
 */
import { withinRegions } from '@govgraph/department-kit';
import type { ServiceMode } from './catalogue';

export type ApplicationStatus =
  | 'SUBMITTED' | 'PRE_REVIEWED' | 'RETURNED' | 'ACCEPTED' | 'FORWARDED' | 'IN_REVIEW' | 'IN_PROGRESS' | 'PARTS_DONE' | 'APPROVED' | 'REJECTED' | 'DELIVERED';
export type ApplicationAction = 'ACCEPT' | 'FORWARD' | 'REVIEW' | 'COMPLETE_PART' | 'APPROVE' | 'REJECT' | 'DELIVER';
type Actor = 'ACCEPTING' | 'HANDLING' | 'PART';

interface Step {
  from: ApplicationStatus;
  action: ApplicationAction;
  by: Actor;
  to: ApplicationStatus;
}

const decide = (from: ApplicationStatus): Step[] => [
  { from, action: 'APPROVE', by: 'HANDLING', to: 'APPROVED' },
  { from, action: 'REJECT', by: 'HANDLING', to: 'REJECTED' },
];

export const WORKFLOWS: Record<ServiceMode, Step[]> = {
  FULL_ONLINE: [
    { from: 'PRE_REVIEWED', action: 'ACCEPT', by: 'HANDLING', to: 'ACCEPTED' },
    { from: 'ACCEPTED', action: 'REVIEW', by: 'HANDLING', to: 'IN_REVIEW' },
    ...decide('IN_REVIEW'),
    { from: 'APPROVED', action: 'DELIVER', by: 'HANDLING', to: 'DELIVERED' },
  ],
  PROXY: [
    { from: 'PRE_REVIEWED', action: 'ACCEPT', by: 'ACCEPTING', to: 'ACCEPTED' },
    { from: 'ACCEPTED', action: 'FORWARD', by: 'ACCEPTING', to: 'FORWARDED' },
    { from: 'FORWARDED', action: 'REVIEW', by: 'HANDLING', to: 'IN_REVIEW' },
    ...decide('IN_REVIEW'),
    { from: 'APPROVED', action: 'DELIVER', by: 'ACCEPTING', to: 'DELIVERED' },
  ],
  MULTI_SITE: [
    { from: 'PRE_REVIEWED', action: 'ACCEPT', by: 'ACCEPTING', to: 'IN_PROGRESS' },
    { from: 'IN_PROGRESS', action: 'COMPLETE_PART', by: 'PART', to: 'IN_PROGRESS' },
    ...decide('PARTS_DONE'),
    { from: 'APPROVED', action: 'DELIVER', by: 'ACCEPTING', to: 'DELIVERED' },
  ],
};

export interface WorkflowState {
  mode: ServiceMode;
  status: ApplicationStatus;
  acceptingRegion: string;
  handlingRegion: string;
  /** Regions whose MULTI_SITE part is still open. */
  openParts: readonly string[];
}

/**
 * Whether a caller whose regions are these acts for that region (a province desk acts for its districts).
 * Every restriction holds at once, as in the gateway's row rules: a contract's province and a token's district.
 */
export function actsFor(callerRegions: readonly string[], region: string): boolean {
  return callerRegions.length > 0 && withinRegions(region, callerRegions);
}

/** The region a step is taken in for this caller, or undefined when the caller may not take it. */
export function stepRegion(state: WorkflowState, step: Step, callerRegions: readonly string[]): string | undefined {
  if (step.from !== state.status) return undefined;
  if (step.by === 'ACCEPTING') return actsFor(callerRegions, state.acceptingRegion) ? state.acceptingRegion : undefined;
  if (step.by === 'HANDLING') return actsFor(callerRegions, state.handlingRegion) ? state.handlingRegion : undefined;
  return state.openParts.find((region) => actsFor(callerRegions, region));
}

export function allowedActions(state: WorkflowState, callerRegions: readonly string[]): ApplicationAction[] {
  return WORKFLOWS[state.mode].filter((step) => stepRegion(state, step, callerRegions) !== undefined).map((step) => step.action);
}

/** The step to take, with its region, or undefined when the action is not allowed for this caller now. */
export function findStep(state: WorkflowState, action: ApplicationAction, callerRegions: readonly string[]): { to: ApplicationStatus; region: string } | undefined {
  for (const step of WORKFLOWS[state.mode]) {
    if (step.action !== action) continue;
    const region = stepRegion(state, step, callerRegions);
    if (region !== undefined) return { to: step.to, region };
  }
  return undefined;
}

/** Where a person's handling begins: the status the mode's first step is taken from. */
export function awaitingAPerson(mode: ServiceMode): ApplicationStatus {
  return WORKFLOWS[mode][0]!.from;
}

/**
 * 秒批: the status the rules' approval moves a pre-reviewed application to — the mode's APPROVE, taken for
 * the handling region without the steps before it. None where the decision waits for every region's part
 * (MULTI_SITE): rules cannot do another region's part.
 */
export function approvedByRules(mode: ServiceMode): ApplicationStatus | undefined {
  const steps = WORKFLOWS[mode];
  if (steps.some((step) => step.by === 'PART')) return undefined;
  return steps.find((step) => step.action === 'APPROVE' && step.by === 'HANDLING')?.to;
}

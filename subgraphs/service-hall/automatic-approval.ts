/**
 * 秒批: an item marked for automatic approval is approved by its rules at submission when every pre-review
 * check passes — the handling region's decision, entered in the timeline with the actor `rules` and what
 * it rested on: the checks that passed and the certificates they relied on (number and kind, never their
 * contents). The applicant may always have a person decide instead (PIPL art. 24: a decision taken solely
 * by automated means may be refused), at submission or later, until the decision is delivered.
 */
import type { ServiceItemRow, ServiceMode } from './catalogue';
import { certificatesReliedOn, type CertificateReliance, type Check } from './pre-review';
import type { ApplicationRow, TimelineRow } from './store';
import { approvedByRules, type ApplicationStatus } from './workflow';

/** The timeline's actor for a step the rules took. */
export const RULES_ACTOR = 'rules';
/** The timeline's action for the applicant asking that a person decide. */
export const MANUAL_REVIEW_ACTION = 'REQUEST_MANUAL_REVIEW';

/** What a decision by the rules rested on, as its timeline entry shows it. */
export interface DecisionBasis {
  /** The codes of the pre-review checks, every one passed. */
  checks: string[];
  certificates: CertificateReliance[];
}

export interface RulesDecision {
  status: ApplicationStatus;
  region: string;
  basis: DecisionBasis;
}

/** The rules' approval of a pre-reviewed application, or undefined when it goes to a person. */
export function rulesDecision(
  item: ServiceItemRow,
  application: { mode: ServiceMode; handlingRegion: string },
  checks: readonly Check[],
  manualReviewRequested: boolean,
): RulesDecision | undefined {
  if (!item.automaticApproval || manualReviewRequested || checks.some((check) => !check.passed)) return undefined;
  const status = approvedByRules(application.mode);
  if (!status) return undefined;
  return {
    status,
    region: application.handlingRegion,
    basis: { checks: checks.map((check) => check.code), certificates: certificatesReliedOn(checks) },
  };
}

export const manualReviewRequested = (timeline: readonly TimelineRow[]) => timeline.some((entry) => entry.action === MANUAL_REVIEW_ACTION);

/**
 * Whether the applicant may still put this application to a person: the rules approved it and the
 * approval is not delivered yet. Delivery (送达) gives the decision effect; after it the remedies are
 * administrative reconsideration or a suit, not this.
 */
export function decidedByRulesUndelivered(application: Pick<ApplicationRow, 'status' | 'mode'>, timeline: readonly TimelineRow[]): boolean {
  const decision = timeline.filter((entry) => entry.action === 'APPROVE').at(-1);
  return application.status === approvedByRules(application.mode) && decision?.actor === RULES_ACTOR;
}

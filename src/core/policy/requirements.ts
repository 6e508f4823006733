import type { ApprovalRule, Grant, ReasonRule } from './access-model.js';

/** What must happen before an action: a reason, and approvals by other people. */
export interface Requirements {
  approval?: ApprovalRule;
  /**
   * One list per permission the action uses that asks for a reason: the reason must satisfy one rule
   * of every list. Empty when no reason is asked for.
   */
  reasons: readonly (readonly ReasonRule[])[];
}

const approvals = (g: Grant): number => g.approval?.count ?? 0;

/**
 * The requirements of an action that uses several permissions (logoff, and bulk for several sessions),
 * given the caller's applicable grants of each. Grants add up, so for one permission the grant that
 * asks least applies (fewest approvals, then no reason before a reason); across the permissions, the
 * strictest of them: the most approvals, and every reason rule.
 */
export function requirementsOf(grantsPerPermission: readonly (readonly Grant[])[]): Requirements {
  let approval: ApprovalRule | undefined;
  const reasons: ReasonRule[][] = [];
  for (const grants of grantsPerPermission) {
    if (grants.length === 0) continue;
    const least = Math.min(...grants.map(approvals));
    const easiest = grants.filter((g) => approvals(g) === least);
    const rule = easiest[0]?.approval;
    if (rule && rule.count > (approval?.count ?? 0)) approval = rule;
    if (easiest.every((g) => g.reason)) reasons.push(easiest.map((g) => g.reason as ReasonRule));
  }
  return approval ? { approval, reasons } : { reasons };
}

/** Whether `given` satisfies one rule of a list. */
function satisfies(rules: readonly ReasonRule[], given: string): boolean {
  return rules.some((r) => (r.pattern ? r.pattern.test(given) : given.trim() !== ''));
}

/** The first rule list a reason does not satisfy (it is missing, or matches none), or undefined when it is fine. */
export function unmetReason(req: Requirements, given: string | undefined): readonly ReasonRule[] | undefined {
  return req.reasons.find((rules) => given === undefined || !satisfies(rules, given));
}

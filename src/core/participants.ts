import type { Caller, Platform } from './caller.js';

/** What a person did for an action. */
export type ParticipantRole = 'requested' | 'confirmed' | 'approved' | 'rejected' | 'withdrew';

/** Someone who took part in an action, and when: adapters show them as their platform shows people. */
export interface Participant {
  role: ParticipantRole;
  platform: Platform;
  userId: string;
  userName: string;
  /** Milliseconds since the epoch. */
  at: number;
}

export function participant(role: ParticipantRole, c: Pick<Caller, 'platform' | 'userId' | 'userName'>, at: number): Participant {
  return { role, platform: c.platform, userId: c.userId, userName: c.userName, at };
}

const WORDS: Record<ParticipantRole, string> = {
  requested: 'requested by',
  confirmed: 'confirmed by',
  approved: 'approved by',
  rejected: 'rejected by',
  withdrew: 'withdrawn by',
};

/**
 * `Requested by alice at 09:12:44 · confirmed by alice at 09:12:50 · approved by bob at 09:13:20`: each
 * adapter says how a person (`<@U…>`, `<@id>`, a name) and a time are shown.
 */
export function participantsLine(ps: readonly Participant[], person: (p: Participant) => string, time: (at: number) => string): string {
  const line = ps.map((p) => `${WORDS[p.role]} ${person(p)} at ${time(p.at)}`).join(' · ');
  return line.charAt(0).toUpperCase() + line.slice(1);
}

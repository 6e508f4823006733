import { VERB_TABLE, type ChatSpec, type Verb, type VerbSpec } from '../../src/core/index.js';

/** A verb offered as a chat slash command: the verb table's entries that carry a chat spec. */
export type ChatVerbSpec = VerbSpec & { chat: ChatSpec };

export const CHAT_VERBS: readonly ChatVerbSpec[] = VERB_TABLE.filter((s): s is ChatVerbSpec => s.chat !== undefined);

export type ChatVerb = Exclude<Verb, 'help'>;

export function chatSpecOf(verb: string): ChatVerbSpec | undefined {
  return CHAT_VERBS.find((s) => s.verb === verb);
}

/**
 * Who may see, per member, that a member has voted (never how): the vote's published `turnoutList`
 * setting names the roles, and whether from the opening or from the close. One reading for the
 * server's refusal and for the pages, which ask only for what they may see. Pure and zod-free.
 */

export interface TurnoutListSetting {
  visibleTo: readonly string[];
  from: 'open' | 'close';
}

const STARTED = new Set(['open', 'closed', 'tallied']);
const ENDED = new Set(['closed', 'tallied']);

/**
 * Null when the role may see the list of the vote in this state; else the sentence that says why not.
 * Trustees never see it (they decrypt the totals and must not learn who voted).
 */
export function turnoutRefusal(setting: TurnoutListSetting, role: string, status: string): string | null {
  const roleAllowed = role !== 'trustee' && setting.visibleTo.includes(role);
  const timeAllowed = setting.from === 'open' ? STARTED.has(status) : ENDED.has(status);
  if (roleAllowed && timeAllowed) return null;
  const who = setting.visibleTo.length ? setting.visibleTo.join(', ') : 'nobody';
  return `this vote publishes who has obtained a token to ${who}, from ${setting.from === 'open' ? 'the opening' : 'the close'} of the vote`;
}

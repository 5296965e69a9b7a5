/**
 * The vote's published turnout setting in the member's words, shown before they vote: who may see
 * whether a member voted (never how), and from when. The server renders it; the voting page says it
 * again from the checked manifest (client/member.ts), so the sealed setting is what the member reads.
 */
import type { Strings } from './i18n.ts';
import { fill } from './fill.ts';

export interface TurnoutSetting { visibleTo: readonly ('admin' | 'secretary' | 'monitor')[]; from: 'open' | 'close' }

export function turnoutInWords(t: Strings, setting: TurnoutSetting): string {
  if (setting.visibleTo.length === 0) return t.turnoutNobody;
  const names = (['secretary', 'monitor', 'admin'] as const).filter((r) => setting.visibleTo.includes(r))
    .map((r) => ({ secretary: t.turnoutSecretary, monitor: t.turnoutMonitor, admin: t.turnoutAdmin })[r]);
  const who = names.length > 1 ? `${names.slice(0, -1).join(', ')}${t.turnoutAnd}${names.at(-1)}` : names[0]!;
  return fill(t.turnoutSome, { who, when: setting.from === 'open' ? t.turnoutFromOpen : t.turnoutFromClose });
}

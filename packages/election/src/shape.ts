/** What a voting page needs of a definition, without zod (the member's bundle stays small). */
import type { VoteDefinition } from './definition.ts';

/**
 * The shape the crypto needs of the questions a local's members answer: two options (yes, no)
 * per question, in the definition's order.
 */
export function ballotShapeFor(v: VoteDefinition, localId: string): { id: string; options: number; blankAllowed: boolean }[] {
  return v.questions.filter((q) => q.locals.includes(localId)).map((q) => ({ id: q.id, options: 2, blankAllowed: q.blankAllowed }));
}

/** The shape of every question of the vote (a spoiled ballot answers its local's, without naming the local). */
export function questionShapes(v: Pick<VoteDefinition, 'questions'>): { id: string; options: number; blankAllowed: boolean }[] {
  return v.questions.map((q) => ({ id: q.id, options: 2, blankAllowed: q.blankAllowed }));
}

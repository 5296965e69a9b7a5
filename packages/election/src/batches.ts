/**
 * Casting in batches (docs/decisions.md, "Casting in batches"): a vote's batch length, and what the
 * board's promise for a cast ballot may say. A cast is promised the batch it falls in (ending on a
 * multiple of the batch length) and sequencing within a minute of the batch's end; a promise that
 * says otherwise (a batch years away, so a phone waits forever and never offers the promise as
 * evidence) is refused by the voting client. Pure and zod-free (the voting page uses it).
 */

import { CLOSING_GRACE_MS } from './evidence.ts';

/** The batch of casting when a definition names none. */
export const DEFAULT_BATCH_SECONDS = 10;

/** How long after its batch's end a ballot is promised to be in the box: a Cron Trigger's minute. */
export const SEQUENCING_SLACK_MS = 60_000;

/** A vote's batch length in milliseconds. */
export function batchMilliseconds(def: { batchSeconds?: number | undefined }): number {
  return Math.round((def.batchSeconds ?? DEFAULT_BATCH_SECONDS) * 1000);
}

/**
 * What is wrong with a promise's times for this vote, if anything (null when nothing): sequencing
 * promised exactly a minute after the batch ends, and the batch ending on one of the vote's batch
 * boundaries, by the vote's closing time. No device clock is read (a phone's may be wrong).
 */
export function promiseTimesProblem(p: { batchEndsAt: string; sequencedBy: string }, def: { batchSeconds?: number | undefined; closesAt?: string }): string | null {
  const end = Date.parse(p.batchEndsAt);
  const by = Date.parse(p.sequencedBy);
  if (Number.isNaN(end) || Number.isNaN(by)) return 'the promise\'s times are not times';
  if (by - end !== SEQUENCING_SLACK_MS) return `the board promises to put your ballot in the box by ${p.sequencedBy}, not within the minute after its batch ends (${p.batchEndsAt})`;
  if (end % batchMilliseconds(def) !== 0) return `the promised batch ends at ${p.batchEndsAt}, which is not the end of one of this vote's batches`;
  // The last batch ends by the closing time and its grace: a later one was a cast the board had to refuse.
  const closes = def.closesAt === undefined ? Number.NaN : Date.parse(def.closesAt);
  if (!Number.isNaN(closes) && end > closes + CLOSING_GRACE_MS + batchMilliseconds(def)) return `the promised batch ends at ${p.batchEndsAt}, after the vote's closing time (${def.closesAt})`;
  return null;
}

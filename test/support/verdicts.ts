/** What the verifier says of a record, as the operator tests ask it. */
import type { ElectionRecord, Results } from '@union-vote/election';
import { verifyRecord, type VerifyOptions } from '@union-vote/verifier';

/** The ids of the checks that fail. */
export const failing = async (record: unknown, o: VerifyOptions = {}) => (await verifyRecord(record, o)).checks.filter((c) => !c.ok).map((c) => c.id);

/** The details a check gives (undefined if the report has no such check). */
export const detailsOf = async (record: unknown, id: string, o: VerifyOptions = {}) => (await verifyRecord(record, o)).checks.find((c) => c.id === id)?.details.join('\n');

/** Whether the record's first question passed. */
export const passed = (r: ElectionRecord) => (r.results as Results).questions[0]!.outcome.passed;

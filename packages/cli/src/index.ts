/** @union-vote/cli: the trustee ceremony and decryption (see trustee.ts), used by bin/union-vote.mjs. */
export * from './trustee.ts';

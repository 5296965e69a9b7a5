/** @union-vote/cli: the trustee ceremony and decryption (trustee.ts) and the monitor's witness (monitor.ts), used by bin/union-vote.mjs. */
export * from './trustee.ts';
export * from './monitor.ts';
export * from './ceremony.ts';

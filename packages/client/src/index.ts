/** @union-vote/client: the member's side of casting (voting-client.ts) and of checking the board (checks.ts). */
export * from './voting-client.ts';
export * from './checks.ts';
export * from './ballot-check.ts';

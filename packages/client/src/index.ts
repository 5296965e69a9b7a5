/** @union-vote/client: the member's side of casting (see voting-client.ts). */
export * from './voting-client.ts';

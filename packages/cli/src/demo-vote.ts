/**
 * `npm run demo:vote [yes|no]`: casts one ballot in the demo vote that `npm start` opened, as a
 * member would, through the voting client: the next unused code from <DATA_DIR>/demo-codes.csv,
 * an anonymous token, an encrypted ballot, the receipt and its inclusion proof, all verified.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from '@union-vote/crypto';
import { parseCsv } from '@union-vote/election';
import { VotingClient, type Choice } from '@union-vote/client';

const server = process.env.SERVER ?? `http://127.0.0.1:${process.env.PORT ?? 8787}`;
const dataDir = process.env.DATA_DIR ?? './data';
const choice = (process.argv[2] ?? 'yes') as Choice;
if (choice !== 'yes' && choice !== 'no') {
  console.error('usage: npm run demo:vote [yes|no]');
  process.exit(2);
}
const rows = parseCsv(readFileSync(join(dataDir, 'demo-codes.csv'), 'utf8')).slice(1).map((r) => r.fields);
const voteId = new URL(rows[0]![5]!).pathname.split('/').pop()!;
const client = new VotingClient({ baseUrl: server });
const board = await client.board(voteId);
for (const [memberNumber, name, , , code] of rows) {
  const { tokenIssued } = await client.checkCode(voteId, code!);
  if (tokenIssued) continue;
  const question = board.vote.definition.questions[0]!.id;
  const result = await client.vote({ voteId, code: code!, deviceSeed: randomBytes(32), choices: { [question]: choice }, board });
  console.log(`${name} (member ${memberNumber}, local ${result.localId}) voted ${choice} in ${voteId}.`);
  console.log(`  tracking code ${result.trackingCode}`);
  console.log(`  receipt signed by the board: leaf ${result.receipt.leafIndex}, ${result.receipt.issuedAt}`);
  console.log(`  inclusion proven in the signed tree head of size ${result.inclusion.treeHead.treeSize}`);
  process.exit(0);
}
console.error('every demo code has been used');
process.exit(1);

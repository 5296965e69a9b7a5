/**
 * `npm run demo:vote [yes|no]`: casts one ballot in the demo vote that `npm start` opened, as a
 * member would, through the voting client: the next unused code from <DATA_DIR>/demo-codes.csv,
 * the board's manifest checked against the fingerprint printed with the code, an anonymous token,
 * an encrypted ballot, the receipt and its inclusion proof, all verified. The receipt file is
 * written beside the codes, as a member would download it.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from '@union-vote/crypto';
import { parseCsv } from '@union-vote/election';
import { VotingClient, VotingError, checkManifest, type Choice } from '@union-vote/client';
import type { PromiseFile } from '@union-vote/election';

const server = process.env.SERVER ?? `http://127.0.0.1:${process.env.PORT ?? 8787}`;
const dataDir = process.env.DATA_DIR ?? './data';
const choice = (process.argv[2] ?? 'yes') as Choice;
if (choice !== 'yes' && choice !== 'no') {
  console.error('usage: npm run demo:vote [yes|no]');
  process.exit(2);
}
const codesFile = join(dataDir, 'demo-codes.csv');
if (!existsSync(codesFile)) {
  console.error(`There is no ${codesFile}: start the service first with \`npm start\` (it seeds the demo vote and writes the codes there).`);
  process.exit(1);
}
const rows = parseCsv(readFileSync(codesFile, 'utf8')).slice(1).map((r) => r.fields);
const voteId = new URL(rows[0]![5]!).pathname.split('/').pop()!;
const client = new VotingClient({ baseUrl: server });

try {
  const board = await client.board(voteId);
  if (board.vote.status !== 'open') {
    console.error(`The demo vote ${voteId} is ${board.vote.status}, so it takes no more ballots. To start over, stop the service, remove ${dataDir} and run \`npm start\` again.`);
    process.exit(1);
  }
  for (const [memberNumber, name, , , code, link, fingerprint] of rows) {
    // The board's manifest against the letter's fingerprint before the code is sent anywhere.
    checkManifest(board, fingerprint);
    const { tokenIssued } = await client.checkCode(voteId, code!);
    if (tokenIssued) continue;
    const question = board.manifest.definition.questions[0]!.id;
    // The local and the fingerprint come from the letter's link, never from the server's word.
    const letter = new URLSearchParams(new URL(link!).hash.slice(1));
    // The board's promise is kept until the receipt comes: if it never does, it is the member's evidence.
    let promisePath: string | undefined;
    const result = await client.vote({ voteId, code: code!, localId: letter.get('local') ?? undefined, deviceSeed: randomBytes(32), choices: { [question]: choice }, board, fingerprint,
      onPromise: (p, file: PromiseFile) => {
        promisePath = join(dataDir, `promise-${p.trackingCode.slice(0, 12)}.json`);
        writeFileSync(promisePath, JSON.stringify(file, null, 2) + '\n');
        console.log(`Cast. The board promised it into the box with the batch ending ${p.batchEndsAt} (votes go in by batches, so none can be told by its time); waiting for the receipt…`);
      },
    }).catch((e: unknown) => {
      if (promisePath) console.error(`The board's signed promise is in ${promisePath}: if the ballot is missing from the final box, \`union-vote-verify --receipts\` names it with that file.`);
      throw e;
    });
    if (promisePath) rmSync(promisePath, { force: true });
    const receiptPath = join(dataDir, `receipt-${result.trackingCode.slice(0, 12)}.json`);
    writeFileSync(receiptPath, JSON.stringify(result.receiptFile, null, 2) + '\n');
    console.log(`${name} (member ${memberNumber}, local ${result.localId}) voted ${choice} in ${voteId} (fingerprint ${result.receiptFile.fingerprint}).`);
    console.log(`  tracking code ${result.trackingCode}`);
    console.log(`  receipt signed by the board: leaf ${result.receipt.leafIndex}, ${result.receipt.issuedAt}`);
    console.log(`  inclusion proven in the signed tree head of size ${result.inclusion.treeHead.treeSize}`);
    console.log(`  receipt file: ${receiptPath}`);
    process.exit(0);
  }
  console.error('Every demo code has been used. To start over, stop the service, remove the data directory and run `npm start` again.');
  process.exit(1);
} catch (e) {
  if (e instanceof VotingError && e.code.startsWith('manifest') || e instanceof VotingError && e.code === 'fingerprint_mismatch') console.error(`Not voting: ${e.message}. Nothing was sent with the code.`);
  else if (e instanceof VotingError) console.error(`The service refused: ${e.message}`);
  else console.error(`Could not reach the service at ${server} (${(e as Error).message}). Is it running? Start it with \`npm start\`, or set SERVER to its address.`);
  process.exit(1);
}

/**
 * `union-vote trustee keygen --vote V --trustee T [--out FILE]`
 *     writes the secret key share to FILE (default trustee-T-V.json, mode 600) and prints the public
 *     key with its proof, to hand to the administrator.
 * `union-vote trustee decrypt --server URL --vote V --key FILE`   (API token in UNION_VOTE_TOKEN)
 *     checks the closed vote's record, then uploads partial decryptions with proofs.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parallelBallotProofs } from '@union-vote/verifier/parallel';
import { decrypt, keygen, readKeyFile } from './trustee.ts';

const [group, command, ...rest] = process.argv.slice(2);
const opt = (name: string) => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? rest[i + 1] : undefined;
};
const need = (name: string) => {
  const v = opt(name);
  if (!v) {
    console.error(`missing --${name}`);
    process.exit(2);
  }
  return v;
};

if (group === 'trustee' && command === 'keygen') {
  const vote = need('vote');
  const trustee = need('trustee');
  const out = opt('out') ?? `trustee-${trustee}-${vote}.json`;
  if (existsSync(out)) {
    console.error(`${out} exists; refusing to overwrite a key file`);
    process.exit(2);
  }
  const { keyFile, registration } = keygen(vote, trustee);
  writeFileSync(out, JSON.stringify(keyFile, null, 2) + '\n', { mode: 0o600 });
  console.error(`Secret key share written to ${out}. Keep it offline; it never goes to the server.`);
  console.error('Give the administrator this registration (POST /api/votes/{vote}/trustees):');
  console.log(JSON.stringify(registration, null, 2));
} else if (group === 'trustee' && command === 'decrypt') {
  const token = process.env.UNION_VOTE_TOKEN;
  if (!token) {
    console.error('set UNION_VOTE_TOKEN to an API token of your trustee account');
    process.exit(2);
  }
  const key = readKeyFile(JSON.parse(readFileSync(need('key'), 'utf8')));
  const out = await decrypt({
    baseUrl: need('server').replace(/\/$/, ''), voteId: need('vote'), key, apiToken: token, log: (l) => console.error(l),
    verify: { verifyBallotProofs: parallelBallotProofs(Math.min(2, availableParallelism())) },
  });
  console.log(JSON.stringify(out));
} else {
  console.error('usage: union-vote trustee keygen --vote V --trustee T [--out FILE]\n       union-vote trustee decrypt --server URL --vote V --key FILE   (UNION_VOTE_TOKEN=uvt_…)');
  process.exit(2);
}

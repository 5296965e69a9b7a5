/**
 * k of n (the vote's definition names `trustees: {count, threshold}`), the key ceremony, each step
 * with the trustee's API token in UNION_VOTE_TOKEN and the key file's passphrase in
 * UNION_VOTE_PASSPHRASE (or typed when asked):
 * `union-vote trustee join --server URL --vote V --trustee T [--key FILE]`
 *     makes the trustee's keys, keeps them in FILE (default trustee-T-V.json, encrypted with the
 *     passphrase) and joins the ceremony.
 * `union-vote trustee deal --server URL --vote V --key FILE`
 *     once every trustee has joined: deals a share of a fresh secret to each trustee, sealed to them.
 * `union-vote trustee check --server URL --vote V --key FILE`
 *     once every trustee has dealt: checks the shares received (complaining of wrong ones), answers
 *     complaints against this trustee, and once the ceremony is over keeps this trustee's share.
 * Each says what it did and whose turn it is. `approve` and `decrypt` below then take the same file.
 *
 * n of n (each trustee a key of their own):
 * `union-vote trustee keygen --vote V --trustee T [--out FILE]`
 *     writes the secret key share and signing key to FILE (default trustee-T-V.json, mode 600) and
 *     prints the registration (public key share, proof, signing key, signature) for the administrator.
 * `union-vote trustee approve --server URL --vote V --key FILE [--yes]`   (API token in UNION_VOTE_TOKEN)
 *     shows the sealed vote's manifest in plain words with its fingerprint, asks, signs it, and keeps
 *     the approved fingerprint in the key file.
 * `union-vote trustee decrypt --server URL --vote V --key FILE [--witness FILE]...`   (API token in UNION_VOTE_TOKEN)
 *     checks the closed vote's record against the approved fingerprint (and monitors' witness files),
 *     then uploads partial decryptions with proofs; the key file remembers the record decrypted. For a
 *     k-of-n vote a witness file that saw the vote closed is required (--without-witness overrides).
 * `union-vote monitor watch --server URL --vote V --fingerprint FP [--key FILE] [--out FILE] [--every S] [--once]`
 *     (API token of a monitor account in UNION_VOTE_TOKEN, optional) witnesses the ballot box.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline/promises';
import { generateSigningKey, fromHex, toHex } from '@union-vote/crypto';
import { WitnessFileJson } from '@union-vote/election';
import { parallelBallotProofs } from '@union-vote/verifier/parallel';
import { approve, decrypt, keygen, readKeyFile } from './trustee.ts';
import { Witness, WitnessAlarm } from './monitor.ts';
import { SHARE_FILE_FORMAT, checkCeremony, dealCeremony, joinCeremony, shareKeyOf, type ShareFile, type StepResult } from './ceremony.ts';

const USAGE = `usage: union-vote trustee join --server URL --vote V --trustee T [--key FILE]   (UNION_VOTE_TOKEN=uvt_…, UNION_VOTE_PASSPHRASE)
       union-vote trustee deal --server URL --vote V --key FILE
       union-vote trustee check --server URL --vote V --key FILE
       union-vote trustee keygen --vote V --trustee T [--out FILE]
       union-vote trustee approve --server URL --vote V --key FILE [--yes]     (UNION_VOTE_TOKEN=uvt_…)
       union-vote trustee decrypt --server URL --vote V --key FILE [--witness FILE]... [--without-witness]   (UNION_VOTE_TOKEN=uvt_…)
       union-vote monitor watch --server URL --vote V --fingerprint FP [--key FILE] [--out FILE] [--every SECONDS] [--once]`;

const [group, command, ...rest] = process.argv.slice(2);
const has = (name: string) => rest.includes(`--${name}`);
const opt = (name: string) => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? rest[i + 1] : undefined;
};
function stop(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}
const need = (name: string) => opt(name) ?? stop(`missing --${name}\n${USAGE}`);
const token = () => process.env.UNION_VOTE_TOKEN ?? stop('set UNION_VOTE_TOKEN to an API token of your account (POST /api/tokens after signing in)');

/** Writes a secret file atomically, readable by its owner only. */
function writeSecret(path: string, json: unknown): void {
  writeFileSync(`${path}.tmp`, JSON.stringify(json, null, 2) + '\n', { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}

/** The key file's passphrase: UNION_VOTE_PASSPHRASE, or typed at the prompt. */
async function passphrase(confirm = false): Promise<string> {
  const fromEnv = process.env.UNION_VOTE_PASSPHRASE;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) stop('set UNION_VOTE_PASSPHRASE to your key file\'s passphrase (or run this in a terminal to type it)');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const first = await rl.question('Passphrase of your key file (at least 8 characters; nobody can recover it for you): ');
  const again = confirm ? await rl.question('The same passphrase again: ') : first;
  rl.close();
  if (first !== again) stop('the two passphrases differ; nothing was done');
  return first;
}

async function main(): Promise<void> {
  if (group === 'trustee' && (command === 'join' || command === 'deal' || command === 'check')) {
    const voteId = need('vote');
    const o = { baseUrl: need('server').replace(/\/$/, ''), voteId, apiToken: token() };
    const save = (file: ShareFile) => writeSecret(keyPath, file);
    let keyPath: string;
    let result: StepResult;
    if (command === 'join') {
      const trusteeId = need('trustee');
      keyPath = opt('key') ?? `trustee-${trusteeId}-${voteId}.json`;
      if (existsSync(keyPath)) stop(`${keyPath} exists; refusing to overwrite a key file`);
      result = await joinCeremony({ ...o, trusteeId, passphrase: await passphrase(true) });
      save(result.file);
      result.lines.unshift(`your keys are in ${keyPath}, encrypted with your passphrase; keep the file and the passphrase, they never go to the server`);
    } else {
      keyPath = need('key');
      const json = JSON.parse(readFileSync(keyPath, 'utf8')) as unknown;
      result = await (command === 'deal' ? dealCeremony : checkCeremony)({ ...o, passphrase: await passphrase() }, json, save);
    }
    console.error(result.lines.join('\n'));
  } else if (group === 'trustee' && command === 'keygen') {
    const vote = need('vote');
    const trustee = need('trustee');
    const out = opt('out') ?? `trustee-${trustee}-${vote}.json`;
    if (existsSync(out)) stop(`${out} exists; refusing to overwrite a key file`);
    const { keyFile, registration } = keygen(vote, trustee);
    writeSecret(out, keyFile);
    console.error(`Secret key share and signing key written to ${out}. Keep it offline; it never goes to the server.`);
    console.error('Give the administrator this registration (POST /api/votes/{vote}/trustees):');
    console.log(JSON.stringify(registration, null, 2));
  } else if (group === 'trustee' && (command === 'approve' || command === 'decrypt')) {
    const keyPath = need('key');
    const keyJson = JSON.parse(readFileSync(keyPath, 'utf8')) as Record<string, unknown>;
    const key = keyJson.format === SHARE_FILE_FORMAT ? shareKeyOf(keyJson, await passphrase()) : readKeyFile(keyJson);
    const common = { baseUrl: need('server').replace(/\/$/, ''), voteId: need('vote'), key, apiToken: token(), log: (l: string) => console.error(l) };
    if (command === 'approve') {
      const result = await approve({
        ...common,
        confirm: async (lines) => {
          console.log(lines.join('\n'));
          if (has('yes')) return true;
          const rl = createInterface({ input: process.stdin, output: process.stderr });
          const answer = await rl.question('\nApprove this vote, exactly as above, with your key? Type yes to sign: ');
          rl.close();
          return answer.trim().toLowerCase() === 'yes';
        },
      });
      writeSecret(keyPath, { ...keyJson, approvedFingerprint: result.fingerprint });
      console.error(`The fingerprint you approved is kept in ${keyPath}; decryption will refuse any other. Announce it: ${result.fingerprint}`);
      console.log(JSON.stringify(result));
    } else {
      const witnesses = rest.flatMap((a, i) => (a === '--witness' && rest[i + 1] ? [{ name: rest[i + 1]!, content: JSON.parse(readFileSync(rest[i + 1]!, 'utf8')) as unknown }] : []));
      // The key file remembers the closing before any share is sent (see `remember`).
      const out = await decrypt({
        ...common, withoutWitness: has('without-witness'), verify: { witnesses, verifyBallotProofs: parallelBallotProofs(Math.min(2, availableParallelism())) },
        remember: (closing) => writeSecret(keyPath, { ...keyJson, decrypted: closing }),
      });
      console.log(JSON.stringify(out));
    }
  } else if (group === 'monitor' && command === 'watch') {
    const voteId = need('vote');
    const keyPath = opt('key') ?? 'monitor-key.json';
    if (!existsSync(keyPath)) {
      writeSecret(keyPath, { format: 'union-vote/monitor-key/v1', signingKey: toHex(generateSigningKey().secretKey) });
      console.error(`A new monitor key was written to ${keyPath}; keep it, it signs your cosignatures.`);
    }
    const secretKey = fromHex((JSON.parse(readFileSync(keyPath, 'utf8')) as { signingKey: string }).signingKey, 32, 'signingKey');
    const out = opt('out') ?? `witness-${voteId}.json`;
    const file = existsSync(out) ? WitnessFileJson.parse(JSON.parse(readFileSync(out, 'utf8'))) : undefined;
    const every = Number(opt('every') ?? 30);
    const witness = new Witness({
      baseUrl: need('server'), voteId, fingerprint: need('fingerprint'), secretKey, file, apiToken: process.env.UNION_VOTE_TOKEN, log: (l) => console.error(l),
    });
    console.error(`Watching ${voteId}; cosigned heads are kept in ${out}.${process.env.UNION_VOTE_TOKEN ? '' : ' (No UNION_VOTE_TOKEN: cosignatures are not posted to the board.)'}`);
    for (;;) {
      let r;
      try {
        r = await witness.poll();
      } catch (e) {
        // A board that is down or answers an error is tried again (an alarm is not: it stops the watch).
        if (e instanceof WitnessAlarm || has('once')) throw e;
        console.error(`could not check the board this round (${(e as Error).message}); trying again in ${every} s`);
        await new Promise((resolve) => setTimeout(resolve, every * 1000));
        continue;
      }
      writeFileSync(out, JSON.stringify(witness.file, null, 2) + '\n');
      if (has('once') || ((r.voteStatus === 'closed' || r.voteStatus === 'tallied') && r.status === 'unchanged')) {
        console.error(`${r.voteStatus === 'open' ? 'Stopped' : `The vote is ${r.voteStatus}; its final head is witnessed`}: ${witness.file.heads.length} heads cosigned. Verify the record with: union-vote-verify record.json --fingerprint "${witness.file.fingerprint}" --witness ${out}`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, every * 1000));
    }
  } else {
    stop(USAGE);
  }
}

main().catch((e: unknown) => {
  if (e instanceof WitnessAlarm) {
    console.error(`ALARM: ${e.message}\nThe board signed this (keep it, and tell the other monitors and the trustees):\n${JSON.stringify(e.evidence, null, 2)}`);
    process.exit(3);
  }
  stop(`error: ${(e as Error).message}`, 1);
});

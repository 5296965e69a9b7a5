/**
 * The pages, served by the same app as the API (so under `npm start` and workerd alike):
 *   /                  votes on the board
 *   /vote/{vote}       the member's voting page (phone first; en/es/fr)
 *   /board/{vote}      the public board (counts, tree head, look-up, results, verify in the browser)
 *   /signin, /secretary, /admin, /monitor, /trustee  staff (shells; their script uses the JSON API)
 * Every page carries the security headers of headers.ts; scripts and styles come from /assets.
 */
import { Hono, type Context } from 'hono';
import { findBallotByCommitment, findBallotByTrackingCode, findBallotByTrackingPrefix, findResults, findVote, findVoteKeys, listActs, listSpoiled, listVotes, localCounts, publishSpoiledIfDue } from '@union-vote/db';
import { checkCodePrefix, normalizeTrackingCode, type Act, type Results, type VoteDefinition } from '@union-vote/election';
import type { AppEnv } from '../env.ts';
import { countsForBoard } from '../views/counts.ts';
import { currentTreeHead } from '../casting/tree-head.ts';
import { sequenceIfDue } from '../casting/sequencer.ts';
import { pageHeaders, setPageHeaders } from './headers.ts';
import { STRINGS, pickLanguage } from './i18n.ts';
import { MemberPage, votingState } from './member.tsx';
import { BoardPage, HomePage } from './board.tsx';
import { AdminPage, SecretaryPage, SignInPage, WatchPage } from './staff.tsx';
import { Page } from './layout.tsx';


function NotFound(props: { what: string }) {
  return <Page lang="en" title="Not found"><main id="main"><h1>Not found</h1><p>{props.what}</p><p><a href="/">All votes</a></p></main></Page>;
}

/** A browser's page for an address the service has no page at (an API client gets JSON). */
export function notFoundPage(c: Context): Response | Promise<Response> {
  setPageHeaders(c);
  return c.html(<NotFound what="There is no page at this address. Check the link, or start from the list of votes." />, 404);
}

export function pages(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', pageHeaders());

  app.get('/', async (c) => {
    const votes = (await listVotes<VoteDefinition>(c.get('deps').db)).filter((v) => v.status !== 'draft');
    c.header('Cache-Control', 'no-cache');
    return c.html(<HomePage votes={votes} />);
  });

  app.get('/vote/:voteId', async (c) => {
    const { db, now } = c.get('deps');
    const vote = await findVote<VoteDefinition>(db, c.req.param('voteId'));
    const keys = vote && vote.status !== 'draft' ? await findVoteKeys(db, vote.id) : undefined;
    if (!vote || !keys) return c.html(<NotFound what="There is no vote at this address. Check the link in your letter." />, 404);
    const lang = pickLanguage(c.req.query('lang'), c.req.header('accept-language'));
    c.header('Cache-Control', 'no-store');
    c.header('Vary', 'Accept-Language');
    const state = votingState(vote, now());
    // After an early close the member is told when voting really closed, not the scheduled end.
    const closed = state === 'closed' && (vote.status === 'closed' || vote.status === 'tallied')
      ? await db.selectFrom('official_acts').select('at').where('vote_id', '=', vote.id).where('act', '=', 'vote closed').executeTakeFirst()
      : undefined;
    return c.html(<MemberPage vote={vote} state={state} lang={lang} t={STRINGS[lang]} fingerprint={keys.fingerprint} {...(closed ? { closedAt: new Date(closed.at) } : {})} />);
  });

  app.get('/board/:voteId', async (c) => {
    const { db, now } = c.get('deps');
    const voteId = c.req.param('voteId');
    const vote = await findVote<VoteDefinition>(db, voteId);
    const keys = vote && vote.status !== 'draft' ? await findVoteKeys(db, voteId) : undefined;
    if (!vote || !keys) return c.html(<NotFound what={`Vote ${voteId} is not on the board: it does not exist or has not opened.`} />, 404);
    const typed = (c.req.query('track') ?? '').trim().toLowerCase();
    // A tracking code in full or in its short form (16 characters), with or without spaces.
    const tracking = normalizeTrackingCode(typed);
    // A batch that has ended goes into the box, and ended batches of opened ballots are published, before the page shows them.
    await sequenceIfDue(db, voteId, now);
    await publishSpoiledIfDue(db, voteId, now());
    const [counts, treeHead, results, entry, acts] = await Promise.all([
      localCounts(db, voteId),
      currentTreeHead(db, voteId, keys.boardSecretKey, now),
      vote.status === 'tallied' ? findResults(db, voteId) as Promise<Results | undefined> : Promise.resolve(undefined),
      tracking ? ('full' in tracking ? findBallotByTrackingCode(db, voteId, tracking.full) : findBallotByTrackingPrefix(db, voteId, tracking.prefix)) : Promise.resolve(undefined),
      listActs(db, voteId),
    ]);
    // Or the check code shown before "Cast" (the commitment of the ballot's ciphertexts), or of an opened ballot.
    const prefix = !tracking && typed ? checkCodePrefix(typed) : null;
    const byCode = prefix ? await findBallotByCommitment(db, voteId, prefix) : undefined;
    const opened = prefix && !byCode ? (await listSpoiled(db, voteId, { after: prefix, limit: 1 })).some((e) => e.commitment.startsWith(prefix)) : false;
    // A ballot still waiting for its batch is not in the box yet.
    const hit = entry ?? byCode;
    const found = hit?.leafIndex != null ? { leafIndex: hit.leafIndex, localId: hit.localId } : undefined;
    c.header('Cache-Control', 'no-cache');
    c.header('Vary', 'Accept-Language');
    const lang = pickLanguage(c.req.query('lang'), c.req.header('accept-language'));
    return c.html(<BoardPage lang={lang} vote={vote} counts={countsForBoard(vote.status, counts, keys.manifest, acts as Act[])} treeHead={treeHead} boardKey={keys.boardPublicKey} fingerprint={keys.fingerprint}
      track={typed ? { code: typed, ...(found ? { found: { leafIndex: found.leafIndex, localId: found.localId } } : {}), ...(opened ? { opened } : {}), ...(prefix ? { byCheckCode: true } : {}) } : undefined}
      results={results} acts={acts} />);
  });

  app.get('/signin', (c) => c.html(<SignInPage />));
  app.get('/secretary', (c) => c.html(<SecretaryPage />));
  app.get('/admin', (c) => c.html(<AdminPage />));
  app.get('/monitor', (c) => c.html(<WatchPage role="monitor" />));
  app.get('/trustee', (c) => c.html(<WatchPage role="trustee" />));
  return app;
}

/** Locals, and each local's roster: import, list, good standing. */
import { createRoute, z } from '@hono/zod-openapi';
import { findLocal, importRoster, listLocals, listMembers, setGoodStanding, upsertLocals } from '@union-vote/db';
import { LocalId, VoteLocal, decodeRosterFileYielding, parseRosterYielding } from '@union-vote/election';
import { actorOf, recordLocalAct } from '../acts.ts';
import { createRouter, errors, security } from '../router.ts';
import { AppError } from '../errors.ts';
import { requireLocal, requireRole } from '../auth/policy.ts';
import { requireUser } from '../auth/principal.ts';

const LocalView = VoteLocal.meta({ id: 'Local' });
const LocalParam = z.object({ localId: LocalId });
const MemberView = z.object({
  memberNumber: z.string(), name: z.string(), email: z.string().nullable(), phone: z.string().nullable(), goodStanding: z.boolean(),
  language: z.string().nullable().optional().openapi({ description: 'en, es or fr: the language of the member\'s letter and ballot, if the roster gave one' }), updatedAt: z.string(),
}).openapi('Member');
const ImportCounts = z.object({ total: z.number().int(), inserted: z.number().int(), updated: z.number().int(), unchanged: z.number().int() }).openapi('RosterImport');

/** Roster files up to this size are accepted (100,000 members is about 7 MB). */
export const MAX_ROSTER_BYTES = 32 * 1024 * 1024;

const PIECE = 1 << 16;

/**
 * The roster file's bytes in the pieces the network delivered, never copied into one buffer (a 32 MB
 * copy holds up every other request), refused once they pass MAX_ROSTER_BYTES whatever the declared
 * length. Pieces under 64 KB are gathered into 64 KB ones, so a sender dribbling single bytes cannot
 * make the service keep millions of tiny objects.
 */
async function readRosterBody(request: Request): Promise<Uint8Array[]> {
  const pieces: Uint8Array[] = [];
  if (!request.body) return pieces;
  const reader = request.body.getReader();
  let size = 0;
  let gathering: Uint8Array | undefined;
  let gathered = 0;
  const flush = () => {
    if (gathering && gathered) pieces.push(gathering.subarray(0, gathered));
    gathering = undefined;
    gathered = 0;
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      flush();
      return pieces;
    }
    size += value.length;
    if (size > MAX_ROSTER_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw new AppError('payload_too_large', `a roster file may be at most ${MAX_ROSTER_BYTES} bytes`);
    }
    if (value.length >= PIECE) {
      flush();
      pieces.push(value);
      continue;
    }
    if (!gathering || gathered + value.length > PIECE) {
      flush();
      gathering = new Uint8Array(PIECE);
    }
    gathering.set(value, gathered);
    gathered += value.length;
  }
}

async function requireExistingLocal(c: { get(k: 'deps'): { db: Parameters<typeof findLocal>[0] } }, localId: string) {
  const local = await findLocal(c.get('deps').db, localId);
  if (!local) throw new AppError('not_found', `local ${localId} does not exist`);
  return local;
}

export const locals = createRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/locals', tags: ['locals'], summary: 'Locals (secretaries see their own)', security,
      responses: { 200: { description: 'Locals', content: { 'application/json': { schema: z.object({ locals: z.array(LocalView) }) } } }, 401: errors[401] },
    }),
    async (c) => {
      const user = requireUser(c);
      const { db } = c.get('deps');
      return c.json({ locals: await listLocals(db, user.role === 'secretary' ? user.locals : undefined) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put', path: '/locals', tags: ['locals'], summary: 'Create or update locals (admin)', security,
      request: { body: { content: { 'application/json': { schema: z.object({ locals: z.array(LocalView).min(1).max(5000) }) } }, required: true } },
      responses: { 200: { description: 'Saved', content: { 'application/json': { schema: z.object({ saved: z.number().int() }) } } }, 400: errors[400], 401: errors[401], 403: errors[403] },
    }),
    async (c) => {
      requireRole(requireUser(c), 'admin');
      const { locals: input } = c.req.valid('json');
      const seen = new Set<string>();
      input.forEach((l, i) => {
        if (seen.has(l.id)) throw new AppError('validation_failed', `local ${l.id} is listed twice`, `locals.${i}.id`);
        seen.add(l.id);
      });
      await upsertLocals(c.get('deps').db, input);
      return c.json({ saved: input.length }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/locals/{localId}', tags: ['locals'], summary: 'One local', security,
      request: { params: LocalParam },
      responses: { 200: { description: 'The local', content: { 'application/json': { schema: z.object({ local: LocalView }) } } }, 401: errors[401], 403: errors[403], 404: errors[404] },
    }),
    async (c) => {
      const user = requireUser(c);
      const { localId } = c.req.valid('param');
      if (user.role === 'secretary') requireLocal(user, localId);
      return c.json({ local: await requireExistingLocal(c, localId) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/locals/{localId}/roster', tags: ['roster'], security,
      summary: 'Import the roster from CSV (admin, or a secretary of the local)',
      description: 'Columns: member_number, name, email, phone, good_standing, and optionally language (en, es or fr, or the language\'s name: the member\'s letter, messages and ballot are in it; a file without the column keeps the languages already known) (header row, any order). All or nothing: if any row is bad, nothing is written and every bad row is listed by line and reason. Re-importing updates members by member number.',
      request: { params: LocalParam, body: { content: { 'text/csv': { schema: z.string() } }, required: true } },
      responses: {
        200: { description: 'Imported', content: { 'application/json': { schema: ImportCounts } } },
        400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404],
        413: { description: 'The file is too large' }, 415: { description: 'Not text/csv' },
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const { localId } = c.req.valid('param');
      requireLocal(user, localId);
      await requireExistingLocal(c, localId);
      const type = c.req.header('content-type') ?? '';
      if (!/^text\/(csv|plain)\b/i.test(type)) throw new AppError('unsupported_media_type', 'send the roster as text/csv');
      const declared = Number(c.req.header('content-length') ?? '0');
      if (declared > MAX_ROSTER_BYTES) throw new AppError('payload_too_large', `a roster file may be at most ${MAX_ROSTER_BYTES} bytes`);
      const chunks = await readRosterBody(c.req.raw);
      // Excel's plain "CSV" (Windows-1252), "CSV UTF-8", "Unicode text" (UTF-16), and European Excel's semicolons.
      const { text, separator, holdsNul } = await decodeRosterFileYielding(chunks);
      if (holdsNul) throw new AppError('invalid_roster', 'the file holds NUL characters, so it is not a text file this service can read: in Excel use File › Save As › "CSV UTF-8 (Comma delimited)"', 'body');
      const parsed = await parseRosterYielding(text, separator);
      if (!parsed.ok) {
        const first = parsed.errors[0]!;
        throw new AppError('invalid_roster', `${parsed.errors.length} bad row${parsed.errors.length === 1 ? '' : 's'}; nothing was imported. Line ${first.line}: ${first.reason}`, undefined, { rows: parsed.errors });
      }
      const { db, now } = c.get('deps');
      const counts = await importRoster(db, localId, parsed.members, now());
      if (counts.inserted || counts.updated) await recordLocalAct(db, localId, actorOf(requireUser(c), localId), 'roster imported', { inserted: counts.inserted, updated: counts.updated }, now());
      return c.json(counts, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/locals/{localId}/members', tags: ['roster'], summary: "The local's roster, a page at a time (admin, or a secretary of the local)", security,
      request: {
        params: LocalParam,
        query: z.object({
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          offset: z.coerce.number().int().min(0).default(0),
          goodStanding: z.enum(['true', 'false']).optional(),
        }),
      },
      responses: { 200: { description: 'Members', content: { 'application/json': { schema: z.object({ members: z.array(MemberView), total: z.number().int() }) } } }, 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404] },
    }),
    async (c) => {
      const user = requireUser(c);
      const { localId } = c.req.valid('param');
      requireLocal(user, localId);
      await requireExistingLocal(c, localId);
      const q = c.req.valid('query');
      const page = await listMembers(c.get('deps').db, localId, { limit: q.limit, offset: q.offset, ...(q.goodStanding ? { goodStanding: q.goodStanding === 'true' } : {}) });
      return c.json({ total: page.total, members: page.members.map(({ localId: _l, updatedAt, ...m }) => ({ ...m, updatedAt: updatedAt.toISOString() })) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/locals/{localId}/members/{memberNumber}', tags: ['roster'], summary: "Set a member's good standing (admin, or a secretary of the local)", security,
      request: {
        params: LocalParam.extend({ memberNumber: z.string().min(1).max(64).openapi({ param: { name: 'memberNumber', in: 'path' } }) }),
        body: { content: { 'application/json': { schema: z.object({ goodStanding: z.boolean() }) } }, required: true },
      },
      responses: { 204: { description: 'Updated' }, 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404] },
    }),
    async (c) => {
      const user = requireUser(c);
      const { localId, memberNumber } = c.req.valid('param');
      requireLocal(user, localId);
      const { db, now } = c.get('deps');
      const goodStanding = c.req.valid('json').goodStanding;
      if (!(await setGoodStanding(db, localId, memberNumber, goodStanding, now()))) throw new AppError('not_found', `local ${localId} has no member ${memberNumber}`);
      // The act says that a standing changed and which way, not whose (no member data in the public log).
      await recordLocalAct(db, localId, actorOf(user, localId), 'good standing changed', { goodStanding }, now());
      return c.body(null, 204);
    },
  );

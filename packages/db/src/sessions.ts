/** Sessions and API tokens: only SHA-256 hashes of the secrets are stored. */
import type { Kysely } from 'kysely';
import type { Schema } from './schema.ts';

export async function createSession(db: Kysely<Schema>, s: { idHash: string; userId: string; csrfToken: string; expiresAt: Date }): Promise<void> {
  await db.insertInto('sessions').values({ id_hash: s.idHash, user_id: s.userId, csrf_token: s.csrfToken, expires_at: s.expiresAt }).execute();
}

export async function findSession(db: Kysely<Schema>, idHash: string, now: Date): Promise<{ userId: string; csrfToken: string } | undefined> {
  const row = await db.selectFrom('sessions').select(['user_id', 'csrf_token']).where('id_hash', '=', idHash).where('expires_at', '>', now).executeTakeFirst();
  return row ? { userId: row.user_id, csrfToken: row.csrf_token } : undefined;
}

export async function deleteSession(db: Kysely<Schema>, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteSessionsOfUser(db: Kysely<Schema>, userId: string, exceptIdHash?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptIdHash) q = q.where('id_hash', '!=', exceptIdHash);
  await q.execute();
}

export async function createApiToken(db: Kysely<Schema>, t: { userId: string; name: string; tokenHash: string }): Promise<{ id: string; createdAt: Date }> {
  const row = await db.insertInto('api_tokens').values({ user_id: t.userId, name: t.name, token_hash: t.tokenHash }).returning(['id', 'created_at']).executeTakeFirstOrThrow();
  return { id: row.id, createdAt: row.created_at };
}

export async function findApiToken(db: Kysely<Schema>, tokenHash: string, now: Date): Promise<{ userId: string } | undefined> {
  const row = await db.updateTable('api_tokens').set({ last_used_at: now }).where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).returning(['user_id']).executeTakeFirst();
  return row ? { userId: row.user_id } : undefined;
}

/** A person's own API tokens (never the secret: only its hash is kept), newest first. */
export async function listApiTokens(db: Kysely<Schema>, userId: string): Promise<{ id: string; name: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }[]> {
  const rows = await db.selectFrom('api_tokens').select(['id', 'name', 'created_at', 'last_used_at', 'revoked_at']).where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at }));
}

/** Revokes one of a person's tokens; false when it is not theirs or is already revoked. */
export async function revokeApiToken(db: Kysely<Schema>, userId: string, id: string, now: Date): Promise<boolean> {
  const row = await db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('user_id', '=', userId).where('revoked_at', 'is', null).returning('id').executeTakeFirst();
  return !!row;
}

/** Ends everything a person is signed in with: every session but `exceptIdHash`, and every API token. */
export async function endAccess(db: Kysely<Schema>, userId: string, now: Date, exceptIdHash?: string): Promise<void> {
  await deleteSessionsOfUser(db, userId, exceptIdHash);
  await db.updateTable('api_tokens').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
}

import type { Kysely } from 'kysely';
import type { Role, Schema } from './schema.ts';

/** A person who signs in, with the locals and votes their role is scoped to. */
export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** Secretaries: the locals they run. */
  locals: string[];
  /** Monitors and trustees: the votes they are attached to. */
  votes: string[];
}

export interface NewUserInput {
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string | null;
  locals?: string[];
  votes?: string[];
}

export async function countUsers(db: Kysely<Schema>): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function createUser(db: Kysely<Schema>, input: NewUserInput): Promise<User> {
  return db.transaction().execute(async (tx) => {
    const row = await tx.insertInto('users')
      .values({ username: input.username, display_name: input.displayName, role: input.role, password_hash: input.passwordHash })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    if (input.locals?.length) await tx.insertInto('user_locals').values(input.locals.map((local_id) => ({ user_id: row.id, local_id }))).execute();
    if (input.votes?.length) await tx.insertInto('user_votes').values(input.votes.map((vote_id) => ({ user_id: row.id, vote_id }))).execute();
    return { id: row.id, username: input.username, displayName: input.displayName, role: input.role, locals: input.locals ?? [], votes: input.votes ?? [] };
  });
}

async function withScopes(db: Kysely<Schema>, row: { id: string; username: string; display_name: string; role: Role }): Promise<User> {
  const [locals, votes] = await Promise.all([
    db.selectFrom('user_locals').select('local_id').where('user_id', '=', row.id).orderBy('local_id').execute(),
    db.selectFrom('user_votes').select('vote_id').where('user_id', '=', row.id).orderBy('vote_id').execute(),
  ]);
  return { id: row.id, username: row.username, displayName: row.display_name, role: row.role, locals: locals.map((l) => l.local_id), votes: votes.map((v) => v.vote_id) };
}

export async function findUserById(db: Kysely<Schema>, id: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').select(['id', 'username', 'display_name', 'role']).where('id', '=', id).where('disabled_at', 'is', null).executeTakeFirst();
  return row ? withScopes(db, row) : undefined;
}

/** The user and their password hash, for sign-in. */
export async function findCredentials(db: Kysely<Schema>, username: string): Promise<{ id: string; passwordHash: string | null } | undefined> {
  const row = await db.selectFrom('users').select(['id', 'password_hash']).where('username', '=', username).where('disabled_at', 'is', null).executeTakeFirst();
  return row ? { id: row.id, passwordHash: row.password_hash } : undefined;
}

export async function setPasswordHash(db: Kysely<Schema>, userId: string, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
}

export async function listUsers(db: Kysely<Schema>): Promise<User[]> {
  const rows = await db.selectFrom('users').select(['id', 'username', 'display_name', 'role']).where('disabled_at', 'is', null).orderBy('username').execute();
  return Promise.all(rows.map((r) => withScopes(db, r)));
}

/** The id and the votes of a person still enabled, by username. */
export async function findEnabledUser(db: Kysely<Schema>, username: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').select(['id', 'username', 'display_name', 'role']).where('username', '=', username).where('disabled_at', 'is', null).executeTakeFirst();
  return row ? withScopes(db, row) : undefined;
}

/** Disables a person (they can no longer sign in; their sessions and tokens are the caller's to end). */
export async function disableUser(db: Kysely<Schema>, userId: string, now: Date): Promise<void> {
  await db.updateTable('users').set({ disabled_at: now }).where('id', '=', userId).execute();
}

/** Replaces a person's name, role and scopes (their locals and votes), in one transaction. */
export async function updateUser(db: Kysely<Schema>, userId: string, input: { displayName: string; role: Role; locals: string[]; votes: string[] }): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('users').set({ display_name: input.displayName, role: input.role }).where('id', '=', userId).execute();
    await tx.deleteFrom('user_locals').where('user_id', '=', userId).execute();
    await tx.deleteFrom('user_votes').where('user_id', '=', userId).execute();
    if (input.locals.length) await tx.insertInto('user_locals').values(input.locals.map((local_id) => ({ user_id: userId, local_id }))).execute();
    if (input.votes.length) await tx.insertInto('user_votes').values(input.votes.map((vote_id) => ({ user_id: userId, vote_id }))).execute();
  });
}

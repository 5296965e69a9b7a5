/**
 * First start: with no users at all, create the admin with a random password and hand it back
 * once, to be printed on the console of whoever started the service. Only its hash is stored.
 */
import type { Kysely } from 'kysely';
import { countUsers, createUser, type Schema } from '@union-vote/db';
import { generatePassword, hashPassword } from './auth/password.ts';

export async function ensureAdmin(db: Kysely<Schema>): Promise<{ username: string; password: string } | null> {
  if ((await countUsers(db)) > 0) return null;
  const password = generatePassword();
  await createUser(db, { username: 'admin', displayName: 'Election administrator', role: 'admin', passwordHash: await hashPassword(password) });
  return { username: 'admin', password };
}

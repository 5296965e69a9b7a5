/** PostgreSQL error 23505 (unique_violation), as raised by postgres.js and PGlite alike. */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}

import fc from 'fast-check';

/** Flips one bit of one byte of a lower-case hex string (keeps it valid hex). */
export function flipHex(hex: string, byteIndex: number, bit: number): string {
  const i = (byteIndex % (hex.length / 2)) * 2;
  const b = parseInt(hex.slice(i, i + 2), 16) ^ (1 << (bit % 8));
  return hex.slice(0, i) + b.toString(16).padStart(2, '0') + hex.slice(i + 2);
}

/** Every path to a hex string inside a JSON value. */
export function hexPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return /^(?:[0-9a-f]{2})+$/.test(value) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => hexPaths(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => hexPaths(v, [...path, k]));
  return [];
}

/** A deep copy of `value` with one bit flipped in the hex string at `path`. */
export function tamper<T>(value: T, path: (string | number)[], byteIndex: number, bit: number): T {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  node[last] = flipHex(node[last] as string, byteIndex, bit);
  return copy as T;
}

export const byteAndBit = fc.tuple(fc.nat(), fc.nat(7));

/**
 * The opening ceremony as the tests run it through the API: each trustee makes keys offline and is
 * registered, the admin seals the vote, each trustee approves the manifest with their own key (the
 * admin relays the signature), and the admin opens it.
 */
import { expect } from 'vitest';
import { approvalSignature, keygen, readKeyFile, type KeyFile } from '@union-vote/cli';
import type { Manifest } from '@union-vote/election';

export type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

/** A `Call` over a fetch function and fixed headers (a signed-in admin's cookie and CSRF token). */
export function jsonCall(fetchFn: (url: string, init?: RequestInit) => Promise<Response> | Response, headers: Record<string, string>): Call {
  return async (method, path, body) => {
    const res = await fetchFn(path, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed };
  };
}

export interface Ceremony {
  fingerprint: string;
  manifest: Manifest;
  /** Each trustee's key file, with the fingerprint they approved. */
  keyFiles: Record<string, KeyFile>;
}

/** Registers trustees (fresh keys) on a draft vote; returns their key files. */
export async function registerTrustees(call: Call, voteId: string, trusteeIds: readonly string[]): Promise<Record<string, KeyFile>> {
  const keyFiles: Record<string, KeyFile> = {};
  for (const id of trusteeIds) {
    const { keyFile, registration } = keygen(voteId, id);
    const res = await call('POST', `/api/votes/${voteId}/trustees`, registration);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    keyFiles[id] = JSON.parse(JSON.stringify(keyFile)); // as written to and read from disk
  }
  return keyFiles;
}

/** Seals the vote, has every trustee approve its manifest, and opens it. */
export async function sealApproveOpen(call: Call, voteId: string, keyFiles: Record<string, KeyFile>): Promise<Ceremony> {
  const sealed = await call('POST', `/api/votes/${voteId}/seal`);
  expect(sealed.status, JSON.stringify(sealed.body)).toBe(200);
  const manifest = (await call('GET', `/api/board/${voteId}`)).body.manifest as Manifest;
  for (const [id, file] of Object.entries(keyFiles)) {
    const approved = await call('POST', `/api/votes/${voteId}/approvals`, { trusteeId: id, signature: approvalSignature(manifest, readKeyFile(file)) });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    file.approvedFingerprint = sealed.body.fingerprint;
  }
  const opened = await call('POST', `/api/votes/${voteId}/open`);
  expect(opened.status, JSON.stringify(opened.body)).toBe(200);
  return { fingerprint: sealed.body.fingerprint, manifest, keyFiles };
}

/** Both steps: fresh trustees, sealed, approved, open. */
export async function openWithTrustees(call: Call, voteId: string, trusteeIds: readonly string[] = ['trustee-1']): Promise<Ceremony> {
  return sealApproveOpen(call, voteId, await registerTrustees(call, voteId, trusteeIds));
}

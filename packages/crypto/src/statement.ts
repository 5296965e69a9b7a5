/**
 * Signed statements of the board other than receipts and tree heads (e.g. a vote's manifest):
 * Ed25519 over the statement's kind and its bytes, framed, so one kind can never pass for another.
 */
import { frame, toHex, utf8ToBytes } from './bytes.ts';
import { signMessage, signatureFromHex, verifyMessage } from './signature.ts';

function statementMessage(kind: string, bytes: Uint8Array): Uint8Array {
  return frame('union-vote/v1/statement', [['kind', utf8ToBytes(kind)], ['body', bytes]]);
}

export function signStatement(kind: string, bytes: Uint8Array, boardSecretKey: Uint8Array): string {
  return toHex(signMessage(boardSecretKey, statementMessage(kind, bytes)));
}

export function verifyStatement(kind: string, bytes: Uint8Array, signature: string, boardPublicKey: Uint8Array): boolean {
  try {
    return verifyMessage(boardPublicKey, statementMessage(kind, bytes), signatureFromHex(signature));
  } catch {
    return false;
  }
}

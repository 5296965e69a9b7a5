/**
 * A stand-in for the e-mail and SMS providers on loopback, speaking their HTTP APIs as documented
 * (Postmark POST /email with X-Postmark-Server-Token; Twilio POST …/Messages.json, form-encoded,
 * basic auth), so the real senders are exercised over real HTTP. Addresses containing "bounce"
 * are refused the way Postmark refuses an invalid address.
 */
import { createServer, type Server } from 'node:http';

export interface Received {
  provider: 'postmark' | 'twilio';
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, string>;
}

export async function startProviderStub(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'POST' && req.url === '/email') {
        const body = JSON.parse(raw) as Record<string, string>;
        received.push({ provider: 'postmark', headers: req.headers, body });
        if (req.headers['x-postmark-server-token'] !== 'test-server-token') return reply(401, { ErrorCode: 10, Message: 'Bad or missing Server API token' });
        if (body.To!.includes('bounce')) return reply(422, { ErrorCode: 300, Message: 'Invalid email request' });
        return reply(200, { To: body.To, ErrorCode: 0, Message: 'OK', MessageID: crypto.randomUUID() });
      }
      const sms = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.url ?? '');
      if (req.method === 'POST' && sms) {
        const body = Object.fromEntries(new URLSearchParams(raw));
        received.push({ provider: 'twilio', headers: req.headers, body });
        if (req.headers.authorization !== `Basic ${btoa('AC-test:test-auth-token')}`) return reply(401, { code: 20003, message: 'Authenticate' });
        return reply(201, { sid: 'SM' + crypto.randomUUID().replace(/-/g, ''), status: 'queued' });
      }
      reply(404, { message: 'not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * Delivery of voting codes: a pluggable sender per channel. Real providers are configured by
 * environment (Postmark for e-mail, Twilio for SMS); in development a logging sender stands in and
 * logs only the recipient (masked) and the subject, never the text, which holds the code.
 */
import { postmarkSender } from './postmark.ts';
import { twilioSender } from './twilio.ts';

export interface Message {
  channel: 'email' | 'sms';
  to: string;
  subject: string;
  text: string;
}

export interface MessageSender {
  /** Which channels this sender can deliver. */
  readonly channels: ReadonlySet<'email' | 'sms'>;
  /** False for a sender that only logs (development): nothing reaches the member. */
  readonly delivers?: boolean;
  /** Resolves when the provider has accepted the message; throws with the provider's reason. */
  send(message: Message): Promise<void>;
}

export function mask(recipient: string): string {
  const at = recipient.indexOf('@');
  if (at > 0) return `${recipient[0]}***${recipient.slice(at)}`;
  return `***${recipient.slice(-3)}`;
}

export function loggingSender(log: (line: string) => void = console.log): MessageSender {
  return {
    channels: new Set(['email', 'sms']),
    delivers: false,
    async send(m) {
      log(`[outbox] ${m.channel} to ${mask(m.to)}: "${m.subject}" (development sender: not delivered)`);
    },
  };
}

/** Routes each message to the sender of its channel. */
export function combineSenders(...senders: MessageSender[]): MessageSender {
  const channels = new Set(senders.flatMap((s) => [...s.channels]));
  return {
    channels,
    async send(m) {
      const s = senders.find((x) => x.channels.has(m.channel));
      if (!s) throw new Error(`no ${m.channel === 'email' ? 'e-mail' : 'SMS'} provider is configured`);
      await s.send(m);
    },
  };
}

/**
 * Senders from environment variables:
 *   POSTMARK_SERVER_TOKEN, POSTMARK_FROM [, POSTMARK_API_URL]                  e-mail
 *   TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM [, TWILIO_API_URL]      SMS
 *   OUTBOX_SENDER=log                                                          development only
 * Returns undefined when nothing is configured.
 */
export function senderFromEnv(env: Record<string, string | undefined>, fetchFn: typeof fetch = fetch): MessageSender | undefined {
  if (env.OUTBOX_SENDER === 'log') return loggingSender();
  const senders: MessageSender[] = [];
  if (env.POSTMARK_SERVER_TOKEN && env.POSTMARK_FROM) {
    senders.push(postmarkSender({ token: env.POSTMARK_SERVER_TOKEN, from: env.POSTMARK_FROM, apiUrl: env.POSTMARK_API_URL, fetch: fetchFn }));
  }
  if (env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM) {
    senders.push(twilioSender({ accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN, from: env.TWILIO_FROM, apiUrl: env.TWILIO_API_URL, fetch: fetchFn }));
  }
  return senders.length ? combineSenders(...senders) : undefined;
}

/** The texts that carry a voting code to a member, in the member's language (letter-words.ts). */
import { fill } from '../pages/i18n.ts';
import { codeCheckLink, letterFor, type IssuedCode, type LetterVote } from '../views/mailer.ts';

export function codeEmail(vote: LetterVote, localId: string, c: IssuedCode): { subject: string; text: string } {
  const { w, title, closes } = letterFor(vote, c);
  return {
    subject: fill(w.subject, { title }),
    text: [
      fill(w.greeting, { name: c.name, member: c.memberNumber, local: localId }),
      '',
      fill(w.canVote, { title, time: closes }),
      '',
      fill(w.emailLink, { link: c.link }),
      fill(w.emailCode, { code: c.code }),
      '',
      fill(w.emailFingerprint, { fp: c.fingerprint }),
      fill(w.codeCheck, { url: codeCheckLink(c.link) }),
      '',
      w.emailSecret,
      w.unexpected,
    ].join('\n'),
  };
}

export function codeSms(vote: LetterVote, c: IssuedCode): { subject: string; text: string } {
  const { w, title, closes } = letterFor(vote, c);
  return { subject: fill(w.subject, { title }), text: fill(w.sms, { title, link: c.link, code: c.code, time: closes }) };
}

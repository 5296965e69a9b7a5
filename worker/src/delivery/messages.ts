/** The texts that carry a voting code to a member. */
import { codeCheckLink, type IssuedCode } from '../views/mailer.ts';

export function codeEmail(vote: { title: string; closesAt: Date }, localId: string, c: IssuedCode): { subject: string; text: string } {
  return {
    subject: `Your voting code: ${vote.title}`,
    text: [
      `${c.name} (member ${c.memberNumber}, Local ${localId}),`,
      '',
      `You can vote in "${vote.title}" until ${vote.closesAt.toUTCString()}.`,
      '',
      `Open this link on your phone or computer: ${c.link}`,
      `or go to the voting page and type this code: ${c.code}`,
      '',
      `The vote's fingerprint is ${c.fingerprint}. The voting page shows it too; if it shows another, do not vote there and tell your local.`,
      `Whether you vote or not, you can check on the public board whether your code has been used: ${codeCheckLink(c.link)}`,
      '',
      'Your ballot is encrypted on your device and cast with an anonymous token: nobody, the union\'s server included, can link it to you.',
      'If you did not expect this message, ask your local\'s secretary.',
    ].join('\n'),
  };
}

export function codeSms(vote: { title: string; closesAt: Date }, c: IssuedCode): { subject: string; text: string } {
  return { subject: `Voting code: ${vote.title}`, text: `${vote.title}: vote at ${c.link} (code ${c.code}). Closes ${vote.closesAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.` };
}

/**
 * The words of a member's code letter, e-mail and SMS, in English, Spanish and French: the member's
 * language from the roster (else the vote's own). Button names match the voting page's (i18n.ts).
 */
import type { VoteLanguage } from '@union-vote/election';

export interface LetterWords {
  memberOf: string; secret: string; openLink: string; typeCode: string; closes: string; fingerprint: string;
  checker: string; codeCheck: string;
  subject: string; greeting: string; canVote: string; emailLink: string; emailCode: string; emailFingerprint: string;
  emailSecret: string; unexpected: string; sms: string;
}

const en: LetterWords = {
  memberOf: 'Member {member}, Local {local}',
  secret: 'Your vote is secret: the code below lets you vote once, and nobody, the union\'s server included, can link your ballot to you.',
  openLink: 'Vote on your phone or computer by opening this link:',
  typeCode: 'Or go to the voting page and type this code:',
  closes: 'Voting closes {time}. Keep this letter until then; if you lose it, ask your local\'s secretary for a new code (the old one stops working).',
  fingerprint: 'The vote\'s fingerprint (the voting page shows it too, and the trustees announce it): {fp}. If the page shows another, do not vote there: tell your local and the election monitors.',
  checker: 'Before you cast, you can have your phone\'s encrypted ballot checked ("Check it first"). The checker must be at this address, run by the election monitors, not by the voting service: {url}. If a link sends you elsewhere, do not trust it. Write down the check code shown before you press "Cast my vote" and look it up on the public board afterwards.',
  codeCheck: 'Whether you vote or not, you can check on the public board, at any time, whether your code has been used: {url}',
  subject: 'Your voting code: {title}',
  greeting: '{name} (member {member}, Local {local}),',
  canVote: 'You can vote in "{title}" until {time}.',
  emailLink: 'Open this link on your phone or computer: {link}',
  emailCode: 'or go to the voting page and type this code: {code}',
  emailFingerprint: 'The vote\'s fingerprint is {fp}. The voting page shows it too; if it shows another, do not vote there and tell your local.',
  emailSecret: 'Your ballot is encrypted on your device and cast with an anonymous token: nobody, the union\'s server included, can link it to you.',
  unexpected: 'If you did not expect this message, ask your local\'s secretary.',
  sms: '{title}: vote at {link} (code {code}). Closes {time}.',
};

const es: LetterWords = {
  memberOf: 'Miembro {member}, Local {local}',
  secret: 'Su voto es secreto: el código de abajo le permite votar una sola vez, y nadie, ni siquiera el servidor del sindicato, puede vincular su boleta con usted.',
  openLink: 'Vote desde su teléfono o computadora abriendo este enlace:',
  typeCode: 'O vaya a la página de votación y escriba este código:',
  closes: 'La votación cierra el {time}. Guarde esta carta hasta entonces; si la pierde, pida un código nuevo a la secretaría de su local (el anterior deja de funcionar).',
  fingerprint: 'La huella de la votación (la página de votación también la muestra, y los fideicomisarios la anuncian): {fp}. Si la página muestra otra, no vote allí: avise a su local y a los observadores de la elección.',
  checker: 'Antes de emitir su voto, puede hacer verificar la boleta cifrada de su teléfono («Verificarla primero»). El verificador debe estar en esta dirección, a cargo de los observadores de la elección, no del servicio de votación: {url}. Si un enlace lo lleva a otro sitio, no confíe en él. Anote el código de verificación que aparece antes de pulsar «Emitir mi voto» y búsquelo después en el tablero público.',
  codeCheck: 'Vote o no, puede comprobar en el tablero público, en cualquier momento, si su código ha sido usado: {url}',
  subject: 'Su código de votación: {title}',
  greeting: '{name} (miembro {member}, Local {local}):',
  canVote: 'Puede votar en «{title}» hasta el {time}.',
  emailLink: 'Abra este enlace en su teléfono o computadora: {link}',
  emailCode: 'o vaya a la página de votación y escriba este código: {code}',
  emailFingerprint: 'La huella de la votación es {fp}. La página de votación también la muestra; si muestra otra, no vote allí y avise a su local.',
  emailSecret: 'Su boleta se cifra en su dispositivo y se emite con un comprobante anónimo: nadie, ni siquiera el servidor del sindicato, puede vincularla con usted.',
  unexpected: 'Si no esperaba este mensaje, consulte a la secretaría de su local.',
  sms: '{title}: vote en {link} (código {code}). Cierra el {time}.',
};

const fr: LetterWords = {
  memberOf: 'Membre {member}, section locale {local}',
  secret: 'Votre vote est secret : le code ci-dessous vous permet de voter une fois, et personne, pas même le serveur du syndicat, ne peut relier votre bulletin à vous.',
  openLink: 'Votez sur votre téléphone ou votre ordinateur en ouvrant ce lien :',
  typeCode: 'Ou allez à la page de vote et tapez ce code :',
  closes: 'Le vote se termine le {time}. Gardez cette lettre jusque-là; si vous la perdez, demandez un nouveau code au secrétariat de votre section locale (l\'ancien cesse de fonctionner).',
  fingerprint: 'L\'empreinte du scrutin (la page de vote l\'affiche aussi, et les fiduciaires l\'annoncent) : {fp}. Si la page en affiche une autre, n\'y votez pas : prévenez votre section locale et les observateurs du scrutin.',
  checker: 'Avant de voter, vous pouvez faire vérifier le bulletin chiffré de votre téléphone (« Le vérifier d’abord »). Le vérificateur doit être à cette adresse, tenu par les observateurs du scrutin et non par le service de vote : {url}. Si un lien vous envoie ailleurs, ne vous y fiez pas. Notez le code de vérification affiché avant d\'appuyer sur « Voter » et cherchez-le ensuite sur le tableau public.',
  codeCheck: 'Que vous votiez ou non, vous pouvez vérifier en tout temps sur le tableau public si votre code a été utilisé : {url}',
  subject: 'Votre code de vote : {title}',
  greeting: '{name} (membre {member}, section locale {local}),',
  canVote: 'Vous pouvez voter à « {title} » jusqu\'au {time}.',
  emailLink: 'Ouvrez ce lien sur votre téléphone ou votre ordinateur : {link}',
  emailCode: 'ou allez à la page de vote et tapez ce code : {code}',
  emailFingerprint: 'L\'empreinte du scrutin est {fp}. La page de vote l\'affiche aussi; si elle en affiche une autre, n\'y votez pas et prévenez votre section locale.',
  emailSecret: 'Votre bulletin est chiffré sur votre appareil et déposé avec un jeton anonyme : personne, pas même le serveur du syndicat, ne peut le relier à vous.',
  unexpected: 'Si vous n\'attendiez pas ce message, adressez-vous au secrétariat de votre section locale.',
  sms: '{title} : votez à {link} (code {code}). Fin le {time}.',
};

export const LETTER_WORDS: Record<VoteLanguage, LetterWords> = { en, es, fr };

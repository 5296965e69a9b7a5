/**
 * The member's words in English, Spanish and French (Canadian locals). The page picks the language
 * from `?lang=` or the browser's Accept-Language, and offers a switch. Staff pages are in English.
 */
export const LANGUAGES = ['en', 'es', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Español', fr: 'Français' };

const en = {
  skip: 'Skip to the ballot',
  language: 'Language',
  notOpenTitle: 'Voting has not opened yet',
  notOpenBody: 'Voting opens on {time}. Keep your letter; your code will work then.',
  closedTitle: 'Voting has closed',
  closedBody: 'Voting closed on {time}. The results and the ballot box are on the public board.',
  toBoard: 'See the public board',
  codeTitle: 'Enter your voting code',
  codeLabel: 'Voting code (20 letters and digits, from your letter or message)',
  codeHint: 'Capitals or small letters, with or without dashes. O and 0, I, L and 1 count as the same.',
  continue: 'Continue',
  checking: 'Checking your code…',
  codeLength: 'A code has 20 characters (four groups of five); this one has {n}. Check your letter.',
  codeChars: 'A code has only digits and the letters A–Z without U. Check the characters: {chars}',
  unknownCode: 'This code is not valid for this vote. Check each character against your letter, or ask your local\'s secretary.',
  replacedCode: 'This code was replaced by a newer one. Use the code from your most recent letter.',
  notInGoodStanding: 'Your local records you as not in good standing. Ask your local\'s secretary.',
  codeUsedElsewhere: 'This code has already been used to vote, on another phone or browser. Each code votes once. If that was not you, tell your local\'s secretary.',
  chooseTitle: 'Your ballot',
  summary: 'Read the summary of the agreement',
  yes: 'Yes',
  no: 'No',
  blank: 'Leave blank',
  review: 'Review my choices',
  answerAll: 'Please choose an answer for: {question}',
  reviewTitle: 'Check your choices',
  reviewBody: 'Your choices are encrypted on this phone before they are sent. Nobody, the union and the server included, can see how you voted.',
  change: 'Change',
  cast: 'Cast my vote',
  casting: 'Encrypting and casting your vote. Please keep this page open…',
  receiptTitle: 'Your vote was cast',
  receiptBody: 'Keep your tracking code. With it you can check that your ballot is in the ballot box, without anyone learning how you voted.',
  alreadyTitle: 'You have already voted',
  alreadyBody: 'This code was used to cast the ballot below. Each code votes once.',
  trackingCode: 'Tracking code',
  position: 'Position in the ballot box',
  castAt: 'Cast at',
  copy: 'Copy tracking code',
  copied: 'Copied.',
  qrAlt: 'QR code of the address where your tracking code is looked up on the board',
  qrCaption: 'Scan or photograph this to check your ballot later from any device.',
  download: 'Download receipt',
  check: 'Check it on the board',
  retry: 'Try again',
  networkError: 'The connection was lost. Your vote is safe on this phone: press “Try again” and it will be sent once, not twice.',
  serverError: 'Something went wrong: {message}',
  closedNow: 'Voting has closed; the ballot could not be cast.',
  noScript: 'Voting needs JavaScript, because your ballot is encrypted on this phone. Please turn it on, or use another browser.',
  step: 'Step {n} of 3',
};
export type Strings = typeof en;

const es: Strings = {
  skip: 'Ir a la papeleta',
  language: 'Idioma',
  notOpenTitle: 'La votación aún no ha comenzado',
  notOpenBody: 'La votación comienza el {time}. Guarde su carta; su código funcionará entonces.',
  closedTitle: 'La votación ha terminado',
  closedBody: 'La votación terminó el {time}. Los resultados y la urna están en el tablero público.',
  toBoard: 'Ver el tablero público',
  codeTitle: 'Escriba su código de votación',
  codeLabel: 'Código de votación (20 letras y números, de su carta o mensaje)',
  codeHint: 'Mayúsculas o minúsculas, con o sin guiones. O y 0, I, L y 1 cuentan igual.',
  continue: 'Continuar',
  checking: 'Comprobando su código…',
  codeLength: 'Un código tiene 20 caracteres (cuatro grupos de cinco); este tiene {n}. Revise su carta.',
  codeChars: 'Un código solo tiene números y las letras A–Z sin la U. Revise los caracteres: {chars}',
  unknownCode: 'Este código no es válido para esta votación. Compare cada carácter con su carta o pregunte a la secretaría de su local.',
  replacedCode: 'Este código fue reemplazado por uno nuevo. Use el código de su carta más reciente.',
  notInGoodStanding: 'Su local no lo registra como miembro al corriente. Pregunte a la secretaría de su local.',
  codeUsedElsewhere: 'Este código ya se usó para votar, en otro teléfono o navegador. Cada código vota una vez. Si no fue usted, avise a la secretaría de su local.',
  chooseTitle: 'Su papeleta',
  summary: 'Leer el resumen del convenio',
  yes: 'Sí',
  no: 'No',
  blank: 'Dejar en blanco',
  review: 'Revisar mis respuestas',
  answerAll: 'Elija una respuesta para: {question}',
  reviewTitle: 'Revise sus respuestas',
  reviewBody: 'Sus respuestas se cifran en este teléfono antes de enviarse. Nadie, ni el sindicato ni el servidor, puede ver cómo votó.',
  change: 'Cambiar',
  cast: 'Emitir mi voto',
  casting: 'Cifrando y emitiendo su voto. No cierre esta página…',
  receiptTitle: 'Su voto fue emitido',
  receiptBody: 'Guarde su código de seguimiento. Con él puede comprobar que su papeleta está en la urna, sin que nadie sepa cómo votó.',
  alreadyTitle: 'Usted ya votó',
  alreadyBody: 'Este código se usó para emitir la papeleta de abajo. Cada código vota una vez.',
  trackingCode: 'Código de seguimiento',
  position: 'Posición en la urna',
  castAt: 'Emitido el',
  copy: 'Copiar el código de seguimiento',
  copied: 'Copiado.',
  qrAlt: 'Código QR de la dirección donde se busca su código de seguimiento en el tablero',
  qrCaption: 'Escanéelo o fotografíelo para comprobar su papeleta más tarde desde cualquier dispositivo.',
  download: 'Descargar el recibo',
  check: 'Comprobarlo en el tablero',
  retry: 'Intentar de nuevo',
  networkError: 'Se perdió la conexión. Su voto está a salvo en este teléfono: pulse «Intentar de nuevo» y se enviará una vez, no dos.',
  serverError: 'Algo salió mal: {message}',
  closedNow: 'La votación ha terminado; no se pudo emitir la papeleta.',
  noScript: 'Para votar hace falta JavaScript, porque su papeleta se cifra en este teléfono. Actívelo o use otro navegador.',
  step: 'Paso {n} de 3',
};

const fr: Strings = {
  skip: 'Aller au bulletin',
  language: 'Langue',
  notOpenTitle: 'Le vote n’est pas encore ouvert',
  notOpenBody: 'Le vote ouvre le {time}. Gardez votre lettre; votre code fonctionnera à ce moment-là.',
  closedTitle: 'Le vote est terminé',
  closedBody: 'Le vote a pris fin le {time}. Les résultats et l’urne sont sur le tableau public.',
  toBoard: 'Voir le tableau public',
  codeTitle: 'Entrez votre code de vote',
  codeLabel: 'Code de vote (20 lettres et chiffres, dans votre lettre ou votre message)',
  codeHint: 'Majuscules ou minuscules, avec ou sans tirets. O et 0, I, L et 1 comptent pour le même caractère.',
  continue: 'Continuer',
  checking: 'Vérification de votre code…',
  codeLength: 'Un code a 20 caractères (quatre groupes de cinq); celui-ci en a {n}. Vérifiez votre lettre.',
  codeChars: 'Un code ne contient que des chiffres et les lettres A–Z sans U. Vérifiez les caractères : {chars}',
  unknownCode: 'Ce code n’est pas valide pour ce vote. Comparez chaque caractère avec votre lettre, ou demandez au secrétariat de votre section locale.',
  replacedCode: 'Ce code a été remplacé par un nouveau. Utilisez le code de votre lettre la plus récente.',
  notInGoodStanding: 'Votre section locale ne vous inscrit pas comme membre en règle. Demandez au secrétariat de votre section locale.',
  codeUsedElsewhere: 'Ce code a déjà servi à voter, sur un autre téléphone ou navigateur. Chaque code vote une fois. Si ce n’était pas vous, prévenez le secrétariat de votre section locale.',
  chooseTitle: 'Votre bulletin',
  summary: 'Lire le résumé de la convention',
  yes: 'Oui',
  no: 'Non',
  blank: 'Laisser en blanc',
  review: 'Vérifier mes choix',
  answerAll: 'Choisissez une réponse pour : {question}',
  reviewTitle: 'Vérifiez vos choix',
  reviewBody: 'Vos choix sont chiffrés sur ce téléphone avant d’être envoyés. Personne, ni le syndicat ni le serveur, ne peut voir comment vous avez voté.',
  change: 'Modifier',
  cast: 'Voter',
  casting: 'Chiffrement et envoi de votre vote. Gardez cette page ouverte…',
  receiptTitle: 'Votre vote a été enregistré',
  receiptBody: 'Gardez votre code de suivi. Il vous permet de vérifier que votre bulletin est dans l’urne, sans que personne ne sache comment vous avez voté.',
  alreadyTitle: 'Vous avez déjà voté',
  alreadyBody: 'Ce code a servi à déposer le bulletin ci-dessous. Chaque code vote une fois.',
  trackingCode: 'Code de suivi',
  position: 'Position dans l’urne',
  castAt: 'Déposé le',
  copy: 'Copier le code de suivi',
  copied: 'Copié.',
  qrAlt: 'Code QR de l’adresse où votre code de suivi est vérifié sur le tableau',
  qrCaption: 'Balayez-le ou photographiez-le pour vérifier votre bulletin plus tard, depuis n’importe quel appareil.',
  download: 'Télécharger le reçu',
  check: 'Le vérifier sur le tableau',
  retry: 'Réessayer',
  networkError: 'La connexion a été perdue. Votre vote est en sécurité sur ce téléphone : appuyez sur « Réessayer » et il sera envoyé une fois, pas deux.',
  serverError: 'Une erreur est survenue : {message}',
  closedNow: 'Le vote est terminé; le bulletin n’a pas pu être déposé.',
  noScript: 'Voter demande JavaScript, car votre bulletin est chiffré sur ce téléphone. Activez-le ou utilisez un autre navigateur.',
  step: 'Étape {n} de 3',
};

export const STRINGS: Record<Language, Strings> = { en, es, fr };

/** `?lang=` first, then the first supported language in Accept-Language, then English. */
export function pickLanguage(query: string | undefined, acceptLanguage: string | undefined): Language {
  if (query && (LANGUAGES as readonly string[]).includes(query)) return query as Language;
  const wanted = (acceptLanguage ?? '').split(',')
    .map((part) => { const [tag, ...params] = part.trim().split(';'); const q = params.find((p) => p.trim().startsWith('q=')); return { tag: (tag ?? '').toLowerCase(), q: q ? Number(q.split('=')[1]) : 1 }; })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of wanted) {
    const base = tag.split('-')[0] as Language;
    if (LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

/** Fills `{name}` placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? `{${k}}`));
}

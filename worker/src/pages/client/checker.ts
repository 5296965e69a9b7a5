/**
 * The independent ballot checker (docs/ballot-check.md): one self-contained HTML file (this script
 * and its styles inline, pinned by hash in its own Content-Security-Policy; no script from any
 * origin), built by `npm run build:assets` into dist/public/assets/checker.html, to be hosted by a
 * monitor or the union apart from the operator who serves the voting page. Opened from the link or
 * QR code the voting page shows after "Check it first", it:
 *   1. reads the board's address, the vote, the ballot's commitment and the letter's fingerprint from
 *      the fragment (never sent anywhere);
 *   2. fetches the vote's manifest from the board and checks it against the fingerprint (signed by the
 *      board, approved by every trustee, the election key the sum of theirs);
 *   3. takes the opened ballot from the link (the voting page puts it there) or else from the board,
 *      re-encrypts every revealed choice with its revealed randomness under the manifest's election
 *      key and recomputes the commitment; a board that withholds the opening cannot stop the check,
 *      and one that does not publish it in time is named (without the opening in the link, a board
 *      that does not show it within two minutes fails the check);
 *   4. checks the board's signature over the opened ballot, shows the vote's fingerprint and the
 *      ballot's check code, and asks the member to compare the fingerprint with their letter (the
 *      link, and so the board and the fingerprint in it, came from the voting page, which may be the
 *      cheat); only then shows the choice the ballot held, asks whether it is theirs, and offers the
 *      signed opening to keep as evidence.
 */
import { checkManifest, decodeOpening, type BoardView } from '@union-vote/client';
import { fromHex, openSpoiledBallot, pointFromHex, verifyStatement } from '@union-vote/crypto';
import {
  SPOILED_EVIDENCE_FORMAT, ballotCheckCode, canonicalJson, normalizeFingerprint, questionShapes, spoiledStatementBytes, type SpoiledEvidenceFile,
} from '@union-vote/election/members';

const WORDS = {
  en: {
    title: 'Check an opened ballot', loading: 'Fetching the ballot from the board…', waiting: 'The board publishes the ballot at the end of its batch, in a few seconds…',
    incomplete: 'This link is incomplete: open the whole link or QR code that the voting page showed after "Check it first".',
    vote: 'Vote', fingerprint: 'Vote fingerprint (compare with your letter)', code: 'Check code (compare with the code your voting page showed before you chose)',
    held: 'This ballot held', yes: 'Yes', no: 'No', blank: 'Blank',
    ask: 'Is this what you chose on the voting page?', itIs: 'Yes, it is', itIsNot: 'No, it is not',
    good: 'Your phone encrypted your choice faithfully. Go back to the voting page: it encrypted a new ballot, which you can cast, or check again.',
    cheated: 'The voting page encrypted a choice other than yours: it is cheating. Do not cast a ballot on it. Tell the monitors and your local now, and give them this link: the opened ballot is on the public board as evidence.',
    broken: 'This ballot does not check: {reason}. The voting page that made it is cheating or broken. Do not cast a ballot on it; tell the monitors and give them this link.',
    board: 'The board could not be read: {reason}. Try again; if it persists, tell the monitors.',
    manifest: 'The vote on this board is not the one on your letter: {reason}. Do not vote on it; tell the monitors.',
    confirm: 'First compare the fingerprint above with the one printed on your letter (or announced by the trustees). Is it the same?', same: 'Yes, it is the same', different: 'No, it is different',
    wrongBoard: 'Then this is not your vote\'s board: the link the voting page gave you leads elsewhere. Do not vote on that page; tell the monitors and give them this link.',
    signature: 'The board did not sign this opened ballot with the vote\'s board key: {reason}. Tell the monitors and give them this link.',
    save: 'Save the evidence (the opened ballot, signed by the board)',
    saveUnsigned: 'Save the evidence (the opened ballot as the link carries it)',
    withheld: 'The board has not published this opened ballot, though it should have within a minute: it may be hiding it. The choice above comes from your link, not from the board. Save the evidence and tell the monitors.',
    timeout: 'The check failed: the board does not show the opened ballot this link names. Do not cast a ballot on that page; tell the monitors and give them this link.',
    published: 'The board has published this opened ballot and signed it.',
  },
  es: {
    title: 'Verificar una papeleta abierta', loading: 'Obteniendo la papeleta del tablón…', waiting: 'El tablón publica la papeleta al final de su tanda, en unos segundos…',
    incomplete: 'Este enlace está incompleto: abra el enlace o código QR completo que mostró la página de votación tras «Verificarla primero».',
    vote: 'Votación', fingerprint: 'Huella de la votación (compárela con su carta)', code: 'Código de verificación (compárelo con el que mostró su página de votación antes de elegir)',
    held: 'Esta papeleta contenía', yes: 'Sí', no: 'No', blank: 'En blanco',
    ask: '¿Es lo que eligió en la página de votación?', itIs: 'Sí, lo es', itIsNot: 'No, no lo es',
    good: 'Su teléfono cifró fielmente su opción. Vuelva a la página de votación: cifró una papeleta nueva, con la que puede votar o verificar otra vez.',
    cheated: 'La página de votación cifró una opción distinta de la suya: está haciendo trampa. No vote en ella. Avise ya a los observadores y a su local, y deles este enlace: la papeleta abierta está en el tablón público como prueba.',
    broken: 'Esta papeleta no se verifica: {reason}. La página de votación que la hizo hace trampa o está averiada. No vote en ella; avise a los observadores y deles este enlace.',
    board: 'No se pudo leer el tablón: {reason}. Inténtelo de nuevo; si persiste, avise a los observadores.',
    manifest: 'La votación de este tablón no es la de su carta: {reason}. No vote en ella; avise a los observadores.',
    confirm: 'Primero compare la huella de arriba con la impresa en su carta (o anunciada por los fideicomisarios). ¿Es la misma?', same: 'Sí, es la misma', different: 'No, es distinta',
    wrongBoard: 'Entonces este no es el tablón de su votación: el enlace que le dio la página de votación lleva a otra parte. No vote en esa página; avise a los observadores y deles este enlace.',
    signature: 'El tablón no firmó esta papeleta abierta con la clave de la votación: {reason}. Avise a los observadores y deles este enlace.',
    save: 'Guardar la prueba (la papeleta abierta, firmada por el tablón)',
    saveUnsigned: 'Guardar la prueba (la papeleta abierta tal como la lleva el enlace)',
    withheld: 'El tablón no ha publicado esta papeleta abierta, aunque debía hacerlo en un minuto: puede estar ocultándola. La opción de arriba viene de su enlace, no del tablón. Guarde la prueba y avise a los observadores.',
    timeout: 'La verificación falló: el tablón no muestra la papeleta abierta que nombra este enlace. No vote en esa página; avise a los observadores y deles este enlace.',
    published: 'El tablón publicó esta papeleta abierta y la firmó.',
  },
  fr: {
    title: 'Vérifier un bulletin ouvert', loading: 'Lecture du bulletin sur le tableau…', waiting: 'Le tableau publie le bulletin à la fin de son lot, dans quelques secondes…',
    incomplete: 'Ce lien est incomplet : ouvrez le lien ou le code QR entier que la page de vote a affiché après « Le vérifier d’abord ».',
    vote: 'Scrutin', fingerprint: 'Empreinte du scrutin (comparez-la à votre lettre)', code: 'Code de vérification (comparez-le au code affiché par votre page de vote avant votre choix)',
    held: 'Ce bulletin contenait', yes: 'Oui', no: 'Non', blank: 'Blanc',
    ask: 'Est-ce ce que vous avez choisi sur la page de vote ?', itIs: 'Oui', itIsNot: 'Non, ce n’est pas mon choix',
    good: 'Votre téléphone a chiffré fidèlement votre choix. Retournez à la page de vote : elle a chiffré un nouveau bulletin, avec lequel vous pouvez voter ou vérifier encore.',
    cheated: 'La page de vote a chiffré un autre choix que le vôtre : elle triche. Ne votez pas sur elle. Prévenez maintenant les observateurs et votre section locale, et donnez-leur ce lien : le bulletin ouvert est sur le tableau public comme preuve.',
    broken: 'Ce bulletin ne se vérifie pas : {reason}. La page de vote qui l’a fait triche ou est défaillante. Ne votez pas sur elle ; prévenez les observateurs et donnez-leur ce lien.',
    board: 'Le tableau n’a pas pu être lu : {reason}. Réessayez ; si cela persiste, prévenez les observateurs.',
    manifest: 'Le scrutin de ce tableau n’est pas celui de votre lettre : {reason}. Ne votez pas sur lui ; prévenez les observateurs.',
    confirm: 'Comparez d’abord l’empreinte ci-dessus avec celle imprimée sur votre lettre (ou annoncée par les fiduciaires). Est-ce la même ?', same: 'Oui, c’est la même', different: 'Non, elle est différente',
    wrongBoard: 'Alors ce n’est pas le tableau de votre scrutin : le lien donné par la page de vote mène ailleurs. Ne votez pas sur cette page ; prévenez les observateurs et donnez-leur ce lien.',
    signature: 'Le tableau n’a pas signé ce bulletin ouvert avec la clé du scrutin : {reason}. Prévenez les observateurs et donnez-leur ce lien.',
    save: 'Enregistrer la preuve (le bulletin ouvert, signé par le tableau)',
    saveUnsigned: 'Enregistrer la preuve (le bulletin ouvert tel que le lien le porte)',
    withheld: 'Le tableau n’a pas publié ce bulletin ouvert, alors qu’il aurait dû le faire en une minute : il le cache peut-être. Le choix ci-dessus vient de votre lien, pas du tableau. Enregistrez la preuve et prévenez les observateurs.',
    timeout: 'La vérification a échoué : le tableau ne montre pas le bulletin ouvert que nomme ce lien. Ne votez pas sur cette page ; prévenez les observateurs et donnez-leur ce lien.',
    published: 'Le tableau a publié ce bulletin ouvert et l’a signé.',
  },
};
type Words = typeof WORDS.en;

const params = new URLSearchParams(location.hash.slice(1));
const lang = (['en', 'es', 'fr'] as const).find((l) => l === params.get('lang')) ?? ((['es', 'fr'] as const).find((l) => navigator.language.startsWith(l)) ?? 'en');
const w: Words = WORDS[lang];
document.documentElement.lang = lang;
const $ = (id: string) => document.getElementById(id)!;
const fill = (s: string, v: Record<string, string>) => s.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? '');

function say(text: string, kind: 'status' | 'alert' | 'success'): void {
  const p = $('status');
  p.textContent = text;
  p.className = kind;
  p.setAttribute('role', kind === 'alert' ? 'alert' : 'status');
}

function row(list: HTMLElement, term: string, value: string, mono = false): void {
  const dt = document.createElement('dt');
  dt.textContent = term;
  const dd = document.createElement('dd');
  if (mono) {
    const code = document.createElement('code');
    code.textContent = value;
    dd.append(code);
  } else dd.textContent = value;
  list.append(dt, dd);
}

async function getJson(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { credentials: 'omit', cache: 'no-store' });
  const body = await res.json().catch(() => null);
  if (!res.ok && res.status !== 202) throw new Error(body?.error?.message ?? `the board answered ${res.status}`);
  return { status: res.status, body };
}

async function main(): Promise<void> {
  document.title = w.title;
  $('title').textContent = w.title;
  const boardUrl = params.get('board');
  const voteId = params.get('vote');
  const commitment = params.get('ballot');
  const fp = params.get('fp');
  if (!boardUrl || !/^https?:\/\//.test(boardUrl) || !voteId || !commitment || !/^[0-9a-f]{64}$/.test(commitment)) return say(w.incomplete, 'alert');
  say(w.loading, 'status');
  const api = `${boardUrl.replace(/\/$/, '')}/api/board/${encodeURIComponent(voteId)}`;
  let board: BoardView;
  try {
    board = (await getJson(api)).body as BoardView;
  } catch (e) {
    return say(fill(w.board, { reason: (e as Error).message }), 'alert');
  }
  let fingerprint: string;
  try {
    if (board.manifest?.voteId !== voteId) throw new Error(`the manifest is not for vote ${voteId}`);
    fingerprint = checkManifest(board, fp ? normalizeFingerprint(fp) ?? fp : undefined);
  } catch (e) {
    return say(fill(w.manifest, { reason: (e as Error).message }), 'alert');
  }
  // The opening: from the link (the voting page put it there), else from the board.
  const fromLink = decodeOpening(params.get('open'));
  let spoiled: unknown = fromLink;
  let signature = '';
  /** Polls the board for its signed copy, up to `seconds`; true when it has published the same opening. */
  const fetchSigned = async (seconds: number): Promise<boolean> => {
    const until = Date.now() + seconds * 1000;
    for (;;) {
      try {
        const answer = await getJson(`${api}/spoiled/${commitment}`);
        if (answer.status === 200) {
          if (spoiled !== undefined && canonicalJson(answer.body.spoiled) !== canonicalJson(spoiled)) return false;
          spoiled = answer.body.spoiled;
          signature = String(answer.body.signature ?? '');
          return true;
        }
      } catch {
        // 404 or a network fault: wait and ask again, until the deadline
      }
      if (Date.now() > until) return false;
      say(w.waiting, 'status');
      await new Promise((r) => setTimeout(r, 1000));
    }
  };
  // Without the opening in the link, the board must show it within two minutes, or the check failed.
  if (spoiled === undefined && !(await fetchSigned(120))) return say(w.timeout, 'alert');
  const m = board.manifest;
  const facts = $('facts');
  row(facts, w.vote, m.definition.title);
  row(facts, w.fingerprint, fingerprint, true);
  row(facts, w.code, ballotCheckCode(commitment), true);
  $('result').hidden = false;
  const opened = openSpoiledBallot(spoiled, { voteId, publicKey: pointFromHex(m.keys.election), questions: questionShapes(m.definition) });
  if (!opened.ok || opened.commitment !== commitment) {
    return say(fill(w.broken, { reason: opened.ok ? 'the opened ballot is not the one the link names' : opened.reason }), 'alert');
  }
  if (signature && !verifyStatement('spoiled-ballot', spoiledStatementBytes(spoiled), signature, fromHex(m.keys.board))) return say(fill(w.signature, { reason: 'the signature does not verify' }), 'alert');
  say('', 'status');
  // The board's signed copy (when the link carried the opening): evidence it was published, or that it was withheld.
  const boardCopy = fromLink === undefined ? Promise.resolve(true) : fetchSigned(90);
  const save = () => {
    // What the member keeps: `union-vote-verify --spoiled FILE` finds it in the record, or names its absence.
    const file = signature ? { format: SPOILED_EVIDENCE_FORMAT, fingerprint, spoiled, signature } satisfies SpoiledEvidenceFile : { fingerprint, spoiled, link: location.href };
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' }));
    a.download = `opened-ballot-${voteId}-${commitment.slice(0, 12)}.json`;
    a.click();
  };
  // The board and its fingerprint came from the voting page's link: only the member's letter can
  // vouch for them. The choice is shown once the member has compared.
  $('confirm-ask').textContent = w.confirm;
  $('fp-yes').textContent = w.same;
  $('fp-no').textContent = w.different;
  $('confirm').hidden = false;
  $('fp-no').onclick = () => say(w.wrongBoard, 'alert');
  $('fp-yes').onclick = () => {
    $('confirm').hidden = true;
    const held = $('held');
    for (const s of opened.selections) {
      const q = m.definition.questions.find((x) => x.id === s.questionId);
      row(held, q?.text ?? s.questionId, s.selected[0] === 1 ? w.yes : s.selected[1] === 1 ? w.no : w.blank);
    }
    $('held-title').textContent = w.held;
    $('ask').textContent = w.ask;
    $('it-is').textContent = w.itIs;
    $('it-is-not').textContent = w.itIsNot;
    $('save').textContent = signature ? w.save : w.saveUnsigned;
    $('opened').hidden = false;
    // The verdict under the buttons, where the member's eyes are.
    const verdict = (text: string, kind: 'alert' | 'success') => {
      const p = $('verdict');
      p.textContent = text;
      p.className = kind;
      p.setAttribute('role', kind === 'alert' ? 'alert' : 'status');
      p.hidden = false;
      p.focus();
    };
    $('it-is').onclick = () => verdict(w.good, 'success');
    // Caught: the evidence is saved at once (the board may erase its copy).
    $('it-is-not').onclick = () => { verdict(w.cheated, 'alert'); save(); };
    $('save').onclick = save;
    void boardCopy.then((ok) => {
      $('save').textContent = signature ? w.save : w.saveUnsigned;
      say(ok ? w.published : w.withheld, ok ? 'success' : 'alert');
    });
  };
}

void main();

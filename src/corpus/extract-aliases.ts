import type { Paper } from './paper.js';

/** The fields of {@link NameCandidates}: stored candidates without all of them were extracted by an earlier version. */
export const NAME_CANDIDATE_FIELDS = ['defined', 'coined', 'acronyms'] as const;

/** An abbreviation a text defines: "Warm-start RL (WSRL)" → { short: "WSRL", long: "Warm-start RL" }. */
export interface AbbreviationPair {
  short: string;
  long: string;
  /** Defined in the plural ("large language models (LLMs)"): a term of the field rather than a name. */
  plural?: boolean;
}

/** Names a paper introduces, by how sure the extraction is. */
export interface NameCandidates {
  /** Introduced by the paper: its title's head, "we propose X", "called X", abbreviations it defines. */
  defined: string[];
  /** Coined words (CamelCase, acronyms with digits, "@") its abstract uses at least twice — possibly another paper's name. */
  coined: string[];
  /** Name-like acronyms the abstract puts in parentheses ("(L2P)", "(GPT-4)"), defined or not: what paper resolution matches. */
  acronyms: string[];
}

/** One word as written: letters/digits, with inner "-", "@", "+", "&", "." or apostrophes ("CLaMP-DPO", "Learning@home"). */
const TOKEN = String.raw`[\p{L}\p{N}](?:[\p{L}\p{N}]|[-@+&.'’](?=[\p{L}\p{N}]))*`;
const TOKEN_RE = new RegExp(TOKEN, 'gu');
const WHOLE_TOKEN_RE = new RegExp(`^${TOKEN}$`, 'u');
/** Verbs that introduce a paper's own contribution ("we propose X", "we call this X"). */
const INTRO_VERB = String.raw`(?:propose|present|introduce|develop|design|devise|release|build|call|name|dub|term|coin)(?:s|d|ed)?`;
/** Nouns that may stand between the verb and the name ("we propose a new framework, SCoLe"). */
const KIND = String.raw`(?:method|approach|framework|model|algorithm|technique|system|benchmark|dataset|architecture|pipeline|paradigm|agent|library|toolkit|toolbox|strategy|scheme|network|module|objective|suite|family|recipe|optimizer|simulator|environment|platform)s?`;
/** An introducing verb, found with a plain (fast) scan; the name after it is then read by {@link AFTER_VERB_RE}. */
const INTRO_VERB_RE = new RegExp(String.raw`\b${INTRO_VERB}\s`, 'g');
/** After the verb: "[a|the] [up to 3 lower-case words] [kind[,]] [called|named] NAME" (group 1 = NAME, 2 = closing quote, 3 = what follows). */
const AFTER_VERB_RE = new RegExp(
  String.raw`\s*(?:(?:a|an|the|our|this|it)\s+)?(?:(?:\p{Ll}[\p{Ll}-]*\s+){0,3}?${KIND}\s*,?\s*)?(?:(?:called|named|dubbed|termed)\s+)?["“{]?(${TOKEN})(["”}]?)(\s*[:,(—–]?)`,
  'uy',
);
/** What must come right before the verb: "we", "We also", "our method", "Our approach". */
const INTRO_SUBJECT_RE = /(?:\b[Ww]e|\b[Oo]ur\s+\p{Ll}+)\s+(?:\p{Ll}+\s+)?$/u;
/** A short token in parentheses: "(L2P)", "(GPT-4)". */
const ACRONYM_IN_PARENS = /\(([\p{L}\p{N}][\p{L}\p{N}+\-.]{1,19})\)/gu;
/** "called X", "named X", "dubbed X", "termed X" anywhere. */
const CALLED_RE = new RegExp(String.raw`\b(?:called|named|dubbed|termed|coined)\s+["“{]?(${TOKEN})`, 'gu');
const CALLED_WORDS = ['called', 'named', 'dubbed', 'termed', 'coined'];
/** A parenthesis (for abbreviation definitions). */
const PAREN_RE = /\(([^()]{1,120})\)/gu;
const LETTER_RE = /\p{L}/u;
/** "LLMs" → "LLM": the plural of an acronym defines the acronym. */
const PLURAL_ACRONYM_RE = /^(\p{Lu}{2,})s$/u;
const ALNUM_RE = /[\p{L}\p{N}]/u;
/** A capital after the first character of a word part ("DualPrompt", "CLaMP", "SAMI"), or letters then digits ("L2P", "R1"). */
const COINED_PART_RE = /^[\p{L}\p{N}][\p{L}\p{N}]*\p{Lu}|^\p{L}+\p{N}/u;

/**
 * A coined name rather than a plain word: some hyphen part has a capital after its first character
 * ("DualPrompt", "SAMI", "CLaMP-DPO", "GPT-4") or mixes letters and digits ("L2P", "Vision-R1"), or it
 * contains "@" / "+" ("Learning@home"). Title-case compounds ("Class-Incremental") and plural acronyms
 * ("LLMs") are not names.
 */
export function isCoinedName(token: string): boolean {
  if (token.length < 2 || !LETTER_RE.test(token)) return false;
  if (token.includes('@') || token.includes('+')) return true;
  if (/^\p{Lu}{2,}s$/u.test(token)) return false;
  return token.split(/[-.'’&]/u).some((part) => COINED_PART_RE.test(part));
}

/**
 * The space-separated chunks of a text that may hold a coined word: a capital after their first
 * character, "@" or "+", or letters mixed with digits. One pass without regular expressions (most
 * words are none of these).
 */
function maybeCoinedChunks(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let capital = false;
  let digit = false;
  let letter = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    if (c === 32 || c === 10 || c === 9) {
      if (capital || (digit && letter)) out.push(text.slice(start, i));
      start = i + 1;
      capital = digit = letter = false;
    } else if (c >= 97 && c <= 122) letter = true;
    else if (c >= 65 && c <= 90) {
      letter = true;
      if (i > start) capital = true;
    } else if (c >= 48 && c <= 57) digit = true;
    else if (c === 64 || c === 43) capital = true;
    else if (c > 127) {
      letter = true;
      if (i > start && text[i] !== text[i]!.toLowerCase()) capital = true;
    }
  }
  return out;
}

/**
 * The long form an abbreviation abbreviates, if the words before it spell it (Schwartz & Hearst 2003):
 * each letter of `short`, right to left, is found in `long` right to left, and the first letter starts
 * the long form. Digits in `short` are skipped ("L2M" ← "Learning-to-Modulate"). Returns that tail of `long`.
 */
export function matchLongForm(short: string, long: string): string | undefined {
  const letters = [...short.toLowerCase()].filter((c) => LETTER_RE.test(c));
  if (letters.length < 2) return undefined;
  const text = long.toLowerCase();
  let at = text.length - 1;
  for (let i = letters.length - 1; i >= 0; i--) {
    const wantWordStart = i === 0;
    while (at >= 0 && (text[at] !== letters[i] || (wantWordStart && at > 0 && ALNUM_RE.test(text[at - 1]!)))) at--;
    if (at < 0) return undefined;
    at--;
  }
  const first = at + 1;
  if (first > 0 && text[first - 1] !== ' ') return undefined;
  const found = long.slice(first).trim();
  if (/[()[\]{}"“”]|--/u.test(found) || found.toLowerCase().includes(short.toLowerCase())) return undefined;
  return found.length > short.length ? found : undefined;
}

function isShortForm(text: string): boolean {
  return text.length <= 15 && WHOLE_TOKEN_RE.test(text) && isCoinedName(text);
}

/** Abbreviations a text defines, in both orders: "Long Form (LF)" and "LF (Long Form)". */
export function extractAbbreviations(text: string): AbbreviationPair[] {
  const out: AbbreviationPair[] = [];
  for (const m of text.matchAll(PAREN_RE)) {
    const written = m[1]!.trim();
    const inside = written.replace(PLURAL_ACRONYM_RE, '$1');
    if (isShortForm(inside)) {
      const before = text.slice(Math.max(0, m.index - 200), m.index).trimEnd();
      const words = clauseTail(`${before} `).split(' ');
      const long = matchLongForm(inside, words.slice(-Math.min(inside.length + 5, inside.length * 2)).join(' '));
      if (long) out.push(inside === written ? { short: inside, long } : { short: inside, long, plural: true });
      continue;
    }
    if (!inside.includes(' ')) continue;
    const end = m.index > 0 && text[m.index - 1] === ' ' ? m.index - 1 : m.index;
    const previous = text.slice(text.lastIndexOf(' ', end - 1) + 1, end).replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    const long = inside.split(/[;,]/u)[0]!.trim();
    if (previous && long.includes(' ') && isShortForm(previous) && matchLongForm(previous, long) === long) out.push({ short: previous, long });
  }
  return out;
}

/** The text after the last sentence or clause break (". ", "; ", ": ", "--", "—"). */
function clauseTail(text: string): string {
  const cut = Math.max(text.lastIndexOf('. '), text.lastIndexOf('; '), text.lastIndexOf(': '), text.lastIndexOf('? '), text.lastIndexOf('! '));
  const dash = Math.max(text.lastIndexOf('--'), text.lastIndexOf('—'));
  return text.slice(Math.max(cut >= 0 ? cut + 2 : 0, dash + 1)).replace(/\s+/gu, ' ').trim();
}

/** A nickname-like acronym: has a capital letter or digit beyond the first letter ("L2P", "CoT", "DualPrompt"), not a plain word. */
function isNameLike(token: string): boolean {
  if (!LETTER_RE.test(token)) return false;
  return /^[\p{L}\p{N}]/u.test(token) && /[\p{Lu}\p{N}]/u.test(token.slice(1));
}

/** The nickname-like acronyms a text puts in parentheses, as written, in order ("(L2P)"; not "(see)"). */
export function parenthesizedAcronyms(text: string): string[] {
  return [...text.matchAll(ACRONYM_IN_PARENS)].map((m) => m[1]!).filter(isNameLike);
}

/** {@link extractAliases}, with the names sorted by how the paper introduces them. */
export function extractNameCandidates(paper: Pick<Paper, 'title' | 'abstract'>): NameCandidates {
  const defined: string[] = [];
  const coined: string[] = [];
  const keys = new Set<string>();
  const add = (list: string[], name: string) => {
    const trimmed = name.trim().replace(/^['‘]+|(?:['’]s)?[.'’]*$/gu, '');
    const key = aliasKey(trimmed);
    if (trimmed.length <= 60 && key.length >= 2 && LETTER_RE.test(key) && !keys.has(key)) {
      keys.add(key);
      list.push(trimmed);
    }
  };
  const head = paper.title.split(/:\s/u)[0]!;
  if (head.length < paper.title.length && head.split(/\s+/u).length <= 2 && (head.match(TOKEN_RE) ?? []).some(isCoinedName)) add(defined, head);
  const { abstract } = paper;
  for (const verb of abstract.matchAll(INTRO_VERB_RE)) {
    if (!INTRO_SUBJECT_RE.test(abstract.slice(Math.max(0, verb.index - 30), verb.index))) continue;
    AFTER_VERB_RE.lastIndex = verb.index + verb[0].length;
    const [, name, closingQuote, after] = AFTER_VERB_RE.exec(abstract) ?? [];
    // A plain capitalised word is a name only when set off ("we propose Diana: a …", "we introduce “Orca”").
    if (name && (isCoinedName(name) || (/^\p{Lu}/u.test(name) && (closingQuote || after?.trim())))) add(defined, name);
  }
  if (CALLED_WORDS.some((word) => abstract.includes(word))) for (const [, name] of abstract.matchAll(CALLED_RE)) if (isCoinedName(name!)) add(defined, name!);
  for (const { short, plural } of extractAbbreviations(abstract)) if (!plural) add(defined, short);
  const counts = new Map<string, number>();
  for (const chunk of maybeCoinedChunks(abstract)) {
    for (const [token] of chunk.matchAll(TOKEN_RE)) if (isCoinedName(token) && !/^\p{Lu}+$/u.test(token)) counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  for (const [token, n] of counts) if (n >= 2) add(coined, token);
  return { defined, coined, acronyms: [...new Set(parenthesizedAcronyms(abstract))] };
}

/**
 * Names a paper introduces, as written ("BOSS", "Learning@home", "CLaMP-DPO"): the coined name in its
 * title before ':', the name after "we propose / introduce / call…" or "called / named…", the short
 * forms of the abbreviations its abstract defines, and coined words ("DualPrompt", "L2P") its abstract
 * uses at least twice. Pure: the same paper always gives the same list (deduplicated, in that order).
 */
export function extractAliases(paper: Pick<Paper, 'title' | 'abstract'>): string[] {
  const { defined, coined } = extractNameCandidates(paper);
  return [...defined, ...coined];
}

/** Lower-case letters and digits only: the key two spellings of a name share ("CLaMP-DPO" ≡ "clamp dpo"). */
export function aliasKey(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * The rule of {@link distinctAliases} for one name: it is one of its paper's aliases when `owners`, the
 * papers with a name under its key, is that paper alone, and a coined word is mentioned by at most one paper.
 */
export function isDistinctName(name: string, coined: boolean, owners: number, mentions: (name: string) => number): boolean {
  return owners === 1 && (!coined || mentions(name) <= 1);
}

/**
 * The names that identify each paper in this corpus, from every paper's name candidates (same order):
 * a name another paper also introduces is dropped, and so is a coined word more than one paper mentions
 * (`mentions(name)`: in how many papers it occurs).
 */
export function distinctAliases(candidates: readonly NameCandidates[], mentions: (name: string) => number): string[][] {
  // Each name's key, once (keys are what two spellings of a name share).
  const keyed = candidates.map(({ defined, coined }) => ({ defined: defined.map((name) => [name, aliasKey(name)] as const), coined: coined.map((name) => [name, aliasKey(name)] as const) }));
  const owners = new Map<string, number>();
  for (const { defined, coined } of keyed) {
    for (const key of new Set([...defined, ...coined].map(([, key]) => key))) owners.set(key, (owners.get(key) ?? 0) + 1);
  }
  const kept = (names: readonly (readonly [string, string])[], coined: boolean) => names.filter(([name, key]) => isDistinctName(name, coined, owners.get(key)!, mentions)).map(([name]) => name);
  return keyed.map(({ defined, coined }) => [...kept(defined, false), ...kept(coined, true)]);
}

/**
 * Set each paper's names in place (`aliases`: {@link distinctAliases}; `acronyms`: those its abstract
 * puts in parentheses), for papers the caller has just made (a store's own objects of one open):
 * cheaper than copying every paper of a large corpus.
 */
export function assignDistinctAliases(papers: readonly Pick<Paper, 'aliases' | 'acronyms'>[], candidates: readonly NameCandidates[], mentions: (name: string) => number): void {
  const aliases = distinctAliases(candidates, mentions);
  papers.forEach((paper, i) => {
    paper.aliases = aliases[i]!;
    paper.acronyms = candidates[i]!.acronyms;
  });
}

/**
 * The papers with their names (see {@link assignDistinctAliases}), as new objects in the same order.
 * `known[i]`: paper i's name candidates as extracted before (e.g. stored at ingest); the others are extracted now.
 */
export function withDistinctAliases<P extends Pick<Paper, 'title' | 'abstract'>>(papers: readonly P[], mentions: (name: string) => number, known: readonly (NameCandidates | undefined)[] = []): (P & NameFields)[] {
  const candidates = papers.map((paper, i) => known[i] ?? extractNameCandidates(paper));
  const aliases = distinctAliases(candidates, mentions);
  return papers.map((paper, i) => ({ ...paper, aliases: aliases[i]!, acronyms: candidates[i]!.acronyms }));
}

/** What {@link withDistinctAliases} sets on each paper. */
export type NameFields = Required<Pick<Paper, 'aliases' | 'acronyms'>>;

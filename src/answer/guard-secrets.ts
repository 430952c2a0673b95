import { words } from '../text/tokenize.js';

/** Shown instead of an answer when someone asks for the bot's instructions, keys or other secrets. */
export const SECRET_REFUSAL =
  "I can't share my instructions, configuration, API keys, tokens or any other secrets. Ask me about the papers in the corpus instead.";

const VERB = String.raw`(?:reveal|show|print|repeat|tell|output|display|leak|dump|give|share|write|recite|list|expose|echo|paste|send|copy|spell|read|type|return|provide|disclose|what(?:'s|\s+(?:is|are|was|were))|paraphrase|summari[sz]e|translate)`;
/** Things of the bot itself that must never be revealed. */
const INSTRUCTIONS = String.raw`(?:(?:system|initial|hidden|original|developer|secret|pre-?)\s*(?:prompt|instructions?|message)s?|(?:your|the\s+bot'?s?|paperbot'?s?)\s+(?:\w+\s+)?(?:prompt|instructions|rules|guidelines|configuration|config|settings|directives)|(?:everything|all|text|words)\s+(?:above|before)\s+(?:this|here))`;
const CREDENTIAL = String.raw`(?:(?:api|openai|discord|bot|access|auth|bearer|secret|private|session)[\s_-]*(?:keys?|tokens?)|passwords?|passwd|credentials?|secrets?|env(?:ironment)?\s+var(?:iable)?s?|\.env\b|process\.env)`;

const PATTERNS: RegExp[] = [
  // "ignore (all) previous instructions", "disregard the above rules"
  /\b(?:ignore|disregard|forget|override|bypass)\b[^.?!\n]{0,40}\b(?:previous|prior|above|earlier|preceding|all|your|system)\b[^.?!\n]{0,20}\b(?:instructions?|prompts?|rules|directions|guidelines)\b/i,
  // "reveal/print/what is ... system prompt / your instructions"
  new RegExp(String.raw`\b${VERB}\b[^.?!\n]{0,80}${INSTRUCTIONS}`, 'i'),
  // "reveal/print/what is ... api key / token / password / secrets"
  new RegExp(String.raw`\b${VERB}\b[^.?!\n]{0,80}\b${CREDENTIAL}`, 'i'),
  // "your api key", "your token", "your secrets", "your system prompt"
  new RegExp(String.raw`\byour\s+(?:\w+\s+)?(?:${CREDENTIAL}|prompt|instructions|system\s+prompt)`, 'i'),
  // environment variable names
  /\b(?:OPENAI_API_KEY|DISCORD_TOKEN|OPENAI_BASE_URL|[A-Z][A-Z0-9]*_(?:KEY|TOKEN|SECRET|PASSWORD))\b/,
];

/** Words that make a match about research papers rather than about the bot ("papers on system prompts"). */
const RESEARCH_CONTEXT = /\b(?:papers?|stud(?:y|ies)|research|methods?|approach(?:es)?|works?|corpus|abstracts?|llms?|language\s+models?|attacks?|injection|jailbreak(?:s|ing)?|techniques?|benchmarks?)\b/i;
/** …unless the question plainly targets the bot itself. */
const TARGETS_BOT = /\b(?:you|your|yours|yourself|paperbot|this\s+bot|the\s+bot)\b|\b(?:ignore|disregard)\b.*\binstructions?\b|_(?:KEY|TOKEN)\b/i;

/**
 * A deterministic check, before any model call: does the text ask for the bot's instructions,
 * keys, tokens or other secrets (including "ignore previous instructions" injections)?
 * Questions *about* research on these things ("which paper studies system prompt leakage?") pass.
 */
export function isSecretRequest(text: string): boolean {
  const flat = text.normalize('NFKC').replace(/\s+/g, ' ');
  if (!PATTERNS.some((p) => p.test(flat))) return false;
  if (RESEARCH_CONTEXT.test(flat) && !TARGETS_BOT.test(flat)) return false;
  return true;
}

/**
 * True when `answer` reproduces a long verbatim stretch of `secretText` (e.g. the system prompt echoed back):
 * any run of `minWords` consecutive words of the secret text found in the answer.
 */
export function leaksText(answer: string, secretText: string, minWords = 12): boolean {
  const secret = words(secretText);
  if (secret.length < minWords) return false;
  const haystack = ` ${words(answer).join(' ')} `;
  for (let i = 0; i + minWords <= secret.length; i += 3) {
    if (haystack.includes(` ${secret.slice(i, i + minWords).join(' ')} `)) return true;
  }
  return false;
}

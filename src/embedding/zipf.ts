/** Euler–Mascheroni constant: ln(n) + γ approximates the n-th harmonic number. */
const EULER_MASCHERONI = 0.5772;

/**
 * Zipf's-law estimate of how often a word occurs in general text from its frequency rank (0 = most
 * frequent) in a vocabulary of `vocabularySize` words: 1 / ((rank + 1) · H(vocabularySize)).
 */
export function zipfProbability(rank: number, vocabularySize: number): number {
  return 1 / ((rank + 1) * (Math.log(vocabularySize) + EULER_MASCHERONI));
}

// Compares what a consumer printed or answered with what the shared checks expect.
import { EXPECTED } from '../shared/check.mjs';
import { EXPECTED_ANSWERS } from '../shared/deliver.mjs';

export { EXPECTED, EXPECTED_ANSWERS };

/** Throws unless `actual` (trimmed) is `expected`; returns it as the detail for the table. */
export function expectText(what, actual, expected) {
  const text = String(actual).trim();
  if (text !== expected) throw new Error(`${what}: expected "${expected}", got "${text.slice(0, 2000)}"`);
  return `${what}: ${text}`;
}

/**
 * A program's output must be `lines` (by default the check line, then a receiver's answers),
 * with nothing on stderr.
 */
export function expectProgram({ stdout, stderr }, lines = [EXPECTED, EXPECTED_ANSWERS]) {
  expectText('output', stdout, lines.join('\n'));
  const noise = stderr.trim();
  if (noise) throw new Error(`the program wrote to stderr:\n${noise.split('\n').slice(0, 15).join('\n')}`);
  return lines.join(' | ');
}

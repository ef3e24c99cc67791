// Reading a body or an event from a file or standard input.
import { readFileSync } from 'node:fs';
import { UsageError } from './usage.js';

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks)));
    process.stdin.on('error', reject);
  });
}

/** The bytes of FILE, or of standard input for "-" (or no FILE, when stdin is not a terminal). */
export async function readInput(file) {
  if (file === '-' || file === undefined) {
    if (file === undefined && process.stdin.isTTY) {
      throw new UsageError('give a FILE, or pipe the body on standard input');
    }
    return readStdin();
  }
  try {
    return readFileSync(file);
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
}

// Rewrites every rotate by a constant as two shifts and an or, after wasm-opt:
// `node scripts/lower-rotates.mjs file.wasm...` (in place).
//
// V8's baseline compiler (Liftoff), which runs every function until it is hot enough to be
// optimised, compiles `i32.rotl`, `i32.rotr` and their i64 forms into calls to C functions. SHA-1
// and SHA-256 rotate several times a round, so in a fresh process most of a verification's time
// went into those calls: 14 µs a 525 B body under Liftoff, 5-7 µs with shifts (Node 20 and 24,
// measured). The optimising compiler turns `x << c | x >>> (32 - c)` back into one rotate, so the
// warm speed does not change. The rotates come from the hash crates (`u32::rotate_left`), and
// LLVM emits a rotate for any shift pair it recognises, so the rewrite is done on the module.
//
// The module goes through binaryen's text form (binaryen.js, the package that provides wasm-opt):
// each folded `(i32.rotl X (i32.const c))` becomes
// `(i32.or (i32.shl (local.tee $t X) (i32.const c)) (i32.shr_u (local.get $t) (i32.const 32-c)))`
// with one new local per function and type. Nothing runs between the tee and the get, so one
// local serves nested rotates too. A rotate by a variable amount is left as it is.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import binaryen from 'binaryen';

const ROTATES = {
  'i32.rotl': { bits: 32, first: 'i32.shl', second: 'i32.shr_u', local: '$rotate_i32', type: 'i32' },
  'i32.rotr': { bits: 32, first: 'i32.shr_u', second: 'i32.shl', local: '$rotate_i32', type: 'i32' },
  'i64.rotl': { bits: 64, first: 'i64.shl', second: 'i64.shr_u', local: '$rotate_i64', type: 'i64' },
  'i64.rotr': { bits: 64, first: 'i64.shr_u', second: 'i64.shl', local: '$rotate_i64', type: 'i64' },
};

/** The text as nested arrays of atoms (strings, comments kept whole). No recursion: binaryen's
 * blocks nest deeply in large functions. */
export function parse(text) {
  const root = [];
  const stack = [root];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '(' && text[i + 1] === ';') {
      const end = text.indexOf(';)', i) + 2;
      stack.at(-1).push(text.slice(i, end));
      i = end;
    } else if (c === '(') {
      const list = [];
      stack.at(-1).push(list);
      stack.push(list);
      i += 1;
    } else if (c === ')') {
      stack.pop();
      if (stack.length === 0) throw new Error('lower-rotates: unbalanced ")" in the module text');
      i += 1;
    } else if (c === ';' && text[i + 1] === ';') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === ' ' || c === '\n' || c === '\t' || c === '\r') {
      i += 1;
    } else if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      stack.at(-1).push(text.slice(i, j + 1));
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && !' \n\t\r()'.includes(text[j])) j += 1;
      stack.at(-1).push(text.slice(i, j));
      i = j;
    }
  }
  if (stack.length !== 1) throw new Error('lower-rotates: unbalanced "(" in the module text');
  return root;
}

export function print(nodes) {
  const out = [];
  const walk = [[nodes, 0, true]];
  while (walk.length > 0) {
    const top = walk.at(-1);
    const [list, index, isRoot] = top;
    if (index === list.length) {
      walk.pop();
      if (!isRoot) out.push(')');
      continue;
    }
    top[1] += 1;
    const item = list[index];
    if (index > 0) out.push(isRoot ? '\n' : ' ');
    if (Array.isArray(item)) {
      out.push('(');
      walk.push([item, 0, false]);
    } else {
      out.push(item);
    }
  }
  return out.join('');
}

/** Lowers the rotates inside one expression, children first; returns the lowered expression and
 * how many it lowered, and adds the types of the locals it needs to `needs`. */
function lowerExpression(root, needs) {
  let count = 0;
  // Post-order without recursion: each list's children are lowered before the list itself.
  const lowered = new Map();
  const walk = [[root, 0]];
  while (walk.length > 0) {
    const top = walk.at(-1);
    const [list, index] = top;
    if (index < list.length) {
      top[1] += 1;
      if (Array.isArray(list[index])) walk.push([list[index], 0]);
      continue;
    }
    walk.pop();
    for (let k = 0; k < list.length; k += 1) {
      if (lowered.has(list[k])) list[k] = lowered.get(list[k]);
    }
    const found = constantRotate(list);
    if (found === undefined) continue;
    const { rotate, amount } = found;
    count += 1;
    const c = Number(BigInt.asUintN(32, BigInt(amount)) % BigInt(rotate.bits));
    if (c === 0) {
      lowered.set(list, list[1]);
      continue;
    }
    needs.add(rotate.type);
    lowered.set(list, [
      `${rotate.type}.or`,
      [rotate.first, ['local.tee', rotate.local, list[1]], [`${rotate.type}.const`, String(c)]],
      [rotate.second, ['local.get', rotate.local], [`${rotate.type}.const`, String(rotate.bits - c)]],
    ]);
  }
  return [lowered.get(root) ?? root, count];
}

const HEADER = new Set(['type', 'param', 'result', 'local', 'export', 'import']);

/** The rotate a list is, when its amount is a constant. */
function constantRotate(list) {
  const rotate = typeof list[0] === 'string' && Object.hasOwn(ROTATES, list[0]) ? ROTATES[list[0]] : undefined;
  const amount = list[2];
  return rotate !== undefined && list.length === 3 && Array.isArray(amount) && amount[0] === `${rotate.type}.const`
    ? { rotate, amount: amount[1] }
    : undefined;
}

/** Lowers every constant rotate in a module's text; returns the text and how many it lowered. */
export function lowerText(text) {
  const module = parse(text);
  const countIn = (nodes) => {
    let n = 0;
    const walk = [nodes];
    while (walk.length > 0) {
      const list = walk.pop();
      if (constantRotate(list) !== undefined) n += 1;
      for (const item of list) if (Array.isArray(item)) walk.push(item);
    }
    return n;
  };
  let count = 0;
  for (const top of module) {
    if (!Array.isArray(top) || top[0] !== 'module') continue;
    for (const fn of top) {
      if (!Array.isArray(fn) || fn[0] !== 'func') continue;
      const needs = new Set();
      for (let k = 1; k < fn.length; k += 1) {
        if (!Array.isArray(fn[k]) || HEADER.has(fn[k][0])) continue;
        const [expression, lowered] = lowerExpression(fn[k], needs);
        fn[k] = expression;
        count += lowered;
      }
      if (needs.size === 0) continue;
      let at = 1;
      while (at < fn.length && (!Array.isArray(fn[at]) || HEADER.has(fn[at][0]))) at += 1;
      for (const type of needs) fn.splice(at, 0, ['local', type === 'i32' ? ROTATES['i32.rotl'].local : ROTATES['i64.rotl'].local, type]);
    }
  }
  // What is left should be none: a check of the rewrite itself.
  return { text: print(module), count, left: countIn(module) };
}

/** Lowers a module's binary; returns the new binary and how many rotates it lowered. */
export function lowerBinary(bytes) {
  const read = binaryen.readBinary(bytes);
  read.setFeatures(binaryen.Features.All);
  const { text, count, left } = lowerText(read.emitText());
  read.dispose();
  const written = binaryen.parseText(text);
  written.setFeatures(binaryen.Features.All);
  if (!written.validate()) throw new Error('lower-rotates: the rewritten module does not validate');
  const out = written.emitBinary();
  written.dispose();
  if (!WebAssembly.validate(out)) throw new Error('lower-rotates: the engine refuses the rewritten module');
  return { bytes: out, count, left };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const file of process.argv.slice(2)) {
    const { bytes, count, left } = lowerBinary(readFileSync(file));
    writeFileSync(file, bytes);
    console.log(`lower-rotates: ${file}: ${count} rotates by a constant lowered to shifts${left ? `, ${left} left` : ''}`);
  }
}

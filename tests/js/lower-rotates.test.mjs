// scripts/lower-rotates.mjs: the modules rotate by shifts, since V8's baseline compiler makes
// every rotate instruction a call into C. The rewrite must compute what the rotate computed.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import binaryen from 'binaryen';
import { lowerBinary, lowerText, parse, print } from '../../scripts/lower-rotates.mjs';
import { PKG } from './package-fixtures.mjs';

// Rotates by constants of every kind: left and right, both widths, nested, by 0, by the width
// and beyond, by a negative constant; and one by a variable amount, which stays a rotate.
const MODULE = `(module
 (func $r32 (export "r32") (param $x i32) (result i32)
  (i32.xor
   (i32.add (i32.rotl (local.get $x) (i32.const 5)) (i32.rotr (local.get $x) (i32.const 2)))
   (i32.xor
    (i32.rotl (i32.rotr (i32.rotl (local.get $x) (i32.const 1)) (i32.const 31)) (i32.const 30))
    (i32.add (i32.rotl (local.get $x) (i32.const 0)) (i32.add (i32.rotr (local.get $x) (i32.const 33)) (i32.rotl (local.get $x) (i32.const -3)))))))
 (func $r64 (export "r64") (param $x i64) (result i64)
  (local $y i64)
  (local.set $y (i64.rotl (local.get $x) (i64.const 13)))
  (i64.xor (i64.rotr (local.get $y) (i64.const 61)) (i64.add (i64.rotl (i64.rotr (local.get $x) (i64.const 64)) (i64.const 7)) (local.get $y))))
 (func $var (export "var") (param $x i32) (param $n i32) (result i32)
  (i32.rotl (local.get $x) (local.get $n))))`;

function build(text) {
  const module = binaryen.parseText(text);
  module.setFeatures(binaryen.Features.All);
  assert.ok(module.validate());
  const bytes = module.emitBinary();
  module.dispose();
  return bytes;
}

const rotates = (bytes) => {
  const module = binaryen.readBinary(bytes);
  module.setFeatures(binaryen.Features.All);
  const text = module.emitText();
  module.dispose();
  return (text.match(/\bi(?:32|64)\.rot[lr]\b/g) ?? []).length;
};

test('the lowered module computes what the rotates computed', async () => {
  const original = build(MODULE);
  const { bytes, count, left } = lowerBinary(original);
  assert.equal(count, 12);
  assert.equal(left, 0);
  assert.equal(rotates(original), 13);
  assert.equal(rotates(bytes), 1, 'only the rotate by a variable amount is left');
  const before = (await WebAssembly.instantiate(original)).instance.exports;
  const after = (await WebAssembly.instantiate(bytes)).instance.exports;
  const samples = [0, 1, -1, 0x80000000, 0x7fffffff, 0x12345678, 0xdeadbeef | 0];
  for (let k = 0; k < 2000; k += 1) samples.push((Math.random() * 2 ** 32) | 0);
  for (const x of samples) {
    assert.equal(after.r32(x), before.r32(x), `r32(${x})`);
    const wide = (BigInt(x) << 32n) ^ BigInt(samples[(x >>> 0) % samples.length] >>> 0);
    assert.equal(after.r64(wide), before.r64(wide), `r64(${wide})`);
    assert.equal(after.var(x, x & 63), before.var(x, x & 63));
  }
});

test('the text is read and written back whole: strings, comments and deep nesting', () => {
  const deep = `${'(block '.repeat(20000)}(nop)${')'.repeat(20000)}`;
  const text = `(module (data "a) (\\" b") (; a ) comment ;) (func ${deep}))`;
  const nodes = parse(text);
  assert.equal(nodes[0][1][0], 'data');
  assert.equal(nodes[0][1][1], '"a) (\\" b"');
  assert.equal(nodes[0][2], '(; a ) comment ;)');
  assert.equal(print(parse(print(nodes))), print(nodes));
  assert.equal(lowerText(text).count, 0);
  assert.throws(() => parse('(module (func)'), /unbalanced "\("/);
  assert.throws(() => parse('(module))'), /unbalanced "\)"/);
});

test('the package’s modules have no rotate instruction left', () => {
  for (const name of ['verify.wasm', 'full.wasm']) {
    assert.equal(rotates(readFileSync(new URL(name, PKG))), 0, name);
  }
});

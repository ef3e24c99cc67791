// What the command prints from a request (pkg/cli/terminal.js), in process: one line per
// delivery, every character that could disguise it made visible, fields cut to their width.
import test from 'node:test';
import assert from 'node:assert/strict';
import { eventSummary, oneLine } from '../../pkg/cli/terminal.js';

test('oneLine: line breaks and tabs become one space; the ends are trimmed', () => {
  assert.equal(oneLine('a\nb'), 'a b');
  assert.equal(oneLine('a\r\n\t\v\fb'), 'a b');
  assert.equal(oneLine('a\u0085b\u2028c\u2029d'), 'a b c d');
  assert.equal(oneLine('  \n a  b \n '), 'a  b');
  assert.equal(oneLine(42), '42');
  assert.equal(oneLine(undefined), 'undefined');
});

test('oneLine: controls, bidi and zero-width characters, lone surrogates shown as <U+XXXX>', () => {
  assert.equal(oneLine('\u001b[2J'), '<U+001B>[2J');
  assert.equal(oneLine('a\u0000b\u007fc'), 'a<U+0000>b<U+007F>c');
  assert.equal(oneLine('pay\u202Egnp.exe'), 'pay<U+202E>gnp.exe');
  assert.equal(oneLine('a\u200Bb\u200Dc\uFEFFd\u00ADe'), 'a<U+200B>b<U+200D>c<U+FEFF>d<U+00AD>e');
  assert.equal(oneLine('x\uD800y'), 'x<U+D800>y');
  assert.equal(oneLine('\u{E0001}'), '<U+E0001>');
  assert.equal(oneLine('工单 😀 é'), '工单 😀 é');
});

test('oneLine: at most max characters (code points), the last one an ellipsis when cut', () => {
  assert.equal(oneLine('x'.repeat(200)), 'x'.repeat(200));
  assert.equal(oneLine('x'.repeat(201)), `${'x'.repeat(199)}…`);
  assert.equal(oneLine('abcdef', 6), 'abcdef');
  assert.equal(oneLine('abcdefg', 6), 'abcde…');
  assert.equal(oneLine('😀😀😀😀', 4), '😀😀😀😀');
  assert.equal(oneLine('😀😀😀😀😀', 4), '😀😀😀…');
  // Cut after the hidden characters are made visible: they count at their visible width.
  assert.equal(oneLine('\u202E\u202E', 10), '<U+202E><…');
});

test('eventSummary: category/module/event, task, message; "-" for a missing field', () => {
  assert.equal(eventSummary(null), '');
  assert.equal(eventSummary(undefined), '');
  assert.equal(eventSummary('text'), '');
  assert.equal(eventSummary({}), '-/-/-');
  assert.equal(eventSummary({ category: '工单', module: '数据变更', event: '执行成功' }), '工单/数据变更/执行成功');
  assert.equal(eventSummary({ category: '', module: null, event: 0 }), '-/-/0');
  assert.equal(eventSummary({ taskId: 12, taskName: 'nightly' }), '-/-/-  task 12 nightly');
  assert.equal(eventSummary({ taskId: '', taskName: 'nightly' }), '-/-/-  task nightly');
  assert.equal(eventSummary({ taskId: null, taskName: undefined }), '-/-/-');
  assert.equal(eventSummary({ taskId: '', taskName: '' }), '-/-/-', 'empty task fields are no task');
  assert.equal(eventSummary({ taskId: 0 }), '-/-/-  task 0');
  assert.equal(eventSummary({ message: 'done\nok' }), '-/-/-  done ok');
  assert.equal(eventSummary({ message: 0 }), '-/-/-  0');
  assert.equal(eventSummary({ message: null }), '-/-/-');
  assert.equal(eventSummary({ category: 'a', taskName: 't', message: 'm' }), 'a/-/-  task t  m');
});

test('eventSummary: each field cut to its width and made safe', () => {
  const s = eventSummary({
    category: 'c'.repeat(41), module: 'm\u202Ex', event: 'e\n', taskName: 't'.repeat(61), message: 'z'.repeat(201),
  });
  assert.equal(s, `${'c'.repeat(39)}…/m<U+202E>x/e  task ${'t'.repeat(59)}…  ${'z'.repeat(199)}…`);
  assert.equal(eventSummary({ category: 'c'.repeat(40) }), `${'c'.repeat(40)}/-/-`);
  assert.equal(eventSummary({ taskName: 't'.repeat(60) }), `-/-/-  task ${'t'.repeat(60)}`);
});

//! The fast path: the canonical form written while reading, with no tree.
//!
//! Every fastjson rule is a local edit of the source except duplicate keys ("first position,
//! last value"), which would need the whole object first. Keys are therefore remembered per
//! object, and a duplicate stops the pass with [`Stop::Tree`] so the caller can take the
//! tree path; bodies DMS sends have none.

use super::number::Number;
use super::out::{Out, Sink};
use super::parser::{Edit, Handler, Literal, Member, Stop};
use crate::prelude::*;

struct Frame {
    emitted: bool,
    keys_base: usize,
    arena_base: usize,
}

/// A key of an open object: source text between the quotes, or decoded text in the arena.
#[derive(Clone, Copy)]
struct KeyRef {
    off: usize,
    len: usize,
    in_arena: bool,
    /// [`tag`] of the key, worked out once as the key is read, so that looking for a duplicate
    /// in a small object compares these words and touches the keys' bytes only when two agree.
    tag: u32,
}

/// The length and the first and last bytes of a decoded key, in one word: equal keys have
/// equal tags.
#[inline]
fn tag(key: &[u8]) -> u32 {
    let (first, last) = (key.first().copied(), key.last().copied());
    (key.len() as u32) << 16 | u32::from(first.unwrap_or(0)) << 8 | u32::from(last.unwrap_or(0))
}

pub(crate) struct Canon<'a> {
    pub out: Out<'a>,
    /// `out.sink.keeps()`, asked once: it is wanted for every member and every object.
    keeps: bool,
    frames: Vec<Frame>,
    keys: Vec<KeyRef>,
    arena: Vec<u8>,
    /// The source span of the outermost object's `eventTime` value, when it is a scalar.
    pub event_time: Option<(usize, usize)>,
    capture_next: bool,
}

impl<'a> Canon<'a> {
    pub fn new(input: &'a [u8], sink: &'a mut dyn Sink, at: usize) -> Self {
        Canon {
            keeps: sink.keeps(),
            out: Out::new(input, sink, at),
            frames: Vec::new(),
            keys: Vec::new(),
            arena: Vec::new(),
            event_time: None,
            capture_next: false,
        }
    }

    /// Starts over at `at`, forgetting what was written.
    pub fn restart(&mut self, at: usize) {
        self.out.sink.reset();
        self.out.jump(at);
        self.frames.clear();
        self.keys.clear();
        self.arena.clear();
        self.event_time = None;
        self.capture_next = false;
    }

    fn key_bytes(&self, k: KeyRef) -> &[u8] {
        if k.in_arena {
            &self.arena[k.off..k.off + k.len]
        } else {
            &self.out.input()[k.off..k.off + k.len]
        }
    }

    /// Inlined into the reader with the small-object check: a function of its own would be one
    /// more function for V8 to optimise while the first calls run (tests/js/node-start.test.mjs).
    #[inline(always)]
    fn has_duplicate(&self, from: usize) -> bool {
        let keys = &self.keys[from..];
        if keys.len() > 16 {
            return self.has_duplicate_sorted(keys);
        }
        // Equal keys have equal tags: the bytes are compared only when two tags collide, which
        // for distinct keys is rare.
        for (i, k) in keys.iter().enumerate() {
            for &earlier in &keys[..i] {
                if earlier.tag == k.tag && self.key_bytes(earlier) == self.key_bytes(*k) {
                    return true;
                }
            }
        }
        false
    }

    /// Sorting keeps large objects at n log n: no hashing an attacker could aim at.
    #[inline(never)]
    fn has_duplicate_sorted(&self, keys: &[KeyRef]) -> bool {
        let mut sorted: Vec<(&[u8], usize)> = keys
            .iter()
            .enumerate()
            .map(|(i, &k)| (self.key_bytes(k), i))
            .collect();
        super::sort_keys(&mut sorted);
        sorted.windows(2).any(|w| w[0].0 == w[1].0)
    }

    fn captured(&mut self, start: usize, end: usize) {
        if self.capture_next {
            self.event_time = Some((start, end));
            self.capture_next = false;
        }
    }
}

// The envelope is the only caller (`Envelope::for_value` serves values read on their own), so
// the methods marked `#[inline]` are written once, inside the envelope's, with no call between.
impl Handler for Canon<'_> {
    #[inline]
    fn begin(&mut self, _at: usize, _object: bool) -> Result<(), Stop> {
        self.capture_next = false;
        self.frames.push(Frame {
            emitted: false,
            keys_base: self.keys.len(),
            arena_base: self.arena.len(),
        });
        Ok(())
    }

    #[inline]
    fn end(&mut self, _at: usize, object: bool) -> Result<(), Stop> {
        let Some(frame) = self.frames.pop() else {
            return Ok(());
        };
        if object && self.keeps && self.has_duplicate(frame.keys_base) {
            return Err(Stop::Tree);
        }
        self.keys.truncate(frame.keys_base);
        self.arena.truncate(frame.arena_base);
        Ok(())
    }

    #[inline]
    fn member(&mut self, m: &Member<'_>) -> Result<(), Stop> {
        let key = &m.key;
        if self.keeps {
            // A plain key is the source between its quotes; one with an escape is decoded into
            // the arena.
            let (off, in_arena) = if key.plain {
                (key.start + 1, false)
            } else {
                let off = self.arena.len();
                self.arena.extend_from_slice(key.decoded);
                (off, true)
            };
            self.keys.push(KeyRef {
                off,
                len: key.decoded.len(),
                in_arena,
                tag: tag(key.decoded),
            });
        }
        if self.frames.len() == 1 {
            self.capture_next = key.decoded == b"eventTime";
        }
        if m.null {
            // fastjson leaves a null member out entirely, separator included.
            self.out.skip(m.lead, m.value + 4);
            return Ok(());
        }
        let Some(frame) = self.frames.last_mut() else {
            return Ok(());
        };
        let space_from = if m.first { m.lead } else { m.lead + 1 };
        if !m.first && !frame.emitted {
            // Every member before this one was null: its comma has nothing to separate.
            self.out.skip(m.lead, key.start);
        } else if space_from < key.start {
            self.out.skip(space_from, key.start);
        }
        frame.emitted = true;
        if let Some(canonical) = key.canonical {
            self.out.replace(key.start, key.end, canonical);
        }
        if key.end < m.colon {
            self.out.skip(key.end, m.colon);
        }
        if m.colon + 1 < m.value {
            self.out.skip(m.colon + 1, m.value);
        }
        Ok(())
    }

    #[inline]
    fn whitespace(&mut self, from: usize, to: usize) {
        self.out.skip(from, to);
    }

    #[inline]
    fn edit(&mut self, e: &Edit) {
        if !e.same {
            self.out.replace(e.from, e.to, e.canonical());
        }
    }

    #[inline]
    fn every_edit(&self) -> bool {
        false
    }

    #[inline]
    fn string(&mut self, start: usize, end: usize) -> Result<(), Stop> {
        self.captured(start, end);
        Ok(())
    }

    fn number(&mut self, n: &Number) -> Result<(), Stop> {
        self.captured(n.start, n.end);
        if !n.is_canonical_as_written() {
            #[cfg(not(feature = "full"))]
            return Err(Stop::Tree);
            #[cfg(feature = "full")]
            {
                self.out.skip(n.start, n.end);
                let input = self.out.input();
                n.write(input, &mut self.out);
            }
        }
        Ok(())
    }

    fn literal(&mut self, _start: usize, _end: usize, _lit: Literal) -> Result<(), Stop> {
        self.capture_next = false;
        Ok(())
    }
}

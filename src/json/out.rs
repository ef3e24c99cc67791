//! Writing the canonical form as "the source, with edits".
//!
//! For the bodies DMS sends the canonical text is almost entirely the source text, so the writer
//! keeps a *run*: the stretch of source not yet written. Edits (a dropped space, a rewritten
//! number, an escape) flush the run up to the edit and move its start past it. A compact body
//! reaches the sink as a few large slices, which is what lets the canonical form go straight
//! into the HMAC at close to the HMAC's own speed.

use crate::prelude::*;
/// Where canonical bytes go: a buffer, the HMACs being computed, or nowhere.
///
/// Used as `dyn Sink`: one copy of the writer serves every sink, and each call writes a whole
/// run of source, so the indirect call is paid per run, not per byte.
pub(crate) trait Sink {
    /// False for a sink that keeps nothing: the reader then skips duplicate-key bookkeeping,
    /// which only matters for what is written.
    fn keeps(&self) -> bool {
        true
    }

    fn put(&mut self, bytes: &[u8]);

    /// Forget everything written (a later duplicate `messageEvent` replaces the first).
    fn reset(&mut self);
}

impl Sink for Vec<u8> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }

    fn reset(&mut self) {
        self.clear();
    }
}

/// Validates without writing.
pub(crate) struct Discard;

impl Sink for Discard {
    fn keeps(&self) -> bool {
        false
    }

    #[inline]
    fn put(&mut self, _: &[u8]) {}

    fn reset(&mut self) {}
}

pub(crate) struct Out<'a> {
    input: &'a [u8],
    pub(crate) sink: &'a mut dyn Sink,
    run: usize,
}

impl<'a> Out<'a> {
    pub fn new(input: &'a [u8], sink: &'a mut dyn Sink, at: usize) -> Self {
        Out {
            input,
            sink,
            run: at,
        }
    }

    pub fn input(&self) -> &'a [u8] {
        self.input
    }

    /// Writes the pending source up to `pos`.
    #[inline]
    pub fn copy_until(&mut self, pos: usize) {
        if pos > self.run {
            self.sink.put(&self.input[self.run..pos]);
            self.run = pos;
        }
    }

    /// Leaves `from..to` of the source out.
    #[inline]
    pub fn skip(&mut self, from: usize, to: usize) {
        self.copy_until(from);
        self.run = to;
    }

    /// Writes `bytes` in place of `from..to` of the source.
    #[inline]
    pub fn replace(&mut self, from: usize, to: usize, bytes: &[u8]) {
        self.skip(from, to);
        self.sink.put(bytes);
    }

    /// Writes `bytes` that have no counterpart in the source, at the current position.
    #[cfg(feature = "full")]
    #[inline]
    pub fn emit(&mut self, bytes: &[u8]) {
        self.sink.put(bytes);
    }

    /// Moves the run to `pos` without writing what lies before it.
    #[inline]
    pub fn jump(&mut self, pos: usize) {
        self.run = pos;
    }
}

//! The body around `messageEvent`: which members matter, where they are, what kind they are.
//!
//! fastjson reads the whole body, so the whole body must be strict JSON; but only the top-level
//! `messageEvent`, `signatureMethod` and `signatureText` mean anything, each taking its last
//! occurrence. The reader hands the `messageEvent` value to a [`Recorder`] (the canonical writer
//! or the tree) and only validates the rest.

use super::number::Number;
use super::parser::{Edit, Handler, Literal, Member, Stop};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Object,
    Array,
    String,
    Number,
    Bool,
    Null,
}

impl Kind {
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Object => "an object",
            Kind::Array => "an array",
            Kind::String => "a string",
            Kind::Number => "a number",
            Kind::Bool => "a boolean",
            Kind::Null => "null",
        }
    }
}

/// A top-level member's value: its source span and kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Captured {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    MessageEvent,
    SignatureMethod,
    SignatureText,
}

/// What receives the `messageEvent` value's events.
pub(crate) trait Recorder: Handler {
    /// A (new) `messageEvent` value starts at `at`; forget any earlier one.
    fn restart(&mut self, at: usize);
    /// The value ended at `end`.
    fn finish(&mut self, _end: usize) {}
}

pub(crate) struct Envelope<R> {
    pub inner: R,
    depth: usize,
    pub top: Option<Kind>,
    field: Option<Field>,
    value_start: usize,
    pub message_event: Option<Captured>,
    pub signature_method: Option<Captured>,
    pub signature_text: Option<Captured>,
    /// The current `messageEvent` holds an integer beyond ±(2^53 − 1).
    pub wide_integers: bool,
}

impl<R: Recorder> Envelope<R> {
    pub fn new(inner: R) -> Self {
        Envelope {
            inner,
            depth: 0,
            top: None,
            field: None,
            value_start: 0,
            message_event: None,
            signature_method: None,
            signature_text: None,
            wide_integers: false,
        }
    }

    /// An envelope around a value read on its own (a standalone `messageEvent`, a nested value
    /// shown in a message) that hands all of it to `inner`: it starts as if one level inside a
    /// `messageEvent` value, where every event is forwarded and no member is taken for a field.
    /// The canonical writer is then only ever reached through an envelope, which calls it
    /// directly, not through a table of handlers.
    pub fn for_value(inner: R) -> Self {
        Envelope {
            depth: 2,
            field: Some(Field::MessageEvent),
            ..Envelope::new(inner)
        }
    }

    #[inline]
    fn forwarding(&self) -> bool {
        self.field == Some(Field::MessageEvent)
    }

    fn complete(&mut self, kind: Kind, end: usize) {
        if self.depth != 1 {
            return;
        }
        let Some(field) = self.field.take() else {
            return;
        };
        let captured = Some(Captured {
            start: self.value_start,
            end,
            kind,
        });
        match field {
            Field::MessageEvent => {
                self.inner.finish(end);
                self.message_event = captured;
            }
            Field::SignatureMethod => self.signature_method = captured,
            Field::SignatureText => self.signature_text = captured,
        }
    }

    fn top_scalar(&mut self, kind: Kind) {
        if self.depth == 0 {
            self.top = Some(kind);
        }
    }
}

impl<R: Recorder> Handler for Envelope<R> {
    fn begin(&mut self, at: usize, object: bool) -> Result<(), Stop> {
        if self.depth == 0 {
            self.top = Some(if object { Kind::Object } else { Kind::Array });
        }
        if self.forwarding() {
            self.inner.begin(at, object)?;
        }
        self.depth += 1;
        Ok(())
    }

    fn end(&mut self, at: usize, object: bool) -> Result<(), Stop> {
        self.depth -= 1;
        if self.forwarding() {
            self.inner.end(at, object)?;
        }
        self.complete(if object { Kind::Object } else { Kind::Array }, at + 1);
        Ok(())
    }

    fn member(&mut self, m: &Member<'_>) -> Result<(), Stop> {
        if self.depth == 1 {
            self.field = match m.key.decoded {
                b"messageEvent" => Some(Field::MessageEvent),
                b"signatureMethod" => Some(Field::SignatureMethod),
                b"signatureText" => Some(Field::SignatureText),
                _ => None,
            };
            self.value_start = m.value;
            if self.forwarding() {
                self.inner.restart(m.value);
                self.wide_integers = false;
            }
            Ok(())
        } else if self.forwarding() {
            self.inner.member(m)
        } else {
            Ok(())
        }
    }

    #[inline]
    fn whitespace(&mut self, from: usize, to: usize) {
        if self.forwarding() {
            self.inner.whitespace(from, to);
        }
    }

    #[inline]
    fn edit(&mut self, e: &Edit) {
        if self.forwarding() {
            self.inner.edit(e);
        }
    }

    /// Outside `messageEvent` no edit is wanted at all.
    #[inline]
    fn every_edit(&self) -> bool {
        self.forwarding() && self.inner.every_edit()
    }

    fn string(&mut self, start: usize, end: usize) -> Result<(), Stop> {
        self.top_scalar(Kind::String);
        if self.forwarding() {
            self.inner.string(start, end)?;
        }
        self.complete(Kind::String, end);
        Ok(())
    }

    fn number(&mut self, n: &Number) -> Result<(), Stop> {
        self.top_scalar(Kind::Number);
        if self.forwarding() {
            self.wide_integers |= n.wide;
            self.inner.number(n)?;
        }
        self.complete(Kind::Number, n.end);
        Ok(())
    }

    fn literal(&mut self, start: usize, end: usize, lit: Literal) -> Result<(), Stop> {
        let kind = if lit == Literal::Null {
            Kind::Null
        } else {
            Kind::Bool
        };
        self.top_scalar(kind);
        if self.forwarding() {
            self.inner.literal(start, end, lit)?;
        }
        self.complete(kind, end);
        Ok(())
    }
}

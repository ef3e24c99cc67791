//! Reading DMS bodies and writing fastjson's canonical form.

pub(crate) mod envelope;
pub(crate) mod number;
pub(crate) mod out;
pub(crate) mod parser;
pub(crate) mod stream;
pub(crate) mod string;
#[cfg(feature = "full")]
pub(crate) mod tree;

use crate::error::{Error, ErrorCode};
use crate::prelude::*;
use crate::text::text;
use envelope::{Captured, Envelope, Kind, Recorder};
use out::Sink;
use parser::{read, skip_ws, Stop};
use stream::Canon;
#[cfg(feature = "full")]
use tree::Tree;

impl Recorder for Canon<'_> {
    fn restart(&mut self, at: usize) {
        Canon::restart(self, at);
    }

    fn finish(&mut self, end: usize) {
        self.out.copy_until(end);
    }
}

/// Sorts keys by their decoded bytes, ties by position. Both duplicate-key paths use this one
/// sort: n log n whatever the keys, with no hashing an attacker could aim at.
///
/// A heapsort: worst case n log n, no allocation, and a few hundred bytes of WebAssembly, where
/// the standard library's pattern-defeating sort brings 6 KB for inputs that are mostly a handful
/// of keys (it is only reached for objects of more than 16 keys or with a duplicate).
pub(crate) fn sort_keys(keys: &mut [(&[u8], usize)]) {
    fn sift_down(keys: &mut [(&[u8], usize)], mut root: usize, end: usize) {
        loop {
            let mut child = 2 * root + 1;
            if child >= end {
                return;
            }
            if child + 1 < end && keys[child] < keys[child + 1] {
                child += 1;
            }
            if keys[root] >= keys[child] {
                return;
            }
            keys.swap(root, child);
            root = child;
        }
    }
    let n = keys.len();
    for root in (0..n / 2).rev() {
        sift_down(keys, root, n);
    }
    for end in (1..n).rev() {
        keys.swap(0, end);
        sift_down(keys, 0, end);
    }
}

/// Where the parts of a body that matter are.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Body {
    /// The `messageEvent` value's source span (its raw text).
    pub message_event: (usize, usize),
    pub signature_method: Option<Captured>,
    pub signature_text: Option<Captured>,
    /// The source span of `messageEvent.eventTime`, when it is a string or a number.
    pub event_time: Option<(usize, usize)>,
    /// `messageEvent` holds an integer beyond ±(2^53 − 1).
    pub wide_integers: bool,
}

struct Fields {
    top: Option<Kind>,
    message_event: Option<Captured>,
    signature_method: Option<Captured>,
    signature_text: Option<Captured>,
    wide_integers: bool,
}

impl<R> From<&Envelope<R>> for Fields {
    fn from(env: &Envelope<R>) -> Self {
        Fields {
            top: env.top,
            message_event: env.message_event,
            signature_method: env.signature_method,
            signature_text: env.signature_text,
            wide_integers: env.wide_integers,
        }
    }
}

const BOM: &[u8] = "\u{FEFF}".as_bytes();

/// Whether a body's bytes still have to be checked for UTF-8, or are known to be UTF-8 (they
/// came as a `&str`, or from JavaScript's `TextEncoder`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Utf8 {
    Check,
    Known,
}

/// Checks the encoding (unless it is known) and finds the first token (after an optional byte
/// order mark).
fn first_token(b: &[u8], utf8: Utf8) -> Result<usize, Error> {
    // The SIMD validator: the standard one alone costs about as much as the HMAC. Even so it
    // is a fifth of the reading of a long message, which a body known to be UTF-8 skips.
    if utf8 == Utf8::Check {
        if let Err(e) = simdutf8::compat::from_utf8(b) {
            let at = e.valid_up_to();
            return Err(Error::at(
                ErrorCode::InvalidUtf8,
                at,
                text!("the body is not valid UTF-8 (at byte ", at, ")"),
            ));
        }
    }
    let start = if b.starts_with(BOM) { BOM.len() } else { 0 };
    let i = skip_ws(b, start);
    if i == b.len() {
        return Err(Error::malformed(i, "the body is empty"));
    }
    Ok(i)
}

fn read_envelope<R: Recorder>(b: &[u8], start: usize, env: &mut Envelope<R>) -> Result<(), Stop> {
    let end = read(b, start, 0, env)?;
    let tail = skip_ws(b, end);
    if tail != b.len() {
        return Err(Error::malformed(tail, "unexpected data after the JSON body").into());
    }
    Ok(())
}

#[cfg(feature = "full")]
fn fail(stop: Stop) -> Error {
    match stop {
        Stop::Fail(e) => e,
        // Only the streaming writer stops for duplicates, and its callers handle it.
        Stop::Tree => Error::needs_full(),
    }
}

fn located(fields: Fields, event_time: Option<(usize, usize)>) -> Result<Body, Error> {
    match fields.top {
        Some(Kind::Object) => {}
        Some(kind) => {
            return Err(Error::new(
                ErrorCode::MissingMessageEvent,
                text!(
                    "the body is ",
                    kind.describe(),
                    ", not an object with a messageEvent member"
                ),
            ))
        }
        None => return Err(Error::malformed(0, "the body is empty")),
    }
    let Some(me) = fields.message_event else {
        return Err(Error::new(
            ErrorCode::MissingMessageEvent,
            "the body has no messageEvent member",
        ));
    };
    if me.kind != Kind::Object {
        return Err(Error::at(
            ErrorCode::InvalidMessageEvent,
            me.start,
            text!(
                "messageEvent is ",
                me.kind.describe(),
                ", not an object (at byte ",
                me.start,
                ")"
            ),
        ));
    }
    Ok(Body {
        message_event: (me.start, me.end),
        signature_method: fields.signature_method,
        signature_text: fields.signature_text,
        event_time,
        wide_integers: fields.wide_integers,
    })
}

/// Reads a whole body, writing the canonical `messageEvent` into `sink`.
pub(crate) fn read_body(b: &[u8], utf8: Utf8, sink: &mut dyn Sink) -> Result<Body, Error> {
    let start = first_token(b, utf8)?;
    let fast = {
        let mut env = Envelope::new(Canon::new(b, sink, start));
        read_envelope(b, start, &mut env).map(|()| (Fields::from(&env), env.inner.event_time))
    };
    match fast {
        Ok((fields, event_time)) => located(fields, event_time),
        Err(Stop::Fail(e)) => Err(e),
        #[cfg(feature = "full")]
        Err(Stop::Tree) => {
            sink.reset();
            let (body, tree) = read_body_tree(b, Utf8::Known)?;
            tree.write(sink);
            Ok(body)
        }
        #[cfg(not(feature = "full"))]
        Err(Stop::Tree) => Err(Error::needs_full()),
    }
}

/// Reads a whole body into a tree of its `messageEvent`.
///
/// Two passes: the fast path reads the body writing nowhere (so it keeps no keys and never
/// stops for a duplicate) and finds where everything is; then the tree is built from the
/// `messageEvent` value, and says what the merged event holds (an overwritten duplicate is not
/// part of it). One reader of envelopes serves both paths, which keeps the tree path small.
#[cfg(feature = "full")]
pub(crate) fn read_body_tree(b: &[u8], utf8: Utf8) -> Result<(Body, Tree<'_>), Error> {
    let mut body = read_body(b, utf8, &mut out::Discard)?;
    let mut tree = Tree::new(b);
    let start = body.message_event.0;
    read(b, start, 1, &mut tree).map_err(fail)?;
    body.wide_integers = tree.has_wide_integers();
    body.event_time = tree.member(b"eventTime");
    Ok((body, tree))
}

/// Writes the canonical form of the JSON value `b[start..end]`, read at nesting `depth`.
pub(crate) fn write_value(
    b: &[u8],
    start: usize,
    depth: usize,
    sink: &mut dyn Sink,
) -> Result<usize, Error> {
    let fast = {
        let mut env = Envelope::for_value(Canon::new(b, sink, start));
        let end = read(b, start, depth, &mut env);
        if let Ok(end) = end {
            env.inner.out.copy_until(end);
        }
        end
    };
    match fast {
        Ok(end) => Ok(end),
        Err(Stop::Fail(e)) => Err(e),
        #[cfg(feature = "full")]
        Err(Stop::Tree) => {
            sink.reset();
            let mut tree = Tree::new(b);
            let end = read(b, start, depth, &mut tree).map_err(fail)?;
            tree.write(sink);
            Ok(end)
        }
        #[cfg(not(feature = "full"))]
        Err(Stop::Tree) => Err(Error::needs_full()),
    }
}

/// The canonical form of a standalone JSON document that must be an object (a `messageEvent`
/// handed to `sign`). It is read one level down, as it will sit inside a body, so that nothing
/// is signed that a verifier would refuse as too deep.
pub(crate) fn canonical_object(b: &[u8]) -> Result<Vec<u8>, Error> {
    let start = first_token(b, Utf8::Check)?;
    if b[start] != b'{' {
        // Read it anyway so that malformed input is reported as such.
        write_value(b, start, 1, &mut out::Discard)?;
        return Err(Error::new(
            ErrorCode::InvalidMessageEvent,
            "a messageEvent must be a JSON object",
        ));
    }
    let mut canonical = Vec::with_capacity(b.len());
    let end = write_value(b, start, 1, &mut canonical)?;
    let tail = skip_ws(b, end);
    if tail != b.len() {
        return Err(Error::malformed(
            tail,
            "unexpected data after the JSON value",
        ));
    }
    Ok(canonical)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::prelude::rust_2021::*;

    /// Whether the streaming pass writes `body`'s event by itself, without handing it to the
    /// tree. The tree gives the same bytes, so only this tells a missed duplicate (wrong bytes
    /// later) or a false alarm (a slower path, and `full.wasm` loaded for nothing) apart.
    fn streams(body: &str) -> bool {
        let b = body.as_bytes();
        let mut sink = Vec::new();
        let start = first_token(b, Utf8::Check).unwrap();
        let mut env = Envelope::new(Canon::new(b, &mut sink, start));
        let read = read_envelope(b, start, &mut env);
        assert!(!matches!(read, Err(Stop::Fail(_))), "{body}");
        read.is_ok()
    }

    #[test]
    fn only_a_repeated_key_leaves_the_streaming_path() {
        let event = |members: &str| format!(r#"{{"messageEvent":{{{members}}}}}"#);
        for distinct in [
            r#""a":1,"b":2"#,
            // Same length, first and last bytes: the tag collides, the bytes differ.
            r#""axb":1,"ayb":2"#,
            r#""":1,"x":2"#,
            r#""k1":{"k1":1},"k2":[{"a":1},{"a":2}]"#,
            r#""\u0061":1,"b":2"#,
        ] {
            assert!(streams(&event(distinct)), "{distinct}");
        }
        let many: Vec<String> = (0..40).map(|i| format!(r#""k{i}":{i}"#)).collect();
        assert!(streams(&event(&many.join(","))));
        for repeated in [
            r#""a":1,"a":2"#,
            r#""axb":1,"c":0,"axb":2"#,
            r#""":1,"":2"#,
            r#""a":1,"\u0061":2"#,
            r#""o":{"x":1,"y":2,"x":3}"#,
        ] {
            assert!(!streams(&event(repeated)), "{repeated}");
        }
        let mut many = many;
        many.push(String::from(r#""k7":0"#));
        assert!(!streams(&event(&many.join(","))));
    }
}

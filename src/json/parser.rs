//! The one strict JSON reader every path uses.
//!
//! It enforces RFC 8259 and the rules fastjson adds (no `$ref`/`@type` keys, 512 levels,
//! Java's number limits) and reports what it reads to a [`Handler`] with source positions. It
//! keeps its own stack, so depth costs heap, not call stack, and it refuses the 513th level
//! before pushing it.

use super::number::{scan_number, Number};
pub(crate) use super::string::Edit;
use super::string::{plain_string_end, walk_string};
use crate::error::{Error, ErrorCode};
use crate::prelude::*;
use crate::text::{text, Hex};

/// Deepest nesting accepted, counting the body's own top-level object as level 1.
pub const MAX_DEPTH: usize = 512;

/// Why reading stopped early.
#[derive(Debug)]
pub(crate) enum Stop {
    Fail(Error),
    /// Something the streaming writer cannot write in one pass: a duplicate key ("first
    /// position, last value" needs the whole object), or, in a build without the `full`
    /// feature, a number fastjson rewrites. The caller starts again on the tree path.
    Tree,
}

impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        Stop::Fail(e)
    }
}

/// A key, decoded.
pub(crate) struct Key<'k> {
    /// The opening quote.
    pub start: usize,
    /// Just past the closing quote.
    pub end: usize,
    /// The decoded text as WTF-8 (equal to the source between the quotes when it has no escape).
    pub decoded: &'k [u8],
    /// Whether `decoded` is the source text itself.
    pub plain: bool,
    /// The canonical token, quotes included, when it differs from the source.
    pub canonical: Option<&'k [u8]>,
}

/// An object member, reported once its key, colon and the first byte of its value are known.
pub(crate) struct Member<'k> {
    /// The comma before the member, or the position just after `{` for the first member.
    pub lead: usize,
    pub first: bool,
    pub key: Key<'k>,
    pub colon: usize,
    /// Where the value starts.
    pub value: usize,
    /// The value is the literal `null`.
    pub null: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Literal {
    True,
    False,
    Null,
}

/// Receives what the reader reads. Whitespace inside a member's prefix (around the key and
/// colon) is not reported separately: the member carries the positions.
pub(crate) trait Handler {
    fn begin(&mut self, _at: usize, _object: bool) -> Result<(), Stop> {
        Ok(())
    }
    /// `at` is the closing bracket.
    fn end(&mut self, _at: usize, _object: bool) -> Result<(), Stop> {
        Ok(())
    }
    fn member(&mut self, _m: &Member<'_>) -> Result<(), Stop> {
        Ok(())
    }
    fn whitespace(&mut self, _from: usize, _to: usize) {}
    /// An edit inside a string value (keys come decoded in [`Member`]).
    fn edit(&mut self, _e: &Edit) {}
    /// Whether [`edit`](Handler::edit) wants the escapes fastjson writes as they stand (`\n`,
    /// `\"`, ...), which change only the decoded text: a writer of the canonical form does not.
    fn every_edit(&self) -> bool {
        true
    }
    fn string(&mut self, _start: usize, _end: usize) -> Result<(), Stop> {
        Ok(())
    }
    fn number(&mut self, _n: &Number) -> Result<(), Stop> {
        Ok(())
    }
    fn literal(&mut self, _start: usize, _end: usize, _lit: Literal) -> Result<(), Stop> {
        Ok(())
    }
}

#[inline]
pub(crate) fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = b.get(i) {
        i += 1;
    }
    i
}

/// Reusable buffers for decoding keys that contain escapes.
#[derive(Default)]
struct Scratch {
    decoded: Vec<u8>,
    canonical: Vec<u8>,
}

fn read_key<'k>(b: &'k [u8], start: usize, scratch: &'k mut Scratch) -> Result<Key<'k>, Error> {
    if let Some(end) = plain_string_end(b, start) {
        return Ok(Key {
            start,
            end,
            decoded: &b[start + 1..end - 1],
            plain: true,
            canonical: None,
        });
    }
    let mut escaped = false;
    let mut rewritten = false;
    let mut last = start + 1;
    let Scratch { decoded, canonical } = scratch;
    let end = walk_string(b, start, true, &mut |e| {
        if !escaped && !rewritten {
            decoded.clear();
            canonical.clear();
            canonical.push(b'"');
        }
        decoded.extend_from_slice(&b[last..e.from]);
        canonical.extend_from_slice(&b[last..e.from]);
        if e.escape {
            decoded.extend_from_slice(e.decoded());
        } else {
            decoded.extend_from_slice(&b[e.from..e.to]);
        }
        if e.same {
            canonical.extend_from_slice(&b[e.from..e.to]);
        } else {
            canonical.extend_from_slice(e.canonical());
            rewritten = true;
        }
        escaped |= e.escape;
        last = e.to;
    })?;
    if escaped || rewritten {
        decoded.extend_from_slice(&b[last..end - 1]);
        canonical.extend_from_slice(&b[last..end]);
    }
    Ok(Key {
        start,
        end,
        decoded: if escaped {
            &decoded[..]
        } else {
            &b[start + 1..end - 1]
        },
        plain: !escaped,
        canonical: if rewritten {
            Some(&canonical[..])
        } else {
            None
        },
    })
}

fn literal_at(b: &[u8], i: usize) -> Result<(usize, Literal), Error> {
    let (word, lit): (&[u8], _) = match b[i] {
        b't' => (b"true", Literal::True),
        b'f' => (b"false", Literal::False),
        _ => (b"null", Literal::Null),
    };
    if b[i..].starts_with(word) {
        let end = i + word.len();
        if b.get(end).is_some_and(|c| c.is_ascii_alphanumeric()) {
            return Err(Error::malformed(i, "unknown literal"));
        }
        Ok((end, lit))
    } else {
        Err(Error::malformed(
            i,
            "unknown literal (JSON has only true, false and null)",
        ))
    }
}

#[cold]
#[inline(never)]
fn unexpected(b: &[u8], i: usize, wanted: &str) -> Error {
    match b.get(i) {
        None => Error::malformed(i, &text!("unexpected end of the body, expected ", wanted)),
        Some(&c) if c.is_ascii_graphic() => {
            Error::malformed(i, &text!("unexpected '", c as char, "', expected ", wanted))
        }
        Some(&c) => Error::malformed(
            i,
            &text!(
                "unexpected byte 0x",
                Hex(c.into(), 2),
                ", expected ",
                wanted
            ),
        ),
    }
}

fn unsupported_key(decoded: &[u8]) -> bool {
    decoded == b"$ref" || decoded == b"@type"
}

/// [`read_value`] as every path calls it. In the verify module the one handler is the envelope
/// around the canonical writer, and the reader is specialised for it, the handler's code inlined
/// into it. With the `full` feature the tree reads too, and the handler goes behind `dyn`, so
/// that one copy of the reader serves both (the full module is built for size).
#[inline]
pub(crate) fn read<H: Handler>(
    b: &[u8],
    start: usize,
    depth: usize,
    h: &mut H,
) -> Result<usize, Stop> {
    #[cfg(feature = "full")]
    let h: &mut dyn Handler = h;
    read_value(b, start, depth, h, &mut Scratch::default())
}

/// Reads one JSON value starting exactly at `start` (no leading whitespace) inside `depth`
/// enclosing containers, and returns the index just past it.
///
/// Generic over the handler (see [`read`]): where there is one handler, its code is inlined
/// into the reader instead of an indirect call per token, most of the reading of a small body.
fn read_value<H: Handler + ?Sized>(
    b: &[u8],
    start: usize,
    depth: usize,
    h: &mut H,
    scratch: &mut Scratch,
) -> Result<usize, Stop> {
    // true: object, false: array.
    let mut stack: Vec<bool> = Vec::new();
    let mut i = start;
    // A member whose key comes before the next value: its lead, where its key may start, and
    // whether it is the first. Both ways into a member pass through here, so that `member` has
    // one caller and is inlined (a call per member otherwise).
    let mut key: Option<(usize, usize, bool)> = None;
    'value: loop {
        if let Some((lead, from, first)) = key.take() {
            i = member(b, lead, from, first, h, scratch)?;
        }
        match b.get(i) {
            Some(&open @ (b'{' | b'[')) => {
                let object = open == b'{';
                if depth + stack.len() + 1 > MAX_DEPTH {
                    return Err(Error::at(
                        ErrorCode::NestingTooDeep,
                        i,
                        text!(
                            "objects and arrays are nested more than ",
                            MAX_DEPTH,
                            " levels deep (at byte ",
                            i,
                            ")"
                        ),
                    )
                    .into());
                }
                h.begin(i, object)?;
                stack.push(object);
                let inner = i + 1;
                i = skip_ws(b, inner);
                let close = if object { b'}' } else { b']' };
                if b.get(i) == Some(&close) {
                    // Empty: the loop below reports the whitespace inside and closes it, so that
                    // `end` has one caller and is inlined.
                    i = inner;
                } else if object {
                    key = Some((inner, i, true));
                    continue 'value;
                } else {
                    if i > inner {
                        h.whitespace(inner, i);
                    }
                    continue 'value;
                }
            }
            Some(b'"') => {
                let end = match plain_string_end(b, i) {
                    Some(end) => end,
                    None => {
                        let every = h.every_edit();
                        walk_string(b, i, every, &mut |e| h.edit(e))?
                    }
                };
                h.string(i, end)?;
                i = end;
            }
            Some(b'-' | b'0'..=b'9') => {
                let n = scan_number(b, i)?;
                h.number(&n)?;
                i = n.end;
            }
            Some(b't' | b'f' | b'n') => {
                let (end, lit) = literal_at(b, i)?;
                h.literal(i, end, lit)?;
                i = end;
            }
            _ => return Err(unexpected(b, i, "a value").into()),
        }
        // After a value: a separator, a closing bracket, or the end of this value.
        loop {
            let Some(&object) = stack.last() else {
                return Ok(i);
            };
            let after = i;
            i = skip_ws(b, i);
            if i > after {
                h.whitespace(after, i);
            }
            let close = if object { b'}' } else { b']' };
            match b.get(i) {
                Some(b',') => {
                    if object {
                        key = Some((i, i + 1, false));
                    } else {
                        let next = skip_ws(b, i + 1);
                        if next > i + 1 {
                            h.whitespace(i + 1, next);
                        }
                        if b.get(next) == Some(&close) {
                            return Err(Error::malformed(next, "trailing comma").into());
                        }
                        i = next;
                    }
                    continue 'value;
                }
                Some(&c) if c == close => {
                    h.end(i, object)?;
                    stack.pop();
                    i += 1;
                }
                _ => {
                    let wanted = if object { "',' or '}'" } else { "',' or ']'" };
                    return Err(unexpected(b, i, wanted).into());
                }
            }
        }
    }
}

/// Reads a member's key and colon (from `lead`, the comma or the end of `{`), reports it, and
/// returns where its value starts.
#[inline]
fn member<H: Handler + ?Sized>(
    b: &[u8],
    lead: usize,
    from: usize,
    first: bool,
    h: &mut H,
    scratch: &mut Scratch,
) -> Result<usize, Stop> {
    let k = skip_ws(b, from);
    if b.get(k) != Some(&b'"') {
        if !first && b.get(k) == Some(&b'}') {
            return Err(Error::malformed(k, "trailing comma").into());
        }
        return Err(unexpected(b, k, "a key in double quotes").into());
    }
    let key = read_key(b, k, scratch)?;
    if unsupported_key(key.decoded) {
        return Err(Error::at(
            ErrorCode::UnsupportedJson,
            k,
            text!(
                "the key ",
                if key.decoded == b"$ref" {
                    "\"$ref\""
                } else {
                    "\"@type\""
                },
                " at byte ",
                k,
                " is a fastjson reference or type hint, which DMS never sends"
            ),
        )
        .into());
    }
    let colon = skip_ws(b, key.end);
    if b.get(colon) != Some(&b':') {
        return Err(unexpected(b, colon, "':' after the key").into());
    }
    let value = skip_ws(b, colon + 1);
    let null = b[value..].starts_with(b"null");
    h.member(&Member {
        lead,
        first,
        key,
        colon,
        value,
        null,
    })?;
    Ok(value)
}

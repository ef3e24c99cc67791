//! JSON strings: where fastjson's canonical form differs from the source text.
//!
//! A string is walked once. Bytes whose canonical form is themselves are never touched; every
//! other spot is reported as an [`Edit`] carrying both the canonical bytes (what fastjson writes)
//! and the decoded text (what the string *is*, as WTF-8, so that two keys compare the way Java
//! compares strings, lone surrogates included).
//!
//! The body has been checked to be valid UTF-8 before any string is walked, so multi-byte
//! sequences are complete and only their lead bytes need looking at.

use crate::error::Error;
use crate::prelude::*;
use crate::text::{text, Hex};

/// One spot where the canonical text, the decoded text, or both differ from the source.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Edit {
    pub from: usize,
    pub to: usize,
    /// The canonical bytes equal the source bytes (`\n`, `\"`, ...): only the decoded text differs.
    pub same: bool,
    /// An escape sequence: the decoded text differs from the source.
    pub escape: bool,
    canon: [u8; 6],
    canon_len: u8,
    decoded: [u8; 4],
    decoded_len: u8,
}

impl Edit {
    pub fn canonical(&self) -> &[u8] {
        &self.canon[..self.canon_len as usize]
    }

    /// The decoded text as WTF-8. Only meaningful for escapes; other edits decode to their source.
    pub fn decoded(&self) -> &[u8] {
        &self.decoded[..self.decoded_len as usize]
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Bytes that stop the fast scan: the quote, the backslash, control characters (an error when
/// raw), DEL, and the lead bytes of U+0080..U+00BF and U+2000..U+2FFF, where the C1 controls and
/// U+2028/U+2029 live.
const fn special_table() -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t[0x7F] = true;
    t[0xC2] = true;
    t[0xE2] = true;
    t
}
static SPECIAL: [bool; 256] = special_table();

// Eight bytes at a time where there is no SIMD (native builds, the full module). A SIMD build
// leaves fewer than sixteen bytes to the byte loop and has no use for words: the scan is inlined
// into each reader of strings, so every copy is kept small.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
const ONES: u64 = 0x0101_0101_0101_0101;
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
const HIGHS: u64 = 0x8080_8080_8080_8080;

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
fn has_byte(word: u64, byte: u8) -> bool {
    let x = word ^ (ONES * byte as u64);
    (x.wrapping_sub(ONES) & !x & HIGHS) != 0
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
fn has_special(word: u64) -> bool {
    // A byte below 0x20: (x - 0x20) borrows into bit 7 only where x < 0x20 (for x < 0x80).
    let below = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    below != 0
        || has_byte(word, b'"')
        || has_byte(word, b'\\')
        || has_byte(word, 0x7F)
        || has_byte(word, 0xC2)
        || has_byte(word, 0xE2)
}

/// Index of the first special byte at or after `i`, or `b.len()`.
#[inline]
fn next_special(b: &[u8], mut i: usize) -> usize {
    // Sixteen bytes at a time with WebAssembly SIMD: the npm package's modules spend much of
    // their time here on long messages.
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::{u8x16, u8x16_bitmask, u8x16_eq, u8x16_lt, u8x16_splat, v128_or};
        while let Some(c) = b.get(i..i + 16) {
            let v = u8x16(
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12],
                c[13], c[14], c[15],
            );
            let eq = |byte: u8| u8x16_eq(v, u8x16_splat(byte));
            let special = v128_or(
                v128_or(u8x16_lt(v, u8x16_splat(0x20)), v128_or(eq(b'"'), eq(b'\\'))),
                v128_or(eq(0x7F), v128_or(eq(0xC2), eq(0xE2))),
            );
            let mask = u8x16_bitmask(special);
            if mask != 0 {
                return i + mask.trailing_zeros() as usize;
            }
            i += 16;
        }
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    while i + 8 <= b.len() {
        let word = u64::from_le_bytes(b[i..i + 8].try_into().unwrap());
        if has_special(word) {
            break;
        }
        i += 8;
    }
    while i < b.len() && !SPECIAL[b[i] as usize] {
        i += 1;
    }
    i
}

fn hex4(b: &[u8], at: usize) -> Option<u16> {
    let digits = b.get(at..at + 4)?;
    let mut v: u16 = 0;
    for &d in digits {
        let n = match d {
            b'0'..=b'9' => d - b'0',
            b'a'..=b'f' => d - b'a' + 10,
            b'A'..=b'F' => d - b'A' + 10,
            _ => return None,
        };
        v = v << 4 | n as u16;
    }
    Some(v)
}

fn utf8_len(cp: u32) -> usize {
    match cp {
        0..=0x7F => 1,
        0x80..=0x7FF => 2,
        0x800..=0xFFFF => 3,
        _ => 4,
    }
}

/// Generalised UTF-8: surrogate code points are encoded like any other (as WTF-8 does), so a
/// lone surrogate stays distinct from every real character.
fn encode_wtf8(cp: u32, out: &mut [u8; 4]) -> u8 {
    let n = utf8_len(cp);
    match n {
        1 => out[0] = cp as u8,
        2 => {
            out[0] = 0xC0 | (cp >> 6) as u8;
            out[1] = 0x80 | (cp & 0x3F) as u8;
        }
        3 => {
            out[0] = 0xE0 | (cp >> 12) as u8;
            out[1] = 0x80 | ((cp >> 6) & 0x3F) as u8;
            out[2] = 0x80 | (cp & 0x3F) as u8;
        }
        _ => {
            out[0] = 0xF0 | (cp >> 18) as u8;
            out[1] = 0x80 | ((cp >> 12) & 0x3F) as u8;
            out[2] = 0x80 | ((cp >> 6) & 0x3F) as u8;
            out[3] = 0x80 | (cp & 0x3F) as u8;
        }
    }
    n as u8
}

/// What fastjson writes for one UTF-16 code unit or code point (rules 6 to 11 of the spec).
fn canonical_of(cp: u32, out: &mut [u8; 6]) -> u8 {
    let short = match cp {
        0x22 => Some(b'"'),
        0x5C => Some(b'\\'),
        0x08 => Some(b'b'),
        0x09 => Some(b't'),
        0x0A => Some(b'n'),
        0x0C => Some(b'f'),
        0x0D => Some(b'r'),
        _ => None,
    };
    if let Some(c) = short {
        out[0] = b'\\';
        out[1] = c;
        return 2;
    }
    match cp {
        0x00..=0x1F | 0x7F..=0x9F | 0x2028 | 0x2029 => {
            out[0] = b'\\';
            out[1] = b'u';
            out[2] = HEX[(cp >> 12) as usize & 0xF];
            out[3] = HEX[(cp >> 8) as usize & 0xF];
            out[4] = HEX[(cp >> 4) as usize & 0xF];
            out[5] = HEX[cp as usize & 0xF];
            6
        }
        // A lone surrogate: Java's UTF-8 encoder writes '?' for it.
        0xD800..=0xDFFF => {
            out[0] = b'?';
            1
        }
        _ => {
            let mut utf8 = [0u8; 4];
            let n = encode_wtf8(cp, &mut utf8);
            out[..n as usize].copy_from_slice(&utf8[..n as usize]);
            n
        }
    }
}

fn escape_edit(from: usize, to: usize, cp: u32) -> Edit {
    let mut e = Edit {
        from,
        to,
        same: false,
        escape: true,
        canon: [0; 6],
        canon_len: 0,
        decoded: [0; 4],
        decoded_len: 0,
    };
    e.canon_len = canonical_of(cp, &mut e.canon);
    e.decoded_len = encode_wtf8(cp, &mut e.decoded);
    e
}

fn rewrite_edit(from: usize, to: usize, cp: u32) -> Edit {
    let mut e = escape_edit(from, to, cp);
    e.escape = false;
    e
}

/// Just past the closing quote of the string whose opening quote is at `open`, when the string
/// holds nothing [`walk_string`] would stop at (no escape, nothing fastjson rewrites, no error):
/// most keys and values. The reader tries this first, one scan with no callback to set up and
/// no [`Error`] to make room for, and walks the string only when it returns `None`.
#[inline]
pub(crate) fn plain_string_end(b: &[u8], open: usize) -> Option<usize> {
    let close = next_special(b, open + 1);
    (b.get(close) == Some(&b'"')).then_some(close + 1)
}

/// Walks the string whose opening quote is at `open`, reporting its [`Edit`]s, and returns the
/// index just past the closing quote. With `every` false, an escape fastjson writes as it stands
/// (`\n`, `\"`, `\\`, ...) is checked and passed over without an edit: a writer of the canonical
/// form has no use for it, and DMS messages hold a `\n` per line.
pub(crate) fn walk_string(
    b: &[u8],
    open: usize,
    every: bool,
    edit: &mut dyn FnMut(&Edit),
) -> Result<usize, Error> {
    let mut i = open + 1;
    loop {
        i = next_special(b, i);
        let Some(&c) = b.get(i) else {
            return Err(Error::malformed(open, "unterminated string"));
        };
        match c {
            b'"' => return Ok(i + 1),
            b'\\' => i = escape(b, i, every, edit)?,
            0x7F => {
                edit(&rewrite_edit(i, i + 1, 0x7F));
                i += 1;
            }
            0xC2 => {
                let second = b.get(i + 1).copied().unwrap_or(0xFF);
                if second <= 0x9F {
                    edit(&rewrite_edit(i, i + 2, second as u32));
                }
                i += 2;
            }
            0xE2 => {
                if let (Some(0x80), Some(&last @ (0xA8 | 0xA9))) = (b.get(i + 1), b.get(i + 2)) {
                    edit(&rewrite_edit(i, i + 3, 0x2000 | (last as u32 & 0x3F)));
                }
                i += 3;
            }
            _ => {
                return Err(Error::malformed(
                    i,
                    &text!(
                        "unescaped control character U+",
                        Hex(c.into(), 4),
                        " in a string"
                    ),
                ))
            }
        }
    }
}

fn escape(b: &[u8], i: usize, every: bool, edit: &mut dyn FnMut(&Edit)) -> Result<usize, Error> {
    let Some(&kind) = b.get(i + 1) else {
        return Err(Error::malformed(i, "unterminated string"));
    };
    let short = match kind {
        b'"' => Some(0x22),
        b'\\' => Some(0x5C),
        b'b' => Some(0x08),
        b'f' => Some(0x0C),
        b'n' => Some(0x0A),
        b'r' => Some(0x0D),
        b't' => Some(0x09),
        b'/' => Some(0x2F),
        _ => None,
    };
    if let Some(cp) = short {
        let same = kind != b'/';
        if same && !every {
            return Ok(i + 2);
        }
        let mut e = escape_edit(i, i + 2, cp);
        e.same = same;
        edit(&e);
        return Ok(i + 2);
    }
    if kind != b'u' {
        return Err(Error::malformed(
            i,
            "invalid escape (JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX)",
        ));
    }
    let Some(unit) = hex4(b, i + 2) else {
        return Err(Error::malformed(
            i,
            "\\u must be followed by four hexadecimal digits",
        ));
    };
    if (0xD800..0xDC00).contains(&unit)
        && b.get(i + 6) == Some(&b'\\')
        && b.get(i + 7) == Some(&b'u')
    {
        if let Some(low @ 0xDC00..=0xDFFF) = hex4(b, i + 8) {
            let cp = 0x10000 + (((unit as u32) - 0xD800) << 10) + (low as u32 - 0xDC00);
            edit(&escape_edit(i, i + 12, cp));
            return Ok(i + 12);
        }
    }
    edit(&escape_edit(i, i + 6, unit as u32));
    Ok(i + 6)
}

/// The decoded text of a string token (quotes included in `start..end`), lone surrogates
/// replaced by U+FFFD, for values handed to people.
pub(crate) fn decode_lossy(b: &[u8], start: usize, end: usize) -> String {
    let mut out = Vec::with_capacity(end - start);
    let mut last = start + 1;
    // The token was validated when it was first read, so the walk cannot fail here.
    let _ = walk_string(b, start, true, &mut |e| {
        if e.escape {
            out.extend_from_slice(&b[last..e.from]);
            out.extend_from_slice(e.decoded());
            last = e.to;
        }
    });
    out.extend_from_slice(&b[last..end - 1]);
    match String::from_utf8(out) {
        Ok(s) => s,
        Err(e) => wtf8_to_string_lossy(e.as_bytes()),
    }
}

/// WTF-8 to a `String`, each surrogate code point becoming U+FFFD.
fn wtf8_to_string_lossy(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0xED && i + 2 < bytes.len() && bytes[i + 1] >= 0xA0 {
            s.push('\u{FFFD}');
            i += 3;
            continue;
        }
        let len = match bytes[i] {
            0..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        match core::str::from_utf8(&bytes[i..(i + len).min(bytes.len())]) {
            Ok(part) => s.push_str(part),
            Err(_) => s.push('\u{FFFD}'),
        }
        i += len;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::prelude::rust_2021::*;

    /// Every special byte is found at every position of a word and of the tail, and no other
    /// byte stops the scan: the word-at-a-time test may only ever err towards stopping early.
    #[test]
    fn the_fast_scan_finds_every_special_byte() {
        let specials: Vec<u8> = (0..=255u8).filter(|&c| SPECIAL[c as usize]).collect();
        assert_eq!(specials.len(), 32 + 5);
        for start in 0..3 {
            for len in 0..26 {
                for at in start..len {
                    for &c in &specials {
                        let mut b = vec![b'a'; len];
                        b[at] = c;
                        assert_eq!(next_special(&b, start), at, "{c:#x} at {at} of {len}");
                    }
                }
                for c in (0..=255u8).filter(|&c| !SPECIAL[c as usize]) {
                    let b = vec![c; len];
                    assert_eq!(next_special(&b, start), len.max(start), "{c:#x}");
                }
            }
        }
    }

    /// The canonical form of a string token, from a walk with every edit and from one with only
    /// the rewriting edits, which must agree.
    fn canonical(src: &str) -> String {
        let b = src.as_bytes();
        let [every, rewrites] = [true, false].map(|every| {
            let mut out = Vec::new();
            let mut last = 0;
            walk_string(b, 0, every, &mut |e| {
                if !e.same {
                    out.extend_from_slice(&b[last..e.from]);
                    out.extend_from_slice(e.canonical());
                    last = e.to;
                }
            })
            .unwrap();
            out.extend_from_slice(&b[last..]);
            String::from_utf8(out).unwrap()
        });
        assert_eq!(every, rewrites, "{src:?}");
        every
    }

    /// Without `every`, a walk reports exactly the edits that change the canonical text, the
    /// same ones a full walk reports, and ends, or fails, where a full walk does.
    #[test]
    fn a_walk_for_rewrites_skips_only_the_escapes_that_stay() {
        let cases = [
            r#""\b\f\n\r\t\"\\\/""#,
            r#""line one\nline two\n\ttabbed \"quoted\" back\\slash""#,
            r#""\u0041\u000b\u001F\u007f\u2028\ud83d\ude00\ud800x""#,
            "\"raw \u{7f} \u{85} \u{2029} and \\n\"",
            r#""\a""#,
            r#""ok\n then \u12G4""#,
            r#""\n\n\n"#,
            r#""abc\"#,
        ];
        for src in cases {
            let b = src.as_bytes();
            let mut all = Vec::new();
            let full = walk_string(b, 0, true, &mut |e| all.push((e.from, e.to, e.same)));
            let mut rewrites = Vec::new();
            let fast = walk_string(b, 0, false, &mut |e| rewrites.push((e.from, e.to, e.same)));
            let changing: Vec<_> = all.iter().copied().filter(|&(_, _, same)| !same).collect();
            assert_eq!(rewrites, changing, "{src:?}");
            assert_eq!(
                full.map_err(|e| e.offset()),
                fast.map_err(|e| e.offset()),
                "{src:?}"
            );
        }
    }

    #[test]
    fn short_escapes_stay_and_slash_unescapes() {
        assert_eq!(canonical(r#""\b\f\n\r\t\"\\\/""#), r#""\b\f\n\r\t\"\\/""#);
    }

    #[test]
    fn control_characters_use_uppercase_hex() {
        assert_eq!(
            canonical(r#""\u001f\u000b\u0000""#),
            r#""\u001F\u000B\u0000""#
        );
        assert_eq!(canonical(r#""\u0008\u0009""#), r#""\b\t""#);
    }

    #[test]
    fn del_c1_and_line_separators_are_escaped_raw_or_not() {
        assert_eq!(canonical("\"a\u{7f}b\""), r#""a\u007Fb""#);
        assert_eq!(
            canonical("\"\u{85}\u{9f}\u{a0}\""),
            "\"\\u0085\\u009F\u{a0}\""
        );
        assert_eq!(
            canonical("\"\u{2028}\\u2029\u{2027}\""),
            "\"\\u2028\\u2029\u{2027}\""
        );
    }

    #[test]
    fn surrogates_pair_or_become_question_marks() {
        assert_eq!(canonical(r#""\ud83d\ude00""#), "\"\u{1F600}\"");
        assert_eq!(canonical(r#""a\ud800b""#), "\"a?b\"");
        assert_eq!(canonical(r#""\ude00\ud83d""#), "\"??\"");
        assert_eq!(canonical(r#""\ud800\ud83d\ude00""#), "\"?\u{1F600}\"");
        assert_eq!(canonical("\"\\ud83d\u{1F600}\""), "\"?\u{1F600}\"");
    }

    #[test]
    fn escaped_printables_come_out_raw() {
        assert_eq!(canonical(r#""\u0041\u00e9\u4e2d""#), "\"A\u{e9}\u{4e2d}\"");
    }

    #[test]
    fn long_plain_runs_are_not_touched() {
        let s = format!("\"{}\"", "abcdefgh中文".repeat(50));
        assert_eq!(canonical(&s), s);
    }

    #[test]
    fn errors_carry_offsets() {
        for every in [true, false] {
            let err = walk_string(b"\"ab\x01\"", 0, every, &mut |_| {}).unwrap_err();
            assert_eq!(err.offset(), Some(3));
            assert!(walk_string(br#""\a""#, 0, every, &mut |_| {}).is_err());
            assert!(walk_string(br#""\u12G4""#, 0, every, &mut |_| {}).is_err());
            assert!(walk_string(br#""\u12""#, 0, every, &mut |_| {}).is_err());
            assert!(walk_string(br#""abc"#, 0, every, &mut |_| {}).is_err());
            assert!(walk_string(br#""abc\"#, 0, every, &mut |_| {}).is_err());
        }
    }

    /// The shortcut answers only for strings a walk passes through untouched, and then with the
    /// walk's end; everything else (edits, errors, or a byte it cannot judge alone) is left to
    /// the walk.
    #[test]
    fn plain_strings_end_where_the_walk_ends() {
        for (src, plain) in [
            ("\"\"", true),
            ("\"abc\" tail", true),
            ("\"中文 é ü\"", true),
            ("\"a long plain run of more than sixteen bytes\",", true),
            ("\"a\\nb\"", false),
            ("\"a\\/b\"", false),
            ("\"\u{7f}\"", false),
            ("\"\u{85}\"", false),
            ("\"\u{a3}\"", false),
            ("\"\u{2028}\"", false),
            ("\"\u{2027}\"", false),
            ("\"ab\x01\"", false),
            ("\"abc", false),
            ("\"abc\\", false),
        ] {
            let b = src.as_bytes();
            let mut edits = 0;
            let walked = walk_string(b, 0, true, &mut |_| edits += 1);
            let end = plain_string_end(b, 0);
            assert_eq!(end.is_some(), plain, "{src:?}");
            if let Some(end) = end {
                assert_eq!((walked.ok(), edits), (Some(end), 0), "{src:?}");
            }
        }
    }

    #[test]
    fn decoding_replaces_lone_surrogates() {
        let b = br#""a\ud800\n\u00e9""#;
        assert_eq!(decode_lossy(b, 0, b.len()), "a\u{FFFD}\n\u{e9}");
    }
}

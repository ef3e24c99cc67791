//! Messages built by concatenation instead of `format!`.
//!
//! Every message the crate makes (errors, hints) is built here. `core::fmt` is the largest
//! single piece a WebAssembly build would otherwise carry (its machinery, and every `Display`
//! impl it reaches through function pointers); messages only ever join fixed text, body text and
//! integers, which needs none of it. `text!` lays its parts out as a small array and calls one
//! function, so that each message costs a few instructions where it is made.

use alloc::string::String;

/// A part of a message.
#[derive(Clone, Copy)]
pub(crate) enum Part<'a> {
    Str(&'a str),
    Char(char),
    Unsigned(u64),
    Signed(i64),
    /// Upper-case hexadecimal, zero-padded to the given number of digits.
    Hex(u32, usize),
}

impl<'a> From<&'a &str> for Part<'a> {
    fn from(s: &'a &str) -> Self {
        Part::Str(s)
    }
}

impl<'a> From<&'a String> for Part<'a> {
    fn from(s: &'a String) -> Self {
        Part::Str(s)
    }
}

impl From<&char> for Part<'_> {
    fn from(c: &char) -> Self {
        Part::Char(*c)
    }
}

impl From<&Hex> for Part<'_> {
    fn from(h: &Hex) -> Self {
        Part::Hex(h.0, h.1)
    }
}

macro_rules! unsigned_parts {
    ($($t:ty),*) => {$(
        impl From<&$t> for Part<'_> {
            fn from(n: &$t) -> Self {
                Part::Unsigned(*n as u64)
            }
        }
    )*};
}
unsigned_parts!(u8, u32, u64, usize);

impl From<&i64> for Part<'_> {
    fn from(n: &i64) -> Self {
        Part::Signed(*n)
    }
}

/// An integer in upper-case hexadecimal, zero-padded to `width` digits.
pub(crate) struct Hex(pub u32, pub usize);

fn push_digits(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

/// The parts joined into one `String`.
#[inline(never)]
pub(crate) fn join(parts: &[Part<'_>]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::new();
    for part in parts {
        match *part {
            Part::Str(s) => out.push_str(s),
            Part::Char(c) => out.push(c),
            Part::Unsigned(n) => push_digits(&mut out, n),
            Part::Signed(n) => {
                if n < 0 {
                    out.push('-');
                }
                push_digits(&mut out, n.unsigned_abs());
            }
            Part::Hex(n, width) => {
                let mut digits = 1;
                while digits < 8 && n >> (4 * digits) != 0 {
                    digits += 1;
                }
                for i in (0..digits.max(width)).rev() {
                    out.push(char::from(HEX[(n >> (4 * i)) as usize & 0xF]));
                }
            }
        }
    }
    out
}

/// Joins the pieces into a `String`: `text!("at byte ", offset, ": ", what)`.
macro_rules! text {
    ($($piece:expr),* $(,)?) => {
        $crate::text::join(&[$( $crate::text::Part::from(&$piece) ),*])
    };
}
pub(crate) use text;

#[cfg(test)]
mod tests {
    use super::*;
    use std::prelude::rust_2021::*;

    #[test]
    fn joins_text_and_numbers() {
        let owned = "!".to_string();
        let s = text!(
            "a ",
            12usize,
            " b ",
            -3i64,
            ' ',
            u64::MAX,
            owned,
            0u8,
            i64::MIN
        );
        assert_eq!(s, "a 12 b -3 18446744073709551615!0-9223372036854775808");
    }

    #[test]
    fn hex_is_upper_case_and_padded() {
        assert_eq!(text!(Hex(0x1F, 4)), "001F");
        assert_eq!(text!(Hex(0xAB, 2)), "AB");
        assert_eq!(text!(Hex(0x12345, 4)), "12345");
        assert_eq!(text!(Hex(0, 1)), "0");
    }
}

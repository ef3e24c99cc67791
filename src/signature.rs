//! HMAC-SHA1 over `webhookUrl + password + canonical`, as DMS computes it.

use hmac::{Hmac, Mac};
use sha1::Sha1;

use crate::error::{Error, ErrorCode};
use crate::json::out::Sink;
use crate::prelude::*;
use crate::text::text;
use subtle::ConstantTimeEq;

pub(crate) type HmacSha1 = Hmac<Sha1>;

/// The length of a signatureText: base64 of a 20-byte HMAC-SHA1, padded.
pub(crate) const SIGNATURE_TEXT_LEN: usize = 28;

#[cold]
#[inline(never)]
pub(crate) fn empty_secret(index: Option<usize>) -> Error {
    let which = match index {
        Some(i) => text!("the secret at index ", i, " is empty"),
        None => String::from("the secret is empty"),
    };
    Error::new(
        ErrorCode::InvalidOptions,
        text!(
            which,
            ": an HMAC needs a non-empty key (Java's receiver refuses it too)"
        ),
    )
}

/// An HMAC keyed with `secret` that has already read `url + secret`.
pub(crate) fn keyed(url: &str, secret: &str) -> Result<HmacSha1, Error> {
    if secret.is_empty() {
        return Err(empty_secret(None));
    }
    let mut mac = HmacSha1::new_from_slice(secret.as_bytes()).map_err(|_| empty_secret(None))?;
    mac.update(url.as_bytes());
    mac.update(secret.as_bytes());
    Ok(mac)
}

/// The signatureText for canonical (or raw) `messageEvent` text.
pub(crate) fn signature_of(url: &str, secret: &str, text: &[u8]) -> Result<String, Error> {
    let mut mac = keyed(url, secret)?;
    mac.update(text);
    Ok(encode_signature(&mac.finalize().into_bytes().into()))
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 of an HMAC-SHA1: 27 characters and one `=` (see [`decode_signature`]).
pub(crate) fn encode_signature(tag: &[u8; 20]) -> String {
    let mut out = String::with_capacity(SIGNATURE_TEXT_LEN);
    let mut push = |n: u32, count: usize| {
        for i in 0..count {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
        }
    };
    for chunk in tag[..18].chunks_exact(3) {
        push(
            u32::from(chunk[0]) << 16 | u32::from(chunk[1]) << 8 | u32::from(chunk[2]),
            4,
        );
    }
    push(u32::from(tag[18]) << 16 | u32::from(tag[19]) << 8, 3);
    out.push('=');
    out
}

/// Decodes a received signatureText; `None` when it cannot be a signature at all.
///
/// Strict: 27 characters of the standard alphabet and one `=`, the last character's two unused
/// bits zero (the only spelling of 20 bytes). Signatures are the only base64 the crate reads or
/// writes, always of exactly 20 bytes; these two small functions replace a general codec that
/// would be a tenth of the WebAssembly module.
pub(crate) fn decode_signature(text: &str) -> Option<[u8; 20]> {
    fn sextet(c: u8) -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    }
    let t = text.as_bytes();
    if t.len() != SIGNATURE_TEXT_LEN || t[27] != b'=' {
        return None;
    }
    let mut out = [0u8; 20];
    // Six groups of four characters give 18 bytes; the last three characters give two more.
    for (group, chunk) in t[..24].chunks_exact(4).enumerate() {
        let mut n = 0;
        for &c in chunk {
            n = n << 6 | sextet(c)?;
        }
        out[group * 3..group * 3 + 3].copy_from_slice(&n.to_be_bytes()[1..]);
    }
    let n = sextet(t[24])? << 12 | sextet(t[25])? << 6 | sextet(t[26])?;
    if n & 3 != 0 {
        return None;
    }
    out[18] = (n >> 10) as u8;
    out[19] = (n >> 2) as u8;
    Some(out)
}

/// Where the signatures of the configured pairs are computed: by HMACs fed while the body is
/// read ([`Macs`]), or by the caller once the canonical text is whole ([`Whole`]).
pub(crate) trait Signer {
    /// What the canonical form is written into while the body is read.
    fn sink(&mut self) -> &mut dyn Sink;
    /// The first pair whose signature of what was written equals `tag`; every pair is compared
    /// in constant time, matched or not.
    fn find(&mut self, tag: &[u8; 20]) -> Option<usize>;
    /// The same for `text` (the raw `messageEvent`) instead of what was written.
    fn find_over(&mut self, text: &[u8], tag: &[u8; 20]) -> Option<usize>;
    fn pairs(&self) -> usize;
}

/// The caller's HMAC-SHA1: `tags(text, out)` writes, for every configured pair in
/// [`VerifyOptions::pairs`](crate::VerifyOptions) order, the HMAC-SHA1 keyed with the secret of
/// `url + secret + text`.
pub type TagsFn<'t> = &'t mut dyn FnMut(&[u8], &mut [[u8; 20]]);

/// The canonical text kept whole, its signatures computed by the caller.
pub(crate) struct Whole<'t> {
    pub text: Vec<u8>,
    tags: TagsFn<'t>,
    out: Vec<[u8; 20]>,
}

impl<'t> Whole<'t> {
    pub fn new(capacity: usize, pairs: usize, tags: TagsFn<'t>) -> Self {
        Whole {
            text: Vec::with_capacity(capacity),
            tags,
            out: vec![[0; 20]; pairs],
        }
    }

    fn matching(&mut self, text: Option<&[u8]>, tag: &[u8; 20]) -> Option<usize> {
        (self.tags)(text.unwrap_or(&self.text), &mut self.out);
        let mut found = None;
        for (i, t) in self.out.iter().enumerate() {
            if bool::from(t.ct_eq(tag)) && found.is_none() {
                found = Some(i);
            }
        }
        found
    }
}

impl Signer for Whole<'_> {
    fn sink(&mut self) -> &mut dyn Sink {
        &mut self.text
    }

    fn find(&mut self, tag: &[u8; 20]) -> Option<usize> {
        self.matching(None, tag)
    }

    fn find_over(&mut self, text: &[u8], tag: &[u8; 20]) -> Option<usize> {
        self.matching(Some(text), tag)
    }

    fn pairs(&self) -> usize {
        self.out.len()
    }
}

impl Signer for Macs<'_> {
    fn sink(&mut self) -> &mut dyn Sink {
        self
    }

    fn find(&mut self, tag: &[u8; 20]) -> Option<usize> {
        Macs::find(self, tag)
    }

    fn find_over(&mut self, text: &[u8], tag: &[u8; 20]) -> Option<usize> {
        let mut over = Macs::new(self.keyed);
        over.put(text);
        Macs::find(&over, tag)
    }

    fn pairs(&self) -> usize {
        self.keyed.len()
    }
}

/// Computes one HMAC per configured (URL, secret) pair while the canonical form is written.
pub(crate) struct Macs<'k> {
    keyed: &'k [HmacSha1],
    pub live: Vec<HmacSha1>,
}

impl<'k> Macs<'k> {
    pub fn new(keyed: &'k [HmacSha1]) -> Self {
        Macs {
            live: keyed.to_vec(),
            keyed,
        }
    }

    /// The index of the first pair whose HMAC equals `tag`, compared in constant time by
    /// `Mac::verify_slice` (every pair is checked, matched or not).
    pub fn find(&self, tag: &[u8; 20]) -> Option<usize> {
        let mut found = None;
        for (i, mac) in self.live.iter().enumerate() {
            if mac.clone().verify_slice(tag).is_ok() && found.is_none() {
                found = Some(i);
            }
        }
        found
    }
}

impl Sink for Macs<'_> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        for mac in &mut self.live {
            mac.update(bytes);
        }
    }

    fn reset(&mut self) {
        self.live.clear();
        self.live.extend_from_slice(self.keyed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::prelude::rust_2021::*;

    use base64::engine::general_purpose::STANDARD;
    use base64::Engine as _;

    #[test]
    fn signatures_encode_and_decode_exactly_as_the_base64_crate_does() {
        // Every byte value in every position, against the base64 crate's strict codec.
        for seed in 0u8..=255 {
            let bytes: [u8; 20] = core::array::from_fn(|i| {
                seed.wrapping_mul(31)
                    .wrapping_add((i as u8).wrapping_mul(97))
            });
            let text = STANDARD.encode(bytes);
            assert_eq!(encode_signature(&bytes), text);
            assert_eq!(decode_signature(&text), Some(bytes), "{text}");
        }
        let good = encode_signature(&[0xFF; 20]);
        assert_eq!(good, "//////////////////////////8=");
        for bad in [
            "//////////////////////////9=",  // unused bits set
            "//////////////////////////8",   // short
            "//////////////////////////8==", // long
            "/////////////////////////-8=",  // URL-safe alphabet
            "///////////////////////// 8=",  // space
            "//////////////////////////8A",  // no padding
            "////////////////////////////",
        ] {
            assert_eq!(decode_signature(bad), None, "{bad}");
            assert!(
                STANDARD.decode(bad).map_or(true, |b| b.len() != 20),
                "{bad}"
            );
        }
    }
}

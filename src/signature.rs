//! HMAC-SHA1 over `webhookUrl + password + canonical`, as DMS computes it.

use hmac::{Hmac, Mac};
use sha1::Sha1;

use crate::error::{Error, ErrorCode};
use crate::json::out::Sink;
use crate::prelude::*;
use crate::text::text;
use subtle::{Choice, ConstantTimeEq};

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

/// A received signature, decoded ([`decode_signature`]).
///
/// Its bytes are private to this module and it has no `PartialEq`: the only way to compare it is
/// [`Tag::first_of`], which compares in constant time (through [`first_match`]). An `==` on the
/// bytes would stop at the first difference, and the time a refusal takes would then tell a
/// forger how many leading bytes of a signature were right.
pub(crate) struct Tag([u8; 20]);

impl Tag {
    /// The index of the first of `computed` (HMAC-SHA1 outputs) equal to this tag.
    pub fn first_of<C: AsRef<[u8]>>(&self, computed: impl IntoIterator<Item = C>) -> Option<usize> {
        first_match(computed, &self.0)
    }
}

/// Whether `computed` equals `received`, every element compared whatever the first difference:
/// `subtle`'s `ConstantTimeEq` folds each element's comparison into one `Choice` without a
/// branch on it. Generic over the element so that a test can count the comparisons made; the
/// signers compare bytes.
fn same_tag<T: ConstantTimeEq>(computed: &[T], received: &[T]) -> Choice {
    #[cfg(test)]
    tests::count_tag_comparison();
    computed.ct_eq(received)
}

/// The index of the first of `computed` that equals `received`. Every one is compared, also
/// after a match, so that the time taken does not depend on which pair matched, if any.
fn first_match<T: ConstantTimeEq, C: AsRef<[T]>>(
    computed: impl IntoIterator<Item = C>,
    received: &[T],
) -> Option<usize> {
    let mut found = None;
    for (i, c) in computed.into_iter().enumerate() {
        if bool::from(same_tag(c.as_ref(), received)) && found.is_none() {
            found = Some(i);
        }
    }
    found
}

/// Decodes a received signatureText; `None` when it cannot be a signature at all.
///
/// Strict: 27 characters of the standard alphabet and one `=`, the last character's two unused
/// bits zero (the only spelling of 20 bytes). Signatures are the only base64 the crate reads or
/// writes, always of exactly 20 bytes; these two small functions replace a general codec that
/// would be a tenth of the WebAssembly module.
pub(crate) fn decode_signature(text: &str) -> Option<Tag> {
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
    Some(Tag(out))
}

/// Where the signatures of the configured pairs are computed: by HMACs fed while the body is
/// read ([`Macs`]), or by the caller once the canonical text is whole ([`Whole`]).
pub(crate) trait Signer {
    /// What the canonical form is written into while the body is read.
    fn sink(&mut self) -> &mut dyn Sink;
    /// The first pair whose signature of what was written equals `tag`; every pair is compared
    /// in constant time, matched or not ([`Tag::first_of`]).
    fn find(&mut self, tag: &Tag) -> Option<usize>;
    /// The same for `text` (the raw `messageEvent`) instead of what was written.
    fn find_over(&mut self, text: &[u8], tag: &Tag) -> Option<usize>;
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

    fn matching(&mut self, text: Option<&[u8]>, tag: &Tag) -> Option<usize> {
        (self.tags)(text.unwrap_or(&self.text), &mut self.out);
        tag.first_of(&self.out)
    }
}

impl Signer for Whole<'_> {
    fn sink(&mut self) -> &mut dyn Sink {
        &mut self.text
    }

    fn find(&mut self, tag: &Tag) -> Option<usize> {
        self.matching(None, tag)
    }

    fn find_over(&mut self, text: &[u8], tag: &Tag) -> Option<usize> {
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

    fn find(&mut self, tag: &Tag) -> Option<usize> {
        Macs::find(self, tag)
    }

    fn find_over(&mut self, text: &[u8], tag: &Tag) -> Option<usize> {
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

    /// The index of the first pair whose HMAC equals `tag` (every pair is checked, matched or
    /// not, in constant time: [`Tag::first_of`]).
    pub fn find(&self, tag: &Tag) -> Option<usize> {
        tag.first_of(
            self.live
                .iter()
                .map(|mac| mac.clone().finalize().into_bytes()),
        )
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
    use std::cell::Cell;
    use std::prelude::rust_2021::*;

    use base64::engine::general_purpose::STANDARD;
    use base64::Engine as _;

    std::thread_local! {
        /// Calls of `same_tag` on this thread, and comparisons of `Counted` elements.
        static TAG_COMPARISONS: Cell<usize> = const { Cell::new(0) };
        static ELEMENT_COMPARISONS: Cell<usize> = const { Cell::new(0) };
    }

    pub(super) fn count_tag_comparison() {
        TAG_COMPARISONS.with(|c| c.set(c.get() + 1));
    }

    /// How many tag and element comparisons `f` makes.
    fn counting<R>(f: impl FnOnce() -> R) -> (R, usize, usize) {
        TAG_COMPARISONS.with(|c| c.set(0));
        ELEMENT_COMPARISONS.with(|c| c.set(0));
        let r = f();
        (
            r,
            TAG_COMPARISONS.with(Cell::get),
            ELEMENT_COMPARISONS.with(Cell::get),
        )
    }

    /// A byte whose comparisons are counted: what `subtle` is asked to compare, element by
    /// element, is what the signers compare.
    #[derive(Clone, Copy)]
    struct Counted(u8);

    impl ConstantTimeEq for Counted {
        fn ct_eq(&self, other: &Self) -> Choice {
            ELEMENT_COMPARISONS.with(|c| c.set(c.get() + 1));
            self.0.ct_eq(&other.0)
        }
    }

    fn counted(bytes: [u8; 20]) -> [Counted; 20] {
        bytes.map(Counted)
    }

    /// The tag comparison looks at every byte of every configured pair, whatever the first
    /// difference and whichever pair matches: an early exit (at the first differing byte, or
    /// once a pair matched) makes fewer comparisons and fails here.
    #[test]
    fn every_byte_of_every_pair_is_compared() {
        let right = [0x5A; 20];
        for differ_at in [0, 1, 10, 19] {
            let mut wrong = right;
            wrong[differ_at] ^= 0x80;
            for (computed, want) in [
                (vec![wrong, wrong, wrong], None),
                (vec![right, wrong, wrong], Some(0)),
                (vec![wrong, right, wrong], Some(1)),
                (vec![wrong, wrong, right], Some(2)),
                (vec![right, right, right], Some(0)),
            ] {
                let computed: Vec<[Counted; 20]> = computed.into_iter().map(counted).collect();
                let (found, tags, elements) = counting(|| first_match(&computed, &counted(right)));
                assert_eq!(found, want, "byte {differ_at} differs");
                assert_eq!(tags, 3, "every pair compared (byte {differ_at} differs)");
                assert_eq!(
                    elements, 60,
                    "every byte compared (byte {differ_at} differs)"
                );
            }
        }
    }

    /// Both signers and the raw-form retry compare a received tag with every pair, through
    /// `same_tag` (so through `subtle`), matched or not.
    #[test]
    fn the_signers_compare_through_same_tag_with_every_pair() {
        let url = "https://hooks.example.com/dms";
        let secrets = ["first-secret", "second-secret", "third-secret"];
        let pairs: Vec<HmacSha1> = secrets.iter().map(|s| keyed(url, s).unwrap()).collect();
        let text = br#"{"a":1}"#;
        let raw = br#"{ "a": 1 }"#;
        let tag_of = |secret: &str, text: &[u8]| {
            decode_signature(&signature_of(url, secret, text).unwrap()).unwrap()
        };
        for (i, secret) in secrets.iter().enumerate() {
            let mut macs = Macs::new(&pairs);
            macs.put(text);
            let (found, tags, _) = counting(|| Signer::find(&mut macs, &tag_of(secret, text)));
            assert_eq!((found, tags), (Some(i), 3), "Macs::find, secret {i}");
            let (found, tags, _) = counting(|| macs.find_over(raw, &tag_of(secret, raw)));
            assert_eq!((found, tags), (Some(i), 3), "Macs::find_over, secret {i}");

            let mut hmacs = |t: &[u8], out: &mut [[u8; 20]]| {
                for (slot, s) in out.iter_mut().zip(secrets) {
                    let mut mac = keyed(url, s).unwrap();
                    mac.update(t);
                    slot.copy_from_slice(&mac.finalize().into_bytes());
                }
            };
            let mut whole = Whole::new(16, secrets.len(), &mut hmacs);
            whole.sink().put(text);
            let (found, tags, _) = counting(|| whole.find(&tag_of(secret, text)));
            assert_eq!((found, tags), (Some(i), 3), "Whole::find, secret {i}");
            let (found, tags, _) = counting(|| whole.find_over(raw, &tag_of(secret, raw)));
            assert_eq!((found, tags), (Some(i), 3), "Whole::find_over, secret {i}");
        }
        let mut macs = Macs::new(&pairs);
        macs.put(text);
        let (found, tags, _) = counting(|| Signer::find(&mut macs, &tag_of("other", text)));
        assert_eq!((found, tags), (None, 3), "no match");
    }

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
            assert_eq!(decode_signature(&text).map(|t| t.0), Some(bytes), "{text}");
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
            assert!(decode_signature(bad).is_none(), "{bad}");
            assert!(
                STANDARD.decode(bad).map_or(true, |b| b.len() != 20),
                "{bad}"
            );
        }
    }
}

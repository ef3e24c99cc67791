//! HMAC-SHA1 over `webhookUrl + password + canonical`, as DMS computes it.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use crate::error::{Error, ErrorCode};
use crate::json::out::Sink;

pub(crate) type HmacSha1 = Hmac<Sha1>;

/// The length of a signatureText: base64 of a 20-byte HMAC-SHA1, padded.
pub(crate) const SIGNATURE_TEXT_LEN: usize = 28;

pub(crate) fn empty_secret(index: Option<usize>) -> Error {
    let which = match index {
        Some(i) => format!("the secret at index {i} is empty"),
        None => "the secret is empty".to_string(),
    };
    Error::new(
        ErrorCode::InvalidOptions,
        format!("{which}: an HMAC needs a non-empty key (Java's receiver refuses it too)"),
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
    Ok(STANDARD.encode(mac.finalize().into_bytes()))
}

/// Decodes a received signatureText; `None` when it cannot be a signature at all.
pub(crate) fn decode_signature(text: &str) -> Option<[u8; 20]> {
    if text.len() != SIGNATURE_TEXT_LEN {
        return None;
    }
    let bytes = STANDARD.decode(text).ok()?;
    bytes.try_into().ok()
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

    /// Fresh HMACs that have read only `url + secret`.
    pub fn keyed(&self) -> &'k [HmacSha1] {
        self.keyed
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

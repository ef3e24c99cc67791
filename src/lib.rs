//! Verify, sign and parse Alibaba Cloud DMS custom-webhook notifications exactly the way DMS's
//! documented Java receiver does.
//!
//! DMS signs `Base64(HMAC-SHA1(password, webhookUrl + password + canonical(messageEvent)))`,
//! where the canonical form is what fastjson 1.2.83 writes after reading the body with ordered
//! fields: a re-serialisation, not the bytes on the wire. This crate writes that form byte for
//! byte (null members dropped, duplicate keys merged, fastjson's escapes, Java `BigDecimal`
//! numbers) straight into the HMAC while reading the body once.
//!
//! ```
//! # #[cfg(feature = "full")] {
//! use dms_webhook::{sign_body, verify, VerifyOptions};
//!
//! let url = "https://example.com/dms-hook";
//! let body = sign_body(r#"{"category":"工单","eventTime":1625630049930}"#, url, "secret")?;
//! let verified = verify(&body, &VerifyOptions::new(url, "secret"))?;
//! assert_eq!(verified.event.category.as_deref(), Some("工单"));
//! # }
//! # Ok::<(), dms_webhook::Error>(())
//! ```
//!
//! Verification reads the policy from [`VerifyOptions`], never from the body: a body that says
//! `"signatureMethod":"None"` is refused while a signature is required. Input must be strict
//! JSON; fastjson's lenient extensions (comments, single quotes, `$ref`, `@type`, ...) are
//! refused with a typed [`Error`] rather than guessed at.

#![no_std]

extern crate alloc;
#[cfg(any(feature = "std", test))]
#[macro_use]
extern crate std;

mod error;
#[cfg(feature = "full")]
mod event;
#[cfg(feature = "full")]
mod explain;
mod json;
#[cfg(feature = "serde")]
mod serde_impls;
mod signature;
mod text;
#[cfg(feature = "full")]
mod value;
mod verify;

/// The examples of the crate's README (docs/crate.md, the crates.io page), run as doctests so
/// that they stay true.
#[cfg(all(doctest, feature = "full"))]
#[doc = include_str!("../docs/crate.md")]
struct CrateReadme;

/// What every module uses from `alloc` (the crate builds without the standard library).
#[allow(unused_imports)]
mod prelude {
    pub(crate) use alloc::boxed::Box;
    pub(crate) use alloc::string::String;
    pub(crate) use alloc::vec;
    pub(crate) use alloc::vec::Vec;
}

use prelude::*;
use text::text;

pub use error::{Error, ErrorCode};
#[cfg(feature = "full")]
pub use event::{Envelope, EventTime, MessageEvent, User};
#[cfg(feature = "full")]
pub use explain::{explain, explain_value, Expected, ExplainOptions, Explanation, Hint, HintCode};
pub use json::number::MAX_NUMBER_CHARS;
pub use json::parser::MAX_DEPTH;
pub use signature::TagsFn;
#[cfg(feature = "full")]
pub use value::{Number, Value};
pub use verify::{
    check, Checked, Form, Match, Policy, Secret, SignatureMethod, Verifier, VerifyOptions,
    DEFAULT_MAX_BODY_BYTES,
};
#[cfg(feature = "full")]
pub use verify::{verify, Verified};

#[cfg(feature = "full")]
use sha2::{Digest, Sha256};

/// The canonical bytes of a body's `messageEvent`: exactly what is signed after the URL and
/// the password (a lone surrogate already written as `?`).
pub fn canonicalize(body: impl AsRef<[u8]>) -> Result<Vec<u8>, Error> {
    let b = body.as_ref();
    let mut canonical = Vec::with_capacity(b.len());
    json::read_body(b, json::Utf8::Check, &mut canonical)?;
    Ok(canonical)
}

/// The canonical bytes of a `messageEvent` given on its own as JSON text.
pub fn canonicalize_event(message_event_json: impl AsRef<[u8]>) -> Result<Vec<u8>, Error> {
    json::canonical_object(message_event_json.as_ref())
}

/// The signatureText DMS would send for this `messageEvent` (JSON text of an object; it is
/// canonicalised first), webhook URL and secret.
pub fn sign(
    message_event_json: impl AsRef<[u8]>,
    url: &str,
    secret: &str,
) -> Result<String, Error> {
    signed(message_event_json.as_ref(), url, secret).map(|(_, signature)| signature)
}

/// The whole body DMS would POST:
/// `{"messageEvent":<canonical>,"signatureMethod":"HMAC_SHA1","signatureText":"..."}`.
pub fn sign_body(
    message_event_json: impl AsRef<[u8]>,
    url: &str,
    secret: &str,
) -> Result<String, Error> {
    let (canonical, signature) = signed(message_event_json.as_ref(), url, secret)?;
    let canonical = String::from_utf8_lossy(&canonical);
    Ok(text!(
        r#"{"messageEvent":"#,
        canonical.into_owned(),
        r#","signatureMethod":"HMAC_SHA1","signatureText":""#,
        signature,
        r#""}"#
    ))
}

/// The canonical form of an event and its signature.
fn signed(message_event_json: &[u8], url: &str, secret: &str) -> Result<(Vec<u8>, String), Error> {
    let canonical = canonicalize_event(message_event_json)?;
    let signature = signature::signature_of(url, secret, &canonical)?;
    Ok((canonical, signature))
}

/// The envelope, typed, without verifying anything.
#[cfg(feature = "full")]
pub fn parse(body: impl AsRef<[u8]>) -> Result<Envelope, Error> {
    parse_with(body.as_ref(), MessageEvent::from_value)
}

/// [`parse`] with the event as its plain [`Value`], without the typed fields: for callers that
/// hand the event on as JSON (the npm package's WebAssembly module does).
#[cfg(feature = "full")]
pub fn parse_value(body: impl AsRef<[u8]>) -> Result<Envelope<Value>, Error> {
    parse_with(body.as_ref(), |v| v)
}

#[cfg(feature = "full")]
fn parse_with<E>(b: &[u8], event: fn(Value) -> E) -> Result<Envelope<E>, Error> {
    let (parts, tree) = json::read_body_tree(b, json::Utf8::Check)?;
    Ok(Envelope {
        event: event(tree.value()),
        signature_method: verify::text_of(b, parts.signature_method),
        signature_text: verify::text_of(b, parts.signature_text),
        message_event_text: parts.message_event.0..parts.message_event.1,
    })
}

/// A stable idempotency key for a delivery: the hex SHA-256 of the canonical `messageEvent`.
/// DMS may deliver the same notification more than once; the key is the same each time, and
/// does not depend on how the body was spaced or escaped on its way.
#[cfg(feature = "full")]
pub fn delivery_key(body: impl AsRef<[u8]>) -> Result<String, Error> {
    let canonical = canonicalize(body.as_ref())?;
    let digest = Sha256::digest(&canonical);
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut key = String::with_capacity(2 * digest.len());
    for b in digest {
        key.push(char::from(HEX[usize::from(b >> 4)]));
        key.push(char::from(HEX[usize::from(b & 15)]));
    }
    Ok(key)
}

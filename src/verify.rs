//! Verification: the policy comes from [`VerifyOptions`], never from the body.

use alloc::borrow::Cow;
use core::fmt;
use core::ops::Range;

use crate::error::{Error, ErrorCode};
#[cfg(feature = "full")]
use crate::event::MessageEvent;
use crate::json::envelope::{Captured, Kind};
#[cfg(feature = "full")]
use crate::json::number::canonical_text;
use crate::json::number::scan_number;
#[cfg(feature = "full")]
use crate::json::parser::read;
use crate::json::string::decode_lossy;
#[cfg(feature = "full")]
use crate::json::tree::Tree;
use crate::json::{read_body, write_value, Body, Utf8};
use crate::prelude::*;
use crate::signature::{decode_signature, keyed, HmacSha1, Macs, Signer, TagsFn, Whole};
use crate::text::text;
#[cfg(feature = "full")]
use crate::value::Value;

/// The default maximum body size: 1 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1 << 20;

/// A signing password. Its `Debug` output never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(secret: impl Into<String>) -> Self {
        Secret(secret.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret(String::from(s))
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

/// What a verifier accepts. Build with [`VerifyOptions::new`] and the chained setters.
#[derive(Clone, Debug)]
pub struct VerifyOptions {
    /// Webhook URLs exactly as configured in the DMS console (with `user:pass@` if any).
    pub urls: Vec<String>,
    /// Signing passwords; several while one is being rotated out.
    pub secrets: Vec<Secret>,
    /// Refuse bodies without a signature (default). Taken from here, never from the body.
    pub require_signature: bool,
    /// Refuse an `eventTime` further than this from now, in either direction.
    pub max_age_ms: Option<u64>,
    /// The clock: epoch milliseconds to check `eventTime` against; `None` reads the system clock.
    pub now_ms: Option<i64>,
    pub max_body_bytes: usize,
}

impl VerifyOptions {
    pub fn new(url: impl Into<String>, secret: impl Into<Secret>) -> Self {
        VerifyOptions {
            urls: vec![url.into()],
            secrets: vec![secret.into()],
            require_signature: true,
            max_age_ms: None,
            now_ms: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }

    /// Also accept signatures made with this URL.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.urls.push(url.into());
        self
    }

    /// Also accept signatures made with this secret.
    pub fn secret(mut self, secret: impl Into<Secret>) -> Self {
        self.secrets.push(secret.into());
        self
    }

    pub fn require_signature(mut self, required: bool) -> Self {
        self.require_signature = required;
        self
    }

    pub fn max_age_ms(mut self, ms: u64) -> Self {
        self.max_age_ms = Some(ms);
        self
    }

    pub fn now_ms(mut self, now: i64) -> Self {
        self.now_ms = Some(now);
        self
    }

    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    pub(crate) fn check(&self) -> Result<(), Error> {
        if self.urls.is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidOptions,
                "no webhook URL is configured",
            ));
        }
        if self.secrets.is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidOptions,
                "no secret is configured",
            ));
        }
        if let Some(i) = self.secrets.iter().position(|s| s.0.is_empty()) {
            return Err(crate::signature::empty_secret(Some(i)));
        }
        Ok(())
    }

    /// The (URL, secret) pairs in the order they are tried: every secret for the first URL, ...
    pub(crate) fn pairs(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        (0..self.urls.len()).flat_map(move |u| (0..self.secrets.len()).map(move |s| (u, s)))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureMethod {
    HmacSha1,
    None,
}

impl SignatureMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureMethod::HmacSha1 => "HMAC_SHA1",
            SignatureMethod::None => "None",
        }
    }
}

/// Which text the signature was computed over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// fastjson's canonical form: the documented algorithm.
    Canonical,
    /// The `messageEvent` text exactly as it stands in the body (a sender whose serializer
    /// differs from fastjson's).
    Raw,
}

impl Form {
    pub fn as_str(self) -> &'static str {
        match self {
            Form::Canonical => "canonical",
            Form::Raw => "raw",
        }
    }
}

/// The configured URL and secret a signature was made with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    pub url_index: usize,
    pub url: String,
    pub secret_index: usize,
    pub form: Form,
}

/// What [`check`] found: everything [`Verified`] holds except the event itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    pub signature_method: SignatureMethod,
    pub matched: Option<Match>,
    /// Where the `messageEvent` value stands in the body (its raw text).
    pub message_event: Range<usize>,
    /// The event holds an integer beyond ±(2^53 − 1), which a JavaScript number cannot hold.
    pub wide_integers: bool,
}

/// An authentic (or, when allowed, unsigned) notification.
#[cfg(feature = "full")]
#[derive(Clone, Debug, PartialEq)]
pub struct Verified {
    pub event: MessageEvent,
    pub signature_method: SignatureMethod,
    /// `None` when the body was unsigned and the options allowed that.
    pub matched: Option<Match>,
}

/// fastjson's `getString`: a string as decoded, anything else as its canonical JSON text.
pub(crate) fn text_of(b: &[u8], c: Option<Captured>) -> Option<String> {
    let c = c?;
    match c.kind {
        Kind::Null => None,
        Kind::String => Some(decode_lossy(b, c.start, c.end)),
        #[cfg(feature = "full")]
        Kind::Number => scan_number(b, c.start).ok().map(|n| canonical_text(b, &n)),
        // Without `full` a number is shown as written: only messages differ, never a verdict
        // (a number is never a signature method, nor a signature).
        #[cfg(not(feature = "full"))]
        Kind::Number => Some(String::from(
            core::str::from_utf8(&b[c.start..c.end]).unwrap_or_default(),
        )),
        Kind::Bool => Some(String::from(if b[c.start] == b't' {
            "true"
        } else {
            "false"
        })),
        Kind::Object | Kind::Array => {
            let mut text = Vec::new();
            write_value(b, c.start, 1, &mut text).ok()?;
            // The canonical form is UTF-8 by construction (a lone surrogate is already '?').
            String::from_utf8(text).ok()
        }
    }
}

pub(crate) fn check_size(body: &[u8], max: usize) -> Result<(), Error> {
    if body.len() > max {
        return Err(too_large(body.len(), max, false));
    }
    Ok(())
}

/// BODY_TOO_LARGE for a body of `len` bytes (`at_least`: a lower bound, known before reading).
pub(crate) fn too_large(len: usize, max: usize, at_least: bool) -> Error {
    Error::body_too_large(len, max, at_least)
}

impl Error {
    /// The error a body of `len` bytes gets under a cap of `max` bytes, for callers that refuse
    /// a body before it is whole (a stream cut at the cap): `at_least` says `len` is only what
    /// was seen so far.
    #[cold]
    #[inline(never)]
    pub fn body_too_large(len: usize, max: usize, at_least: bool) -> Error {
        let at_least = if at_least { "at least " } else { "" };
        Error::new(
            ErrorCode::BodyTooLarge,
            text!(
                "the body is ",
                at_least,
                len,
                " bytes, more than the ",
                max,
                " allowed"
            ),
        )
    }
}

pub(crate) enum Method {
    Signed,
    Unsigned,
}

/// [`text_of`] without a copy for a string with no escape, which is what DMS sends.
fn text_ref(b: &[u8], c: Option<Captured>) -> Option<Cow<'_, str>> {
    let c = c?;
    if c.kind == Kind::String {
        let inner = &b[c.start + 1..c.end - 1];
        if !inner.contains(&b'\\') {
            if let Ok(s) = core::str::from_utf8(inner) {
                return Some(Cow::Borrowed(s));
            }
        }
    }
    text_of(b, Some(c)).map(Cow::Owned)
}

pub(crate) fn method_of(b: &[u8], body: &Body) -> Result<Method, Error> {
    match text_ref(b, body.signature_method).as_deref() {
        None | Some("None") => Ok(Method::Unsigned),
        Some("HMAC_SHA1") => Ok(Method::Signed),
        Some(other) => {
            // The first 40 characters, control characters made visible.
            let mut shown = String::new();
            for (i, c) in other.chars().enumerate() {
                if i == 40 {
                    break;
                }
                shown.push(if c.is_control() { '\u{FFFD}' } else { c });
            }
            Err(Error::new(
                ErrorCode::UnsupportedSignatureMethod,
                text!(
                    "signatureMethod \"",
                    shown,
                    "\" is not supported (DMS uses HMAC_SHA1 or None)"
                ),
            ))
        }
    }
}

/// Reads the event at `start` a second time, into values. Only bodies already read get here.
#[cfg(feature = "full")]
pub(crate) fn event_at(b: &[u8], start: usize) -> MessageEvent {
    let mut tree = Tree::new(b);
    let read = read(b, start, 1, &mut tree);
    let value = if read.is_ok() {
        tree.value()
    } else {
        Value::Null
    };
    MessageEvent::from_value(value)
}

fn event_millis(b: &[u8], body: &Body) -> Option<i64> {
    let (start, end) = body.event_time?;
    let text = if b[start] == b'"' {
        decode_lossy(b, start, end)
    } else {
        let n = scan_number(b, start).ok()?;
        if !n.is_integer() {
            return None;
        }
        return n.as_i64(b);
    };
    millis_of_text(&text)
}

/// `eventTime` given as a string: epoch milliseconds when it is digits (around spaces).
pub(crate) fn millis_of_text(text: &str) -> Option<i64> {
    let s = text.trim_matches(|c: char| c.is_whitespace());
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// The system clock, where the standard library has one (not in WebAssembly, whose callers
/// pass `now_ms`).
fn system_now_ms() -> Option<i64> {
    #[cfg(all(feature = "std", not(target_arch = "wasm32")))]
    {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        i64::try_from(now.as_millis()).ok()
    }
    #[cfg(not(all(feature = "std", not(target_arch = "wasm32"))))]
    {
        None
    }
}

fn check_age(b: &[u8], body: &Body, options: &Policy) -> Result<(), Error> {
    let Some(max) = options.max_age_ms else {
        return Ok(());
    };
    let Some(now) = options.now_ms.or_else(system_now_ms) else {
        return Err(Error::new(
            ErrorCode::InvalidOptions,
            "an age limit is set but there is no clock: pass now_ms",
        ));
    };
    let Some(at) = event_millis(b, body) else {
        return Err(Error::new(
            ErrorCode::EventTooOld,
            "eventTime is missing or not epoch milliseconds, so the event's age cannot be checked",
        ));
    };
    // Exact: both ends are i64 milliseconds, so the difference needs 65 bits (its magnitude
    // still fits in a u64).
    let age = now as i128 - at as i128;
    let magnitude = age.unsigned_abs() as u64;
    if age > max as i128 {
        return Err(Error::new(
            ErrorCode::EventTooOld,
            text!(
                "the event is ",
                magnitude,
                " ms old, more than the ",
                max,
                " ms allowed"
            ),
        ));
    }
    if -age > max as i128 {
        return Err(Error::new(
            ErrorCode::EventInFuture,
            text!(
                "the event is dated ",
                magnitude,
                " ms in the future, more than the ",
                max,
                " ms allowed"
            ),
        ));
    }
    Ok(())
}

/// Verifies a body DMS posted and returns the typed event.
///
/// In order: the options, the size, the encoding and strict JSON (the canonical form is written
/// into one HMAC per configured URL and secret while reading), the signature method, the
/// signature (constant-time, canonical form first, then the raw `messageEvent` text), the age.
#[cfg(feature = "full")]
pub fn verify(body: impl AsRef<[u8]>, options: &VerifyOptions) -> Result<Verified, Error> {
    let b = body.as_ref();
    let checked = check(b, options)?;
    Ok(Verified {
        event: event_at(b, checked.message_event.start),
        signature_method: checked.signature_method,
        matched: checked.matched,
    })
}

/// [`verify`] without building the event: for callers that read the event text themselves
/// (`body[checked.message_event]`).
pub fn check(body: impl AsRef<[u8]>, options: &VerifyOptions) -> Result<Checked, Error> {
    options.check()?;
    check_keyed(
        body.as_ref(),
        Utf8::Check,
        options,
        &options.policy(),
        &keyed_pairs(options)?,
    )
}

/// One HMAC per (URL, secret) pair, keyed and fed `url + secret`, in [`VerifyOptions::pairs`] order.
pub(crate) fn keyed_pairs(options: &VerifyOptions) -> Result<Vec<HmacSha1>, Error> {
    let mut keyed_pairs = Vec::with_capacity(options.urls.len() * options.secrets.len());
    for (u, s) in options.pairs() {
        keyed_pairs.push(keyed(&options.urls[u], options.secrets[s].expose())?);
    }
    Ok(keyed_pairs)
}

/// Options made ready for many deliveries: the HMAC key schedule of every (URL, secret) pair
/// is computed once instead of for every body.
#[derive(Clone)]
pub struct Verifier {
    options: VerifyOptions,
    keyed: Vec<HmacSha1>,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Verifier {
    pub fn new(options: VerifyOptions) -> Result<Self, Error> {
        options.check()?;
        let keyed = keyed_pairs(&options)?;
        Ok(Verifier { options, keyed })
    }

    pub fn options(&self) -> &VerifyOptions {
        &self.options
    }

    pub fn check(&self, body: impl AsRef<[u8]>) -> Result<Checked, Error> {
        check_keyed(
            body.as_ref(),
            Utf8::Check,
            &self.options,
            &self.options.policy(),
            &self.keyed,
        )
    }

    /// [`Verifier::check`] under another policy: the URLs and secrets (and their keyed HMACs)
    /// stay, the clock and the limits come from `policy`.
    pub fn check_with(&self, body: impl AsRef<[u8]>, policy: &Policy) -> Result<Checked, Error> {
        check_keyed(
            body.as_ref(),
            Utf8::Check,
            &self.options,
            policy,
            &self.keyed,
        )
    }

    /// [`Verifier::check_with`] for a body that is a `&str`, whose UTF-8 Rust has already
    /// checked: the reader skips its own pass over the bytes (about a fifth of the reading of
    /// a long message). The verdict is the same.
    pub fn check_str_with(&self, body: &str, policy: &Policy) -> Result<Checked, Error> {
        check_keyed(
            body.as_bytes(),
            Utf8::Known,
            &self.options,
            policy,
            &self.keyed,
        )
    }

    /// [`Verifier::check_with`] with the signatures computed by the caller: the canonical text
    /// is written whole, then `tags(text, out)` gives the HMAC-SHA1 of every pair over it (see
    /// [`TagsFn`]), and they are compared here in constant time. For hosts whose HMAC-SHA1 is
    /// much faster than this crate's own on large bodies (hardware SHA instructions that a
    /// WebAssembly module cannot use): the npm package does this in Node.
    pub fn check_with_tags(
        &self,
        body: impl AsRef<[u8]>,
        policy: &Policy,
        tags: TagsFn<'_>,
    ) -> Result<Checked, Error> {
        self.check_whole(body.as_ref(), Utf8::Check, policy, tags)
    }

    /// [`Verifier::check_with_tags`] for a `&str` body (see [`Verifier::check_str_with`]).
    pub fn check_str_with_tags(
        &self,
        body: &str,
        policy: &Policy,
        tags: TagsFn<'_>,
    ) -> Result<Checked, Error> {
        self.check_whole(body.as_bytes(), Utf8::Known, policy, tags)
    }

    fn check_whole(
        &self,
        b: &[u8],
        utf8: Utf8,
        policy: &Policy,
        tags: TagsFn<'_>,
    ) -> Result<Checked, Error> {
        check_size(b, policy.max_body_bytes)?;
        let mut whole = Whole::new(b.len(), self.keyed.len(), tags);
        checked(&self.options, check_signed(b, utf8, policy, &mut whole)?)
    }

    #[cfg(feature = "full")]
    pub fn verify(&self, body: impl AsRef<[u8]>) -> Result<Verified, Error> {
        let b = body.as_ref();
        let checked = self.check(b)?;
        Ok(Verified {
            event: event_at(b, checked.message_event.start),
            signature_method: checked.signature_method,
            matched: checked.matched,
        })
    }
}

/// The limits and requirements of a check, apart from the URLs and secrets: what may change
/// from one delivery to the next (the clock, above all) while the keys stay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    pub require_signature: bool,
    pub max_age_ms: Option<u64>,
    pub now_ms: Option<i64>,
    pub max_body_bytes: usize,
}

impl VerifyOptions {
    /// The policy part of these options.
    pub fn policy(&self) -> Policy {
        Policy {
            require_signature: self.require_signature,
            max_age_ms: self.max_age_ms,
            now_ms: self.now_ms,
            max_body_bytes: self.max_body_bytes,
        }
    }
}

/// What a check found, with the matching pair as an index into the keyed HMACs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Outcome {
    pub signature_method: SignatureMethod,
    /// The index of the (URL, secret) pair that matched (in [`VerifyOptions::pairs`] order) and
    /// the form it matched over; `None` when unsigned and allowed.
    pub matched: Option<(usize, Form)>,
    pub message_event: Range<usize>,
    pub wide_integers: bool,
}

/// [`check`] with the options already checked and their HMACs keyed, under `policy`.
pub(crate) fn check_keyed(
    b: &[u8],
    utf8: Utf8,
    options: &VerifyOptions,
    policy: &Policy,
    keyed: &[HmacSha1],
) -> Result<Checked, Error> {
    checked(options, check_pairs(b, utf8, policy, keyed)?)
}

/// An outcome with its matching pair named by URL and secret index.
fn checked(options: &VerifyOptions, outcome: Outcome) -> Result<Checked, Error> {
    let secrets = options.secrets.len();
    Ok(Checked {
        signature_method: outcome.signature_method,
        matched: outcome.matched.map(|(index, form)| {
            // In `pairs()` order: every secret for the first URL, then for the next.
            let (u, s) = (index / secrets, index % secrets);
            Match {
                url_index: u,
                url: options.urls[u].clone(),
                secret_index: s,
                form,
            }
        }),
        message_event: outcome.message_event,
        wide_integers: outcome.wide_integers,
    })
}

/// The whole check against HMACs keyed with `url + secret` (one per pair), under `policy`.
///
/// In order: the size, the encoding and strict JSON (the canonical form is written into every
/// HMAC while reading), the signature method, the signature (constant-time, canonical form
/// first, then the raw `messageEvent` text), the age.
pub(crate) fn check_pairs(
    b: &[u8],
    utf8: Utf8,
    policy: &Policy,
    keyed: &[HmacSha1],
) -> Result<Outcome, Error> {
    check_size(b, policy.max_body_bytes)?;
    check_signed(b, utf8, policy, &mut Macs::new(keyed))
}

/// [`check_pairs`] with the signatures computed by `signer`.
fn check_signed(
    b: &[u8],
    utf8: Utf8,
    policy: &Policy,
    signer: &mut dyn Signer,
) -> Result<Outcome, Error> {
    let parts = read_body(b, utf8, signer.sink())?;
    let method = method_of(b, &parts)?;
    let text = match method {
        Method::Signed => text_ref(b, parts.signature_text),
        Method::Unsigned => None,
    };
    let matched = match text {
        Some(text) => Some(match_signature(b, &parts, signer, &text)?),
        None if policy.require_signature => {
            return Err(Error::new(
                ErrorCode::Unsigned,
                match method {
                    Method::Signed => "signatureMethod is HMAC_SHA1 but the body has no signatureText",
                    Method::Unsigned => "the body is not signed (signatureMethod is None or absent) and a signature is required",
                },
            ))
        }
        None => None,
    };
    check_age(b, &parts, policy)?;
    Ok(Outcome {
        message_event: parts.message_event.0..parts.message_event.1,
        wide_integers: parts.wide_integers,
        signature_method: match (&matched, method) {
            (Some(_), _) | (None, Method::Signed) => SignatureMethod::HmacSha1,
            (None, Method::Unsigned) => SignatureMethod::None,
        },
        matched,
    })
}

fn match_signature(
    b: &[u8],
    parts: &Body,
    signer: &mut dyn Signer,
    text: &str,
) -> Result<(usize, Form), Error> {
    let Some(tag) = decode_signature(text) else {
        return Err(Error::new(
            ErrorCode::SignatureMismatch,
            "signatureText is not a base64 HMAC-SHA1 (28 characters ending in '=')",
        ));
    };
    if let Some(i) = signer.find(&tag) {
        return Ok((i, Form::Canonical));
    }
    let raw = &b[parts.message_event.0..parts.message_event.1];
    if let Some(i) = signer.find_over(raw, &tag) {
        return Ok((i, Form::Raw));
    }
    Err(Error::new(
        ErrorCode::SignatureMismatch,
        text!(
            "the signature matches none of the ",
            signer.pairs(),
            " configured URL and secret pair(s), over the canonical or the raw messageEvent"
        ),
    ))
}

//! How JavaScript and the modules talk: bytes in linear memory and integers, nothing else.
//!
//! - A call starts with `dms_input(capacity)`, which forgets the previous call's allocations
//!   and returns where JavaScript writes the body (or JSON text) of this call.
//! - Lists of strings (URLs, secrets) are written as `[count u32][len u32][bytes]...`: for a
//!   configuration, into room made by `dms_config_input` (it stays, with the configuration,
//!   below the allocator's mark until the next configuration); for one call, in front of that
//!   call's input (`options_len` bytes, then the body).
//! - Every call returns 0 for success or an error code (1 + its place in `ErrorCode::ALL`),
//!   and leaves its details in the result area (`dms_result`): see [`Slot`]. The verify module
//!   returns [`NEEDS_FULL`] for a body only the full module can read (a duplicate key, a number
//!   fastjson rewrites): JavaScript then asks the full module, which has the same calls. Text results and
//!   error messages stay in linear memory until the next call; JavaScript decodes them first.
//!
//! No function here has any logic of dms-webhook's own: each decodes its arguments, calls the
//! crate, and encodes what came back.

use alloc::string::String;
use alloc::vec::Vec;
use core::cell::UnsafeCell;

use dms_webhook::{Error, ErrorCode, Policy};

use crate::arena;

/// The result area, in `u32`s.
#[derive(Clone, Copy)]
#[repr(usize)]
pub enum Slot {
    /// Error: the byte offset in the body, or `u32::MAX`. Verify: the signature method
    /// (1: HMAC_SHA1, 0: None).
    OffsetOrMethod = 0,
    /// Error: the message. Text results: the text.
    Ptr = 1,
    Len = 2,
    /// Verify: the form that matched (0: canonical, 1: raw, `u32::MAX`: unsigned and allowed).
    Form = 3,
    /// Verify: the URL and secret that matched (indices into the configured lists).
    Url = 4,
    Secret = 5,
    /// Verify: the `messageEvent` text's byte span in the body.
    EventStart = 6,
    EventEnd = 7,
    /// Verify: the event holds integers beyond 2^53. Parse and explain: the text holds them as
    /// strings, listed under `"wide"`.
    Wide = 8,
}

const SLOTS: usize = 9;

/// Memory shared with JavaScript at fixed addresses.
pub struct Shared<T>(UnsafeCell<T>);

// SAFETY: WebAssembly modules here run on one thread.
unsafe impl<T> Sync for Shared<T> {}

impl<T> Shared<T> {
    pub const fn new(value: T) -> Self {
        Shared(UnsafeCell::new(value))
    }

    pub fn get(&self) -> *mut T {
        self.0.get()
    }
}

static RESULT: Shared<[u32; SLOTS]> = Shared::new([0; SLOTS]);
static INPUT: Shared<(usize, usize)> = Shared::new((0, 0));
static CONFIG_INPUT: Shared<(usize, usize)> = Shared::new((0, 0));

/// Where the result area is.
#[no_mangle]
pub extern "C" fn dms_result() -> *const u32 {
    RESULT.get().cast()
}

/// Room for `capacity` bytes, remembered in `at`; it stays valid until the arena is reset below it.
fn room(capacity: usize, at: &Shared<(usize, usize)>) -> *mut u8 {
    let mut buffer = Vec::<u8>::with_capacity(capacity);
    let ptr = buffer.as_mut_ptr();
    core::mem::forget(buffer);
    // SAFETY: single-threaded.
    unsafe { *at.get() = (ptr as usize, capacity) };
    ptr
}

/// The first `len` bytes written into the room remembered in `at`.
fn written(at: &Shared<(usize, usize)>, len: usize) -> &'static [u8] {
    // SAFETY: `room` made `capacity` bytes there and JavaScript wrote `len` of them; the slice
    // is used only while that room is valid (this call, or this configuration).
    unsafe {
        let (ptr, capacity) = *at.get();
        if capacity == 0 {
            return &[];
        }
        core::slice::from_raw_parts(ptr as *const u8, len.min(capacity))
    }
}

/// Starts a call: forgets the last one and returns room for `capacity` bytes of input.
#[no_mangle]
pub extern "C" fn dms_input(capacity: usize) -> *mut u8 {
    arena::reset();
    room(capacity, &INPUT)
}

/// The first `len` bytes of the input of this call.
pub fn input(len: usize) -> &'static [u8] {
    written(&INPUT, len)
}

/// The input of a call that carries lists: `options_len` bytes of lists, then `len` of body.
pub fn input_with_lists(options_len: usize, len: usize) -> (Lists<'static>, &'static [u8]) {
    let all = input(options_len + len);
    let split = options_len.min(all.len());
    (Lists::new(&all[..split]), &all[split..])
}

/// Starts a configuration: forgets everything (the last configuration too) and returns room
/// for its `capacity` bytes of lists, which stay with it.
#[no_mangle]
pub extern "C" fn dms_config_input(capacity: usize) -> *mut u8 {
    arena::reset_all();
    room(capacity, &CONFIG_INPUT)
}

/// The lists of the configuration being made.
pub fn config_lists(len: usize) -> Lists<'static> {
    Lists::new(written(&CONFIG_INPUT, len))
}

pub fn set(slot: Slot, value: u32) {
    // SAFETY: single-threaded; JavaScript reads the area only after the call returns.
    unsafe { (*RESULT.get())[slot as usize] = value };
}

/// A `usize` for the result area (linear memory is 32-bit, so every length fits).
pub fn word(n: usize) -> u32 {
    n as u32
}

/// Leaves `bytes` where JavaScript can read them until the next call.
pub fn put_text(bytes: Vec<u8>) {
    set(Slot::Ptr, bytes.as_ptr() as u32);
    set(Slot::Len, word(bytes.len()));
    core::mem::forget(bytes);
}

/// The status of a body the verify module hands to the full module.
pub const NEEDS_FULL: u32 = 255;

/// The status of a failed call: the error's code, with its offset and message in the area.
pub fn fail(e: Error) -> u32 {
    if e.needs_full_build() {
        return NEEDS_FULL;
    }
    set(Slot::OffsetOrMethod, e.offset().map_or(u32::MAX, word));
    put_text(String::from(e.message()).into_bytes());
    code_number(e.code())
}

pub fn code_number(code: ErrorCode) -> u32 {
    let index = ErrorCode::ALL.iter().position(|&c| c == code);
    word(index.map_or(0, |i| i + 1))
}

/// The result of a call that returns text.
pub fn text_result(r: Result<Vec<u8>, Error>) -> u32 {
    match r {
        Ok(bytes) => {
            put_text(bytes);
            0
        }
        Err(e) => fail(e),
    }
}

/// Reads lists of strings: `[count][len][bytes]...`, one list after the other.
pub struct Lists<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Lists<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Lists { bytes, at: 0 }
    }

    fn word(&mut self) -> usize {
        let Some(w) = self.bytes.get(self.at..self.at + 4) else {
            return 0;
        };
        self.at += 4;
        u32::from_le_bytes([w[0], w[1], w[2], w[3]]) as usize
    }

    /// The next list of strings (JavaScript wrote them from strings: they are UTF-8).
    pub fn strings(&mut self) -> Vec<String> {
        let count = self.word();
        let mut out = Vec::with_capacity(count.min(1024));
        for _ in 0..count {
            let len = self.word();
            let end = (self.at + len).min(self.bytes.len());
            // JavaScript wrote them from strings with TextEncoder: always UTF-8.
            out.push(String::from(
                core::str::from_utf8(&self.bytes[self.at..end]).unwrap_or_default(),
            ));
            self.at = end;
        }
        out
    }
}

/// A count from JavaScript, where every number is an `f64`.
fn size(n: f64) -> usize {
    if n >= usize::MAX as f64 {
        usize::MAX
    } else {
        n as usize
    }
}

/// BODY_TOO_LARGE for a body refused before it was copied in (`len` bytes, or at least `len`).
#[no_mangle]
pub extern "C" fn dms_too_large(len: f64, max: f64, at_least: u32) -> u32 {
    fail(Error::body_too_large(size(len), size(max), at_least != 0))
}

/// The policy from a call's numeric arguments: numbers from JavaScript arrive as `f64`;
/// `max_age_ms` below 0 means no age limit.
pub fn policy(require_signature: u32, max_body_bytes: f64, now_ms: f64, max_age_ms: f64) -> Policy {
    Policy {
        require_signature: require_signature != 0,
        max_age_ms: (max_age_ms >= 0.0).then_some(max_age_ms as u64),
        now_ms: Some(now_ms as i64),
        max_body_bytes: size(max_body_bytes),
    }
}

//! The host's HMAC-SHA1, reached through the module's function table rather than an import.
//!
//! Node's HMAC-SHA1 uses the CPU's SHA instructions, which a WebAssembly module cannot, so the
//! package has it compute the tags of large bodies. It is not an import: V8 before version 12
//! (Node 20) compiles a wrapper for every imported function when it compiles a module, 0.6 ms of
//! a 5 ms cold start (measured), even where the import is never called (browsers, workerd,
//! small bodies). Instead, when a large body first needs it, JavaScript appends the function
//! to the module's function table (which the build exports, growable) and passes its index to
//! `dms_host_hmac`. The function comes from a module of a few bytes that imports it and
//! exports it again, since a table holds WebAssembly functions only.

use crate::abi::Shared;

/// `(text, len, out)`: writes the 20-byte tag of every configured pair over the `len` bytes at
/// `text` to `out`, pair after pair, both in this module's memory.
type HostHmac = extern "C" fn(text: *const u8, len: usize, out: *mut u8);

static HOST_HMAC: Shared<Option<HostHmac>> = Shared::new(None);

fn host_hmac() -> Option<HostHmac> {
    // SAFETY: single-threaded; a copy of the value is read.
    unsafe { *HOST_HMAC.get() }
}

/// Records where the host's HMAC-SHA1 is in the function table (0: nowhere).
#[no_mangle]
pub extern "C" fn dms_host_hmac(index: usize) {
    // SAFETY: in WebAssembly a function pointer is an index into the function table, and the
    // host put a function of this signature at `index`. Were it another, the call would trap
    // (`call_indirect` checks the signature): it cannot go wrong silently.
    let f = (index != 0).then(|| unsafe { core::mem::transmute::<usize, HostHmac>(index) });
    // SAFETY: single-threaded.
    unsafe { *HOST_HMAC.get() = f };
}

/// Whether the host has handed its HMAC-SHA1 over.
pub fn available() -> bool {
    host_hmac().is_some()
}

/// Tags from the host, for the crate's `check_with_tags` (called only when [`available`]).
pub fn tags(text: &[u8], out: &mut [[u8; 20]]) {
    if let Some(f) = host_hmac() {
        f(text.as_ptr(), text.len(), out.as_mut_ptr().cast());
    }
}

//! The modules' allocator: a bump allocator over linear memory that starts again at each call.
//!
//! Why not a general-purpose allocator: everything a call allocates (the copy of the body, the
//! reader's stacks, the HMAC states, the result text) is dead once JavaScript has read the
//! result, which it does before the next call. Only the configuration made by `dms_configure`
//! lives longer, and it is made right after a full reset, below a *mark* that every later call
//! resets to. So allocation is a pointer bump, freeing is (at most) popping the last
//! allocation, and the module carries a few hundred bytes of allocator instead of several KB.
//!
//! Invariant (kept by `abi.rs`): nothing allocated after the mark is used after the next reset,
//! and nothing outside this file keeps a pointer into memory above the mark across calls.
//! Peak memory is what one call needs (at most about twice its live data, from `Vec`s that grow
//! while another allocation sits above them); like any WebAssembly memory it never shrinks.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::cell::UnsafeCell;
use core::ptr::null_mut;

const PAGE: usize = 65536;

struct State {
    /// The first free byte.
    top: usize,
    /// The end of the memory the module has (grown on demand).
    end: usize,
    /// The start of the most recent allocation, which alone can grow or shrink in place.
    last: usize,
    /// Where a call's allocations start: above the configuration.
    mark: usize,
}

pub struct Arena(UnsafeCell<State>);

// SAFETY: WebAssembly modules here run on one thread; the state is never shared.
unsafe impl Sync for Arena {}

#[global_allocator]
static ARENA: Arena = Arena(UnsafeCell::new(State {
    top: 0,
    end: 0,
    last: 0,
    mark: 0,
}));

extern "C" {
    /// The end of the static data and the stack, placed by the linker: the heap starts here.
    static __heap_base: u8;
}

fn heap_base() -> usize {
    core::ptr::addr_of!(__heap_base) as usize
}

fn state() -> &'static mut State {
    // SAFETY: single-threaded, and no caller holds the reference across another call into
    // this module (each function below takes it, uses it and lets it go).
    let s = unsafe { &mut *ARENA.0.get() };
    if s.end == 0 {
        // SAFETY: only the address of the linker symbol is taken.
        let base = heap_base();
        s.top = base;
        s.last = base;
        s.mark = base;
        s.end = wasm32::memory_size(0) * PAGE;
    }
    s
}

/// Forgets everything, the configuration included.
pub fn reset_all() {
    let s = state();
    s.mark = heap_base();
    s.top = s.mark;
    s.last = s.mark;
}

/// Keeps what is allocated now (the configuration) through later resets.
pub fn set_mark() {
    let s = state();
    s.mark = s.top;
    s.last = s.top;
}

/// Forgets everything allocated since the mark: the start of a call.
pub fn reset() {
    let s = state();
    s.top = s.mark;
    s.last = s.mark;
}

/// Makes sure memory reaches `to`; false when it cannot grow that far.
fn reach(s: &mut State, to: usize) -> bool {
    if to <= s.end {
        return true;
    }
    let pages = (to - s.end).div_ceil(PAGE);
    if wasm32::memory_grow(0, pages) == usize::MAX {
        return false;
    }
    s.end += pages * PAGE;
    true
}

unsafe impl GlobalAlloc for Arena {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let s = state();
        let start = (s.top + layout.align() - 1) & !(layout.align() - 1);
        let Some(end) = start.checked_add(layout.size()) else {
            return null_mut();
        };
        if !reach(s, end) {
            return null_mut();
        }
        s.last = start;
        s.top = end;
        start as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        let s = state();
        if ptr as usize == s.last {
            s.top = s.last;
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let s = state();
        if ptr as usize == s.last {
            // The most recent allocation grows or shrinks where it is.
            let Some(end) = (ptr as usize).checked_add(new_size) else {
                return null_mut();
            };
            if !reach(s, end) {
                return null_mut();
            }
            s.top = end;
            return ptr;
        }
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        let new = self.alloc(new_layout);
        if !new.is_null() {
            core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
        }
        new
    }
}

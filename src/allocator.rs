//! The program's allocator: mimalloc for small blocks, the system's for large ones.
//!
//! mimalloc makes the loads' millions of small buffers cheap (the 100,000-polygon Shapefile load
//! 0.90 s -> 0.51 s when it came in), but it keeps freed memory for a while and grows a large
//! vector by copying it into a new block. On a world map, whose biggest countries hold more than
//! a million vertices each, that kept the load's peak at 4.5 times the file (issue 13's bar is
//! 3). Blocks of [`LARGE_BYTES`] and more therefore go to the system's allocator, which maps them
//! straight from the operating system, hands them back the moment they are freed and grows them in
//! place (glibc's `mremap`); on Linux they are asked for transparent huge pages, as mimalloc's
//! own are, so that they do not cost a page fault per 4 KiB. mimalloc's purge delay goes back to
//! its version 2's 10 ms ([`tune`]).

use std::alloc::{GlobalAlloc, Layout, System};

/// Blocks this size and larger are the system's.
pub const LARGE_BYTES: usize = 1 << 20;

/// mimalloc below [`LARGE_BYTES`], the system's allocator from there on. A block's size says
/// which allocator holds it, in `dealloc` and `realloc` as in `alloc`.
pub struct SplitAllocator;

/// Whether a block of `size` bytes belongs to the system's allocator.
fn is_large(size: usize) -> bool {
    size >= LARGE_BYTES
}

// SAFETY: every block is allocated, resized and freed by the allocator its size names; a resize
// across the threshold allocates in the other one, copies the bytes both sizes hold and frees
// the old block in its own allocator. Both allocators honour the layout's alignment.
unsafe impl GlobalAlloc for SplitAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's layout contract is passed on unchanged.
        unsafe {
            if is_large(layout.size()) {
                huge_pages(System.alloc(layout), layout.size())
            } else {
                mimalloc::MiMalloc.alloc(layout)
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as in `alloc`.
        unsafe {
            if is_large(layout.size()) {
                huge_pages(System.alloc_zeroed(layout), layout.size())
            } else {
                mimalloc::MiMalloc.alloc_zeroed(layout)
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `layout` is the one the block was allocated (or last resized) with, so its
        // size names the allocator that holds it.
        unsafe {
            if is_large(layout.size()) {
                System.dealloc(ptr, layout);
            } else {
                mimalloc::MiMalloc.dealloc(ptr, layout);
            }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same-side resizes pass the caller's contract on; a move across sides allocates
        // `new_size` with the old alignment (valid: the caller guarantees that layout is), copies
        // the bytes both blocks have, and frees the old block with its own layout.
        unsafe {
            match (is_large(layout.size()), is_large(new_size)) {
                (true, true) => huge_pages(System.realloc(ptr, layout, new_size), new_size),
                (false, false) => mimalloc::MiMalloc.realloc(ptr, layout, new_size),
                _ => {
                    let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
                    let new = self.alloc(new_layout);
                    if !new.is_null() {
                        std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                    new
                }
            }
        }
    }
}

/// Asks Linux for transparent huge pages under the block at `ptr` of `size` bytes (the whole
/// 2 MiB pages inside it): one fault then maps 2 MiB instead of 4 KiB, as mimalloc's own blocks
/// get. Returns `ptr`.
fn huge_pages(ptr: *mut u8, size: usize) -> *mut u8 {
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        let start = (ptr as usize).next_multiple_of(HUGE);
        let end = (ptr as usize + size) / HUGE * HUGE;
        if !ptr.is_null() && end > start {
            // SAFETY: advice on whole pages inside a block this program owns; it changes how the
            // pages are backed, never their contents.
            unsafe {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = size;
    ptr
}

/// How long mimalloc keeps freed memory before handing it back, in milliseconds: mimalloc 2's
/// default. Version 3's second (1,000) kept a world map's load 30 MiB above issue 13's bar, with
/// memory its stages had freed long before.
const PURGE_DELAY_MS: std::ffi::c_long = 10;

/// mimalloc's number for its purge-delay option (`mi_option_purge_delay` in `mimalloc.h`,
/// version 3; the Rust bindings name the options around it, 14 and 16, but not this one).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

unsafe extern "C" {
    /// Sets one of mimalloc's options (part of the C library the `mimalloc` crate builds).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// Sets the allocators' tuning for the program (see [`PURGE_DELAY_MS`] and
/// [`map_large_blocks_alone`]). Call once at start, before other threads exist.
pub fn tune() {
    // SAFETY: mi_option_set only stores an option value; the number names an existing option.
    unsafe {
        mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS);
    }
    map_large_blocks_alone();
}

/// Makes glibc map every large block on its own rather than from its heap, whatever sizes were
/// freed before (its threshold otherwise rises with them), so a freed block goes straight back to
/// the system.
fn map_large_blocks_alone() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tuning value; it is called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, LARGE_BYTES as libc::c_int);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Grows a vector of bytes across the threshold and back, checking its contents each time.
    #[test]
    fn blocks_keep_their_bytes_when_they_cross_the_threshold() {
        let a = SplitAllocator;
        for align in [1, 8, 64, 4096] {
            let sizes = [
                16,
                LARGE_BYTES - 1,
                LARGE_BYTES,
                3 * LARGE_BYTES,
                LARGE_BYTES - 8,
                100,
                5 * LARGE_BYTES,
            ];
            let mut layout = Layout::from_size_align(sizes[0], align).unwrap();
            // SAFETY: each block is used within its size and freed once with its layout.
            unsafe {
                let mut p = a.alloc(layout);
                assert!(!p.is_null());
                for k in 0..layout.size() {
                    *p.add(k) = (k % 251) as u8;
                }
                for &size in &sizes[1..] {
                    let kept = layout.size().min(size);
                    p = a.realloc(p, layout, size);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "alignment {align} kept at {size} bytes");
                    for k in 0..kept {
                        assert_eq!(*p.add(k), (k % 251) as u8, "byte {k} after resizing to {size}");
                    }
                    layout = Layout::from_size_align(size, align).unwrap();
                    for k in kept..size {
                        *p.add(k) = (k % 251) as u8;
                    }
                }
                a.dealloc(p, layout);
                let z = Layout::from_size_align(2 * LARGE_BYTES, align).unwrap();
                let q = a.alloc_zeroed(z);
                assert!(std::slice::from_raw_parts(q, z.size()).iter().all(|&b| b == 0));
                a.dealloc(q, z);
            }
        }
    }
}

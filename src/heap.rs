//! The allocator of the WebAssembly build: power-of-two size classes, each with its own free
//! list, carved from pages that `memory.grow` adds. It is a few hundred bytes of code where
//! the standard library's dlmalloc is several kilobytes, and the package's size matters.
//!
//! A freed block goes back to its class's list and is handed out again for the next request
//! of that class; blocks are never split or merged. The client's traffic repeats the same few
//! sizes, so the heap stops growing once every class it uses has enough blocks. WebAssembly
//! memory never shrinks, whatever the allocator.
//!
//! The module runs single-threaded (wasm32 without atomics): there is no locking.

use core::alloc::Layout;

/// The smallest block: room for the free-list link.
const MIN_SIZE: usize = 8;
/// Blocks are carved aligned to their size up to this; a request aligned more than this is
/// always served by a freshly carved block (none occurs in practice).
const MAX_LIST_ALIGN: usize = 16;
/// A WebAssembly page.
pub const PAGE: usize = 65536;

/// The allocator's state: one free list per size class and the unused rest of the last page.
pub struct Heap {
    /// The head of each class's free list (class `i` holds blocks of `2^i` bytes); 0: empty.
    /// Each free block holds the address of the next.
    free: [usize; usize::BITS as usize],
    /// The next address to carve from.
    next: usize,
    /// The end of the pages carved so far.
    end: usize,
}

/// The block size (a power of two) and class for `layout`; `None` if it cannot be served.
fn class_of(size: usize, align: usize) -> Option<(usize, usize)> {
    let block = size.max(align).max(MIN_SIZE).checked_next_power_of_two()?;
    Some((block, block.trailing_zeros() as usize))
}

impl Heap {
    /// An empty heap.
    pub const fn new() -> Heap {
        Heap {
            free: [0; usize::BITS as usize],
            next: 0,
            end: 0,
        }
    }

    /// A block for `layout`, or 0. `grow(pages)` adds pages to the memory and returns the
    /// address of the first, or `None`; pages it returns must follow the previous ones for the
    /// heap to reuse the previous page's rest.
    ///
    /// # Safety
    /// The memory `grow` returns must be writable and used by nothing else; the free lists
    /// must hold only blocks this heap gave out and that were handed back by
    /// [`Heap::dealloc`].
    pub unsafe fn alloc(
        &mut self,
        layout: Layout,
        grow: impl FnOnce(usize) -> Option<usize>,
    ) -> usize {
        let Some((block, class)) = class_of(layout.size(), layout.align()) else {
            return 0;
        };
        let align = layout.align();
        if align <= MAX_LIST_ALIGN {
            let head = self.free[class];
            if head != 0 {
                // SAFETY: a free block of this class holds the address of the next one.
                self.free[class] = unsafe { *(head as *const usize) };
                return head;
            }
        }
        let align = align.max(block.min(MAX_LIST_ALIGN));
        let mut start = self.next.next_multiple_of(align);
        let Some(stop) = start.checked_add(block) else {
            return 0;
        };
        if stop > self.end {
            let pages = (stop - self.end).div_ceil(PAGE);
            let Some(base) = grow(pages) else {
                return 0;
            };
            if base != self.end {
                // Not after the previous pages (the first growth): start afresh.
                self.next = base;
                start = base.next_multiple_of(align);
            }
            self.end = base + pages * PAGE;
            if start + block > self.end {
                return 0;
            }
        }
        self.next = start + block;
        start
    }

    /// Hands back the block at `ptr`, given out for `layout`.
    ///
    /// # Safety
    /// `ptr` must come from [`Heap::alloc`] with `layout` (or a layout of the same class) and
    /// must not be used again.
    pub unsafe fn dealloc(&mut self, ptr: usize, layout: Layout) {
        if let Some((_, class)) = class_of(layout.size(), layout.align()) {
            // SAFETY: the block is ours again and has room for the link.
            unsafe { *(ptr as *mut usize) = self.free[class] };
            self.free[class] = ptr;
        }
    }

    /// Whether a block given out for `layout` also serves `new_size` (same class): a
    /// `realloc` may then keep it.
    pub fn fits(layout: Layout, new_size: usize) -> bool {
        class_of(layout.size(), layout.align()) == class_of(new_size, layout.align())
    }
}

impl Default for Heap {
    fn default() -> Heap {
        Heap::new()
    }
}

#[cfg(target_arch = "wasm32")]
mod global {
    use core::alloc::{GlobalAlloc, Layout};
    use core::cell::UnsafeCell;

    use super::{Heap, PAGE};

    struct Global(UnsafeCell<Heap>);

    // SAFETY: wasm32 without atomics has one thread.
    unsafe impl Sync for Global {}

    #[global_allocator]
    static GLOBAL: Global = Global(UnsafeCell::new(Heap::new()));

    fn grow(pages: usize) -> Option<usize> {
        let previous = core::arch::wasm32::memory_grow(0, pages);
        (previous != usize::MAX).then(|| previous * PAGE)
    }

    unsafe impl GlobalAlloc for Global {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            // SAFETY: single-threaded, and no allocator call re-enters another.
            unsafe { (*self.0.get()).alloc(layout, grow) as *mut u8 }
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            // SAFETY: as above; the caller hands back a block of ours.
            unsafe { (*self.0.get()).dealloc(ptr as usize, layout) }
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            if Heap::fits(layout, new_size) {
                return ptr;
            }
            // SAFETY: the caller guarantees `new_size` with `layout.align()` is a valid layout.
            let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
            // SAFETY: as in `alloc` and `dealloc`; the blocks do not overlap.
            unsafe {
                let new = self.alloc(new_layout);
                if !new.is_null() {
                    core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
                new
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A heap over an arena of `pages` pages, which it grows into as it asks.
    struct Arena {
        heap: Heap,
        memory: Vec<u64>,
        used_pages: usize,
    }

    impl Arena {
        fn new(pages: usize) -> Arena {
            Arena {
                heap: Heap::new(),
                memory: vec![0; pages * PAGE / 8],
                used_pages: 0,
            }
        }

        fn base(&self) -> usize {
            self.memory.as_ptr() as usize
        }

        fn alloc(&mut self, size: usize, align: usize) -> usize {
            let base = self.base();
            let capacity = self.memory.len() * 8 / PAGE;
            let used = &mut self.used_pages;
            let layout = Layout::from_size_align(size, align).unwrap();
            // SAFETY: the arena is ours and lives as long as the heap.
            unsafe {
                self.heap.alloc(layout, |pages| {
                    (*used + pages <= capacity).then(|| {
                        let at = base + *used * PAGE;
                        *used += pages;
                        at
                    })
                })
            }
        }

        fn free(&mut self, ptr: usize, size: usize, align: usize) {
            let layout = Layout::from_size_align(size, align).unwrap();
            // SAFETY: `ptr` came from `alloc` with this layout.
            unsafe { self.heap.dealloc(ptr, layout) }
        }
    }

    #[test]
    fn blocks_are_aligned_disjoint_and_inside_the_memory() {
        let mut a = Arena::new(4);
        let mut blocks = Vec::new();
        for (i, size) in [1, 7, 8, 9, 16, 24, 100, 1000, 3, 4096, 5000]
            .iter()
            .enumerate()
        {
            let align = [1, 2, 4, 8, 16][i % 5];
            let p = a.alloc(*size, align);
            assert_ne!(p, 0);
            assert_eq!(p % align, 0, "size {size} align {align}");
            blocks.push((p, *size));
        }
        blocks.sort();
        for pair in blocks.windows(2) {
            assert!(pair[0].0 + pair[0].1 <= pair[1].0, "{pair:?} overlap");
        }
        let (last, size) = blocks[blocks.len() - 1];
        assert!(blocks[0].0 >= a.base() && last + size <= a.base() + 4 * PAGE);
    }

    #[test]
    fn a_freed_block_serves_the_next_request_of_its_class() {
        let mut a = Arena::new(1);
        let p = a.alloc(100, 8);
        let q = a.alloc(100, 8);
        a.free(p, 100, 8);
        assert_eq!(a.alloc(120, 4), p, "same class (128 bytes)");
        assert_ne!(a.alloc(100, 8), q, "q is still in use");
        a.free(q, 100, 8);
        assert_ne!(a.alloc(200, 8), q, "another class");
    }

    #[test]
    fn repeated_traffic_stops_growing_the_memory() {
        let mut a = Arena::new(8);
        for _ in 0..10_000 {
            let p = a.alloc(300, 8);
            let q = a.alloc(40, 4);
            a.free(p, 300, 8);
            a.free(q, 40, 4);
        }
        assert_eq!(a.used_pages, 1);
    }

    #[test]
    fn large_blocks_take_whole_pages_and_exhaustion_is_null() {
        let mut a = Arena::new(8);
        let p = a.alloc(2 * PAGE + 1, 8);
        assert_ne!(p, 0);
        assert_eq!(a.used_pages, 4, "a block of the 4-page class");
        assert_ne!(a.alloc(4 * PAGE, 8), 0);
        assert_eq!(a.used_pages, 8);
        assert_eq!(a.alloc(PAGE, 8), 0, "the arena is full");
        a.free(p, 2 * PAGE + 1, 8);
        assert_eq!(
            a.alloc(3 * PAGE, 8),
            p,
            "a freed block of the class still serves"
        );
        assert_eq!(a.alloc(isize::MAX as usize, 1), 0);
    }

    #[test]
    fn alignment_above_sixteen_is_honoured() {
        let mut a = Arena::new(2);
        a.alloc(8, 8);
        let p = a.alloc(32, 32);
        assert_eq!(p % 32, 0);
        a.free(p, 32, 32);
        a.alloc(24, 8);
        assert_eq!(a.alloc(64, 64) % 64, 0);
    }

    #[test]
    fn realloc_keeps_a_block_within_its_class() {
        let layout = Layout::from_size_align(100, 8).unwrap();
        assert!(Heap::fits(layout, 128));
        assert!(Heap::fits(layout, 65));
        assert!(!Heap::fits(layout, 129));
        assert!(!Heap::fits(layout, 64));
    }
}

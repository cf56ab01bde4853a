/// A growable run of values in one manually managed buffer, for the per-flow tables of the hot
/// path. Unlike an `Array` held in a class, changing an element in place costs no uniqueness
/// check and no copy-on-write branch: a slab is never shared, so there is nothing to check.
///
/// Indexes are checked against `count` (a plain comparison); a bad index stops the program
/// rather than reading outside the buffer.
final class Slab<Element> {
    private var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private(set) var capacity: Int

    /// Elements start on a cache line, so one whose stride is a multiple of 64 (or one that fits
    /// its first line) keeps its front on one line.
    static var alignment: Int { max(64, MemoryLayout<Element>.alignment) }

    init(capacity: Int = 16) {
        self.capacity = max(capacity, 1)
        base = Self.allocate(self.capacity)
    }

    deinit {
        base.deinitialize(count: count)
        UnsafeMutableRawPointer(base).deallocate()
    }

    private static func allocate(_ capacity: Int) -> UnsafeMutablePointer<Element> {
        UnsafeMutableRawPointer.allocate(byteCount: capacity &* MemoryLayout<Element>.stride, alignment: alignment)
            .bindMemory(to: Element.self, capacity: capacity)
    }

    func append(_ value: Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: value)
        count &+= 1
    }

    /// Appends `value` until the slab holds `newCount` elements.
    func extend(to newCount: Int, with value: Element) {
        while count < newCount { append(value) }
    }

    subscript(index: Int) -> Element {
        unsafeAddress {
            precondition(index >= 0 && index < count, "slab index out of range")
            return UnsafePointer(base + index)
        }
        unsafeMutableAddress {
            precondition(index >= 0 && index < count, "slab index out of range")
            return base + index
        }
    }

    /// The element's address, for a wrapper's own addressors (checked like the subscript).
    func address(_ index: Int) -> UnsafePointer<Element> {
        precondition(index >= 0 && index < count, "slab index out of range")
        return UnsafePointer(base + index)
    }

    func mutableAddress(_ index: Int) -> UnsafeMutablePointer<Element> {
        precondition(index >= 0 && index < count, "slab index out of range")
        return base + index
    }

    /// Where the elements start; valid until the next `append` (which may move them).
    var baseAddress: UnsafeMutableRawPointer { UnsafeMutableRawPointer(base) }

    private func grow() {
        let newCapacity = capacity &* 2
        let newBase = Self.allocate(newCapacity)
        newBase.moveInitialize(from: base, count: count)
        UnsafeMutableRawPointer(base).deallocate()
        base = newBase
        capacity = newCapacity
    }
}

/// A slab of values addressed by `Int32` with a free list, so per-flow state is reused instead of
/// reallocated and flows can refer to it by a plain integer.
final class Pool<Element> {
    private let items = Slab<Element>()
    private let live = Slab<Bool>()
    private var free: [Int32] = []

    func insert(_ value: Element) -> Int32 {
        if let index = free.popLast() {
            items[Int(index)] = value
            live[Int(index)] = true
            return index
        }
        items.append(value)
        live.append(true)
        return Int32(truncatingIfNeeded: items.count &- 1)
    }

    /// Frees the slot; its value stays until reused (callers release what it holds first).
    func remove(_ index: Int32) {
        guard contains(index) else { return }
        live[Int(index)] = false
        free.append(index)
    }

    func contains(_ index: Int32) -> Bool {
        index >= 0 && Int(index) < live.count && live[Int(index)]
    }

    /// The element's address; valid until the next `insert` (which may move the storage).
    func mutableAddress(_ index: Int32) -> UnsafeMutablePointer<Element> {
        items.mutableAddress(Int(index))
    }

    /// Where the slots are and how many, for a table of pools' addresses (`DissectorStates`);
    /// valid until the next `insert`.
    var storage: PoolStorage {
        PoolStorage(base: items.baseAddress, count: items.count, stride: MemoryLayout<Element>.stride)
    }

    subscript(index: Int32) -> Element {
        unsafeAddress { items.address(Int(index)) }
        unsafeMutableAddress { items.mutableAddress(Int(index)) }
    }
}

/// A pool's slots as plain numbers: their address, how many there are and how far apart.
struct PoolStorage {
    var base: UnsafeMutableRawPointer?
    var count = 0
    var stride = 0
}

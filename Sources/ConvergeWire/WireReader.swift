/// A bounds-checked cursor over borrowed bytes.
///
/// Every read returns `nil` when the bytes run out and moves the cursor only on success, so a
/// parser written against it cannot trap on hostile input (DESIGN.md, "Robustness by design").
public struct WireReader: ~Escapable {
    public let bytes: Span<UInt8>
    /// Offset of the next unread byte. Kept public (not `private(set)`) so the readers stay `@inlinable`.
    public var offset: Int

    @_lifetime(copy bytes)
    @inlinable public init(_ bytes: Span<UInt8>) {
        self.bytes = bytes
        self.offset = 0
    }

    @inlinable public var remaining: Int { bytes.count &- offset }
    @inlinable public var isAtEnd: Bool { offset >= bytes.count }

    @inlinable public mutating func u8() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset &+= 1 }
        return bytes[offset]
    }

    @inlinable public mutating func u16be() -> UInt16? {
        guard remaining >= 2 else { return nil }
        defer { offset &+= 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset &+ 1])
    }

    @inlinable public mutating func u16le() -> UInt16? {
        guard remaining >= 2 else { return nil }
        defer { offset &+= 2 }
        return UInt16(bytes[offset]) | UInt16(bytes[offset &+ 1]) << 8
    }

    @inlinable public mutating func u24be() -> UInt32? {
        guard remaining >= 3 else { return nil }
        defer { offset &+= 3 }
        return UInt32(bytes[offset]) << 16 | UInt32(bytes[offset &+ 1]) << 8 | UInt32(bytes[offset &+ 2])
    }

    @inlinable public mutating func u32be() -> UInt32? {
        guard remaining >= 4 else { return nil }
        defer { offset &+= 4 }
        return bytes.loadUInt32BE(at: offset)
    }

    @inlinable public mutating func u32le() -> UInt32? {
        guard remaining >= 4 else { return nil }
        defer { offset &+= 4 }
        return bytes.loadUInt32LE(at: offset)
    }

    @inlinable public mutating func u64be() -> UInt64? {
        guard remaining >= 8 else { return nil }
        defer { offset &+= 8 }
        return UInt64(bytes.loadUInt32BE(at: offset)) << 32 | UInt64(bytes.loadUInt32BE(at: offset &+ 4))
    }

    @inlinable public mutating func u64le() -> UInt64? {
        guard remaining >= 8 else { return nil }
        defer { offset &+= 8 }
        return UInt64(bytes.loadUInt32LE(at: offset)) | UInt64(bytes.loadUInt32LE(at: offset &+ 4)) << 32
    }

    /// Skips `count` bytes; false (and no move) when fewer remain.
    @inlinable @discardableResult
    public mutating func skip(_ count: Int) -> Bool {
        guard count >= 0, remaining >= count else { return false }
        offset &+= count
        return true
    }

    /// The next `count` bytes as a sub-view, without copying.
    @_lifetime(copy self)
    @inlinable public mutating func take(_ count: Int) -> Span<UInt8>? {
        guard count >= 0, remaining >= count else { return nil }
        let view = bytes.extracting(offset..<(offset &+ count))
        offset &+= count
        return view
    }

    /// Everything not yet read, without copying.
    @_lifetime(copy self)
    @inlinable public mutating func takeRest() -> Span<UInt8> {
        let view = bytes.extracting(offset..<bytes.count)
        offset = bytes.count
        return view
    }

    /// The byte `ahead` positions past the cursor, without moving it.
    @inlinable public func peek(_ ahead: Int = 0) -> UInt8? {
        guard ahead >= 0, ahead < remaining else { return nil }
        return bytes[offset &+ ahead]
    }
}

extension Span where Element == UInt8 {
    /// Big-endian 32-bit load; the caller has checked `offset + 4 <= count`.
    @inlinable public func loadUInt32BE(at offset: Int) -> UInt32 {
        UInt32(self[offset]) << 24 | UInt32(self[offset &+ 1]) << 16
            | UInt32(self[offset &+ 2]) << 8 | UInt32(self[offset &+ 3])
    }

    /// Little-endian 32-bit load; the caller has checked `offset + 4 <= count`.
    @inlinable public func loadUInt32LE(at offset: Int) -> UInt32 {
        UInt32(self[offset]) | UInt32(self[offset &+ 1]) << 8
            | UInt32(self[offset &+ 2]) << 16 | UInt32(self[offset &+ 3]) << 24
    }

    /// Big-endian 16-bit value at `offset`, or nil past the end.
    @inlinable public func uint16BE(at offset: Int) -> UInt16? {
        guard offset >= 0, offset &+ 2 <= count else { return nil }
        return UInt16(self[offset]) << 8 | UInt16(self[offset &+ 1])
    }

    /// The byte at `offset`, or nil past the end.
    @inlinable public func byte(at offset: Int) -> UInt8? {
        guard offset >= 0, offset < count else { return nil }
        return self[offset]
    }
}

extension DNP3 {
    /// One direction's transport reassembly. The buffer is kept across fragments so a busy flow
    /// reuses it; after FIN it holds the completed fragment until the next FIR.
    public struct Reassembly: Sendable {
        var buffer: [UInt8] = []
        public internal(set) var inProgress = false
        /// Whether `buffer` holds a fragment completed by the last FIN.
        public internal(set) var isComplete = false
        var lastSequence: UInt8 = 0
        var source: UInt16 = 0
        var destination: UInt16 = 0

        mutating func start(sequence: UInt8, source: UInt16, destination: UInt16) {
            inProgress = true
            isComplete = false
            lastSequence = sequence
            self.source = source
            self.destination = destination
        }

        /// What `appendCheckingCRCs` did with a segment.
        enum Appended: Equatable {
            case appended
            /// A data CRC failed: nothing was added.
            case badCRC
            /// The CRCs hold but the fragment would pass `maxFragmentLength`: nothing was added.
            case tooLong
        }

        /// Appends the user data of a whole frame less its transport header, checking each
        /// block's CRC as it copies the block. `payload` is the frame's user data length less
        /// one; `fragmentSoFar` the bytes the fragment holds before this segment.
        mutating func appendCheckingCRCs(_ frame: Span<UInt8>, payload: Int, fragmentSoFar: Int) -> Appended {
            guard fragmentSoFar &+ payload <= Transport.maxFragmentLength else {
                return Link.dataCRCsAreValid(frame) ? .tooLong : .badCRC
            }
            if buffer.capacity < Transport.initialCapacity { buffer.reserveCapacity(Transport.initialCapacity) }
            let mark = buffer.count
            // The tables' address read once per frame, not once per block (`CRC.update(table:)`).
            let table = CRC.slices
            let valid = frame.withUnsafeBufferPointer { bytes -> Bool in
                var offset = Link.headerLength
                var skip = 1  // the transport header, first byte of the first block
                while offset < bytes.count {
                    // Every block is followed by its two CRC bytes inside the frame.
                    let block = min(Link.blockLength, bytes.count &- offset &- 2)
                    guard block >= skip, block > 0 else { return false }
                    let stored = offset &+ block
                    let crc = CRC.update(0, bytes, from: offset, to: stored, table: table)
                    guard ~crc == UInt16(bytes[stored]) | UInt16(bytes[stored &+ 1]) << 8 else { return false }
                    buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(offset &+ skip)..<stored]))
                    skip = 0
                    offset = stored &+ 2
                }
                return true
            }
            guard valid else {
                truncate(to: mark)
                return .badCRC
            }
            return .appended
        }

        /// Takes back what was appended after the first `count` bytes.
        mutating func truncate(to count: Int) {
            if buffer.count > count { buffer.removeSubrange(max(0, count)..<buffer.count) }
        }

        /// Drops an abandoned fragment's bytes from the front, keeping the segment after them.
        mutating func dropFirst(_ count: Int) {
            buffer.removeSubrange(0..<min(max(0, count), buffer.count))
        }

        mutating func complete() {
            inProgress = false
            isComplete = true
        }

        mutating func reset() {
            buffer.removeAll(keepingCapacity: true)
            inProgress = false
            isComplete = false
        }

        /// The completed fragment's bytes, for events.
        public var fragment: [UInt8] { isComplete ? buffer : [] }
    }
}

import ConvergeModel

extension DNP3 {
    /// The data link layer (IEEE 1815 clause 9): a 10-byte header with its own CRC, then the user
    /// data in blocks of at most 16 bytes, each followed by a 2-byte CRC.
    public enum Link {
        static let start0: UInt8 = 0x05
        static let start1: UInt8 = 0x64
        /// Start (2), length (1), control (1), destination (2), source (2), CRC (2).
        public static let headerLength = 10
        /// The length field counts control, destination and source (5) plus the user data.
        public static let minLengthField: UInt8 = 5
        /// User data bytes between two CRCs.
        public static let blockLength = 16
        /// The longest frame: a length field of 255 gives 250 data bytes in 16 blocks.
        public static let maxFrameLength = frameLength(lengthField: 255)

        /// Control byte bits.
        public static let directionBit: UInt8 = 0x80
        public static let primaryBit: UInt8 = 0x40
        public static let frameCountBit: UInt8 = 0x20
        /// Frame count valid (primary) or data flow control (secondary).
        public static let fourthBit: UInt8 = 0x10

        /// Primary function codes.
        public static let resetLinkStates: UInt8 = 0
        public static let testLinkStates: UInt8 = 2
        public static let confirmedUserData: UInt8 = 3
        public static let unconfirmedUserData: UInt8 = 4
        public static let requestLinkStatus: UInt8 = 9
        /// Secondary function codes.
        public static let ack: UInt8 = 0
        public static let nack: UInt8 = 1
        public static let linkStatus: UInt8 = 11
        public static let notSupported: UInt8 = 15

        /// The fixed fields of one frame header.
        public struct Header: Sendable, Equatable {
            public var length: UInt8
            public var control: UInt8
            public var destination: UInt16
            public var source: UInt16

            /// Nil unless `bytes` starts with 0x0564 and holds a whole header.
            init?(_ bytes: Span<UInt8>) {
                guard bytes.count >= headerLength, bytes[0] == start0, bytes[1] == start1 else { return nil }
                length = bytes[2]
                control = bytes[3]
                destination = UInt16(bytes[4]) | UInt16(bytes[5]) << 8
                source = UInt16(bytes[6]) | UInt16(bytes[7]) << 8
            }

            public init(length: UInt8, control: UInt8, destination: UInt16, source: UInt16) {
                self.length = length
                self.control = control
                self.destination = destination
                self.source = source
            }

            public var function: UInt8 { control & 0x0f }
            public var isPrimary: Bool { control & primaryBit != 0 }
            /// Set on frames sent by the master.
            public var fromMaster: Bool { control & directionBit != 0 }
            /// User data bytes (without CRCs); the length field is at least 5 once parsed.
            public var userDataLength: Int { max(0, Int(length) &- 5) }
            public var frameLength: Int { Link.frameLength(lengthField: length) }
            /// Whether Wireshark hands this frame's data to the transport layer: every function
            /// but reset link / ack (0), request link status (9) and link status (11) with data.
            public var carriesTransport: Bool {
                userDataLength > 0 && function != resetLinkStates && function != requestLinkStatus
                    && function != linkStatus
            }
        }

        /// Bytes a frame takes on the wire for a length field.
        public static func frameLength(lengthField: UInt8) -> Int {
            let data = max(0, Int(lengthField) - 5)
            let blocks = (data + blockLength - 1) / blockLength
            return headerLength + data + 2 * blocks
        }

        /// Whether the CRC at offsets 8–9 matches the first 8 bytes.
        static func headerCRCIsValid(_ bytes: Span<UInt8>) -> Bool {
            guard bytes.count >= headerLength else { return false }
            return CRC.compute(bytes, from: 0, count: 8) == UInt16(bytes[8]) | UInt16(bytes[9]) << 8
        }

        /// Whether every data block of a whole frame carries a matching CRC.
        static func dataCRCsAreValid(_ frame: Span<UInt8>) -> Bool {
            var offset = headerLength
            while offset < frame.count {
                let block = min(blockLength, frame.count &- offset &- 2)
                guard block > 0 else { return false }
                let stored = offset &+ block
                guard stored &+ 1 < frame.count else { return false }
                let crc = UInt16(frame[stored]) | UInt16(frame[stored &+ 1]) << 8
                guard CRC.compute(frame, from: offset, count: block) == crc else { return false }
                offset = stored &+ 2
            }
            return true
        }

        /// Calls `body` with each data block of a whole frame (CRCs left out), in order.
        static func forEachBlock(_ frame: Span<UInt8>, _ body: (Span<UInt8>) -> Void) {
            var offset = headerLength
            while offset < frame.count {
                let block = min(blockLength, frame.count &- offset &- 2)
                guard block > 0 else { return }
                body(frame.extracting(offset..<(offset &+ block)))
                offset = offset &+ block &+ 2
            }
        }

        /// Names of link functions, for frames that carry no application fragment.
        static func functionName(_ header: Header) -> String {
            if header.isPrimary {
                switch header.function {
                case resetLinkStates: return "reset_link_states"
                case 1: return "reset_user_process"
                case testLinkStates: return "test_link_states"
                case confirmedUserData: return "confirmed_user_data"
                case unconfirmedUserData: return "unconfirmed_user_data"
                case requestLinkStatus: return "request_link_status"
                default: return "primary_\(header.function)"
                }
            }
            switch header.function {
            case ack: return "ack"
            case nack: return "nack"
            case linkStatus: return "link_status"
            case notSupported: return "not_supported"
            default: return "secondary_\(header.function)"
            }
        }
    }

    /// The DNP3 CRC-16: polynomial 0x3D65, reflected, initial value 0, output inverted; stored
    /// little-endian after the bytes it covers.
    enum CRC {
        /// 0x3D65 bit-reversed, for the reflected table.
        static let reflectedPolynomial: UInt16 = 0xA6BC

        /// The 256-entry table of the byte-at-a-time CRC, built once; inline storage, so a lookup
        /// is a load with no array to retain.
        static let table: InlineArray<256, UInt16> = {
            var table = InlineArray<256, UInt16>(repeating: 0)
            for byte in 0..<256 {
                var crc = UInt16(byte)
                for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ reflectedPolynomial : crc >> 1 }
                table[byte] = crc
            }
            return table
        }()

        /// Tables for four bytes at a time ("slicing by four"): entry `256·k + i` is the register
        /// after byte `i` followed by `k` zero bytes, so four bytes cost four independent lookups
        /// instead of a chain of four dependent ones. Built once and kept for the process's life
        /// (2 KiB); a plain pointer, so a lookup is one load with no bounds check or retain (every
        /// index is a byte plus a multiple of 256).
        nonisolated(unsafe) static let slices: UnsafePointer<UInt16> = {
            let slices = UnsafeMutablePointer<UInt16>.allocate(capacity: 1024)
            for byte in 0..<256 { slices[byte] = table[byte] }
            for k in 1..<4 {
                for byte in 0..<256 {
                    let previous = slices[(k - 1) * 256 + byte]
                    slices[k * 256 + byte] = (previous >> 8) ^ slices[Int(previous & 0xff)]
                }
            }
            return UnsafePointer(slices)
        }()

        /// The CRC after one more byte (the register before the final inversion).
        @inline(__always)
        static func step(_ crc: UInt16, _ byte: UInt8) -> UInt16 {
            (crc >> 8) ^ table[Int((crc ^ UInt16(byte)) & 0xff)]
        }

        /// The register after `bytes[start..<end]` (the caller keeps `0 <= start`, `end <= count`).
        @inline(__always)
        static func update(_ crc: UInt16, _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> UInt16 {
            update(crc, bytes, from: start, to: end, table: slices)
        }

        /// `update` with the tables' address given: a caller that checks many blocks reads the
        /// lazily made `slices` once (each read of a global goes through its once-check).
        @inline(__always)
        static func update(
            _ crc: UInt16, _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int,
            table t: UnsafePointer<UInt16>
        ) -> UInt16 {
            var crc = crc
            var index = start
            while end &- index >= 4 {
                let x0 = Int(UInt8(truncatingIfNeeded: crc) ^ bytes[index])
                let x1 = Int(UInt8(truncatingIfNeeded: crc >> 8) ^ bytes[index &+ 1])
                crc = t[768 &+ x0] ^ t[512 &+ x1] ^ t[256 &+ Int(bytes[index &+ 2])] ^ t[Int(bytes[index &+ 3])]
                index &+= 4
            }
            while index < end {
                crc = (crc >> 8) ^ t[Int(UInt8(truncatingIfNeeded: crc) ^ bytes[index])]
                index &+= 1
            }
            return crc
        }

        /// CRC of `count` bytes from `offset`, clamped to the bytes there are.
        static func compute(_ bytes: Span<UInt8>, from offset: Int, count: Int) -> UInt16 {
            let start = max(0, offset)
            let end = min(bytes.count, offset &+ count)
            guard start < end else { return ~0 }
            let crc = bytes.withUnsafeBufferPointer { update(0, $0, from: start, to: end) }
            return ~crc
        }
    }
}

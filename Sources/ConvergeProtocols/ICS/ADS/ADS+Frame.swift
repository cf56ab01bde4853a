import ConvergeModel

extension ADS {
    /// One AMS packet: the AMS header's fields and what the command's fixed part says.
    public struct Frame: ParsedMessage, Sendable {
        public var targetNetID: UInt64 = 0
        public var targetPort: UInt16 = 0
        public var sourceNetID: UInt64 = 0
        public var sourcePort: UInt16 = 0
        public var commandID: UInt16 = 0
        public var stateFlags: UInt16 = 0
        /// The header's data length (`ams.cbdata`).
        public var dataLength: UInt32 = 0
        /// The header's error code (an AMS routing error; 0 when routed).
        public var errorCode: UInt32 = 0
        public var invokeID: UInt32 = 0
        /// Offset of the AMS header within the span given to `parse` (6 over TCP).
        public var headerOffset = 0
        /// Bytes of the whole packet within the span given to `parse`.
        public var packetLength = 0
        /// The ADS result of a response (its first data word), 0 when absent.
        public var result: UInt32 = 0
        /// Index group, offset and length of a read/write/notification request (or its paired request).
        public var indexGroup: UInt32 = 0
        public var indexOffset: UInt32 = 0
        public var length: UInt32 = 0
        public var hasIndex = false
        /// The paired request of a response.
        public var request: Pending? = nil
        public var roundTripNanoseconds: Int64? = nil
        public var anomalies: Anomalies = []

        public var functionCode: Int { Int(commandID) }
        public var hasFunction: Bool { true }
        public var isResponse: Bool { stateFlags & StateFlag.response != 0 }
        public var command: Command { Command(rawValue: commandID) }
        /// Offset of the command data within the span given to `parse`.
        public var dataOffset: Int { headerOffset &+ amsHeaderLength }
    }

    /// State flag bits of the AMS header.
    public enum StateFlag {
        public static let response: UInt16 = 0x0001
        public static let noReturn: UInt16 = 0x0002
        public static let adsCommand: UInt16 = 0x0004
        public static let systemCommand: UInt16 = 0x0008
        public static let udp: UInt16 = 0x0040
    }

    /// A request waiting for its response, keyed by invoke id.
    public struct Pending: Sendable, PendingRequest {
        public var invokeID: UInt32
        public var commandID: UInt16
        public var indexGroup: UInt32
        public var indexOffset: UInt32
        public var length: UInt32
        public var hasIndex: Bool
        public var time: Timestamp
        public var pendingKey: UInt32 { invokeID }
    }
}

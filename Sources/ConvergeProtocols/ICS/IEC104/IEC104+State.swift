import ConvergeModel

extension IEC104 {
    /// Per-flow state: each direction's sequence numbers, whether data transfer is stopped, and
    /// the activations waiting for their confirmation.
    public struct State: Sendable {
        /// Sequence numbers are 15 bits and wrap.
        public static let sequenceModulus: UInt16 = 1 << 15
        /// A forward jump of less than half the sequence space is a gap; anything else a repeat.
        static let halfSequenceSpace: UInt16 = 1 << 14

        /// Frames sent to the server (controlling → controlled station) and to the client.
        public var toServer = Sequence()
        public var toClient = Sequence()
        /// Set by STOPDT con, cleared by STARTDT con: I frames are not allowed in between.
        public var stopped = false
        public var pending = PendingTable()
        /// Activations dropped from a full pending table.
        public var pendingOverflows: UInt64 = 0

        public init() {}

        /// What one direction has sent.
        public struct Sequence: Sendable, Equatable {
            /// The send sequence number the next I frame should carry.
            public var nextSend: UInt16 = 0
            /// Whether an I frame was seen, so `nextSend` is known (a capture may start mid-session).
            public var hasSent = false
        }

        /// Sequence checks of an I frame, then pairing of activations and their confirmations.
        mutating func noteInformation(_ frame: inout Frame, time: Timestamp) {
            let sent = frame.sendSequence
            let outcome: SequenceOutcome
            if frame.direction == .toServer {
                outcome = Self.advance(&toServer, sent: sent)
            } else {
                outcome = Self.advance(&toClient, sent: sent)
            }
            switch outcome {
            case .inOrder: break
            case .gap: frame.anomalies.insert(.sequenceGap)
            case .duplicate: frame.anomalies.insert(.sequenceDuplicate)
            }
            noteAcknowledgement(&frame)
            if stopped { frame.anomalies.insert(.dataWhileStopped) }
            pair(&frame, time: time)
        }

        /// An I or S frame's N(R) acknowledges the other direction's I frames: it may not run ahead
        /// of what that direction has sent.
        mutating func noteAcknowledgement(_ frame: inout Frame) {
            let other = frame.direction == .toServer ? toClient : toServer
            guard other.hasSent else { return }
            let ahead = (frame.receiveSequence &- other.nextSend) & (Self.sequenceModulus &- 1)
            if ahead != 0 && ahead < Self.halfSequenceSpace { frame.anomalies.insert(.invalidAcknowledgement) }
        }

        /// STARTDT con restarts data transfer, STOPDT con stops it.
        mutating func noteUnnumbered(_ function: UFunction, direction: Direction) {
            if function == .startDataTransferConfirmation { stopped = false }
            if function == .stopDataTransferConfirmation { stopped = true }
        }

        enum SequenceOutcome { case inOrder, gap, duplicate }

        static func advance(_ sequence: inout Sequence, sent: UInt16) -> SequenceOutcome {
            let mask = sequenceModulus &- 1
            guard sequence.hasSent else {
                sequence.hasSent = true
                sequence.nextSend = (sent &+ 1) & mask
                return .inOrder
            }
            let ahead = (sent &- sequence.nextSend) & mask
            if ahead == 0 {
                sequence.nextSend = (sent &+ 1) & mask
                return .inOrder
            }
            if ahead < halfSequenceSpace {
                sequence.nextSend = (sent &+ 1) & mask
                return .gap
            }
            return .duplicate
        }

        /// Records an activation; a full table of recent ones drops the oldest (an anomaly).
        mutating func insertPending(_ frame: inout Frame, key: Pending.Key, time: Timestamp) {
            let request = Pending(key: key, cause: frame.cause.rawValue, qualifier: frame.qualifier, time: time)
            if pending.insert(request) {
                pendingOverflows &+= 1
                frame.anomalies.insert(.pendingOverflow)
            }
        }

        /// Activations and deactivations (and read commands, which carry cause "request" but are
        /// confirmed by some stations) wait for their confirmation, keyed by type, common address
        /// and object address; a confirmation takes its activation (round-trip time).
        mutating func pair(_ frame: inout Frame, time: Timestamp) {
            guard frame.hasFunction, frame.asduLength >= asduHeaderLength, frame.typeID.isActivated else { return }
            let key = Pending.Key(
                typeID: frame.rawTypeID, commonAddress: frame.commonAddress, objectAddress: frame.firstObjectAddress)
            switch frame.cause {
            case .activation, .deactivation:
                insertPending(&frame, key: key, time: time)
            case .request where frame.rawTypeID == 102:
                insertPending(&frame, key: key, time: time)
            case .activationConfirmation, .deactivationConfirmation:
                if let request = pending.take(key) {
                    frame.request = request
                    frame.roundTripNanoseconds = max(0, time.nanoseconds &- request.time.nanoseconds)
                } else {
                    frame.anomalies.insert(.unsolicitedConfirmation)
                }
            case _ where frame.cause.isUnknownAnswer:
                // The station refused the activation outright: it is answered.
                if let request = pending.take(key) {
                    frame.request = request
                    frame.roundTripNanoseconds = max(0, time.nanoseconds &- request.time.nanoseconds)
                }
            default:
                break
            }
        }
    }

    /// An activation waiting for its confirmation.
    public struct Pending: Sendable, Equatable {
        public struct Key: Sendable, Equatable {
            public var typeID: UInt8
            public var commonAddress: UInt16
            public var objectAddress: UInt32
        }
        public var key: Key
        /// 6 activation, 8 deactivation or 5 request (read command).
        public var cause: UInt8
        /// The command's qualifier octet (select/execute bit for commands).
        public var qualifier: UInt8
        public var time: Timestamp
    }

    /// Pending activations, bounded by `capacity`. Linear on purpose: a station has a handful of
    /// commands in flight (IEC 104's k parameter defaults to 12 unacknowledged I frames).
    public struct PendingTable: Sendable {
        /// At most this many activations wait per flow; more evict the oldest (an anomaly).
        public static let capacity = 64
        /// An activation unconfirmed this long is taken as lost (t1 defaults to 15 s).
        public static let activationTimeout = Duration64.seconds(30)
        private var table = BoundedPendingTable<Pending>(capacity: capacity, lostAfter: activationTimeout)

        public init() {}

        public var count: Int { table.count }

        /// Adds or replaces the activation with this key; true when a recent one was dropped.
        mutating func insert(_ request: Pending) -> Bool { table.insert(request) }

        /// Removes and returns the activation with this key.
        mutating func take(_ key: Pending.Key) -> Pending? { table.take(key) }
    }
}

extension IEC104.Pending: PendingRequest {
    public var pendingKey: Key { key }
}

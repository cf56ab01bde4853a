import ConvergeModel

extension C37118 {
    /// One PMU block of a CFG-1/2 frame.
    public struct PMUConfiguration: Sendable, Equatable {
        public var station: String
        public var idcode: UInt16
        /// FORMAT: bit 0 polar phasors, bit 1 float phasors, bit 2 float analogs, bit 3 float FREQ/DFREQ.
        public var format: UInt16
        public var phasors: Int
        public var analogs: Int
        public var digitals: Int
        /// PHUNIT words: bits 31-24 voltage (0) or current (1), bits 23-0 10^-5 V or A per bit.
        public var phasorUnits: [UInt32]
        /// ANUNIT words: bits 31-24 kind, bits 23-0 a signed user scale.
        public var analogUnits: [UInt32]
        public var nominal50Hz: Bool
        public var changeCount: UInt16

        public var polar: Bool { format & 0x1 != 0 }
        public var floatPhasors: Bool { format & 0x2 != 0 }
        public var floatAnalogs: Bool { format & 0x4 != 0 }
        public var floatFrequency: Bool { format & 0x8 != 0 }
        public var nominalFrequency: Double { nominal50Hz ? 50 : 60 }

        /// The bytes this PMU takes in a data frame: STAT, phasors, FREQ, DFREQ, analogs, digitals.
        public var dataLength: Int {
            2 &+ phasors &* (floatPhasors ? 8 : 4) &+ (floatFrequency ? 8 : 4) &+ analogs &* (floatAnalogs ? 4 : 2)
                &+ digitals &* 2
        }
    }

    /// A stream's configuration (CFG-2, or CFG-1 until a CFG-2 is seen), kept per IDCODE.
    public struct StreamConfiguration: Sendable, Equatable {
        public var idcode: UInt16
        public var timeBase: UInt32
        public var dataRate: Int16
        public var fromType: FrameType
        public var pmus: [PMUConfiguration]

        /// The size of this stream's data frames.
        public var dataFrameSize: Int { pmus.reduce(headerLength &+ checksumLength) { $0 &+ $1.dataLength } }
    }

    /// Per-flow state: the configurations seen, so data frames can be decoded.
    public struct State: Sendable {
        /// At most this many stream configurations are kept per flow; a new one replaces the oldest.
        public static let maxStreams = 8

        public var configurations: [StreamConfiguration] = []

        public init() {}

        public func configuration(_ idcode: UInt16) -> StreamConfiguration? {
            configurations.first { $0.idcode == idcode }
        }

        /// Keeps `configuration`, replacing the one with the same IDCODE (a CFG-1 never replaces a CFG-2).
        public mutating func remember(_ configuration: StreamConfiguration) {
            if let index = configurations.firstIndex(where: { $0.idcode == configuration.idcode }) {
                if configuration.fromType == .configuration1, configurations[index].fromType == .configuration2 {
                    return
                }
                configurations[index] = configuration
                return
            }
            if configurations.count >= Self.maxStreams { configurations.removeFirst() }
            configurations.append(configuration)
        }
    }

    /// Reads a whole CFG-1/2 frame (the `bytes` given to `parse`) into a configuration; nil when
    /// it is not one, does not fit, or has more than `maxPMUs` or `maxChannels`.
    public static func configuration(_ frame: Frame, bytes: Span<UInt8>) -> StreamConfiguration? {
        guard frame.type == .configuration1 || frame.type == .configuration2, frame.frameSize <= bytes.count,
            frame.pmuCount <= maxPMUs, !frame.anomalies.contains(.truncatedBody)
        else { return nil }
        let body = bytes.extracting(0..<(frame.frameSize &- checksumLength))
        var pmus: [PMUConfiguration] = []
        var offset = headerLength &+ 6
        for _ in 0..<frame.pmuCount {
            guard let length = pmuBlockLength(body, at: offset), let pmu = pmuConfiguration(body, at: offset) else {
                return nil
            }
            pmus.append(pmu)
            offset &+= length
        }
        return StreamConfiguration(
            idcode: frame.idcode, timeBase: frame.timeBase, dataRate: frame.dataRate, fromType: frame.type, pmus: pmus)
    }

    static func pmuConfiguration(_ body: Span<UInt8>, at offset: Int) -> PMUConfiguration? {
        guard let idcode = body.uint16BE(at: offset &+ 16), let format = body.uint16BE(at: offset &+ 18),
            let phasors16 = body.uint16BE(at: offset &+ 20), let analogs16 = body.uint16BE(at: offset &+ 22),
            let digitals16 = body.uint16BE(at: offset &+ 24)
        else { return nil }
        let phasors = Int(phasors16), analogs = Int(analogs16), digitals = Int(digitals16)
        guard phasors <= maxChannels, analogs <= maxChannels, digitals <= maxChannels else { return nil }
        let unitsAt = offset &+ 26 &+ 16 &* (phasors &+ analogs &+ 16 &* digitals)
        var phasorUnits: [UInt32] = []
        var analogUnits: [UInt32] = []
        for index in 0..<phasors { phasorUnits.append(u32(body, unitsAt &+ 4 &* index) ?? 0) }
        for index in 0..<analogs { analogUnits.append(u32(body, unitsAt &+ 4 &* (phasors &+ index)) ?? 0) }
        let tailAt = unitsAt &+ 4 &* (phasors &+ analogs &+ digitals)
        guard let fnom = body.uint16BE(at: tailAt), let changeCount = body.uint16BE(at: tailAt &+ 2) else { return nil }
        return PMUConfiguration(
            station: text(body, from: offset, count: 16), idcode: idcode, format: format, phasors: phasors,
            analogs: analogs, digitals: digitals, phasorUnits: phasorUnits, analogUnits: analogUnits,
            nominal50Hz: fnom & 0x1 != 0, changeCount: changeCount)
    }

    /// A fixed-width name field: trailing spaces and NULs dropped, other control bytes as `?`.
    static func text(_ bytes: Span<UInt8>, from start: Int, count: Int) -> String {
        var end = max(0, min(count, bytes.count &- start))
        while end > 0, let byte = bytes.byte(at: start &+ end &- 1), byte == 0 || byte == 0x20 { end &-= 1 }
        var text = ""
        for index in 0..<end {
            guard let byte = bytes.byte(at: start &+ index) else { break }
            text.unicodeScalars.append(byte < 0x20 || byte >= 0x7F ? "?" : Unicode.Scalar(byte))
        }
        return text
    }
}

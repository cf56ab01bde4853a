import ConvergeModel

extension Fox {
    /// Longest wire value kept as a fact.
    public static let maxValueLength = 128

    public static func event(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: inout State
    ) -> Message {
        Message(
            time: context.time, flowID: context.flowID, client: context.client, server: context.server,
            proto: name, direction: context.direction, functionCode: parsed.functionCode,
            functionName: parsed.command.name, operation: parsed.command.operation,
            status: .ok, anomalies: parsed.anomalies.names)
    }

    /// What a `fox hello` names, each value as the wire has it (strings only, capped).
    public struct Hello: Sendable, Equatable {
        public var stationName: String?
        public var hostName: String?
        public var hostAddress: String?
        public var hostID: String?
        public var appName: String?
        public var appVersion: String?
        public var vmName: String?
        public var vmVersion: String?
        public var osName: String?
        public var osVersion: String?
        /// The zone name (`Australia/Perth`), without the offsets and rules that follow it.
        public var timeZone: String?
        public var brandID: String?
        public init() {}
    }

    /// The hello's `s:` fields; nil for any other message.
    public static func hello(_ parsed: Frame, bytes: Span<UInt8>) -> Hello? {
        guard parsed.command == .hello else { return nil }
        var hello = Hello()
        let end = min(parsed.length, bytes.count)
        var line = parsed.header.upperBound
        while line < end, let newline = bytes.firstIndex(of: 0x0A, from: line, to: end) {
            if let blob = blobEnd(bytes, line: line, end: newline, window: end) {
                guard blob <= end, let next = bytes.firstIndex(of: 0x0A, from: blob, to: end) else { break }
                line = next &+ 1
                continue
            }
            if let equals = bytes.firstIndex(of: 0x3D, from: line, to: newline),
                bytes.byte(at: equals &+ 1) == 0x73, bytes.byte(at: equals &+ 2) == 0x3A
            {
                assign(bytes, key: line..<equals, value: (equals &+ 3)..<newline, to: &hello)
            }
            line = newline &+ 1
        }
        return hello
    }

    static func assign(_ bytes: Span<UInt8>, key: Range<Int>, value: Range<Int>, to hello: inout Hello) {
        if equals(bytes, key, "timeZone") {
            let stop = bytes.firstIndex(of: 0x3B, from: value.lowerBound, to: value.upperBound) ?? value.upperBound
            hello.timeZone = text(bytes, value.lowerBound..<stop)
            return
        }
        let fields: [(StaticString, WritableKeyPath<Hello, String?>)] = [
            ("station.name", \.stationName), ("hostName", \.hostName), ("hostAddress", \.hostAddress),
            ("hostId", \.hostID), ("app.name", \.appName), ("app.version", \.appVersion),
            ("vm.name", \.vmName), ("vm.version", \.vmVersion), ("os.name", \.osName),
            ("os.version", \.osVersion), ("brandId", \.brandID),
        ]
        for (name, path) in fields where equals(bytes, key, name) {
            hello[keyPath: path] = text(bytes, value)
            return
        }
    }

    /// Printable ASCII, carriage return dropped, capped at `maxValueLength`; nil when empty or not text.
    static func text(_ bytes: Span<UInt8>, _ range: Range<Int>) -> String? {
        var end = min(range.upperBound, bytes.count)
        if end > range.lowerBound, bytes[end &- 1] == 0x0D { end &-= 1 }
        end = min(end, range.lowerBound &+ maxValueLength)
        guard end > range.lowerBound else { return nil }
        var scalars = String.UnicodeScalarView()
        for index in range.lowerBound..<end {
            let byte = bytes[index]
            guard byte >= 0x20, byte < 0x7F else { return nil }
            scalars.append(Unicode.Scalar(byte))
        }
        return String(scalars)
    }

    /// A hello describes its sender: the station (server) or the client (Workbench, a supervisor).
    public static func facts(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        guard let hello = hello(parsed, bytes: bytes) else { return [] }
        let sender = context.direction == .toServer ? context.client.address : context.server.address
        var facts: [AssetFact] = []
        func add(_ kind: AssetFact.Kind, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            facts.append(AssetFact(time: context.time, address: sender, kind: kind, value: value, source: "fox/hello"))
        }
        add(.moduleName, hello.stationName)
        add(.hostname, hello.hostName)
        add(.serial, hello.hostID)
        add(.vendor, hello.brandID)
        if let app = hello.appName {
            add(.software, "Niagara " + app + (hello.appVersion.map { " " + $0 } ?? ""))
            add(.role, app == "Station" ? "niagara_station" : "niagara_" + app.lowercased())
        }
        if hello.appName == "Station" { add(.firmware, hello.appVersion) }
        if let vm = hello.vmName { add(.software, vm + (hello.vmVersion.map { " " + $0 } ?? "")) }
        if let os = hello.osName { add(.os, os + (hello.osVersion.map { " " + $0 } ?? "")) }
        return facts
    }
}

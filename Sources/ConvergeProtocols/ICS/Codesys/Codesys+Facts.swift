import ConvergeModel

extension Codesys {
    /// Name-service sub-command of a device-info answer.
    public static let deviceInfoCommand: UInt16 = 0xC280
    /// The fixed part of a device-info answer: name-service header (sub-command, version, message
    /// id), max channels, byte order, node-name offset and the three name lengths (UTF-16 code
    /// units), target type and id, firmware (4 bytes, last byte most significant), serial length.
    static let deviceInfoFixedLength = 37
    /// The node name starts this many bytes past the node-name offset field's value.
    static let deviceInfoStringBase = 48
    /// Longest name kept, in characters.
    public static let maxNameLength = 64

    /// What a name-service device-info answer says of the runtime that sent it: node name,
    /// device (product) name, vendor, firmware version and serial number.
    public static func facts(
        _ parsed: Frame, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [AssetFact] {
        guard parsed.datagramService == DatagramService.nameServiceClient,
            parsed.nameServiceCommand == deviceInfoCommand
        else { return [] }
        let start = parsed.bodyOffset
        let end = min(parsed.length, bytes.count)
        guard start >= 0, start &+ deviceInfoFixedLength <= end else { return [] }
        let info = bytes.extracting(start..<end)
        func u16(_ offset: Int) -> Int { Int(info[offset]) | Int(info[offset &+ 1]) << 8 }
        let nodeLength = u16(14)
        let deviceLength = u16(16)
        let vendorLength = u16(18)
        let serialLength = Int(info[36])
        var cursor = u16(12) &+ deviceInfoStringBase
        let sender = context.direction == .toClient ? context.server.address : context.client.address
        var facts: [AssetFact] = []
        func add(_ kind: AssetFact.Kind, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            facts.append(
                AssetFact(
                    time: context.time, address: sender, kind: kind, value: value, source: "codesys/ns_device_info"))
        }
        let firmware = [info[31], info[30], info[29], info[28]].map { String($0) }.joined(separator: ".")
        for (kind, length) in [(AssetFact.Kind.hostname, nodeLength), (.model, deviceLength), (.vendor, vendorLength)] {
            guard let text = utf16(info, at: cursor, units: length) else { return facts }
            add(kind, text)
            cursor = cursor &+ (length &+ 1) &* 2  // the name and its NUL
        }
        add(.firmware, firmware)
        if serialLength > 0, cursor &+ serialLength <= info.count {
            add(.serial, FINS.text(info.extracting(cursor..<(cursor &+ serialLength))))
        }
        return facts
    }

    /// `units` UTF-16LE code units at `offset`: printable ASCII kept, anything else as `?`,
    /// capped at `maxNameLength`; nil when the name runs past the bytes.
    static func utf16(_ bytes: Span<UInt8>, at offset: Int, units: Int) -> String? {
        guard offset >= 0, units >= 0, units <= 0xFFFF, offset &+ units &* 2 <= bytes.count else { return nil }
        var scalars = String.UnicodeScalarView()
        for index in 0..<min(units, maxNameLength) {
            let low = bytes[offset &+ index &* 2]
            let high = bytes[offset &+ index &* 2 &+ 1]
            guard low != 0 || high != 0 else { break }
            scalars.append(high == 0 && low >= 0x20 && low < 0x7F ? Unicode.Scalar(low) : "?")
        }
        return String(scalars)
    }
}

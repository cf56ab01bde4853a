import ConvergeModel

extension ModbusTCP {
    /// Read Device Identification (function 43, MEI 14) responses: a header, then objects of
    /// id, length, value. Objects 0–2 are the mandatory basic set (vendor, product code, revision).
    public enum DeviceIdentification {
        /// Offsets within the ADU.
        static let readCodeOffset = 9
        static let conformityOffset = 10
        static let moreFollowsOffset = 11
        static let nextObjectOffset = 12
        static let objectCountOffset = 13
        static let firstObjectOffset = 14

        /// Standard object ids.
        public static let vendorName: UInt8 = 0
        public static let productCode: UInt8 = 1
        public static let majorMinorRevision: UInt8 = 2
        public static let vendorURL: UInt8 = 3
        public static let productName: UInt8 = 4
        public static let modelName: UInt8 = 5
        public static let userApplicationName: UInt8 = 6

        /// One object as offsets into the ADU, so walking allocates nothing.
        public struct Object: Sendable, Equatable {
            public var id: UInt8
            public var valueOffset: Int
            public var valueLength: Int
        }

        /// Calls `body` for each object that lies wholly inside the ADU, at most as many as the
        /// object count says (a byte, so at most 255). Returns whether the objects fill the ADU
        /// exactly as counted.
        @discardableResult
        public static func forEachObject(_ adu: Span<UInt8>, _ body: (Object) -> Void) -> Bool {
            guard let count = adu.byte(at: objectCountOffset) else { return false }
            var offset = firstObjectOffset
            for _ in 0..<Int(count) {
                guard let id = adu.byte(at: offset), let length = adu.byte(at: offset &+ 1) else { return false }
                let valueOffset = offset &+ 2
                let end = valueOffset &+ Int(length)
                guard end <= adu.count else { return false }
                body(Object(id: id, valueOffset: valueOffset, valueLength: Int(length)))
                offset = end
            }
            return offset == adu.count
        }

        /// Whether the object list matches its count and the ADU length.
        static func objectsFit(_ adu: Span<UInt8>) -> Bool { forEachObject(adu) { _ in } }

        /// The fact an object reveals, if it maps onto one. The model name wins over the product
        /// name for `.model`; callers pass every object and `facts` keeps the better one.
        static func kind(of id: UInt8) -> AssetFact.Kind? {
            switch id {
            case vendorName: .vendor
            case productCode: .productCode
            case majorMinorRevision: .revision
            case productName, modelName: .model
            case userApplicationName: .moduleName
            default: nil
            }
        }

        /// Printable text of an object value: ASCII/UTF-8 decoded, control characters dropped,
        /// trimmed. Allocates; for events only.
        static func text(_ adu: Span<UInt8>, _ object: Object) -> String {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(object.valueLength)
            for index in object.valueOffset..<(object.valueOffset &+ object.valueLength) {
                guard let byte = adu.byte(at: index) else { break }
                if byte >= 0x20 && byte != 0x7f { bytes.append(byte) }
            }
            while bytes.last == 0x20 { bytes.removeLast() }
            let start = bytes.firstIndex(where: { $0 != 0x20 }) ?? bytes.count
            return String(decoding: bytes[start...], as: UTF8.self)
        }
    }

    /// What a Read Device Identification response says about the server: vendor, product code,
    /// revision, model, application name. Empty for any other message.
    public static func facts(_ frame: Frame, bytes: Span<UInt8>, context: MessageContext) -> [AssetFact] {
        guard !frame.isRequest, !frame.isException, frame.function == .encapsulatedInterfaceTransport,
            frame.subFunction == meiReadDeviceIdentification, bytes.count >= frame.aduLength
        else { return [] }
        let adu = bytes.extracting(0..<frame.aduLength)
        guard adu.byte(at: dataOffset).map(UInt16.init) == meiReadDeviceIdentification else { return [] }
        var facts: [AssetFact] = []
        var hasModelName = false
        DeviceIdentification.forEachObject(adu) { object in
            guard let kind = DeviceIdentification.kind(of: object.id) else { return }
            let value = DeviceIdentification.text(adu, object)
            guard !value.isEmpty else { return }
            if kind == .model {
                // ModelName (5) is the more specific; ProductName (4) stands in when 5 is absent.
                if object.id == DeviceIdentification.modelName {
                    facts.removeAll { $0.kind == .model }
                    hasModelName = true
                } else if hasModelName {
                    return
                }
            }
            facts.append(AssetFact(
                time: context.time, address: context.server.address, kind: kind, value: value,
                source: "modbus/43.14"))
        }
        return facts
    }
}

extension ModbusTCP {
    /// The `Dissector` requirement: identity needs nothing from the flow's state here.
    public static func facts(_ frame: Frame, bytes: Span<UInt8>, context: MessageContext, state: State) -> [AssetFact] {
        facts(frame, bytes: bytes, context: context)
    }
}

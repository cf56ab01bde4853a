extension MQTT.Sparkplug {
    /// Messages inside messages a payload may nest (payload, metric, template, metric, …,
    /// property set, property value); deeper ones are flagged `sparkplugTooDeep` and not read.
    public static let maxNesting = 16

    /// The Sparkplug B data types (Sparkplug 3.0 §6.4.16), as `Metric.datatype` carries them.
    public enum DataType {
        public static let unknown: UInt32 = 0
        public static let int8: UInt32 = 1
        public static let int16: UInt32 = 2
        public static let int32: UInt32 = 3
        public static let int64: UInt32 = 4
        public static let uint8: UInt32 = 5
        public static let uint16: UInt32 = 6
        public static let uint32: UInt32 = 7
        public static let uint64: UInt32 = 8
        public static let float: UInt32 = 9
        public static let double: UInt32 = 10
        public static let boolean: UInt32 = 11
        public static let string: UInt32 = 12
        public static let dateTime: UInt32 = 13
        public static let text: UInt32 = 14
        public static let uuid: UInt32 = 15
        public static let dataSet: UInt32 = 16
        public static let bytes: UInt32 = 17
        public static let file: UInt32 = 18
        public static let template: UInt32 = 19
        public static let propertySet: UInt32 = 20
        public static let propertySetList: UInt32 = 21
        /// Int8Array (22) … StringArray (34), DateTimeArray (35): carried as bytes.
        public static let firstArray: UInt32 = 22
        public static let last: UInt32 = 35
    }

    /// A metric's value: the `value` oneof of `Payload.Metric` (fields 10–19).
    public enum Value: Sendable, Equatable {
        case none
        case int(UInt32)
        case long(UInt64)
        case float(Float)
        case double(Double)
        case boolean(Bool)
        case string(MQTT.Slice)
        case bytes(MQTT.Slice)
        case dataSet(columns: Int, rows: Int)
        case template(reference: MQTT.Slice, metrics: Int, isDefinition: Bool)
        case extensionValue
    }

    /// One `Payload.Metric`, as slices of the packet and scalars.
    public struct Metric: Sendable, Equatable {
        public var name = MQTT.Slice.none
        public var alias: UInt64?
        /// Milliseconds since the Unix epoch.
        public var timestamp: UInt64?
        public var datatype = DataType.unknown
        public var isHistorical = false
        public var isTransient = false
        public var isNull = false
        public var hasMetadata = false
        /// Keys of the metric's property set.
        public var propertyCount = 0
        public var value = Value.none
    }

    /// The scalars of a `Payload` (fields 1, 3, 4, 5) and what was wrong with it.
    public struct PayloadSummary: Sendable, Equatable {
        /// Milliseconds since the Unix epoch.
        public var timestamp: UInt64?
        public var seq: UInt64?
        public var uuid = MQTT.Slice.none
        public var body = MQTT.Slice.none
        public var metricCount = 0
        public var anomalies = MQTT.Anomalies(rawValue: 0)
    }

    /// Walks a Sparkplug B `Payload` lying in `payload` of the packet, calling `visit` with each
    /// top-level metric in order. Nested data sets, templates, property sets and metadata are
    /// walked to check them (bounded by `maxNesting`) and summarised. Allocates nothing.
    public static func decodePayload(
        _ bytes: Span<UInt8>, _ payload: MQTT.Slice, _ visit: (Metric) -> Void
    ) -> PayloadSummary {
        var summary = PayloadSummary()
        var reader = MQTT.Protobuf.Reader(payload)
        while let field = reader.next(bytes) {
            switch (field.number, field.wireType) {
            case (1, .varint): summary.timestamp = field.scalar
            case (2, .lengthDelimited):
                summary.metricCount &+= 1
                visit(metric(bytes, field.slice, depth: 2, anomalies: &summary.anomalies))
            case (3, .varint): summary.seq = field.scalar
            case (4, .lengthDelimited): summary.uuid = field.slice
            case (5, .lengthDelimited): summary.body = field.slice
            case (1...5, _): summary.anomalies.insert(.sparkplugMalformedPayload)
            default: break  // extensions 6 to max
            }
        }
        note(reader, &summary.anomalies)
        return summary
    }

    static func note(_ reader: MQTT.Protobuf.Reader, _ anomalies: inout MQTT.Anomalies) {
        switch reader.failure {
        case .malformed: anomalies.insert(.sparkplugMalformedPayload)
        case .tooManyFields: anomalies.insert(.sparkplugTooManyFields)
        case nil: break
        }
    }

    /// Whether a message at `depth` may be read; flags it when not.
    static func mayEnter(_ depth: Int, _ anomalies: inout MQTT.Anomalies) -> Bool {
        guard depth <= maxNesting else {
            anomalies.insert(.sparkplugTooDeep)
            return false
        }
        return true
    }

    /// `Payload.Metric`.
    static func metric(
        _ bytes: Span<UInt8>, _ slice: MQTT.Slice, depth: Int, anomalies: inout MQTT.Anomalies
    ) -> Metric {
        var metric = Metric()
        guard mayEnter(depth, &anomalies) else { return metric }
        var reader = MQTT.Protobuf.Reader(slice)
        while let field = reader.next(bytes) {
            let scalar = field.scalar
            switch (field.number, field.wireType) {
            case (1, .lengthDelimited): metric.name = field.slice
            case (2, .varint): metric.alias = scalar
            case (3, .varint): metric.timestamp = scalar
            case (4, .varint): metric.datatype = UInt32(truncatingIfNeeded: scalar)
            case (5, .varint): metric.isHistorical = scalar != 0
            case (6, .varint): metric.isTransient = scalar != 0
            case (7, .varint): metric.isNull = scalar != 0
            case (8, .lengthDelimited):
                metric.hasMetadata = true
                metaData(bytes, field.slice, depth: depth &+ 1, anomalies: &anomalies)
            case (9, .lengthDelimited):
                metric.propertyCount = propertySet(bytes, field.slice, depth: depth &+ 1, anomalies: &anomalies)
            case (10, .varint): metric.value = .int(UInt32(truncatingIfNeeded: scalar))
            case (11, .varint): metric.value = .long(scalar)
            case (12, .fixed32): metric.value = .float(Float(bitPattern: UInt32(truncatingIfNeeded: scalar)))
            case (13, .fixed64): metric.value = .double(Double(bitPattern: scalar))
            case (14, .varint): metric.value = .boolean(scalar != 0)
            case (15, .lengthDelimited): metric.value = .string(field.slice)
            case (16, .lengthDelimited): metric.value = .bytes(field.slice)
            case (17, .lengthDelimited):
                let shape = dataSet(bytes, field.slice, depth: depth &+ 1, anomalies: &anomalies)
                metric.value = .dataSet(columns: shape.columns, rows: shape.rows)
            case (18, .lengthDelimited):
                metric.value = template(bytes, field.slice, depth: depth &+ 1, anomalies: &anomalies)
            case (19, .lengthDelimited): metric.value = .extensionValue
            case (1...19, _): anomalies.insert(.sparkplugMalformedPayload)
            default: break
            }
        }
        note(reader, &anomalies)
        if !fits(metric.value, datatype: metric.datatype) { anomalies.insert(.sparkplugMismatch) }
        return metric
    }

    /// Whether the value field used suits the declared data type (Sparkplug 3.0 §6.4.16). No
    /// data type (allowed outside BIRTH messages) or no value fits anything.
    static func fits(_ value: Value, datatype: UInt32) -> Bool {
        typealias T = DataType
        if datatype == T.unknown { return true }
        switch value {
        case .none, .extensionValue: return datatype <= T.last
        case .int: return (T.int8...T.int32).contains(datatype) || (T.uint8...T.uint32).contains(datatype)
        case .long: return datatype == T.int64 || datatype == T.uint32 || datatype == T.uint64 || datatype == T.dateTime
        case .float: return datatype == T.float
        case .double: return datatype == T.double
        case .boolean: return datatype == T.boolean
        case .string: return datatype == T.string || datatype == T.text || datatype == T.uuid
        case .bytes: return datatype == T.bytes || datatype == T.file || (T.firstArray...T.last).contains(datatype)
        case .dataSet: return datatype == T.dataSet
        case .template: return datatype == T.template
        }
    }

    /// `Payload.MetaData`: scalars and strings only (fields 1–8).
    static func metaData(_ bytes: Span<UInt8>, _ slice: MQTT.Slice, depth: Int, anomalies: inout MQTT.Anomalies) {
        guard mayEnter(depth, &anomalies) else { return }
        var reader = MQTT.Protobuf.Reader(slice)
        while let field = reader.next(bytes) {
            switch (field.number, field.wireType) {
            case (1, .varint), (3, .varint), (4, .varint): break
            case (2, .lengthDelimited), (5...8, .lengthDelimited): break
            case (1...8, _): anomalies.insert(.sparkplugMalformedPayload)
            default: break
            }
        }
        note(reader, &anomalies)
    }

    /// `Payload.PropertySet`: keys (1) and values (2), which must pair up. Returns the key count.
    @discardableResult
    static func propertySet(
        _ bytes: Span<UInt8>, _ slice: MQTT.Slice, depth: Int, anomalies: inout MQTT.Anomalies
    ) -> Int {
        guard mayEnter(depth, &anomalies) else { return 0 }
        var keys = 0
        var values = 0
        var reader = MQTT.Protobuf.Reader(slice)
        while let field = reader.next(bytes) {
            switch (field.number, field.wireType) {
            case (1, .lengthDelimited): keys &+= 1
            case (2, .lengthDelimited):
                values &+= 1
                propertyValue(bytes, field.slice, depth: depth &+ 1, anomalies: &anomalies)
            case (1...2, _): anomalies.insert(.sparkplugMalformedPayload)
            default: break
            }
        }
        note(reader, &anomalies)
        if keys != values { anomalies.insert(.sparkplugMismatch) }
        return keys
    }

    /// `Payload.PropertyValue`: type, is_null, then a value of which 9 (a property set) and 10 (a
    /// property set list) nest.
    static func propertyValue(_ bytes: Span<UInt8>, _ slice: MQTT.Slice, depth: Int, anomalies: inout MQTT.Anomalies) {
        guard mayEnter(depth, &anomalies) else { return }
        var reader = MQTT.Protobuf.Reader(slice)
        while let field = reader.next(bytes) {
            switch (field.number, field.wireType) {
            case (1...4, .varint), (5, .fixed32), (6, .fixed64), (7, .varint): break
            case (8, .lengthDelimited), (11, .lengthDelimited): break
            case (9, .lengthDelimited): propertySet(bytes, field.slice, depth: depth &+ 1, anomalies: &anomalies)
            case (10, .lengthDelimited): propertySetList(bytes, field.slice, depth: depth &+ 1, anomalies: &anomalies)
            case (1...11, _): anomalies.insert(.sparkplugMalformedPayload)
            default: break
            }
        }
        note(reader, &anomalies)
    }

    /// `Payload.PropertySetList`: property sets (1).
    static func propertySetList(
        _ bytes: Span<UInt8>, _ slice: MQTT.Slice, depth: Int, anomalies: inout MQTT.Anomalies
    ) {
        guard mayEnter(depth, &anomalies) else { return }
        var reader = MQTT.Protobuf.Reader(slice)
        while let field = reader.next(bytes) {
            switch (field.number, field.wireType) {
            case (1, .lengthDelimited): propertySet(bytes, field.slice, depth: depth &+ 1, anomalies: &anomalies)
            case (1, _): anomalies.insert(.sparkplugMalformedPayload)
            default: break
            }
        }
        note(reader, &anomalies)
    }

    /// `Payload.DataSet`: column count (1), names (2), types (3, packed or not), rows (4) of
    /// values. The counts must agree; returns the shape.
    static func dataSet(
        _ bytes: Span<UInt8>, _ slice: MQTT.Slice, depth: Int, anomalies: inout MQTT.Anomalies
    ) -> (columns: Int, rows: Int) {
        guard mayEnter(depth, &anomalies) else { return (0, 0) }
        var declared: UInt64?
        var names = 0
        var types = 0
        var rows = 0
        var reader = MQTT.Protobuf.Reader(slice)
        while let field = reader.next(bytes) {
            switch (field.number, field.wireType) {
            case (1, .varint): declared = field.scalar
            case (2, .lengthDelimited): names &+= 1
            case (3, .varint): types &+= 1
            case (3, .lengthDelimited): types &+= packedVarints(bytes, field.slice, anomalies: &anomalies)
            case (4, .lengthDelimited):
                rows &+= 1
                let elements = row(bytes, field.slice, depth: depth &+ 1, anomalies: &anomalies)
                if elements != names { anomalies.insert(.sparkplugMismatch) }
            case (1...4, _): anomalies.insert(.sparkplugMalformedPayload)
            default: break
            }
        }
        note(reader, &anomalies)
        if let declared, declared != UInt64(names) { anomalies.insert(.sparkplugMismatch) }
        if types != names { anomalies.insert(.sparkplugMismatch) }
        return (names, rows)
    }

    /// Varints packed in one length-delimited field; returns how many.
    static func packedVarints(_ bytes: Span<UInt8>, _ slice: MQTT.Slice, anomalies: inout MQTT.Anomalies) -> Int {
        var reader = MQTT.Protobuf.Reader(slice)
        var count = 0
        while !reader.isAtEnd {
            guard reader.varint(bytes) != nil else {
                anomalies.insert(.sparkplugMalformedPayload)
                return count
            }
            count &+= 1
            guard count < MQTT.Protobuf.maxFieldsPerMessage else {
                anomalies.insert(.sparkplugTooManyFields)
                return count
            }
        }
        return count
    }

    /// `Payload.DataSet.Row`: elements (1), each a `DataSetValue` (fields 1–7). Returns the count.
    static func row(_ bytes: Span<UInt8>, _ slice: MQTT.Slice, depth: Int, anomalies: inout MQTT.Anomalies) -> Int {
        guard mayEnter(depth, &anomalies) else { return 0 }
        var elements = 0
        var reader = MQTT.Protobuf.Reader(slice)
        while let field = reader.next(bytes) {
            switch (field.number, field.wireType) {
            case (1, .lengthDelimited):
                elements &+= 1
                dataSetValue(bytes, field.slice, depth: depth &+ 1, anomalies: &anomalies)
            case (1, _): anomalies.insert(.sparkplugMalformedPayload)
            default: break
            }
        }
        note(reader, &anomalies)
        return elements
    }

    static func dataSetValue(_ bytes: Span<UInt8>, _ slice: MQTT.Slice, depth: Int, anomalies: inout MQTT.Anomalies) {
        guard mayEnter(depth, &anomalies) else { return }
        var reader = MQTT.Protobuf.Reader(slice)
        while let field = reader.next(bytes) {
            switch (field.number, field.wireType) {
            case (1...2, .varint), (3, .fixed32), (4, .fixed64), (5, .varint): break
            case (6, .lengthDelimited), (7, .lengthDelimited): break
            case (1...7, _): anomalies.insert(.sparkplugMalformedPayload)
            default: break
            }
        }
        note(reader, &anomalies)
    }

    /// `Payload.Template`: version (1), member metrics (2, which may hold templates again),
    /// parameters (3), the definition it instantiates (4), whether it is a definition (5).
    static func template(
        _ bytes: Span<UInt8>, _ slice: MQTT.Slice, depth: Int, anomalies: inout MQTT.Anomalies
    ) -> Value {
        guard mayEnter(depth, &anomalies) else { return .template(reference: .none, metrics: 0, isDefinition: false) }
        var reference = MQTT.Slice.none
        var metrics = 0
        var isDefinition = false
        var reader = MQTT.Protobuf.Reader(slice)
        while let field = reader.next(bytes) {
            switch (field.number, field.wireType) {
            case (1, .lengthDelimited): break
            case (2, .lengthDelimited):
                metrics &+= 1
                _ = metric(bytes, field.slice, depth: depth &+ 1, anomalies: &anomalies)
            case (3, .lengthDelimited): parameter(bytes, field.slice, depth: depth &+ 1, anomalies: &anomalies)
            case (4, .lengthDelimited): reference = field.slice
            case (5, .varint): isDefinition = field.scalar != 0
            case (1...5, _): anomalies.insert(.sparkplugMalformedPayload)
            default: break
            }
        }
        note(reader, &anomalies)
        return .template(reference: reference, metrics: metrics, isDefinition: isDefinition)
    }

    /// `Payload.Template.Parameter`: name, type, then a scalar or string value (fields 3–9).
    static func parameter(_ bytes: Span<UInt8>, _ slice: MQTT.Slice, depth: Int, anomalies: inout MQTT.Anomalies) {
        guard mayEnter(depth, &anomalies) else { return }
        var reader = MQTT.Protobuf.Reader(slice)
        while let field = reader.next(bytes) {
            switch (field.number, field.wireType) {
            case (1, .lengthDelimited), (8, .lengthDelimited), (9, .lengthDelimited): break
            case (2...4, .varint), (5, .fixed32), (6, .fixed64), (7, .varint): break
            case (1...9, _): anomalies.insert(.sparkplugMalformedPayload)
            default: break
            }
        }
        note(reader, &anomalies)
    }
}

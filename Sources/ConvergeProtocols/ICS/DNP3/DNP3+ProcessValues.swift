import ConvergeModel

extension DNP3 {
    /// Process values (DESIGN.md, historian): every point value a response or unsolicited
    /// response reports (binary, double-bit, counter, frozen counter, analog input and analog
    /// output status objects, static and event), and the value a select, operate or direct operate
    /// commands (control relay output blocks, group 12, and analog output blocks, group 41).
    ///
    /// Tags are `dnp3://<outstation IP>/<outstation link address>/<point type>/<index>`; the value
    /// is the point's state or number (floats exact), `quality` its flags octet as sent (nil for
    /// variations without flags and for commands), and the time the point's own time of
    /// occurrence where the variation carries one, else the packet's.
    public enum ProcessValues {
        /// Values one message yields at most, like the points its event lists; the rest are
        /// left out (the event then carries `dnp3.too_many_points`).
        public static let maxPerMessage = Objects.maxPoints

        /// Whether a function's fragments can carry process values: responses, unsolicited
        /// responses, and the commands select, operate, direct operate (with or without ack).
        static func carriesValues(_ function: Application.Function) -> Bool {
            isCommand(function) || function == .response || function == .unsolicitedResponse
        }

        static func isCommand(_ function: Application.Function) -> Bool {
            (Application.Function.select.rawValue...Application.Function.directOperateNoAck.rawValue)
                .contains(function.rawValue)
        }

        /// One decoded object: its value, its flags octet and its own time, if any.
        struct Reading: Equatable {
            var value: Double
            var flags: UInt8?
            var milliseconds: UInt64?
        }

        /// The tag prefix up to the point type: the outstation is the receiver of a command and
        /// the sender of a response, at the IP and at the link layer.
        static func tagPrefix(_ frame: Frame, context: MessageContext) -> String {
            let response = frame.function.isResponse
            let serverSent = context.direction == .toClient
            let address = response == serverSent ? context.server.address : context.client.address
            let link = response ? frame.link.source : frame.link.destination
            return "dnp3://\(address)/\(link)/"
        }

        /// Values of a whole application fragment (allocates: for events only).
        static func decode(_ fragment: Span<UInt8>, frame: Frame, context: MessageContext) -> [ProcessValue] {
            let function = frame.function
            guard carriesValues(function), fragment.count >= Application.requestHeaderLength else { return [] }
            let written = isCommand(function)
            let start = function.isResponse ? Application.responseHeaderLength : Application.requestHeaderLength
            let prefix = tagPrefix(frame, context: context)
            var values: [ProcessValue] = []
            // The common time of occurrence (group 51) that relative times in later headers add to.
            var commonTime: UInt64?
            _ = Objects.walk(fragment, from: start, headersOnly: false) { header in
                if header.group == 51 {
                    Objects.forEachPoint(fragment, header, limit: 1) { point in
                        var reader = Objects.FieldReader(offset: point.offset, end: point.offset &+ point.length)
                        commonTime = reader.u48(fragment)
                    }
                    return
                }
                // Commands carry commanded values only; responses carry no commands worth keeping
                // (a select's echo repeats the request, its status is on the event).
                let command = header.group == 12 || header.group == 41
                guard command == written, let type = pointType(group: header.group) else { return }
                let room = maxPerMessage &- values.count
                guard room > 0 else { return }
                Objects.forEachPoint(fragment, header, limit: room) { point in
                    guard let reading = read(fragment, header, point, commonTime: commonTime) else { return }
                    values.append(ProcessValue(
                        time: time(reading.milliseconds) ?? context.time, tag: "\(prefix)\(type)/\(point.index)",
                        value: reading.value, written: written, quality: reading.flags.map { UInt32($0) }))
                }
            }
            return values
        }

        /// One object's reading, nil when the variation carries no point value, the object is
        /// cut short, or a float is not finite (NaN and infinities have no place in a series).
        static func read(
            _ fragment: Span<UInt8>, _ header: Objects.Header, _ point: Objects.Point, commonTime: UInt64?
        ) -> Reading? {
            if point.bitPosition >= 0 {
                guard case .packed(let bits) = header.size, let byte = fragment.byte(at: point.offset) else {
                    return nil
                }
                let mask: UInt8 = bits == 2 ? 0x03 : 0x01
                return Reading(value: Double((byte >> UInt8(truncatingIfNeeded: point.bitPosition % 8)) & mask))
            }
            var reader = Objects.FieldReader(
                offset: point.offset, end: min(point.offset &+ point.length, fragment.count))
            if header.group == 12 {
                guard header.variation == 1, let code = reader.u8(fragment),
                    let state = commandedState(UInt8(truncatingIfNeeded: code))
                else { return nil }
                return Reading(value: state)
            }
            guard let layout = layout(group: header.group, variation: header.variation) else { return nil }
            var flags: UInt8?
            if layout.flags {
                guard let octet = reader.u8(fragment) else { return nil }
                flags = UInt8(truncatingIfNeeded: octet)
            }
            guard let value = number(layout.number, flags: flags, &reader, fragment), value.isFinite else {
                return nil
            }
            var reading = Reading(value: value, flags: flags)
            switch layout.time {
            case .none: break
            case .absolute: reading.milliseconds = reader.u48(fragment)
            case .relative:
                if let base = commonTime, let offset = reader.u16(fragment) {
                    reading.milliseconds = base &+ UInt64(offset)
                }
            }
            return reading
        }

        static func number(
            _ number: Number, flags: UInt8?, _ reader: inout Objects.FieldReader, _ fragment: Span<UInt8>
        ) -> Double? {
            switch number {
            case .stateBit: flags.map { Double($0 >> 7) }
            case .doubleBit: flags.map { Double(($0 >> 6) & 0x03) }
            case .u16: reader.unsigned(fragment, 2).map { Double($0) }
            case .u32: reader.unsigned(fragment, 4).map { Double($0) }
            case .i16: reader.unsigned(fragment, 2).map { Double(Int16(truncatingIfNeeded: $0)) }
            case .i32: reader.unsigned(fragment, 4).map { Double(Int32(truncatingIfNeeded: $0)) }
            case .f32: reader.unsigned(fragment, 4).map { Double(Float(bitPattern: UInt32(truncatingIfNeeded: $0))) }
            case .f64: reader.unsigned(fragment, 8).map { Double(bitPattern: $0) }
            }
        }

        /// The output state a CROB control code asks for: close 1, trip 0; else latch or pulse
        /// on 1, off 0; nil for a NUL or undefined operation (no state is commanded).
        static func commandedState(_ code: UInt8) -> Double? {
            switch code >> 6 {
            case 1: return 1
            case 2: return 0
            default: break
            }
            switch code & 0x0f {
            case 1, 3: return 1
            case 2, 4: return 0
            default: return nil
            }
        }

        /// DNP3 time (milliseconds since 1970 UTC) as a timestamp; nil past what one can hold.
        static func time(_ milliseconds: UInt64?) -> Timestamp? {
            guard let milliseconds, let value = Int64(exactly: milliseconds) else { return nil }
            let (nanoseconds, overflow) = value.multipliedReportingOverflow(by: 1_000_000)
            return overflow ? nil : Timestamp(nanoseconds: nanoseconds)
        }
    }

    /// The values of a frame that completed a fragment, read from the reassembled fragment in
    /// `state` (so a fragment of many segments gives every value with flags and times).
    public static func processValues(_ frame: Frame, context: MessageContext, state: State) -> [ProcessValue] {
        guard frame.hasFunction, ProcessValues.carriesValues(frame.function) else { return [] }
        let fragment = state.fragment(frame.direction)
        guard fragment.count == frame.fragmentLength else { return [] }
        return ProcessValues.decode(fragment.span, frame: frame, context: context)
    }

    /// What the engine calls: the whole reassembled fragment from the flow's state.
    public static func processValues(
        _ frame: Frame, event: Message, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [ProcessValue] {
        processValues(frame, context: context, state: state)
    }

    /// Without the flow's state (tests and callers that hold only the bytes): a fragment that came in
    /// one segment (FIR and FIN, the common case) is rebuilt from the frame's own bytes and read
    /// in full; a fragment of several segments falls back to the values its event lists (integers,
    /// packet time, no flags).
    public static func processValues(
        _ frame: Frame, event: Message, bytes: Span<UInt8>, context: MessageContext
    ) -> [ProcessValue] {
        guard frame.hasFunction, ProcessValues.carriesValues(frame.function) else { return [] }
        if let fragment = ProcessValues.singleSegmentFragment(bytes, frame: frame) {
            return ProcessValues.decode(fragment.span, frame: frame, context: context)
        }
        return ProcessValues.fromTargets(event, frame: frame, context: context)
    }
}

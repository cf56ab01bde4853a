extension ModbusTCP {
    /// Checks a PDU against its function's layout (Application Protocol V1.1b3, section 6). Works
    /// on one ADU (`adu.count` is exactly its length), reads only through bounds-checked helpers,
    /// and records disagreements as anomalies instead of failing.
    enum Shape {
        /// Spec quantity limits per request.
        static let maxReadBits = 2000
        static let maxReadRegisters = 125
        static let maxWriteBits = 1968
        static let maxWriteRegisters = 123
        static let maxReadWriteWriteRegisters = 121
        static let maxFIFOCount = 31
        /// The File Record functions' sub-request reference type.
        static let fileReferenceType: UInt8 = 6

        /// What a request touches, remembered until its response arrives.
        struct RequestFields {
            var subFunction: UInt16 = 0
            var address: UInt16 = 0
            var quantity: UInt16 = 0
        }

        static func u8(_ adu: Span<UInt8>, _ offset: Int) -> UInt8 { adu.byte(at: offset) ?? 0 }
        static func u16(_ adu: Span<UInt8>, _ offset: Int) -> UInt16 { adu.uint16BE(at: offset) ?? 0 }

        /// Bytes of coils packed for `quantity` bits.
        static func bitBytes(_ quantity: UInt16) -> Int { (Int(quantity) &+ 7) / 8 }

        static func checkRequest(
            _ adu: Span<UInt8>, function: Function, anomalies: inout Anomalies
        ) -> RequestFields {
            let d = adu.count &- dataOffset  // data bytes after the function code
            var fields = RequestFields()
            func expect(_ ok: Bool, _ anomaly: Anomalies = .invalidLength) {
                if !ok { anomalies.insert(anomaly) }
            }
            switch function.rawValue {
            case 1, 2, 3, 4:
                expect(d == 4)
                fields.address = u16(adu, 8)
                fields.quantity = u16(adu, 10)
                let limit = function.rawValue <= 2 ? maxReadBits : maxReadRegisters
                expect((1...limit).contains(Int(fields.quantity)), .invalidValue)
            case 5:
                expect(d == 4)
                fields.address = u16(adu, 8)
                fields.quantity = 1
                let value = u16(adu, 10)
                expect(value == 0 || value == 0xff00, .invalidValue)
            case 6:
                expect(d == 4)
                fields.address = u16(adu, 8)
                fields.quantity = 1
            case 7, 11, 12, 17:
                expect(d == 0)
            case 8:
                expect(d >= 2)
                fields.subFunction = u16(adu, 8)
            case 15, 16:
                expect(d >= 5 && d == 5 &+ Int(u8(adu, 12)))
                fields.address = u16(adu, 8)
                fields.quantity = u16(adu, 10)
                let byteCount = Int(u8(adu, 12))
                let isCoils = function.rawValue == 15
                let limit = isCoils ? maxWriteBits : maxWriteRegisters
                let needed = isCoils ? bitBytes(fields.quantity) : Int(fields.quantity) &* 2
                expect((1...limit).contains(Int(fields.quantity)) && byteCount == needed, .invalidValue)
            case 20:
                let byteCount = Int(u8(adu, 8))
                expect(d >= 1 && d == 1 &+ byteCount)
                expect(byteCount >= 7 && byteCount % 7 == 0, .invalidValue)
            case 21:
                let byteCount = Int(u8(adu, 8))
                expect(d >= 1 && d == 1 &+ byteCount && fileRecordsFit(adu, from: 9, end: adu.count))
            case 22:
                expect(d == 6)
                fields.address = u16(adu, 8)
                fields.quantity = 1
            case 23:
                expect(d >= 9 && d == 9 &+ Int(u8(adu, 16)))
                fields.address = u16(adu, 8)
                fields.quantity = u16(adu, 10)
                let writeQuantity = Int(u16(adu, 14))
                let fits = (1...maxReadRegisters).contains(Int(fields.quantity))
                    && (1...maxReadWriteWriteRegisters).contains(writeQuantity)
                    && Int(u8(adu, 16)) == writeQuantity &* 2
                expect(fits, .invalidValue)
            case 24:
                expect(d == 2)
                fields.address = u16(adu, 8)
            case 43:
                expect(d >= 1)
                fields.subFunction = UInt16(u8(adu, 8))
                if fields.subFunction == meiReadDeviceIdentification {
                    expect(d == 3)
                    expect((1...4).contains(u8(adu, 9)), .invalidValue)
                    fields.address = UInt16(u8(adu, 10))  // the first object id asked for
                }
            case 90:
                expect(d >= 2)
                fields.subFunction = UInt16(u8(adu, 9))
            default:
                break
            }
            return fields
        }

        /// Write File Record sub-requests: reference type, file, record, length, data (2×length);
        /// they must tile the byte count exactly.
        static func fileRecordsFit(_ adu: Span<UInt8>, from start: Int, end: Int) -> Bool {
            var offset = start
            // Each sub-request is at least 7 bytes, so this loop runs at most 253 / 7 times.
            while offset < end {
                guard u8(adu, offset) == fileReferenceType, let length = adu.uint16BE(at: offset &+ 5) else {
                    return false
                }
                offset = offset &+ 7 &+ Int(length) &* 2
            }
            return offset == end
        }

        static func checkResponse(_ adu: Span<UInt8>, function: Function, request: Pending?, frame: inout Frame) {
            // A request of another function says nothing about this body (that mismatch is flagged).
            let request = request?.function == function.rawValue ? request : nil
            let d = adu.count &- dataOffset
            var anomalies = frame.anomalies
            func expect(_ ok: Bool, _ anomaly: Anomalies = .invalidLength) {
                if !ok { anomalies.insert(anomaly) }
            }
            let byteCount = Int(u8(adu, 8))
            let countedBody = d >= 1 && d == 1 &+ byteCount
            switch function.rawValue {
            case 1, 2:
                expect(countedBody)
                if let request { expect(byteCount == bitBytes(request.quantity), .responseMismatch) }
            case 3, 4, 23:
                expect(countedBody && byteCount % 2 == 0)
                if let request { expect(byteCount == Int(request.quantity) &* 2, .responseMismatch) }
            case 5, 6, 15, 16:
                expect(d == 4)
                if let request {
                    let echoed = function.rawValue >= 15 ? u16(adu, 10) == request.quantity : true
                    expect(u16(adu, 8) == request.address && echoed, .responseMismatch)
                }
            case 7:
                expect(d == 1)
            case 8:
                expect(d >= 2)
                if request == nil { frame.subFunction = u16(adu, 8) }
                if let request { expect(u16(adu, 8) == request.subFunction, .responseMismatch) }
            case 11:
                expect(d == 4)
            case 12:
                expect(countedBody && byteCount >= 6)
            case 17, 20, 21:
                expect(countedBody)
            case 22:
                expect(d == 6)
                if let request { expect(u16(adu, 8) == request.address, .responseMismatch) }
            case 24:
                let fifoBytes = Int(u16(adu, 8))
                let fifoCount = Int(u16(adu, 10))
                expect(d >= 4 && d == 2 &+ fifoBytes && fifoBytes == 2 &+ fifoCount &* 2)
                expect(fifoCount <= maxFIFOCount, .invalidValue)
            case 43:
                expect(d >= 1)
                let mei = UInt16(u8(adu, 8))
                if request == nil { frame.subFunction = mei }
                if let request { expect(mei == request.subFunction, .responseMismatch) }
                if mei == meiReadDeviceIdentification {
                    expect(DeviceIdentification.objectsFit(adu))
                }
            case 90:
                expect(d >= 2)
            default:
                break
            }
            frame.anomalies = anomalies
        }
    }
}

import ConvergeModel

@testable import ConvergeProtocols

/// Builders and runners for the DNP3 unit tests.
enum DNP3Bytes {
    static let client = Endpoint(address: IPAddress(v4: 0x0a00_0001), port: 40_000)
    static let server = Endpoint(address: IPAddress(v4: 0x0a00_0002), port: 20_000)

    /// From iti/bro/dnp3/dnp3_read.pcap frame 4: a read of class 1, 2, 3 and 0 data.
    static let readClasses: [UInt8] = [
        0x05, 0x64, 0x14, 0xc4,  // start, length 20, control: DIR PRM, unconfirmed user data
        0x02, 0x00, 0x03, 0x00,  // destination 2, source 3
        0x45, 0x03,  // header CRC
        0xc7,  // transport: FIN FIR, sequence 7
        0xc8, 0x01,  // application: FIR FIN, sequence 8; function 1 read
        0x3c, 0x02, 0x06, 0x3c, 0x03, 0x06,  // g60v2 all, g60v3 all
        0x3c, 0x04, 0x06, 0x3c, 0x01, 0x06,  // g60v4 all, g60v1 all
        0x42, 0xac,  // data CRC
    ]

    /// From iti/bro/dnp3/dnp3_select_operate.pcap frame 4: select a CROB (latch on) at index 1.
    static let selectCROB: [UInt8] = [
        0x05, 0x64, 0x1a, 0xc4, 0x02, 0x00, 0x03, 0x00, 0x40, 0xf2,  // header, length 26
        0xc6,  // transport: FIN FIR, sequence 6
        0xc7, 0x03,  // application: FIR FIN, sequence 7; function 3 select
        0x0c, 0x01, 0x28, 0x01, 0x00,  // g12v1, qualifier 0x28 (2-byte index, 2-byte count), 1
        0x01, 0x00,  // index 1
        0x03, 0x01,  // control code 3 (latch on), count 1
        0x64, 0x00, 0x00, 0x00,  // on-time 100 ms
        0x8f, 0xda,  // CRC of the first 16 data bytes
        0x64, 0x00, 0x00, 0x00,  // off-time 100 ms
        0x00,  // status
        0x00, 0x5b,  // CRC
    ]

    /// A whole link frame around `userData` (CRCs computed).
    static func frame(
        control: UInt8 = 0xc4, destination: UInt16 = 2, source: UInt16 = 3, _ userData: [UInt8]
    ) -> [UInt8] {
        var header: [UInt8] = [
            0x05, 0x64, UInt8(truncatingIfNeeded: 5 + userData.count), control,
            UInt8(destination & 0xff), UInt8(destination >> 8), UInt8(source & 0xff), UInt8(source >> 8),
        ]
        header += crc(header)
        var out = header
        var start = 0
        while start < userData.count {
            let block = Array(userData[start..<min(start + 16, userData.count)])
            out += block + crc(block)
            start += 16
        }
        return out
    }

    static func crc(_ bytes: [UInt8]) -> [UInt8] {
        let value = DNP3.CRC.compute(bytes.span, from: 0, count: bytes.count)
        return [UInt8(value & 0xff), UInt8(value >> 8)]
    }

    /// One application fragment split over link frames of at most `chunk` application bytes.
    static func fragment(
        _ app: [UInt8], firstSequence: UInt8 = 0, chunk: Int = 249, control: UInt8 = 0xc4,
        destination: UInt16 = 2, source: UInt16 = 3
    ) -> [[UInt8]] {
        var frames: [[UInt8]] = []
        var start = 0
        var sequence = firstSequence
        repeat {
            let end = min(start + chunk, app.count)
            var transport = sequence & 0x3f
            if start == 0 { transport |= 0x40 }
            if end == app.count { transport |= 0x80 }
            frames.append(frame(
                control: control, destination: destination, source: source, [transport] + Array(app[start..<end])))
            sequence = (sequence + 1) & 0x3f
            start = end
        } while start < app.count
        return frames
    }

    static func context(_ direction: Direction, time: Int64 = 0, wantsTargets: Bool = true) -> MessageContext {
        MessageContext(
            time: Timestamp(nanoseconds: time), flowID: 1, client: client, server: server, direction: direction,
            wantsTargets: wantsTargets)
    }

    static func parse(
        _ bytes: [UInt8], _ direction: Direction = .toServer, state: inout DNP3.State, time: Int64 = 0
    ) -> Result<(message: DNP3.Frame, consumed: Int), DissectError> {
        do throws(DissectError) {
            return .success(try DNP3.parse(
                bytes.span, direction: direction, time: Timestamp(nanoseconds: time), state: &state))
        } catch {
            return .failure(error)
        }
    }

    /// Parses every frame of `frames` in order and returns the last frame with its event.
    static func message(
        _ frames: [[UInt8]], _ direction: Direction = .toServer, state: inout DNP3.State, time: Int64 = 0,
        wantsTargets: Bool = true
    ) -> (frame: DNP3.Frame, message: Message)? {
        var last: (DNP3.Frame, Message)?
        for bytes in frames {
            guard case .success(let parsed) = parse(bytes, direction, state: &state, time: time),
                parsed.consumed == bytes.count
            else { return nil }
            let event = DNP3.event(
                parsed.message, bytes: bytes.span, context: context(direction, time: time, wantsTargets: wantsTargets),
                state: &state)
            last = (parsed.message, event)
        }
        return last
    }

    /// A single-frame application message on a fresh flow.
    static func message(app: [UInt8], _ direction: Direction = .toServer) -> (frame: DNP3.Frame, message: Message)? {
        var state = DNP3.makeState()
        let control: UInt8 = direction == .toServer ? 0xc4 : 0x44
        return message(fragment(app, control: control), direction, state: &state)
    }
}

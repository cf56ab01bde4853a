import ConvergeModel
import Testing

@testable import ConvergeProtocols

/// CIP inside EtherNet/IP: paths, status, Logix tags, Unconnected Send, Multiple Service Packet,
/// Forward Open/Close, PCCC, and the `cip.sc` walk the engine counts with.
@Suite struct CIPServiceTests {
    typealias B = ENIPBytes

    /// Read Tag "Counter", 1 element; reply DINT 42.
    @Test func readTagPairsNameAndValue() throws {
        var state = EtherNetIP.makeState()
        let request = B.sendRRData(B.request(0x4c, path: B.symbol("Counter"), data: [0x01, 0x00]), context: 5)
        let sent = try #require(ENIPHarness.message(request, .toServer, state: &state, time: 1_000))
        #expect(sent.message.proto == "cip" && sent.message.functionCode == 0x4c)
        #expect(sent.message.functionName == "read_tag" && sent.message.operation == .read)
        #expect(sent.message.targets == [tag("Counter", count: 1, values: [])])
        #expect(sent.message.status == .pending)
        #expect(ENIPHarness.services(sent.frame, request) == [0x4c])
        let reply = B.sendRRData(B.response(0x4c, data: [0xc4, 0x00, 0x2a, 0x00, 0x00, 0x00]), context: 5)
        let answer = try #require(ENIPHarness.message(reply, .toClient, state: &state, time: 4_000))
        #expect(answer.message.functionName == "read_tag" && answer.message.status == .ok)
        #expect(answer.message.targets == [tag("Counter", count: 1, values: [42])])
        #expect(answer.message.roundTripNanoseconds == 3_000)
        #expect(ENIPHarness.services(answer.frame, reply) == [0x4c])  // cip.sc drops the response bit
        #expect(answer.message.anomalies.isEmpty)
    }

    /// Write Tag Fragmented "Program:Main.Speed[2]" REAL 12.5, byte offset 8.
    @Test func writeTagFragmentedWithARealAndAnIndex() throws {
        var state = EtherNetIP.makeState()
        let path = B.symbol("Program:Main") + B.symbol("Speed") + [0x28, 0x02]  // member 2 (array index)
        let data: [UInt8] = [0xca, 0x00, 0x01, 0x00] + B.le32(8) + B.le32(Float(12.5).bitPattern)
        let request = B.sendRRData(B.request(0x53, path: path, data: data))
        let sent = try #require(ENIPHarness.message(request, .toServer, state: &state))
        #expect(sent.message.functionName == "write_tag_fragmented" && sent.message.operation == .write)
        #expect(sent.message.targets == [tag("Program:Main.Speed[2]", address: 8, count: 1, values: [12])])
    }

    @Test func tagWithStructureTypeAndOversizedArray() throws {
        var state = EtherNetIP.makeState()
        // Write Tag of a structure (0x02a0 + handle): values are not decoded, the name is.
        let structureData: [UInt8] = [0xa0, 0x02, 0x34, 0x12, 1, 0, 9, 9]  // struct, handle 0x1234, 1 element
        let structure = B.sendRRData(B.request(0x4d, path: B.symbol("Recipe"), data: structureData))
        let written = try #require(ENIPHarness.message(structure, .toServer, state: &state))
        #expect(written.message.targets == [tag("Recipe", count: 1, values: [])])
        // A reply of 500 INTs: at most maxTargetValues values.
        let values = [UInt8](repeating: 1, count: 1000)
        let reply = B.sendRRData(B.response(0x4c, data: [0xc3, 0x00] + values), context: 9)
        let answer = try #require(ENIPHarness.message(reply, .toClient, state: &state))
        #expect(answer.message.targets.first?.count == 500)
        #expect(answer.message.targets.first?.values.count == EtherNetIP.maxTargetValues)
        #expect(answer.message.anomalies == ["cip.unsolicited_response"])
    }

    /// Unconnected Send to the connection manager carrying Write Tag "SP" INT 7, routed to slot 0.
    @Test func unconnectedSendCarriesTheRealRequest() throws {
        var state = EtherNetIP.makeState()
        let embedded = B.request(0x4d, path: B.symbol("SP"), data: [0xc3, 0x00, 0x01, 0x00, 0x07, 0x00])
        let data: [UInt8] = [0x0a, 0x9d] + B.le16(embedded.count) + embedded
            + [0x01, 0x00, 0x01, 0x00]  // route path: 1 word, reserved, port 1 slot 0
        let request = B.sendRRData(B.request(0x52, path: B.logical(class: 0x06, instance: 1), data: data))
        let sent = try #require(ENIPHarness.message(request, .toServer, state: &state))
        #expect(sent.message.functionName == "write_tag" && sent.message.functionCode == 0x4d)
        #expect(sent.message.operation == .write)
        #expect(sent.message.targets == [tag("SP", count: 1, values: [7])])
        #expect(sent.message.anomalies.isEmpty)
        #expect(ENIPHarness.services(sent.frame, request) == [0x52, 0x4d])
        // Success: the embedded service answers. Failure: the connection manager answers 0xd2.
        let failed = B.sendRRData(B.response(0x52, status: 0x01, extended: [0x0204]))
        let answer = try #require(ENIPHarness.message(failed, .toClient, state: &state))
        #expect(answer.message.functionName == "unconnected_send")
        #expect(answer.message.status == .exception(code: 1, name: "connection_failure"))
        #expect(answer.frame.cip?.extendedStatus == 0x0204)
        #expect(ENIPHarness.services(answer.frame, failed) == [0x52])
    }

    /// Multiple Service Packet to the message router with Read Tag "A" and Write Tag "B".
    @Test func multipleServicePacket() throws {
        var state = EtherNetIP.makeState()
        let read = B.request(0x4c, path: B.symbol("A"), data: [1, 0])
        let write = B.request(0x4d, path: B.symbol("B"), data: [0xc1, 0x00, 0x01, 0x00, 0x01])
        let router = B.logical(class: 0x02, instance: 1)
        let request = B.sendRRData(B.request(0x0a, path: router, data: B.multiple([read, write])))
        let sent = try #require(ENIPHarness.message(request, .toServer, state: &state))
        #expect(sent.message.functionName == "multiple_service_packet")
        #expect(sent.message.operation == .write)  // the weightiest embedded service
        #expect(sent.message.targets == [tag("A", count: 1, values: []), tag("B", count: 1, values: [1])])
        #expect(sent.frame.embeddedServiceCount == 2)
        #expect(ENIPHarness.services(sent.frame, request) == [0x0a, 0x4c, 0x4d])
        let replies = [B.response(0x4c, data: [0xc2, 0x00, 0xff]), B.response(0x4d)]
        let reply = B.sendRRData(B.response(0x0a, data: B.multiple(replies)))
        let answer = try #require(ENIPHarness.message(reply, .toClient, state: &state))
        #expect(answer.message.targets == [tag("A", count: 1, values: [-1])])
        #expect(ENIPHarness.services(answer.frame, reply) == [0x0a, 0x4c, 0x4d])
    }

    @Test func multipleServicePacketCountsThatLie() throws {
        var state = EtherNetIP.makeState()
        // Count 0xffff with two bytes of offsets.
        let router = B.logical(class: 0x02, instance: 1)
        let lying = B.sendRRData(B.request(0x0a, path: router, data: [0xff, 0xff, 0x04, 0x00]))
        let parsed = try #require(ENIPHarness.message(lying, .toServer, state: &state))
        #expect(parsed.message.anomalies.contains("enip.too_many_items"))
        #expect(parsed.message.anomalies.contains("enip.invalid_length"))
        #expect(ENIPHarness.services(parsed.frame, lying) == [0x0a])
        // Offsets pointing backwards or past the end.
        let backwards = B.sendRRData(B.request(0x0a, path: router,
            data: [0x02, 0x00, 0x08, 0x00, 0x06, 0x00, 0x0e, 0x01, 0x20, 0x01]))
        let broken = try #require(ENIPHarness.message(backwards, .toServer, state: &state))
        #expect(broken.message.anomalies.contains("enip.invalid_length"))
    }

    /// Multiple Service Packets nested 20 deep: the walk stops at `maxNesting`.
    @Test func deepNestingIsBounded() throws {
        var inner = B.request(0x0e, path: B.logical(class: 1, instance: 1, attribute: 7))
        for _ in 0..<20 {
            inner = B.request(0x0a, path: B.logical(class: 0x02, instance: 1), data: B.multiple([inner]))
        }
        let request = B.sendRRData(inner)
        var state = EtherNetIP.makeState()
        let parsed = try #require(ENIPHarness.message(request, .toServer, state: &state))
        #expect(ENIPHarness.services(parsed.frame, request) == Array(repeating: 0x0a, count: EtherNetIP.maxNesting + 1))
        #expect(parsed.message.functionName == "multiple_service_packet")
    }

    /// Forward Open for a class 3 connection to the message router, then its reply and a close.
    @Test func forwardOpenAndClose() throws {
        var state = EtherNetIP.makeState()
        let data: [UInt8] = [0x0a, 0x0e]  // priority/tick, timeout ticks
            + B.le32(0) + B.le32(0x8000_0001)  // O→T id (target picks), T→O id
            + B.le16(0x1234) + B.le16(0x0001) + B.le32(0xcafe_f00d)  // serial, vendor, originator serial
            + [0x03, 0, 0, 0]  // timeout multiplier, reserved
            + B.le32(2_000_000) + B.le16(0x43f4)  // O→T RPI 2 s, parameters
            + B.le32(2_000_000) + B.le16(0x43f4)  // T→O RPI, parameters
            + [0xa3, 0x02, 0x20, 0x02, 0x24, 0x01]  // transport class 3, path: message router
        let request = B.sendRRData(B.request(0x54, path: B.logical(class: 0x06, instance: 1), data: data), context: 2)
        let sent = try #require(ENIPHarness.message(request, .toServer, state: &state))
        #expect(sent.message.functionName == "forward_open" && sent.message.operation == .session)
        #expect(sent.frame.connection?.transportClass == 3)
        #expect(sent.message.targets.first?.kind == "cip_connection")
        #expect(sent.message.targets.first?.values == [0, 0x8000_0001, 2_000_000, 2_000_000, 3])
        #expect(sent.message.targets.first?.name == "@0x02/1")
        let replyData = B.le32(0x0011_2233) + B.le32(0x8000_0001) + B.le16(0x1234) + B.le16(1) + B.le32(0xcafe_f00d)
            + B.le32(2_000_000) + B.le32(2_000_000) + [0, 0]
        let reply = B.sendRRData(B.response(0x54, data: replyData), context: 2)
        let answer = try #require(ENIPHarness.message(reply, .toClient, state: &state))
        #expect(answer.frame.connection?.originatorToTargetID == 0x0011_2233)
        #expect(answer.message.anomalies.isEmpty)
        let close = B.sendRRData(B.request(0x4e, path: B.logical(class: 0x06, instance: 1),
            data: [0x0a, 0x0e] + B.le16(0x1234) + B.le16(1) + B.le32(0xcafe_f00d)
                + [0x02, 0x00, 0x20, 0x02, 0x24, 0x01]))
        let closing = try #require(ENIPHarness.message(close, .toServer, state: &state))
        #expect(closing.message.functionName == "forward_close" && closing.frame.connection?.connectionSerial == 0x1234)
    }

    /// Execute PCCC (class 0x67): protected typed logical read with three address fields.
    @Test func executePCCC() throws {
        var state = EtherNetIP.makeState()
        let requestor: [UInt8] = [0x07] + B.le16(0x4d) + B.le32(0x3d2b_31e0)
        let command: [UInt8] = [0x0f, 0x00] + B.le16(0xc562) + [0xa2, 0x02, 0x07, 0x89, 0x00, 0x00]
        let pcccObject = B.logical(class: 0x67, instance: 1)
        let request = B.sendRRData(B.request(0x4b, path: pcccObject, data: requestor + command))
        let sent = try #require(ENIPHarness.message(request, .toServer, state: &state))
        #expect(sent.message.functionName == "execute_pccc.protected_typed_logical_read_3")
        #expect(sent.message.operation == .read)
        #expect(sent.frame.pccc?.transaction == 0xc562)
        #expect(sent.message.targets.first?.address == 0x0fa2)
        let reply = B.sendRRData(B.response(0x4b, data: requestor + [0x4f, 0x00] + B.le16(0xc562) + [1, 0]))
        let answer = try #require(ENIPHarness.message(reply, .toClient, state: &state))
        #expect(answer.message.functionName == "execute_pccc.protected_typed_logical_read_3")
        #expect(answer.message.operation == .read)
        // A requestor id shorter than its fixed fields.
        let short = B.sendRRData(B.request(0x4b, path: pcccObject, data: [0x02, 0x00]))
        let bad = try #require(ENIPHarness.message(short, .toServer, state: &state))
        #expect(bad.message.anomalies.contains("enip.invalid_length"))
    }

    @Test func identitySetResetAndFirmware() throws {
        var state = EtherNetIP.makeState()
        let productName = B.logical(class: 0x01, instance: 1, attribute: 7)
        let set = B.sendRRData(B.request(0x10, path: productName, data: [3, 0x41, 0x42, 0x43]))
        let written = try #require(ENIPHarness.message(set, .toServer, state: &state))
        #expect(written.message.operation == .write && written.message.functionName == "set_attribute_single")
        #expect(written.message.targets.first?.name == "@0x01/1/7")
        #expect(written.message.targets.first?.values == [3, 0x41, 0x42, 0x43])
        #expect(written.message.targets.first?.address == 1 << 32 | 1 << 16 | 7)
        let reset = B.sendRRData(B.request(0x05, path: B.logical(class: 0x01, instance: 1), data: [0]), context: 2)
        #expect(try #require(ENIPHarness.message(reset, .toServer, state: &state)).message.operation == .control)
        let store = B.logical(class: 0xa1, instance: 1)
        let flash = B.sendRRData(B.request(0x4d, path: store, data: [1, 2, 3]), context: 3)
        let firmware = try #require(ENIPHarness.message(flash, .toServer, state: &state))
        #expect(firmware.message.operation == .firmware && firmware.message.functionName == "service_0x4d")
        let file = B.sendRRData(B.request(0x4c, path: B.logical(class: 0x37, instance: 1), data: []), context: 4)
        let download = try #require(ENIPHarness.message(file, .toServer, state: &state))
        #expect(download.message.operation == .firmware && download.message.functionName == "initiate_download")
    }

    /// 16- and 32-bit logical segments, a port segment with an extended link address, a path
    /// cut mid-segment, and a reserved segment type.
    @Test func pathSegments() throws {
        var state = EtherNetIP.makeState()
        let wide: [UInt8] = [0x21, 0x00, 0x34, 0x12, 0x26, 0x00, 0x78, 0x56, 0x34, 0x12, 0x31, 0x00, 0x03, 0x00]
        let wideRequest = B.sendRRData(B.request(0x0e, path: wide))
        let parsed = try #require(ENIPHarness.message(wideRequest, .toServer, state: &state))
        let path = try #require(parsed.frame.cip?.path)
        #expect(path.classID == 0x1234 && path.instance == 0x1234_5678 && path.attribute == 3 && path.isValid)
        let port: [UInt8] = [0x12, 0x03, 0x31, 0x2e, 0x32, 0x00] + B.logical(class: 1, instance: 1)
        let portRequest = B.sendRRData(B.request(0x01, path: port))
        let routed = try #require(ENIPHarness.message(portRequest, .toServer, state: &state))
        #expect(routed.frame.cip?.path.hasPort == true && routed.frame.cip?.path.classID == 1)
        let cut = B.sendRRData(B.request(0x01, path: [0x21, 0x00]))  // 16-bit class without its value
        let broken = try #require(ENIPHarness.message(cut, .toServer, state: &state))
        #expect(broken.message.anomalies.contains("cip.invalid_path"))
        let reserved = B.sendRRData(B.request(0x01, path: [0xe0, 0x00]))
        let reservedEvent = try #require(ENIPHarness.message(reserved, .toServer, state: &state))
        #expect(reservedEvent.message.anomalies == ["cip.invalid_path"])
        // A path size word count larger than the message.
        let overrun = B.sendRRData([0x0e, 0x40, 0x20, 0x01])
        #expect(try #require(ENIPHarness.message(overrun, .toServer, state: &state)).message.anomalies
            .contains("enip.invalid_length"))
        // Symbolic segments past the segment cap.
        let many = (0..<40).flatMap { _ in B.symbol("x") }
        let manyRequest = B.sendRRData(B.request(0x4c, path: many, data: [1, 0]))
        let capped = try #require(ENIPHarness.message(manyRequest, .toServer, state: &state))
        #expect(capped.message.anomalies.contains("cip.invalid_path"))
    }

    /// A very long tag name is cut at `maxTagNameLength`.
    @Test func tagNamesAreCapped() throws {
        var state = EtherNetIP.makeState()
        let path = (0..<2).flatMap { _ in B.symbol(String(repeating: "N", count: 200)) }  // 202 words
        let request = B.sendRRData(B.request(0x4c, path: path, data: [1, 0]))
        let sent = try #require(ENIPHarness.message(request, .toServer, state: &state))
        #expect(sent.message.targets.first?.name?.utf8.count == EtherNetIP.maxTagNameLength)
    }

    @Test func errorStatusAndUnknownService() throws {
        var state = EtherNetIP.makeState()
        let request = B.sendRRData(B.request(0x0e, path: B.logical(class: 0xf5, instance: 1, attribute: 5)))
        _ = try #require(ENIPHarness.message(request, .toServer, state: &state))
        let reply = B.sendRRData(B.response(0x0e, status: 0x05, extended: [0x0001, 0x0002]))
        let answer = try #require(ENIPHarness.message(reply, .toClient, state: &state))
        #expect(answer.message.status == .exception(code: 5, name: "path_destination_unknown"))
        #expect(answer.frame.cip?.additionalStatusWords == 2)
        // Status words beyond the message.
        let short = B.sendRRData([0x8e, 0x00, 0x05, 0x09, 0x01, 0x00])
        #expect(try #require(ENIPHarness.message(short, .toClient, state: &state)).message.anomalies
            .contains("enip.invalid_length"))
        // A service in the reserved range.
        let odd = B.sendRRData(B.request(0x3f, path: B.logical(class: 1, instance: 1)), context: 7)
        let unknown = try #require(ENIPHarness.message(odd, .toServer, state: &state))
        #expect(unknown.message.functionName == "service_0x3f")
        #expect(unknown.message.anomalies == ["cip.unknown_service"])
        // The encapsulation status of a refused request.
        let refused = ENIPBytes.header(0x6f, length: 0, status: 0x64)
        let denied = try #require(ENIPHarness.message(refused, .toClient, state: &state))
        #expect(denied.message.status == .exception(code: 0x64, name: "invalid_session_handle"))
    }

    @Test func connectedMessagingPairsBySequence() throws {
        var state = EtherNetIP.makeState()
        let read = B.request(0x4c, path: B.symbol("Level"), data: [1, 0])
        let request = B.sendUnitData(read, connection: 0x1111, sequence: 9)
        let sent = try #require(ENIPHarness.message(request, .toServer, state: &state, time: 10))
        #expect(sent.frame.connectionID == 0x1111 && sent.frame.sequence == 9)
        let reply = B.sendUnitData(B.response(0x4c, data: [0xc7, 0x00, 0x10, 0x27]), connection: 0x2222, sequence: 9)
        let answer = try #require(ENIPHarness.message(reply, .toClient, state: &state, time: 30))
        #expect(answer.message.targets == [tag("Level", count: 1, values: [10_000])])
        #expect(answer.message.roundTripNanoseconds == 20)
    }

    @Test func pendingTableIsBounded() throws {
        var state = EtherNetIP.makeState()
        var overflowed = false
        for context in 0..<(EtherNetIP.State.pendingCapacity + 5) {
            var request = B.sendRRData(B.request(0x0e, path: B.logical(class: 1, instance: 1, attribute: 1)))
            request[12] = UInt8(context & 0xff)
            request[13] = UInt8(context >> 8)
            let sent = try #require(ENIPHarness.message(request, .toServer, state: &state))
            overflowed = overflowed || sent.message.anomalies.contains("cip.pending_overflow")
        }
        #expect(overflowed)
        #expect(state.pending.count == EtherNetIP.State.pendingCapacity)
    }

    func tag(_ name: String, address: Int = 0, count: Int, values: [Int]) -> Message.Target {
        var target = Message.Target(kind: "tag", address: address, count: count, values: values)
        target.name = name
        return target
    }
}

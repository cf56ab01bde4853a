import ConvergeModel
import Testing

@testable import ConvergeProtocols

/// BVLC, NPDU and APDU headers from byte-commented datagrams.
@Suite struct BACnetFrameTests {
    /// Who-Is, broadcast to every network (bacpypes3 capture, frame 3).
    static let whoIsGlobal: [UInt8] = [
        0x81, 0x0b, 0x00, 0x0c,  // BVLC: B/IP, original-broadcast-NPDU, length 12
        0x01, 0x20, 0xff, 0xff, 0x00, 0xff,  // NPDU v1, DNET present: 65535, DLEN 0 (broadcast), hop count 255
        0x10, 0x08,  // APDU: unconfirmed request, who-is
    ]

    /// A confirmed ReadProperty relayed by a BBMD between two routed networks.
    static let forwardedRoutedRead: [UInt8] = [
        0x81, 0x04, 0x00, 0x25,  // BVLC: forwarded-NPDU, length 37
        0xc0, 0xa8, 0x01, 0x05, 0xba, 0xc0,  // original source 192.168.1.5:47808
        0x01, 0x28,  // NPDU v1, DNET and SNET present
        0x00, 0x05, 0x01, 0x07,  // DNET 5, DLEN 1, DADR 07
        0x00, 0x02, 0x06, 0x0a, 0x00, 0x00, 0x09, 0xba, 0xc0,  // SNET 2, SLEN 6, SADR 10.0.0.9:47808
        0xfe,  // hop count 254
        0x00, 0x05, 0x11, 0x0c,  // confirmed request, max APDU 1476, invoke 17, readProperty
        0x0c, 0x02, 0x00, 0x00, 0x64,  // [0] device,100
        0x19, 0x4d,  // [1] object-name
    ]

    /// Its answer on the same link: routed back to SNET 2 from DNET 5.
    static let routedReadAck: [UInt8] = [
        0x81, 0x0a, 0x00, 0x27,  // BVLC: original-unicast-NPDU, length 39
        0x01, 0x28,  // NPDU v1, DNET and SNET present
        0x00, 0x02, 0x06, 0x0a, 0x00, 0x00, 0x09, 0xba, 0xc0,  // DNET 2, DLEN 6, DADR: the requester
        0x00, 0x05, 0x01, 0x07,  // SNET 5, SLEN 1, SADR 07: the device
        0xff,  // hop count
        0x30, 0x11, 0x0c,  // complex ack, invoke 17, readProperty
        0x0c, 0x02, 0x00, 0x00, 0x64,  // [0] device,100
        0x19, 0x4d,  // [1] object-name
        0x3e, 0x75, 0x05, 0x00, 0x41, 0x48, 0x55, 0x31, 0x3f,  // [3] { "AHU1" (UTF-8) }
    ]

    @Test func whoIsBroadcast() throws {
        let frame = try #require(BACnetHarness.frame(Self.whoIsGlobal))
        #expect(frame.bvlcFunction == BACnetIP.BVLCFunction.originalBroadcastNPDU.rawValue)
        #expect(frame.destinationNetwork == 0xffff && frame.destinationAddressLength == 0 && frame.hopCount == 255)
        #expect(frame.sourceNetwork == nil)
        #expect(frame.pdu == .unconfirmedRequest && frame.serviceChoice == 8)
        #expect(frame.isUnconfirmedService && frame.hasFunction)
        #expect(frame.functionCode == BACnetIP.unconfirmedServiceBase + 8)
        #expect(frame.anomalies.isEmpty)
        let message = try #require(BACnetHarness.message(Self.whoIsGlobal)).message
        #expect(message.functionName == "who_is" && message.operation == .discovery)
        #expect(message.targets.isEmpty && message.status == .ok)
    }

    @Test func forwardedRoutedRequestAndAnswerPair() throws {
        var state = BACnetIP.makeState()
        let request = try #require(
            BACnetHarness.message(Self.forwardedRoutedRead, .toServer, state: &state, time: 1_000))
        #expect(request.frame.originalAddress == 0xc0a8_0105 && request.frame.originalPort == 47808)
        #expect(request.frame.destinationNetwork == 5 && request.frame.destinationAddress == 7)
        #expect(request.frame.sourceNetwork == 2 && request.frame.sourceAddressLength == 6)
        #expect(request.frame.sourceAddress == 0x0a00_0009_bac0 && request.frame.hopCount == 254)
        #expect(
            request.frame.pdu == .confirmedRequest && request.frame.invokeID == 17 && request.frame.maxAPDUCode == 5)
        #expect(request.frame.functionCode == 12 && request.frame.anomalies.isEmpty)
        #expect(request.message.status == .pending && request.message.operation == .read)
        #expect(request.message.targets == [Message.Target(kind: "device.object_name", address: 100)])
        #expect(state.pending.count == 1)

        let answer = try #require(BACnetHarness.message(Self.routedReadAck, .toClient, state: &state, time: 4_000))
        #expect(answer.frame.anomalies.isEmpty)
        #expect(answer.frame.request?.service == 12 && answer.frame.roundTripNanoseconds == 3_000)
        #expect(answer.message.status == .ok && answer.message.functionName == "read_property")
        #expect(state.pending.count == 0)
        // The device sits behind a router: its name must not be pinned on the router's address.
        #expect(answer.facts.isEmpty)
    }

    @Test func answerFromAnotherRouteIsUnsolicited() throws {
        var state = BACnetIP.makeState()
        _ = BACnetHarness.frame(Self.forwardedRoutedRead, .toServer, state: &state)
        var other = Self.routedReadAck
        other[18] = 0x08  // the answer claims to come from SADR 08, not 07
        let answer = try #require(BACnetHarness.frame(other, .toClient, state: &state))
        #expect(answer.anomalies.contains(.unsolicitedResponse))
        #expect(state.pending.count == 1)
    }

    @Test func networkLayerMessages() throws {
        // NPDU v1, network message, who-is-router-to-network
        let whoIsRouter: [UInt8] = [0x81, 0x0b, 0x00, 0x07, 0x01, 0x80, 0x00]
        let frame = try #require(BACnetHarness.frame(whoIsRouter))
        #expect(frame.networkMessageType == 0 && !frame.hasAPDU && !frame.hasFunction)
        let message = try #require(BACnetHarness.message(whoIsRouter)).message
        #expect(message.functionName == "network.who_is_router_to_network" && message.operation == .discovery)
        #expect(message.functionCode == BACnetIP.EventCode.networkMessageBase)
        // i-am-router-to-network 5, 6
        let iAmRouter: [UInt8] = [0x81, 0x0b, 0x00, 0x0b, 0x01, 0x80, 0x01, 0x00, 0x05, 0x00, 0x06]
        #expect(BACnetHarness.message(iAmRouter)?.message.functionName == "network.i_am_router_to_network")
        // proprietary message 0x80 of vendor 5
        let proprietary: [UInt8] = [0x81, 0x0a, 0x00, 0x09, 0x01, 0x80, 0x80, 0x00, 0x05]
        let vendor = try #require(BACnetHarness.frame(proprietary))
        #expect(vendor.networkMessageType == 0x80 && vendor.networkVendorID == 5 && vendor.anomalies.isEmpty)
        // initialize-routing-table steers traffic
        let initialize: [UInt8] = [0x81, 0x0a, 0x00, 0x08, 0x01, 0x80, 0x06, 0x00]
        #expect(BACnetHarness.message(initialize)?.message.operation == .control)
    }

    @Test func bvlcOnlyFunctions() throws {
        // BVLC-Result: register-foreign-device NAK
        let nak: [UInt8] = [0x81, 0x00, 0x00, 0x06, 0x00, 0x30]
        let result = try #require(BACnetHarness.message(nak))
        #expect(result.frame.bvlcValue == 0x30 && !result.frame.hasNPDU && !result.frame.hasFunction)
        #expect(result.message.functionName == "bvlc.result")
        #expect(result.message.status == .exception(code: 0x30, name: "register_foreign_device_nak"))
        // Register-Foreign-Device, time-to-live 60 s
        let register: [UInt8] = [0x81, 0x05, 0x00, 0x06, 0x00, 0x3c]
        let registered = try #require(BACnetHarness.message(register))
        #expect(registered.frame.bvlcValue == 60 && registered.message.operation == .session)
        // Read-BDT-Ack with one entry: 192.168.1.1:47808, mask 255.255.255.255
        let table: [UInt8] = [
            0x81, 0x03, 0x00, 0x0e, 0xc0, 0xa8, 0x01, 0x01, 0xba, 0xc0, 0xff, 0xff, 0xff, 0xff,
        ]
        let ack = try #require(BACnetHarness.frame(table))
        #expect(ack.bvlcValue == 1 && ack.anomalies.isEmpty)
        // Write-BDT with a partial entry: the body is not a whole number of entries
        let partial: [UInt8] = [0x81, 0x01, 0x00, 0x09, 0xc0, 0xa8, 0x01, 0x01, 0xba]
        let write = try #require(BACnetHarness.message(partial))
        #expect(write.frame.anomalies.contains(.invalidLength) && write.message.operation == .write)
        // Read-BDT carries no body
        let read: [UInt8] = [0x81, 0x02, 0x00, 0x04]
        #expect(BACnetHarness.frame(read)?.anomalies.isEmpty == true)
    }

    @Test func lengthFieldsAreCrossChecked() throws {
        // The BVLC says 16 bytes but the datagram has 12: cut by the capture, still counted.
        var long = Self.whoIsGlobal
        long[3] = 0x10
        let cut = try #require(BACnetHarness.frame(long))
        #expect(cut.anomalies.contains(.truncated) && cut.serviceChoice == 8)
        // The BVLC says 10 bytes but 12 arrived: parsed within the BVLC length, flagged.
        var short = Self.whoIsGlobal
        short[3] = 0x0a
        let trimmed = try #require(BACnetHarness.frame(short))
        #expect(trimmed.anomalies.contains(.invalidLength) && trimmed.serviceChoice == nil)
        // A BVLC length below the header itself cannot be framing.
        var tiny = Self.whoIsGlobal
        tiny[3] = 0x03
        var state = BACnetIP.makeState()
        guard case .failure(.malformed) = BACnetHarness.parse(tiny, state: &state) else {
            Issue.record("a BVLC length of 3 must be malformed")
            return
        }
    }

    @Test func badHeadersAreMalformedOrFlagged() throws {
        var state = BACnetIP.makeState()
        // BVLC type 0x82 is BACnet/IPv6, not this dissector's framing.
        guard case .failure(.malformed) = BACnetHarness.parse([0x82, 0x0a, 0x00, 0x04], state: &state) else {
            Issue.record("type 0x82 must be malformed")
            return
        }
        #expect(BACnetIP.probe([0x82, 0x0a, 0x00, 0x04].span, direction: .toServer) == .reject)
        #expect(BACnetIP.probe([0x81, 0x0d, 0x00, 0x04].span, direction: .toServer) == .reject)
        #expect(BACnetIP.probe([0x81, 0x0a].span, direction: .toServer) == .needMore)
        #expect(BACnetIP.probe(Self.whoIsGlobal.span, direction: .toServer) == .match)
        // Unknown BVLC function 0x20
        let unknown = try #require(BACnetHarness.message([0x81, 0x20, 0x00, 0x04]))
        #expect(unknown.frame.anomalies.contains(.unknownBVLCFunction))
        #expect(unknown.message.functionName == "bvlc.function_32")
        // NPDU version 2
        let version = try #require(BACnetHarness.frame([0x81, 0x0a, 0x00, 0x08, 0x02, 0x00, 0x10, 0x08]))
        #expect(version.anomalies.contains(.invalidNPDUVersion) && !version.hasAPDU)
        // SLEN 0 is not a source address
        let source = try #require(
            BACnetHarness.frame([0x81, 0x0a, 0x00, 0x0b, 0x01, 0x08, 0x00, 0x02, 0x00, 0x10, 0x08]))
        #expect(source.anomalies.contains(.invalidAddress))
        // DLEN 200 exceeds any MAC
        let dlen = try #require(BACnetHarness.frame([0x81, 0x0a, 0x00, 0x09, 0x01, 0x20, 0x00, 0x02, 0xc8]))
        #expect(dlen.anomalies.contains(.invalidAddress))
        // APDU type 8 does not exist
        let pdu = try #require(BACnetHarness.message([0x81, 0x0a, 0x00, 0x08, 0x01, 0x00, 0x80, 0x00]))
        #expect(pdu.frame.anomalies.contains(.unknownPDUType) && !pdu.frame.hasFunction)
        #expect(pdu.message.functionName == "pdu_type_8")
        // Unconfirmed service 99 and confirmed service 99
        let unconfirmed = try #require(BACnetHarness.message([0x81, 0x0a, 0x00, 0x08, 0x01, 0x00, 0x10, 0x63]))
        #expect(unconfirmed.frame.anomalies.contains(.unknownService) && unconfirmed.frame.functionCode == 256 + 99)
        #expect(unconfirmed.message.functionName == "unconfirmed_service_99")
        let confirmed = try #require(BACnetHarness.frame([0x81, 0x0a, 0x00, 0x0a, 0x01, 0x04, 0x00, 0x05, 0x01, 0x63]))
        #expect(confirmed.anomalies.contains(.unknownService) && confirmed.functionCode == 99)
    }

    @Test func segmentationFields() throws {
        // Complex ack, segmented with more to follow: invoke 7, sequence 0, window 4, readPropertyMultiple
        let first: [UInt8] = [
            0x81, 0x0a, 0x00, 0x0f, 0x01, 0x00,
            0x3c, 0x07, 0x00, 0x04, 0x0e,  // complex ack SEG|MOR, invoke 7, seq 0, window 4, RPM
            0x0c, 0x02, 0x00, 0x00,  // the first bytes of an object identifier: cut by segmentation
        ]
        let frame = try #require(BACnetHarness.frame(first, .toClient))
        #expect(frame.isSegmented && frame.moreFollows && frame.windowSize == 4 && frame.serviceChoice == 14)
        #expect(!frame.anomalies.contains(.malformedTags))
        // Segment-ACK from the client: invoke 7, sequence 0, window 4
        let segmentAck: [UInt8] = [0x81, 0x0a, 0x00, 0x0a, 0x01, 0x00, 0x40, 0x07, 0x00, 0x04]
        let ack = try #require(BACnetHarness.message(segmentAck))
        #expect(ack.frame.pdu == .segmentAck && !ack.frame.hasFunction && ack.frame.sequenceNumber == 0)
        #expect(ack.message.functionName == "segment_ack")
        #expect(ack.message.functionCode == BACnetIP.EventCode.pduTypeBase + 4)
    }
}

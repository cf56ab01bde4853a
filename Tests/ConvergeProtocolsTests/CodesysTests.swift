import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// CODESYS V3 PDUs built from the published layer layouts (block driver, datagram, channel and
/// service layers): tshark 4.0.17 has no CODESYS dissector and no public capture is at hand, so
/// each value is checked by hand against the layout.
enum CodesysFixtures {
    /// Datagram layer: magic, 3 header words and 13 hops, priority normal, service, message id,
    /// 3-word receiver and sender addresses (TCP form: port, IPv4).
    static func datagram(service: UInt8) -> [UInt8] {
        [
            0xC5,  // datagram magic
            0x6B,  // header length 3 words (low 3 bits), hop count 13 (high 5)
            0x40,  // priority 1 (normal), no signal, full addresses
            service,  // 64: channel manager
            0x00,  // message id
            0x33,  // receiver 3 words, sender 3 words
            0x2D, 0xDC, 0xC0, 0xA8, 0x00, 0x0A,  // receiver: port 11740, 192.168.0.10
            0xC3, 0x50, 0xC0, 0xA8, 0x00, 0x05,  // sender: port 50000, 192.168.0.5
        ]
    }

    /// First application block of a request: channel 5, block 1, ack 0, 16 bytes of service layer.
    static let applicationBlock: [UInt8] = [
        0x01, 0x81,  // channel type 01 application block; flags: request, first block
        0x05, 0x00,  // channel id 5
        0x01, 0x00, 0x00, 0x00,  // block id 1
        0x00, 0x00, 0x00, 0x00,  // ack id 0
        0x10, 0x00, 0x00, 0x00,  // remaining data size 16
        0x00, 0x00, 0x00, 0x00,  // checksum (not checked)
        0x55, 0xCD,  // protocol id 0xCD55
        0x0C, 0x00,  // header size 12
        0x02, 0x00,  // service group 2 (CmpApp), request
        0x01, 0x00,  // service id 1
        0x78, 0x56, 0x34, 0x12,  // session id 0x12345678
        0x00, 0x00, 0x00, 0x00,  // content size 0
    ]

    /// Block driver TCP: magic, length 64 (8 + 18 datagram + 2 padding + 36), PDU.
    static let tcpRequest: [UInt8] =
        [0x00, 0x01, 0x17, 0xE8, 0x40, 0x00, 0x00, 0x00]  // magic 0xE8170100 LE, length 64
        + datagram(service: 64) + [0x00, 0x00]  // padding to 4 bytes (8 + 18 = 26 → 28)
        + applicationBlock

    /// The answer: service group 0x82 (response bit set).
    static let tcpResponse: [UInt8] = {
        var bytes = tcpRequest
        bytes[52] = 0x82
        return bytes
    }()

    /// Over UDP: open channel request (no block driver header; padding 18 → 20).
    static let udpOpenChannel: [UInt8] =
        datagram(service: 64) + [0x00, 0x00]
        + [
            0xC3, 0x00,  // open channel request, flags
            0x01, 0x01,  // version 1.1
            0x00, 0x00, 0x00, 0x00,  // checksum
            0x07, 0x00, 0x00, 0x00,  // message id 7
            0x00, 0x40, 0x1F, 0x00,  // receive buffer 0x1F4000
            0x05, 0x00, 0x00, 0x00,  // unknown
        ]

    /// Over UDP: a name-service request (service 3), no addresses (padding 6 → 8).
    static let udpNameService: [UInt8] = [
        0xC5, 0x6B, 0x40, 0x03, 0x00, 0x00,  // datagram: service 3, no addresses
        0x00, 0x00,  // padding
        0x80, 0xC2, 0x00, 0x04, 0x01, 0x00, 0x00, 0x00,  // subcmd 0xC280 device info, version, message id
    ]

    /// Over UDP: a name-service device-info answer (service 4, sub-command 0xC280).
    static let udpDeviceInfo: [UInt8] = {
        func utf16(_ text: String) -> [UInt8] { Array(text.utf8).flatMap { [$0, 0] } + [0, 0] }
        let fixed: [UInt8] = [
            0x80, 0xC2,  // 0: sub-command 0xC280 device info
            0x00, 0x04,  // 2: version 0x400
            0x01, 0x00, 0x00, 0x00,  // 4: message id 1
            0x01, 0x00,  // 8: max channels 1
            0x01, 0x00,  // 10: byte order, unknown
            0x00, 0x00,  // 12: node-name offset 0 (names start at 0 + 48)
            0x03, 0x00,  // 14: node name 3 units
            0x05, 0x00,  // 16: device name 5 units
            0x0C, 0x00,  // 18: vendor name 12 units
            0x02, 0x10, 0x07, 0x00,  // 20: target type, target id
            0x00, 0x00, 0x00, 0x00,  // 24: unknown
            0x1E, 0x11, 0x05, 0x03,  // 28: firmware 3.5.17.30 (last byte first)
            0x00, 0x00, 0x00, 0x00,  // 32: unknown
            0x08,  // 36: serial length 8
        ] + [UInt8](repeating: 0, count: 11)  // 37..47
        return [0xC5, 0x6B, 0x40, 0x04, 0x00, 0x00, 0x00, 0x00]  // datagram: service 4, padding
            + fixed + utf16("PLC") + utf16("Pi SL") + utf16("CODESYS GmbH") + Array("SN123456".utf8)
    }()

    static let context = MessageContext(
        time: Timestamp(nanoseconds: 0), flowID: 1,
        client: Endpoint(address: IPAddress(v4: 0xC0A8_0005), port: 50000),
        server: Endpoint(address: IPAddress(v4: 0xC0A8_000A), port: 11740), direction: .toServer)
}

@Suite struct CodesysTests {
    @Test func blockDriverRequestShowsServiceAndSession() throws {
        #expect(CodesysFixtures.tcpRequest.count == 64)
        #expect(Codesys.probe(CodesysFixtures.tcpRequest.span, direction: .toServer) == .match)
        var state = Codesys.makeState()
        let (frame, consumed) = try Codesys.parse(
            CodesysFixtures.tcpRequest.span, direction: .toServer, time: .zero, state: &state)
        #expect(consumed == 64 && frame.datagramService == 64 && frame.hopCount == 13 && frame.bodyOffset == 28)
        #expect(frame.channelType == 0x01 && frame.channelID == 5 && frame.protocolID == 0xCD55)
        #expect(frame.serviceGroup == 2 && frame.serviceID == 1 && frame.sessionID == 0x1234_5678 && !frame.isResponse)
        #expect(frame.functionCode == 0x2_0001 && Codesys.functionKey(frame.functionCode) == "2/1")
        #expect(state.sessions == 1 && state.messages == 1)
        let event = Codesys.event(
            frame, bytes: CodesysFixtures.tcpRequest.span, context: CodesysFixtures.context, state: &state)
        #expect(event.functionName == "app_service_1" && event.operation == .program && event.status == .pending)
        let (answer, _) = try Codesys.parse(
            CodesysFixtures.tcpResponse.span, direction: .toClient, time: .zero, state: &state)
        #expect(answer.isResponse && answer.serviceGroup == 2 && state.sessions == 1)
    }

    @Test func encryptedServiceLayerHidesTheService() throws {
        var bytes = CodesysFixtures.tcpRequest
        bytes[48] = 0x57
        bytes[49] = 0x75  // protocol id 0x7557
        var state = Codesys.makeState()
        let (frame, _) = try Codesys.parse(bytes.span, direction: .toServer, time: .zero, state: &state)
        #expect(frame.encrypted && !frame.hasFunction)
        let event = Codesys.event(frame, bytes: bytes.span, context: CodesysFixtures.context, state: &state)
        #expect(event.functionName == "encrypted_block")
    }

    @Test func udpChannelAndNameService() throws {
        var state = CodesysUDP.makeState()
        #expect(CodesysUDP.probe(CodesysFixtures.udpOpenChannel.span, direction: .toServer) == .match)
        let (open, consumed) = try CodesysUDP.parse(
            CodesysFixtures.udpOpenChannel.span, direction: .toServer, time: .zero, state: &state)
        #expect(consumed == CodesysFixtures.udpOpenChannel.count && open.channelType == 0xC3 && !open.hasFunction)
        let event = CodesysUDP.event(
            open, bytes: CodesysFixtures.udpOpenChannel.span, context: CodesysFixtures.context, state: &state)
        #expect(event.proto == "codesys_udp" && event.functionName == "open_channel_request")
        #expect(event.operation == .session)
        let (ns, _) = try CodesysUDP.parse(
            CodesysFixtures.udpNameService.span, direction: .toServer, time: .zero, state: &state)
        let nsEvent = CodesysUDP.event(
            ns, bytes: CodesysFixtures.udpNameService.span, context: CodesysFixtures.context, state: &state)
        #expect(nsEvent.functionName == "name_service_request" && nsEvent.operation == .discovery)
        #expect(state.messages == 2)
    }

    @Test func deviceInfoAnswerNamesTheRuntime() throws {
        #expect(CodesysFixtures.udpDeviceInfo.count == 8 + 48 + 8 + 12 + 26 + 8)
        var state = CodesysUDP.makeState()
        let (frame, _) = try CodesysUDP.parse(
            CodesysFixtures.udpDeviceInfo.span, direction: .toClient, time: .zero, state: &state)
        #expect(frame.datagramService == 4 && frame.nameServiceCommand == 0xC280 && frame.bodyOffset == 8)
        var context = CodesysFixtures.context
        context.direction = .toClient
        let facts = CodesysUDP.facts(frame, bytes: CodesysFixtures.udpDeviceInfo.span, context: context, state: state)
        #expect(
            facts.map { "\($0.kind.rawValue)=\($0.value)" } == [
                "hostname=PLC", "model=Pi SL", "vendor=CODESYS GmbH", "firmware=3.5.17.30", "serial=SN123456",
            ])
        #expect(facts.allSatisfy { $0.address == context.server.address && $0.source == "codesys/ns_device_info" })
        // Names that run past the datagram give no name facts and never read past it.
        let cut = Array(CodesysFixtures.udpDeviceInfo.prefix(70))
        let (short, _) = try CodesysUDP.parse(cut.span, direction: .toClient, time: .zero, state: &state)
        let partial = CodesysUDP.facts(short, bytes: cut.span, context: context, state: state)
        #expect(partial.map(\.kind) == [.hostname])
    }

    @Test func badMagicAndLengths() throws {
        var state = Codesys.makeState()
        var magic = CodesysFixtures.tcpRequest
        magic[3] = 0xE9
        #expect(Codesys.probe(magic.span, direction: .toServer) == .reject)
        #expect(throws: DissectError.self) {
            try Codesys.parse(magic.span, direction: .toServer, time: .zero, state: &state)
        }
        var short = CodesysFixtures.tcpRequest
        short[4] = 0x02  // length 2: shorter than the headers
        #expect(Codesys.probe(short.span, direction: .toServer) == .reject)
        #expect(throws: DissectError.self) {
            try Codesys.parse(short.span, direction: .toServer, time: .zero, state: &state)
        }
        var huge = CodesysFixtures.tcpRequest
        huge[7] = 0x7F  // length far past maxPDULength
        #expect(throws: DissectError.self) {
            try Codesys.parse(huge.span, direction: .toServer, time: .zero, state: &state)
        }
        var addresses = CodesysFixtures.tcpRequest
        addresses[13] = 0xFF  // 15 + 15 address words: past the PDU
        let (frame, _) = try Codesys.parse(addresses.span, direction: .toServer, time: .zero, state: &state)
        #expect(frame.anomalies == [.badAddressLength] && !frame.hasFunction)
        var datagramMagic = CodesysFixtures.udpOpenChannel
        datagramMagic[0] = 0xC6
        #expect(CodesysUDP.probe(datagramMagic.span, direction: .toServer) == .reject)
        #expect(throws: DissectError.self) {
            try CodesysUDP.parse(datagramMagic.span, direction: .toServer, time: .zero, state: &state)
        }
    }

    @Test(arguments: 0..<CodesysFixtures.tcpRequest.count)
    func truncatedPDUAsksForMore(length: Int) {
        var state = Codesys.makeState()
        let prefix = Array(CodesysFixtures.tcpRequest.prefix(length))
        #expect(throws: DissectError.self) {
            try Codesys.parse(prefix.span, direction: .toServer, time: .zero, state: &state)
        }
    }

    @Test func twoPDUsInOneSegmentAndResync() throws {
        let stream = CodesysFixtures.tcpRequest + CodesysFixtures.tcpResponse
        var state = Codesys.makeState()
        let (_, used) = try Codesys.parse(stream.span, direction: .toServer, time: .zero, state: &state)
        let rest = Array(stream[used...])
        let (second, consumed) = try Codesys.parse(rest.span, direction: .toServer, time: .zero, state: &state)
        #expect(used == 64 && consumed == 64 && second.isResponse)
        #expect(Codesys.resynchronize(([9, 9] + CodesysFixtures.tcpRequest).span, direction: .toServer) == 2)
    }

    @Test func randomInputsDoNotTrap() {
        var generator = SeededGenerator(seed: 0xC0DE5)
        var state = Codesys.makeState()
        var parsed = 0
        for round in 0..<3000 {
            let length = Int.random(in: 0..<96, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if round % 2 == 0, bytes.count >= 16 {
                bytes.replaceSubrange(0..<4, with: Codesys.blockDriverMagic)
                bytes[4] = UInt8(bytes.count)
                bytes[5] = 0
                bytes[6] = 0
                bytes[7] = 0
                bytes[8] = 0xC5
                bytes[9] = bytes[9] | 0x03
                if round % 4 == 0 { bytes[11] = 64 }
            } else if bytes.count >= 10 {
                bytes[0] = 0xC5
                bytes[1] = 0x03
                if round % 3 == 0 {
                    bytes[3] = 4
                    bytes[5] = 0
                    bytes[8] = 0x80
                    bytes[9] = 0xC2
                }
            }
            _ = Codesys.probe(bytes.span, direction: .toServer)
            _ = CodesysUDP.probe(bytes.span, direction: .toServer)
            _ = Codesys.resynchronize(bytes.span, direction: .toServer)
            if let (frame, _) = try? Codesys.parse(bytes.span, direction: .toServer, time: .zero, state: &state) {
                parsed += 1
                _ = Codesys.event(frame, bytes: bytes.span, context: CodesysFixtures.context, state: &state)
            }
            if let (frame, _) = try? CodesysUDP.parse(bytes.span, direction: .toServer, time: .zero, state: &state) {
                parsed += 1
                _ = CodesysUDP.event(frame, bytes: bytes.span, context: CodesysFixtures.context, state: &state)
                _ = CodesysUDP.facts(frame, bytes: bytes.span, context: CodesysFixtures.context, state: state)
            }
        }
        #expect(parsed > 100)
    }
}

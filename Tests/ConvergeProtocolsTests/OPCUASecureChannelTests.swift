import ConvergeModel
import Testing

@testable import ConvergeProtocols

/// OpenSecureChannel, security policy and mode tracking, encrypted bodies, sequence numbers.
@Suite struct OPCUASecureChannelTests {
    /// A None channel opened: request (mode None), response assigning channel 5.
    static func openedNoneChannel() -> OPCUA.State {
        var state = OPCUA.makeState()
        _ = OPCUAHarness.message(UAMessage.open(body: UAMessage.openRequestBody()), .toServer, state: &state)
        _ = OPCUAHarness.message(
            UAMessage.open(channel: 5, sequence: 1, body: UAMessage.openResponseBody(channel: 5)), .toClient,
            state: &state)
        return state
    }

    @Test func openNone() throws {
        var state = OPCUA.makeState()
        let request = try #require(OPCUAHarness.message(
            UAMessage.open(body: UAMessage.openRequestBody()), .toServer, state: &state, time: 1_000))
        #expect(request.chunk.hasFunction)
        #expect(request.chunk.functionCode == 446)
        #expect(request.chunk.policy == .none)
        #expect(request.chunk.requestedMode == .none)
        #expect(request.message.functionName == "open_secure_channel_request")
        #expect(request.message.operation == .session)
        #expect(request.message.targets.map(\.kind) == ["security_policy", "security_mode"])
        #expect(request.message.targets[0].value == "None")
        #expect(request.message.targets[1].value == "none")
        let response = try #require(OPCUAHarness.message(
            UAMessage.open(channel: 5, sequence: 1, body: UAMessage.openResponseBody(channel: 5)), .toClient,
            state: &state, time: 4_000))
        #expect(response.chunk.functionCode == 449)
        #expect(response.message.roundTripNanoseconds == 3_000)
        #expect(response.message.status == .ok)
        #expect(response.message.targets.last == Message.Target(kind: "secure_channel", address: 5, values: [1]))
        #expect(state.channel == OPCUA.Channel(id: 5, policy: .none, mode: .none))
    }

    @Test func encryptedChannelBodiesAreOpaque() throws {
        var state = OPCUA.makeState()
        // The encrypted part of an asymmetric OPN: random-looking bytes.
        let secret: [UInt8] = (0..<96).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let open = try #require(OPCUAHarness.message(
            UAMessage.open(policy: UAMessage.policyBasic256Sha256, certificate: [UInt8](repeating: 0x30, count: 40),
                body: secret), .toServer, state: &state))
        #expect(open.chunk.encrypted)
        #expect(!open.chunk.hasFunction)
        #expect(open.chunk.policy == .basic256Sha256)
        #expect(open.chunk.senderCertificateLength == 40)
        #expect(open.message.functionName == "open_secure_channel")
        #expect(open.message.targets.contains { $0.kind == "sender_certificate" && $0.count == 40 })
        #expect(open.message.targets.contains { $0.kind == "encrypted_body" && $0.count == 96 })
        // A MSG whose body does not start with a service id: the channel encrypts.
        let message = try #require(OPCUAHarness.message(
            UAMessage.symmetric(sequence: 2, requestID: 2, body: secret), .toServer, state: &state))
        #expect(message.chunk.encrypted)
        #expect(!message.chunk.hasFunction)
        #expect(message.message.functionName == "encrypted_message")
        #expect(message.message.operation == .other)
        #expect(state.channel.mode == .signAndEncrypt)
        // Later MSGs stay opaque even if they happen to look like a service id.
        let lookalike = UAMessage.symmetric(sequence: 3, requestID: 3, body: UAMessage.body(631) { _ in })
        #expect(OPCUAHarness.message(lookalike, .toServer, state: &state)?.chunk.encrypted == true)
    }

    @Test func signOnlyChannelIsReadable() throws {
        var state = OPCUA.makeState()
        _ = OPCUAHarness.message(
            UAMessage.open(policy: UAMessage.policyBasic256Sha256, certificate: [1, 2, 3], body: [9, 9, 9, 9]),
            .toServer, state: &state)
        #expect(state.channel.mode == .unknown)
        let read = UAMessage.body(631) { w in
            w.requestHeader(handle: 1); w.double(0); w.u32(0); w.i32(0)
        }
        let signed = try #require(OPCUAHarness.message(
            UAMessage.symmetric(sequence: 2, requestID: 2, body: read + [UInt8](repeating: 0x5a, count: 32)),
            .toServer, state: &state))
        #expect(signed.chunk.hasFunction)
        #expect(signed.chunk.functionCode == 631)
        #expect(state.channel.mode == .sign)
    }

    @Test func deprecatedPolicy() throws {
        var state = OPCUA.makeState()
        let open = try #require(OPCUAHarness.message(
            UAMessage.open(
                policy: "http://opcfoundation.org/UA/SecurityPolicy#Basic128Rsa15", certificate: [1], body: [0, 0]),
            .toServer, state: &state))
        #expect(open.chunk.policy == .basic128Rsa15)
        #expect(open.message.anomalies == ["opcua.deprecated_security_policy"])
        for (uri, policy) in [
            ("Basic256", OPCUA.SecurityPolicy.basic256), ("Aes128_Sha256_RsaOaep", .aes128Sha256RsaOaep),
            ("Aes256_Sha256_RsaPss", .aes256Sha256RsaPss), ("Basic256Sha2567", .other), ("", .other),
        ] {
            var fresh = OPCUA.makeState()
            let bytes = UAMessage.open(
                policy: "http://opcfoundation.org/UA/SecurityPolicy#" + uri, certificate: [1], body: [0])
            #expect(OPCUAHarness.message(bytes, .toServer, state: &fresh)?.chunk.policy == policy, "\(uri)")
        }
    }

    @Test func noneWithSignIsInvalid() throws {
        var state = OPCUA.makeState()
        let open = try #require(OPCUAHarness.message(
            UAMessage.open(body: UAMessage.openRequestBody(mode: 2)), .toServer, state: &state))
        #expect(open.message.anomalies == ["opcua.invalid_value"])
        #expect(state.channel.mode == .none)
    }

    @Test func channelMismatchAndSequenceGap() throws {
        var state = Self.openedNoneChannel()
        let body = UAMessage.body(631) { w in w.requestHeader(handle: 1); w.double(0); w.u32(0); w.i32(0) }
        let good = try #require(OPCUAHarness.message(
            UAMessage.symmetric(channel: 5, sequence: 2, requestID: 2, body: body), .toServer, state: &state))
        #expect(good.message.anomalies.isEmpty)
        let other = try #require(OPCUAHarness.message(
            UAMessage.symmetric(channel: 6, sequence: 3, requestID: 3, body: body), .toServer, state: &state))
        #expect(other.message.anomalies == ["opcua.secure_channel_mismatch"])
        let skipped = try #require(OPCUAHarness.message(
            UAMessage.symmetric(channel: 5, sequence: 9, requestID: 4, body: body), .toServer, state: &state))
        #expect(skipped.message.anomalies == ["opcua.sequence_gap"])
    }

    @Test func sequenceWrapIsNoGap() throws {
        var state = Self.openedNoneChannel()
        let body = UAMessage.body(631) { w in w.requestHeader(handle: 1); w.double(0); w.u32(0); w.i32(0) }
        _ = OPCUAHarness.message(
            UAMessage.symmetric(sequence: UInt32.max - 10, requestID: 2, body: body), .toServer, state: &state)
        let wrapped = try #require(OPCUAHarness.message(
            UAMessage.symmetric(sequence: 3, requestID: 3, body: body), .toServer, state: &state))
        #expect(!wrapped.message.anomalies.contains("opcua.sequence_gap"))
    }

    @Test func closeSecureChannel() throws {
        var state = Self.openedNoneChannel()
        let close = UAMessage.symmetric("CLO", sequence: 2, requestID: 2, body: UAMessage.body(452) { w in
            w.requestHeader(handle: 9)
        })
        let result = try #require(OPCUAHarness.message(close, .toServer, state: &state))
        #expect(result.chunk.functionCode == 452)
        #expect(result.message.functionName == "close_secure_channel_request")
        #expect(result.message.operation == .session)
    }

    @Test(arguments: 0..<120)
    func truncatedOpenNeverTraps(length: Int) {
        let bytes = UAMessage.open(body: UAMessage.openRequestBody())
        var state = OPCUA.makeState()
        let result = OPCUAHarness.parse(Array(bytes.prefix(length)), .toServer, state: &state)
        if length < bytes.count {
            guard case .failure(.needMore) = result else {
                Issue.record("prefix \(length): \(result)")
                return
            }
        }
    }
}

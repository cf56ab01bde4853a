import ConvergeModel
import Foundation
import Testing

@testable import ConvergeProtocols

/// S7comm-plus bodies read without crypto: item addresses and written values, the objects and
/// attributes a session touches, the names CreateObject carries. Fixtures are user PDUs copied
/// from the public captures (named per fixture).
@Suite struct S7CommPlusBodyTests {
    /// SetMultiVariables of DB3 (s7-1200-hmi frame 61): one item by address, symbol CRC,
    /// DB3 (access area 0x8a0e0003), LIDs 2550.14.0.256, value a USInt array of 256 (an S7
    /// string "MMM" with its max and actual length first).
    static let setMultiByAddress = S7Fixtures.hex(
        "7202014631000005420000000a000003be340000000001078efaa6a85c88d0b880030493760e0082000110028200fe034d4d4d"
            + String(repeating: "00", count: 254) + "04e88969001200000000896a001300896b000400000000000072020000")
    /// GetMultiVariables (S7-1511-opc-request-all-types frame 29): DB6, LIDs 2550.22, then an
    /// object qualifier and the V2 integrity part (id, digest length 32, digest).
    static let getMulti = S7Fixtures.hex(
        "7202005b310000054c00000004000003863400000000010588ede1bc6388d0b8800602937616000004e889690012"
            + "00000000896a001300896b000400000220bbcffb376cf13ae87b7cdd11e795175e64bb30dc1774957c14256788723b33"
            + "f672020000")
    /// SetVariable (V13_1200_TP1200sim… frame 43): object 0x1000006a, attribute 1053, Int 6.
    static let setVariable = S7Fixtures.hex(
        "7202003531000004f20000000500000398741000006a01881d00070006000004e88969001200000000896a001300896b0004"
            + "0000000000000072020000")
    /// CreateObject response of an S7-1511 (S7-1511-opc-request-all-types frame 11).
    static let createObjectResponse = S7Fixtures.hex(
        "720100c832000004ca0000000136000287068707a100000120821f0100a38169001500a3822b00048280808000a3822d00"
            + "15104f4d53502e52454c2e353034312e3233a3822f100214f29dc3815e899b1691651c02ffad7c23d6d2a549a38232001700"
            + "00013a823b00048240823c00048240823d000484818040823e000484818040823f00151a313b36455337203531312d31"
            + "414b30302d304142303b56312e30824000151a313b36455337203531312d31414b30302d304142303b56312e30824100"
            + "03000300a20000000072010000")

    static let bodies = [setMultiByAddress, getMulti, setVariable, createObjectResponse]

    static func event(_ payload: [UInt8], _ direction: Direction) throws -> Message {
        var state = S7CommPlus.makeState()
        let message = try #require(S7CommPlusTests.parse(S7CommPlusTests.dt(payload), direction, state: &state))
        return message.message
    }

    @Test func setMultiVariablesByAddressNamesTheDataBlock() throws {
        #expect(Self.setMultiByAddress.count == 334)
        let event = try Self.event(Self.setMultiByAddress, .toServer)
        #expect(event.functionName == "set_multi_variables" && event.operation == .write)
        #expect(event.targets.count == 2)
        let item = try #require(event.targets.last)
        #expect(item.kind == "db3" && item.address == 256)
        #expect(item.name == "crc=0xef49945c lid=2550.14.0.256")
        // The first 64 of 256 elements: max length 254, length 3, "MMM", then padding.
        #expect(item.values.count == S7CommPlus.maxArrayElements)
        #expect(Array(item.values.prefix(5)) == [254, 3, 0x4d, 0x4d, 0x4d])
    }

    @Test func getMultiVariablesAddressesAreReadTargets() throws {
        let event = try Self.event(Self.getMulti, .toServer)
        #expect(event.functionName == "get_multi_variables" && event.operation == .read)
        let session = try #require(event.targets.first)
        #expect(session.kind == "session_integrity_v2" && session.address == 0x386)
        #expect(session.value == "opcode=request version=v2 integrity_protected=true encrypted=false")
        #expect(event.targets.dropFirst().map(\.kind) == ["db6"])
        #expect(event.targets.last?.address == 22 && event.targets.last?.name?.hasSuffix("lid=2550.22") == true)
        #expect(event.targets.last?.values == [])
    }

    @Test func setVariableWritesAnObjectAttribute() throws {
        let event = try Self.event(Self.setVariable, .toServer)
        #expect(event.functionName == "set_variable" && event.operation == .write)
        #expect(event.targets.dropFirst().first == Message.Target(
            kind: "attribute", address: 1053, values: [6], name: "object=0x1000006a"))
    }

    @Test func createObjectNamesThePeer() throws {
        let event = try Self.event(Self.createObjectResponse, .toClient)
        let strings = event.targets.filter { $0.kind == "attribute" }.map { "\($0.address)=\($0.value ?? "")" }
        #expect(strings == [
            "301=OMSP.REL.5041.23", "319=1;6ES7 511-1AK00-0AB0;V1.0", "320=1;6ES7 511-1AK00-0AB0;V1.0",
        ])
    }

    /// Every truncation of a body decodes without trapping and yields no more than the whole.
    @Test(arguments: 0..<4) func truncatedBodiesNeverTrap(fixture: Int) throws {
        let payload = Self.bodies[fixture]
        let whole = try Self.event(payload, fixture == 3 ? .toClient : .toServer).targets.count
        for length in 4..<payload.count {
            var state = S7CommPlus.makeState()
            let bytes = S7CommPlusTests.dt(Array(payload.prefix(length)))
            guard let parsed = S7CommPlusTests.parse(bytes, .toServer, state: &state) else { continue }
            #expect(parsed.message.targets.count <= max(whole, 1) + 1)
        }
    }

    /// The values of every datatype the decoder reads, and the ones it cannot place.
    @Test func valueDatatypes() {
        func decode(_ bytes: [UInt8]) -> S7CommPlus.Value? {
            var offset = 0
            return S7CommPlus.value(bytes.span, at: &offset)
        }
        #expect(decode([0x00, 0x01, 0x01])?.values == [1])
        #expect(decode([0x00, 0x07, 0xff, 0xfe])?.values == [-2])
        #expect(decode([0x00, 0x04, 0x82, 0x40])?.values == [320])
        #expect(decode([0x00, 0x08, 0x7f])?.values == [-1])  // sign bit 0x40 set
        #expect(decode([0x00, 0x0e, 0x3f, 0xc0, 0x00, 0x00])?.text == "1.5")
        #expect(decode([0x00, 0x15, 0x03, 0x61, 0x62, 0x63])?.text == "abc")
        #expect(decode([0x10, 0x03, 0x02, 0x00, 0x01, 0x00, 0x02])?.values == [1, 2])
        #expect(decode([0x00, 0x17, 0x00, 0x00, 0x01, 0x3a])?.complete == false)
        #expect(decode([0x00, 0x99])?.complete == false)
        #expect(decode([0x00, 0x03, 0x01]) != nil && decode([0x00, 0x03, 0x01])?.complete == false)
        #expect(decode([0x00]) == nil)
    }
}

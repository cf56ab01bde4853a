import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// Userdata decoders against hostile bytes: real PDUs of each decoded kind (copied from the
/// captures of ../shared/captures/public/iti/s7, see Tests/Fixtures/s7comm/LICENSE.md), cut at
/// every length and mutated at random, must parse or be refused and build events without
/// trapping.
@Suite struct S7CommUserdataFuzzTests {
    static let pdus: [[UInt8]] = [
        // get block info response of OB1 (tia_s300_goOnline)
        "0300006f02f080320700004400000c0052000112081283030000000000ff09004e0100004a22007070010103080001000001"
            + "4400000000050838742d9703a1638321a7001c0012001a00ce0000000000000000000000000000000000000000000000"
            + "00010000c00000000000000000",
        // modify variable request, three items (step7_s300_rwVarTab)
        "0300006102f080320700006803000c0044000112081241080000000000ff0900400014002800000001000100060001000100"
            + "010001000102000003030100000000020100000004100100000008000900044133851f00090002dead000900010100",
        // NOTIFY indication push (wincc_s400_production)
        "0300006702f0803207000000000008004e0001120411040600ff09004a94010600474269754001120a160300000001010001"
            + "01ff0401000000000000000000000000000000000000000000000000000000000000000000ff04002000000000"
            + "ff04002000000000",
        // change driven transfer request, DBREAD areas (wincc_s400_production)
        "0300009802f080320700000c000008007f0001120411420500ff09007b000101021275b01701004401660a0044018a1a004800"
            + "3211004a025205004a028a0c004a02d801004a030205004c024415004c026c05004c02a404004c02f601004c031a1a004e"
            + "0032050051017216005101ba200058012c040058014c20005f012c04005f014c200066012c040066014c20006d012c0400"
            + "6d014c",
        // diagnostic message push (step7_s300_stop)
        "0300003102f080320700000000000800180001120411040300ff0900144304ff8400000000000000009401092153421521",
        // read clock response (s7comm_reading_setting_plc_time)
        "0300002b02f080320700000700000c000e000112081287010100000000ff09000a00191408201159439124",
        // list blocks response (s7comm_program_blocklist_onlineview)
        "0300003d02f080320700000400000c0020000112081283010000000000ff09001c303800013045000030430000304100013042"
            + "000c304400473046000e",
        // variable table push (step7_s300_readVarTab)
        "0300003b02f080320700000000000c001e000112081201020200000000ff09001a00040012010000020002ff0900064133851f"
            + "deadff0900010200",
    ].map(S7Fixtures.hex)

    static func run(_ bytes: [UInt8], _ direction: Direction) -> Message? {
        var state = S7Comm.makeState()
        return S7Fixtures.s7(bytes, direction, state: &state)?.message
    }

    @Test func everyFixtureDecodesSomething() {
        for (index, pdu) in Self.pdus.enumerated() {
            let message = Self.run(pdu, .toClient)
            #expect(message?.targets.isEmpty == false, "fixture \(index)")
            #expect(message?.anomalies.contains("s7comm.length_mismatch") == false, "fixture \(index)")
        }
    }

    @Test(arguments: 0..<8) func everyTruncationIsSafe(fixture: Int) {
        let pdu = Self.pdus[fixture]
        for length in 0..<pdu.count {
            var cut = Array(pdu.prefix(length))
            // Keep the TPKT length honest so the S7 layer, not the framing, sees the short PDU.
            if cut.count >= 4 {
                cut[2] = UInt8(cut.count >> 8)
                cut[3] = UInt8(cut.count & 0xff)
            }
            _ = Self.run(cut, .toClient)
            _ = Self.run(cut, .toServer)
        }
    }

    @Test func randomMutationsNeverTrap() {
        var generator = SeededGenerator(seed: 0x5707)
        for round in 0..<4000 {
            var pdu = Self.pdus[round % Self.pdus.count]
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                // Mutate the S7 part only (after TPKT/COTP), where the decoders read.
                let at = Int.random(in: 7..<pdu.count, using: &generator)
                pdu[at] = UInt8.random(in: 0...255, using: &generator)
            }
            _ = Self.run(pdu, round % 2 == 0 ? .toClient : .toServer)
        }
    }
}

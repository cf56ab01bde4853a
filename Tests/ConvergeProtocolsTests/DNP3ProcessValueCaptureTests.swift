import ConvergeModel
import Testing

@testable import ConvergeProtocols

/// Process values from real captures, checked against what tshark 4.0 shows for the same points
/// (`dnp3.al.ana.int`, `dnp3.al.bit`, `dnp3.al.anaout.int`, the relative timestamps of g2v3).
@Suite(.enabled(if: DNP3CaptureHarness.sharedAvailable, "../shared/captures is missing: DNP3 value captures skipped"))
struct DNP3ProcessValueCaptureTests {
    static func values(_ result: DNP3CaptureHarness.Result, _ tag: String) -> [ProcessValue] {
        result.stateValues.filter { $0.tag == tag }
    }

    /// generated/dnp3.pcap frame 15, the first integrity poll's answer: binary events 0…7 and
    /// analog events 0…5 (tshark: `dnp3.al.ana.int` 13,409,9,2,60,61).
    @Test func generatedIntegrityPollMatchesTshark() throws {
        let result = DNP3CaptureTests.run("generated/dnp3.pcap")
        #expect(result.values == result.stateValues)
        #expect(result.stateValues.count == 238)
        let prefix = "dnp3://10.10.1.21/10/"
        let first = try #require(result.stateValues.first)
        let poll = result.stateValues.filter { $0.time == first.time }
        let events = poll.prefix(14)
        #expect(events.prefix(8).map(\.tag) == (0...7).map { prefix + "binary_input/\($0)" })
        #expect(events.prefix(8).map(\.value) == [1, 0, 0, 1, 0, 0, 1, 0])
        #expect(events.prefix(8).map(\.quality) == [0x81, 0x01, 0x01, 0x81, 0x01, 0x01, 0x81, 0x01])
        #expect(events.suffix(6).map(\.tag) == (0...5).map { prefix + "analog_input/\($0)" })
        #expect(events.suffix(6).map(\.value) == [13, 409, 9, 2, 60, 61])
        #expect(poll.contains { $0.tag == prefix + "analog_output/3" && $0.value == 0 && $0.quality == 0x02 })
    }

    /// iti/bro/dnp3/dnp3.pcap frame 40: an unsolicited response with a CTO and binary events at
    /// relative times (tshark: 10:16:34.018 and, 1.011 s later, 10:16:35.029 UTC on 2004-10-11).
    @Test func relativeTimesFollowTheCommonTimeOfOccurrence() throws {
        let result = DNP3CaptureTests.run("public/iti/bro/dnp3/dnp3.pcap")
        #expect(result.values == result.stateValues)
        let prefix = "dnp3://10.0.0.3/4/"
        let first = try #require(Self.values(result, prefix + "binary_input/1").first)
        #expect(first.value == 1)
        #expect(first.time == Timestamp(nanoseconds: 1_097_489_794_018_000_000))
        let later = try #require(Self.values(result, prefix + "binary_input/0").dropFirst().first)
        #expect(later.value == 1)
        #expect(later.time == Timestamp(nanoseconds: 1_097_489_795_029_000_000))
        // The analog events of the same message carry no time: they take the packet's.
        #expect(Self.values(result, prefix + "analog_input/2").contains { $0.value == 198 })
    }

    /// iti/dnp3: a direct operate of an analog output block (g41v2 index 1, value 0) and of a
    /// CROB (g12v1 index 0, latch on).
    @Test func directOperatesCarryTheCommandedValue() throws {
        let analog = DNP3CaptureTests.run("public/iti/dnp3/direct_operate_analog_output.pcap")
        #expect(analog.values == [ProcessValue(
            time: Timestamp(nanoseconds: 1_429_539_822_935_437_000), tag: "dnp3://192.168.10.4/4/analog_output/1",
            value: 0, written: true)])
        let crob = DNP3CaptureTests.run("public/iti/dnp3/directoperate_and_response.pcap")
        #expect(crob.values.map(\.tag) == ["dnp3://192.168.60.130/10/binary_output/0"])
        #expect(crob.values.map(\.value) == [1])
        #expect(crob.values.allSatisfy { $0.written })
    }

    /// iti/bro/dnp3/dnp3_link_only.pcap: 276 float analog inputs in a fragment of several
    /// segments (tshark: point 6 = 1.48574, point 7 = 59.9996). The flow's state gives them
    /// exactly; the `Dissector` requirement, without the state, gives the event's rounding.
    @Test func multiSegmentFloatsAreExactFromTheState() throws {
        let result = DNP3CaptureTests.run("public/iti/bro/dnp3/dnp3_link_only.pcap")
        let tags = Set(result.stateValues.map(\.tag))
        let outstation = try #require(tags.first { $0.hasSuffix("/analog_input/7") })
        let base = String(outstation.dropLast("analog_input/7".count))
        let seven = try #require(Self.values(result, base + "analog_input/7").first)
        #expect(abs(seven.value - 59.9996) < 0.0001)
        #expect(seven.quality == 0x01)
        let six = try #require(Self.values(result, base + "analog_input/6").first)
        #expect(abs(six.value - 1.48574) < 0.00001)
        #expect(result.values.count == result.stateValues.count)
        #expect(result.values.first { $0.tag == base + "analog_input/7" }?.value == 60)
    }
}

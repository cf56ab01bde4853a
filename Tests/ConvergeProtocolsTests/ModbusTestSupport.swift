import ConvergeModel
import ConvergeProtocols

/// Shared helpers for the Modbus tests: run the dissector over byte arrays.
enum ModbusHarness {
    static let client = Endpoint(address: IPAddress(v4: 0x0a00_0001), port: 50_000)
    static let server = Endpoint(address: IPAddress(v4: 0x0a00_0002), port: 502)

    static func context(_ direction: Direction, time: Int64 = 0) -> MessageContext {
        MessageContext(
            time: Timestamp(nanoseconds: time), flowID: 7, client: client, server: server, direction: direction)
    }

    /// One `parse` call over `bytes`.
    static func parse(
        _ bytes: [UInt8], _ direction: Direction, state: inout ModbusTCP.State, time: Int64 = 0
    ) -> Result<(message: ModbusTCP.Frame, consumed: Int), DissectError> {
        do throws(DissectError) {
            let stamp = Timestamp(nanoseconds: time)
            return .success(try ModbusTCP.parse(bytes.span, direction: direction, time: stamp, state: &state))
        } catch {
            return .failure(error)
        }
    }

    /// Parses one complete ADU and builds its event; nil if it did not parse.
    static func message(
        _ bytes: [UInt8], _ direction: Direction, state: inout ModbusTCP.State, time: Int64 = 0
    ) -> (frame: ModbusTCP.Frame, message: Message)? {
        guard case .success(let parsed) = parse(bytes, direction, state: &state, time: time) else { return nil }
        let event = ModbusTCP.event(
            parsed.message, bytes: bytes.span, context: context(direction, time: time), state: &state)
        return (parsed.message, event)
    }

    /// A request then its response on a fresh flow, with their events.
    static func exchange(
        _ request: [UInt8], _ response: [UInt8], requestTime: Int64 = 1_000, responseTime: Int64 = 3_000
    ) -> (request: Message?, response: Message?, frame: ModbusTCP.Frame?) {
        var state = ModbusTCP.makeState()
        let sent = message(request, .toServer, state: &state, time: requestTime)
        let answer = message(response, .toClient, state: &state, time: responseTime)
        return (sent?.message, answer?.message, answer?.frame)
    }
}


import ConvergeModel

/// A rule's `flow` condition as every flow record meets it: its fields behind one reference,
/// read in place (binding the condition struct would retain each of its arrays, per rule, per
/// flow), the transports as a bit mask and the cheap checks before the patterns.
final class FlowCheck {
    let transports: UInt64
    let unidentified: Bool?
    let applications: [Glob]
    let tcpStates: [Glob]
    let endReasons: [Glob]
    let minPackets: UInt64?
    let maxPacketsToClient: UInt64?
    let minBytes: UInt64?

    init(_ c: RuleMatch.FlowCondition) {
        transports = c.transports.reduce(0) { $0 | Self.bit($1) }
        unidentified = c.unidentified
        applications = c.applications
        tcpStates = c.tcpStates
        endReasons = c.endReasons
        minPackets = c.minPackets
        maxPacketsToClient = c.maxPacketsToClient
        minBytes = c.minBytes
    }

    /// Transport numbers fold into 64 bits; distinct transports of the model never share one.
    private static func bit(_ t: Transport) -> UInt64 { 1 << (UInt64(t.rawValue) & 63) }

    func matches(_ r: FlowRecord) -> Bool {
        if transports != 0 && transports & Self.bit(r.transport) == 0 { return false }
        if let u = unidentified, (r.application == nil) != u { return false }
        if let n = minPackets, r.packetsToServer &+ r.packetsToClient < n { return false }
        if let n = maxPacketsToClient, r.packetsToClient > n { return false }
        if let n = minBytes, r.bytesToServer &+ r.bytesToClient < n { return false }
        if !tcpStates.isEmpty {
            guard let state = r.tcpState, tcpStates.anyMatches(state) else { return false }
        }
        if !applications.isEmpty {
            guard let app = r.application, applications.anyMatches(app) else { return false }
        }
        if !endReasons.isEmpty && !endReasons.anyMatches(r.endReason) { return false }
        return true
    }
}

import ConvergeModel

extension DHCP {
    /// The snake_case name of a DHCP message type (RFC 2132, 4388, 6926, 7724).
    public static func messageTypeName(_ type: UInt8) -> String {
        switch type {
        case 1: "discover"
        case 2: "offer"
        case 3: "request"
        case 4: "decline"
        case 5: "ack"
        case 6: "nak"
        case 7: "release"
        case 8: "inform"
        case 9: "force_renew"
        case 10: "lease_query"
        case 11: "lease_unassigned"
        case 12: "lease_unknown"
        case 13: "lease_active"
        case 14: "bulk_lease_query"
        case 15: "lease_query_done"
        case 16: "active_lease_query"
        case 17: "lease_query_status"
        case 18: "tls"
        default: "message_type_\(type)"
        }
    }

    /// Address configuration is session set-up; asking what the network offers is discovery;
    /// FORCERENEW makes a client act; lease queries read the server's bindings.
    public static func messageTypeOperation(_ type: UInt8) -> Operation {
        switch type {
        case 1, 2, 8: .discovery
        case 3, 4, 5, 6, 7: .session
        case 9: .control
        case 10...17: .read
        default: .other
        }
    }
}

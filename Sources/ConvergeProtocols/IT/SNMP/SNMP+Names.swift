import ConvergeModel

extension SNMP {
    /// snake_case names of the PDU choices (`snmp.data`).
    public static func pduName(_ type: Int) -> String {
        switch type {
        case 0: "get_request"
        case 1: "get_next_request"
        case 2: "response"
        case 3: "set_request"
        case 4: "trap"
        case 5: "get_bulk_request"
        case 6: "inform_request"
        case 7: "snmpv2_trap"
        case 8: "report"
        default: "unknown"
        }
    }

    /// Reads are reads, a set is a write, notifications are `other`, a report (engine discovery,
    /// USM errors) is `session`; an answer takes its request's operation.
    public static func operation(_ type: Int, requestType: Int = -1) -> Operation {
        switch type {
        case 0, 1, 5: .read
        case 3: .write
        case 2: requestType == 3 ? .write : .read
        case 8: .session
        case 4, 6, 7: .other
        default: .other
        }
    }

    /// RFC 3416 error-status names.
    public static func errorName(_ status: Int64) -> String {
        switch status {
        case 0: "no_error"
        case 1: "too_big"
        case 2: "no_such_name"
        case 3: "bad_value"
        case 4: "read_only"
        case 5: "gen_err"
        case 6: "no_access"
        case 7: "wrong_type"
        case 8: "wrong_length"
        case 9: "wrong_encoding"
        case 10: "wrong_value"
        case 11: "no_creation"
        case 12: "inconsistent_value"
        case 13: "resource_unavailable"
        case 14: "commit_failed"
        case 15: "undo_failed"
        case 16: "authorization_error"
        case 17: "not_writable"
        case 18: "inconsistent_name"
        default: "unknown"
        }
    }

    /// v3 security level names (msgFlags bits auth and priv).
    public static func securityLevelName(_ level: Int) -> String {
        switch level {
        case 0: "noAuthNoPriv"
        case 1: "authNoPriv"
        case 3: "authPriv"
        default: "invalid"
        }
    }

    /// A few IANA Private Enterprise Numbers seen on plant networks, for vendor facts; others are
    /// reported by number.
    public static func enterpriseName(_ number: UInt64) -> String {
        switch number {
        case 2: "IBM"
        case 4: "Unix"
        case 9: "Cisco"
        case 11: "Hewlett-Packard"
        case 43: "3Com"
        case 311: "Microsoft"
        case 674: "Dell"
        case 1916: "Extreme Networks"
        case 2011: "Huawei"
        case 2636: "Juniper Networks"
        case 3375: "F5 Networks"
        case 4329: "Siemens"
        case 4526: "Netgear"
        case 6527: "Nokia (Alcatel-Lucent)"
        case 6876: "VMware"
        case 8072: "Net-SNMP"
        case 8691: "Moxa"
        case 12356: "Fortinet"
        case 14988: "MikroTik"
        case 25461: "Palo Alto Networks"
        case 30065: "Arista Networks"
        default: "enterprise \(number)"
        }
    }
}

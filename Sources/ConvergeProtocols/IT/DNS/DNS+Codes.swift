import ConvergeModel

extension DNS {
    /// Header opcodes (IANA "DNS OpCodes").
    public enum Opcode {
        public static let query: UInt8 = 0
        public static let inverseQuery: UInt8 = 1
        public static let status: UInt8 = 2
        public static let notify: UInt8 = 4
        public static let update: UInt8 = 5
        public static let dso: UInt8 = 6
    }

    /// Record types this dissector reads or names (IANA "Resource Record (RR) TYPEs").
    public enum RecordType {
        public static let a: UInt16 = 1
        public static let ns: UInt16 = 2
        public static let cname: UInt16 = 5
        public static let soa: UInt16 = 6
        public static let ptr: UInt16 = 12
        public static let hinfo: UInt16 = 13
        public static let mx: UInt16 = 15
        public static let txt: UInt16 = 16
        public static let aaaa: UInt16 = 28
        public static let srv: UInt16 = 33
        public static let opt: UInt16 = 41
        public static let nsec: UInt16 = 47
        public static let any: UInt16 = 255
    }

    /// The snake_case name of an opcode, `opcode_N` when unassigned.
    public static func opcodeName(_ opcode: UInt8) -> String {
        switch opcode {
        case Opcode.query: "query"
        case Opcode.inverseQuery: "inverse_query"
        case Opcode.status: "status"
        case Opcode.notify: "notify"
        case Opcode.update: "update"
        case Opcode.dso: "dso"
        default: "opcode_\(opcode)"
        }
    }

    /// What an opcode does to the server: a lookup reads, an UPDATE writes the zone.
    public static func opcodeOperation(_ opcode: UInt8) -> Operation {
        switch opcode {
        case Opcode.query: .read
        case Opcode.inverseQuery: .read
        case Opcode.status: .diagnostic
        case Opcode.notify: .other
        case Opcode.update: .write
        case Opcode.dso: .session
        default: .other
        }
    }

    /// The snake_case name of a response code (RFC 1035, 2136, 8490), `rcode_N` otherwise.
    public static func rcodeName(_ rcode: UInt8) -> String {
        switch rcode {
        case 0: "no_error"
        case 1: "format_error"
        case 2: "server_failure"
        case 3: "nxdomain"
        case 4: "not_implemented"
        case 5: "refused"
        case 6: "yxdomain"
        case 7: "yxrrset"
        case 8: "nxrrset"
        case 9: "not_authoritative"
        case 10: "not_zone"
        case 11: "dso_type_not_implemented"
        default: "rcode_\(rcode)"
        }
    }

    /// The lower-case mnemonic of a record type, `type<N>` otherwise (RFC 3597 style).
    public static func typeName(_ type: UInt16) -> String {
        switch type {
        case RecordType.a: "a"
        case RecordType.ns: "ns"
        case RecordType.cname: "cname"
        case RecordType.soa: "soa"
        case RecordType.ptr: "ptr"
        case RecordType.hinfo: "hinfo"
        case RecordType.mx: "mx"
        case RecordType.txt: "txt"
        case RecordType.aaaa: "aaaa"
        case RecordType.srv: "srv"
        case RecordType.opt: "opt"
        case RecordType.nsec: "nsec"
        case 43: "ds"
        case 46: "rrsig"
        case 48: "dnskey"
        case 64: "svcb"
        case 65: "https"
        case 99: "spf"
        case 251: "ixfr"
        case 252: "axfr"
        case RecordType.any: "any"
        case 257: "caa"
        default: "type\(type)"
        }
    }
}

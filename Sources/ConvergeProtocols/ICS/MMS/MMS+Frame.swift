import ConvergeModel

extension MMS {
    /// What a user PDU turned out to be.
    public enum Kind: UInt8, Sendable {
        /// An MMS PDU (inside session/presentation, or bare in COTP data).
        case mms
        /// An ACSE APDU without an MMS PDU inside (release, abort, an association without MMS).
        case acse
        /// A session SPDU with no presentation data (finish, disconnect, refuse, abort …).
        case session
        /// Fragments or connection TPDUs dropped by the ISO-on-TCP bounds.
        case overflow
        /// Bytes after COTP that are neither a session SPDU nor an MMS PDU.
        case foreign
    }

    /// MMS PDU choice tags (ISO 9506-2, MMSpdu).
    public enum PDUType {
        public static let confirmedRequest: UInt8 = 0
        public static let confirmedResponse: UInt8 = 1
        public static let confirmedError: UInt8 = 2
        public static let unconfirmed: UInt8 = 3
        public static let reject: UInt8 = 4
        public static let cancelRequest: UInt8 = 5
        public static let cancelResponse: UInt8 = 6
        public static let cancelError: UInt8 = 7
        public static let initiateRequest: UInt8 = 8
        public static let initiateResponse: UInt8 = 9
        public static let initiateError: UInt8 = 10
        public static let concludeRequest: UInt8 = 11
        public static let concludeResponse: UInt8 = 12
        public static let concludeError: UInt8 = 13
        public static let none: UInt8 = 0xff
    }

    /// ACSE APDU tags ([APPLICATION n]).
    public enum ACSETag {
        public static let aarq: UInt8 = 0
        public static let aare: UInt8 = 1
        public static let rlrq: UInt8 = 2
        public static let rlre: UInt8 = 3
        public static let abrt: UInt8 = 4
        public static let none: UInt8 = 0xff
    }

    /// Function code spaces: a confirmed service is its own tag (0…77, as tshark's
    /// `mms.confirmedServiceRequest`/`Response`); other PDUs are offset so no two overlap.
    public enum FunctionBase {
        /// 100 + MMS PDU tag for PDUs that carry no service (error, reject, cancel, initiate, conclude).
        public static let pdu = 100
        /// 200 + unconfirmed service (informationReport 200).
        public static let unconfirmed = 200
        /// 300 + ACSE tag, for ACSE APDUs without an MMS PDU (RLRQ 302, RLRE 303, ABRT 304).
        public static let acse = 300
    }

    /// The MMS initiate request or response parameters.
    public struct Initiate: Sendable, Equatable {
        /// localDetailCalling/Called: the proposed or negotiated maximum PDU size.
        public var maxPDUSize: UInt32 = 0
        public var maxOutstandingCalling: UInt32 = 0
        public var maxOutstandingCalled: UInt32 = 0
        public var nestingLevel: UInt32 = 0
        public var version: UInt32 = 0
        /// The services-supported bit string, bit n (service n) at `1 << (127 - n)`.
        public var servicesSupported: UInt128 = 0
        /// Bits in the services-supported string (85 in MMS 2003).
        public var servicesBits = 0
        /// The parameter-support (CBB) bit string, first byte in the top bits.
        public var parameterCBB: UInt32 = 0
        public var hasDetail = false

        public func supports(_ service: Int) -> Bool {
            guard service >= 0, service < min(servicesBits, 128) else { return false }
            return servicesSupported & (UInt128(1) << (127 &- service)) != 0
        }
    }

    /// What ACSE said on an association (AARQ/AARE), as elements of the PDU.
    public struct Association: Sendable, Equatable {
        /// AP titles: AARQ called [2] and calling [6], AARE responding [4]; the OID element.
        public var calledAPTitle: BERElement? = nil
        public var callingAPTitle: BERElement? = nil
        public var respondingAPTitle: BERElement? = nil
        public var calledAEQualifier: Int64? = nil
        public var callingAEQualifier: Int64? = nil
        public var respondingAEQualifier: Int64? = nil
        /// AARE result: 0 accepted, 1 rejected permanent, 2 rejected transient.
        public var result: Int64? = nil
        /// The application context name OID element.
        public var contextName: BERElement? = nil
        /// AARQ authentication value [12] (a password when it is a GraphicString [0]).
        public var authentication: BERElement? = nil
    }

    /// One parsed user PDU.
    public struct Frame: ParsedMessage, Sendable {
        public var pdu = ISOOnTCP.UserPDU()
        /// The direction it travelled (ICCP peers both send requests: pairing needs it).
        public var direction: Direction = .toServer
        public var kind: Kind = .foreign
        /// The session SPDU (0 when the MMS PDU came bare in COTP data).
        public var spdu: UInt8 = 0
        /// The presentation context of the data value, and the ids a CP proposed (-1: none).
        public var contextID: Int32 = -1
        public var mmsContextID: Int32 = -1
        public var acseContextID: Int32 = -1
        public var acseTag: UInt8 = ACSETag.none
        public var association = Association()
        public var pduType: UInt8 = PDUType.none
        /// The MMS PDU element within the PDU bytes.
        public var mmsElement: BERElement? = nil
        public var invokeID: UInt32 = 0
        public var hasInvokeID = false
        /// The confirmed or unconfirmed service tag and its element.
        public var service: UInt32 = 0
        public var hasService = false
        public var serviceElement: BERElement? = nil
        public var initiate = Initiate()
        /// ServiceError class ([0] vmd-state … [12] others) and code, or a reject reason.
        public var errorClass: UInt32 = 0
        public var errorCode: Int64 = 0
        public var hasError = false
        /// For a response or error: its request.
        public var request: Pending? = nil
        public var roundTripNanoseconds: Int64? = nil
        public var anomalies: Anomalies = []
        /// Decoded without the evidence Wireshark asks for: presentation data on a flow whose CP
        /// (and so its context ids) was not seen (an association joined mid-stream), or a bare
        /// PDU with empty contents (`8b 00`). Wireshark leaves these undecoded; they are decoded
        /// and counted here, and the flag tells them apart for the golden comparison.
        public var inferred = false

        public init() {}

        public var functionCode: Int {
            switch kind {
            case .mms:
                if pduType == PDUType.unconfirmed { return FunctionBase.unconfirmed &+ Int(service) }
                if hasService { return Int(service) }
                return FunctionBase.pdu &+ Int(pduType)
            case .acse: return FunctionBase.acse &+ Int(acseTag)
            default: return 0
            }
        }

        /// Confirmed requests and responses count only with a service (as tshark counts them).
        public var hasFunction: Bool {
            switch kind {
            case .mms:
                if pduType == PDUType.confirmedRequest || pduType == PDUType.confirmedResponse
                    || pduType == PDUType.unconfirmed
                {
                    return hasService
                }
                return pduType <= PDUType.concludeError
            case .acse: return acseTag <= ACSETag.abrt
            default: return false
            }
        }

        public var isRequest: Bool {
            switch pduType {
            case PDUType.confirmedRequest, PDUType.cancelRequest, PDUType.initiateRequest, PDUType.concludeRequest:
                true
            default: false
            }
        }
    }

    /// A confirmed request waiting for its response.
    public struct Pending: Sendable, PendingRequest, Equatable {
        public var invokeID: UInt32
        public var service: UInt32
        public var time: Timestamp
        /// Each peer numbers its own requests: a response pairs with a request sent its opposite way.
        public var requestToClient = false
        public var pendingKey: PendingKey { PendingKey(invokeID: invokeID, requestToClient: requestToClient) }
    }

    public struct PendingKey: Sendable, Equatable {
        public var invokeID: UInt32
        public var requestToClient: Bool
    }
}

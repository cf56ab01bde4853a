import ConvergeModel

extension LDAP {
    /// protocolOp choices (RFC 4511 §4.2–4.14): the application tag number, which is also the
    /// value Wireshark gives `ldap.protocolOp`.
    public enum Op {
        public static let bindRequest: UInt8 = 0
        public static let bindResponse: UInt8 = 1
        public static let unbindRequest: UInt8 = 2
        public static let searchRequest: UInt8 = 3
        public static let searchResultEntry: UInt8 = 4
        public static let searchResultDone: UInt8 = 5
        public static let modifyRequest: UInt8 = 6
        public static let modifyResponse: UInt8 = 7
        public static let addRequest: UInt8 = 8
        public static let addResponse: UInt8 = 9
        public static let deleteRequest: UInt8 = 10
        public static let deleteResponse: UInt8 = 11
        public static let modifyDNRequest: UInt8 = 12
        public static let modifyDNResponse: UInt8 = 13
        public static let compareRequest: UInt8 = 14
        public static let compareResponse: UInt8 = 15
        public static let abandonRequest: UInt8 = 16
        public static let searchResultReference: UInt8 = 19
        public static let extendedRequest: UInt8 = 23
        public static let extendedResponse: UInt8 = 24
        public static let intermediateResponse: UInt8 = 25

        public static func isKnown(_ op: UInt32) -> Bool {
            op <= 16 || op == 19 || op == 23 || op == 24 || op == 25
        }

        /// Requests the server answers (abandon and unbind get no answer).
        public static func expectsResponse(_ op: UInt8) -> Bool {
            switch op {
            case bindRequest, searchRequest, modifyRequest, addRequest, deleteRequest, modifyDNRequest,
                compareRequest, extendedRequest:
                true
            default: false
            }
        }

        /// Answers that end their request's exchange (entries, references and intermediate
        /// responses come before it).
        public static func isFinalResponse(_ op: UInt8) -> Bool {
            switch op {
            case bindResponse, searchResultDone, modifyResponse, addResponse, deleteResponse, modifyDNResponse,
                compareResponse, extendedResponse:
                true
            default: false
            }
        }

        public static func isResponse(_ op: UInt8) -> Bool {
            isFinalResponse(op) || op == searchResultEntry || op == searchResultReference
                || op == intermediateResponse
        }

        /// Answers whose body is an LDAPResult.
        static func carriesResult(_ op: UInt8) -> Bool { isFinalResponse(op) }

        /// The request an answer belongs to.
        static func request(for response: UInt8) -> UInt8? {
            switch response {
            case searchResultEntry, searchResultReference, searchResultDone: searchRequest
            case intermediateResponse: nil
            case extendedResponse: extendedRequest
            default: isFinalResponse(response) ? response &- 1 : nil
            }
        }

        public static func name(_ op: UInt8) -> String {
            switch op {
            case bindRequest: "bind_request"
            case bindResponse: "bind_response"
            case unbindRequest: "unbind_request"
            case searchRequest: "search_request"
            case searchResultEntry: "search_result_entry"
            case searchResultDone: "search_result_done"
            case modifyRequest: "modify_request"
            case modifyResponse: "modify_response"
            case addRequest: "add_request"
            case addResponse: "add_response"
            case deleteRequest: "delete_request"
            case deleteResponse: "delete_response"
            case modifyDNRequest: "modify_dn_request"
            case modifyDNResponse: "modify_dn_response"
            case compareRequest: "compare_request"
            case compareResponse: "compare_response"
            case abandonRequest: "abandon_request"
            case searchResultReference: "search_result_reference"
            case extendedRequest: "extended_request"
            case extendedResponse: "extended_response"
            case intermediateResponse: "intermediate_response"
            default: "unknown_\(op)"
            }
        }

        /// Binds authenticate; searches and compares read; add, modify, delete and rename write;
        /// StartTLS, abandon and unbind manage the session; other extended operations are other.
        public static func operation(_ op: UInt8, startTLS: Bool) -> Operation {
            switch op {
            case bindRequest, bindResponse: .auth
            case searchRequest, searchResultEntry, searchResultDone, searchResultReference, compareRequest,
                compareResponse:
                .read
            case modifyRequest, modifyResponse, addRequest, addResponse, deleteRequest, deleteResponse,
                modifyDNRequest, modifyDNResponse:
                .write
            case unbindRequest, abandonRequest: .session
            case extendedRequest, extendedResponse: startTLS ? .session : .other
            default: .other
            }
        }
    }

    /// LDAPResult result codes (RFC 4511 §4.1.9, Appendix A).
    public enum ResultCode {
        public static let success: Int64 = 0
        public static let compareFalse: Int64 = 5
        public static let compareTrue: Int64 = 6
        public static let saslBindInProgress: Int64 = 14
        public static let invalidCredentials: Int64 = 49

        /// Codes that report an outcome rather than a failure.
        public static func isSuccess(_ code: Int64) -> Bool {
            code == success || code == compareFalse || code == compareTrue || code == saslBindInProgress
        }

        public static func name(_ code: Int64) -> String {
            switch code {
            case 0: "success"
            case 1: "operations_error"
            case 2: "protocol_error"
            case 3: "time_limit_exceeded"
            case 4: "size_limit_exceeded"
            case 5: "compare_false"
            case 6: "compare_true"
            case 7: "auth_method_not_supported"
            case 8: "stronger_auth_required"
            case 10: "referral"
            case 11: "admin_limit_exceeded"
            case 12: "unavailable_critical_extension"
            case 13: "confidentiality_required"
            case 14: "sasl_bind_in_progress"
            case 16: "no_such_attribute"
            case 17: "undefined_attribute_type"
            case 18: "inappropriate_matching"
            case 19: "constraint_violation"
            case 20: "attribute_or_value_exists"
            case 21: "invalid_attribute_syntax"
            case 32: "no_such_object"
            case 33: "alias_problem"
            case 34: "invalid_dn_syntax"
            case 36: "alias_dereferencing_problem"
            case 48: "inappropriate_authentication"
            case 49: "invalid_credentials"
            case 50: "insufficient_access_rights"
            case 51: "busy"
            case 52: "unavailable"
            case 53: "unwilling_to_perform"
            case 54: "loop_detect"
            case 64: "naming_violation"
            case 65: "object_class_violation"
            case 66: "not_allowed_on_non_leaf"
            case 67: "not_allowed_on_rdn"
            case 68: "entry_already_exists"
            case 69: "object_class_mods_prohibited"
            case 71: "affects_multiple_dsas"
            case 80: "other"
            default: "result_\(code)"
            }
        }
    }

    /// Search scopes (RFC 4511 §4.5.1.2).
    public static func scopeName(_ scope: Int8) -> String {
        switch scope {
        case 0: "base"
        case 1: "one_level"
        case 2: "subtree"
        case 3: "subordinate"
        default: "scope_\(scope)"
        }
    }
}

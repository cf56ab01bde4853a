extension Kerberos {
    /// Message types (RFC 4120 §5.10): the application tag and the `msg-type` field.
    public enum MessageType {
        public static let asRequest: UInt8 = 10
        public static let asReply: UInt8 = 11
        public static let tgsRequest: UInt8 = 12
        public static let tgsReply: UInt8 = 13
        public static let apRequest: UInt8 = 14
        public static let apReply: UInt8 = 15
        public static let safe: UInt8 = 20
        public static let priv: UInt8 = 21
        public static let cred: UInt8 = 22
        public static let error: UInt8 = 30

        public static func isKnown(_ type: UInt32) -> Bool {
            (10...15).contains(type) || (20...22).contains(type) || type == 30
        }

        /// snake_case names for events.
        public static func name(_ type: UInt8) -> String {
            switch type {
            case asRequest: "as_req"
            case asReply: "as_rep"
            case tgsRequest: "tgs_req"
            case tgsReply: "tgs_rep"
            case apRequest: "ap_req"
            case apReply: "ap_rep"
            case safe: "krb_safe"
            case priv: "krb_priv"
            case cred: "krb_cred"
            case error: "krb_error"
            default: "unknown_\(type)"
            }
        }
    }

    /// Error codes worth naming in anomalies (RFC 4120 §7.5.9).
    public enum ErrorCode {
        public static let principalUnknown: Int64 = 6
        public static let preauthFailed: Int64 = 24
        public static let preauthRequired: Int64 = 25

        /// The RFC's name in lower case (`kdc_err_preauth_required`), or `error_<n>`.
        public static func name(_ code: Int64) -> String {
            switch code {
            case 0: "kdc_err_none"
            case 1: "kdc_err_name_exp"
            case 2: "kdc_err_service_exp"
            case 3: "kdc_err_bad_pvno"
            case 4: "kdc_err_c_old_mast_kvno"
            case 5: "kdc_err_s_old_mast_kvno"
            case 6: "kdc_err_c_principal_unknown"
            case 7: "kdc_err_s_principal_unknown"
            case 8: "kdc_err_principal_not_unique"
            case 9: "kdc_err_null_key"
            case 10: "kdc_err_cannot_postdate"
            case 11: "kdc_err_never_valid"
            case 12: "kdc_err_policy"
            case 13: "kdc_err_badoption"
            case 14: "kdc_err_etype_nosupp"
            case 15: "kdc_err_sumtype_nosupp"
            case 16: "kdc_err_padata_type_nosupp"
            case 17: "kdc_err_trtype_nosupp"
            case 18: "kdc_err_client_revoked"
            case 19: "kdc_err_service_revoked"
            case 20: "kdc_err_tgt_revoked"
            case 21: "kdc_err_client_notyet"
            case 22: "kdc_err_service_notyet"
            case 23: "kdc_err_key_expired"
            case 24: "kdc_err_preauth_failed"
            case 25: "kdc_err_preauth_required"
            case 26: "kdc_err_server_nomatch"
            case 27: "kdc_err_must_use_user2user"
            case 28: "kdc_err_path_not_accepted"
            case 29: "kdc_err_svc_unavailable"
            case 31: "krb_ap_err_bad_integrity"
            case 32: "krb_ap_err_tkt_expired"
            case 33: "krb_ap_err_tkt_nyv"
            case 34: "krb_ap_err_repeat"
            case 35: "krb_ap_err_not_us"
            case 36: "krb_ap_err_badmatch"
            case 37: "krb_ap_err_skew"
            case 38: "krb_ap_err_badaddr"
            case 39: "krb_ap_err_badversion"
            case 40: "krb_ap_err_msg_type"
            case 41: "krb_ap_err_modified"
            case 42: "krb_ap_err_badorder"
            case 44: "krb_ap_err_badkeyver"
            case 45: "krb_ap_err_nokey"
            case 46: "krb_ap_err_mut_fail"
            case 47: "krb_ap_err_baddirection"
            case 48: "krb_ap_err_method"
            case 49: "krb_ap_err_badseq"
            case 50: "krb_ap_err_inapp_cksum"
            case 51: "krb_ap_path_not_accepted"
            case 52: "krb_err_response_too_big"
            case 60: "krb_err_generic"
            case 61: "krb_err_field_toolong"
            case 62: "kdc_error_client_not_trusted"
            case 63: "kdc_error_kdc_not_trusted"
            case 64: "kdc_error_invalid_sig"
            case 65: "kdc_err_key_too_weak"
            case 66: "kdc_err_certificate_mismatch"
            case 67: "krb_ap_err_no_tgt"
            case 68: "kdc_err_wrong_realm"
            case 69: "krb_ap_err_user_to_user_required"
            case 70: "kdc_err_cant_verify_certificate"
            case 71: "kdc_err_invalid_certificate"
            case 72: "kdc_err_revoked_certificate"
            case 73: "kdc_err_revocation_status_unknown"
            case 74: "kdc_err_revocation_status_unavailable"
            case 75: "kdc_err_client_name_mismatch"
            case 76: "kdc_err_kdc_name_mismatch"
            default: "error_\(code)"
            }
        }
    }

    /// Encryption types (RFC 3961, 4757, 8009; IANA "Kerberos Encryption Type Numbers").
    public enum Etype {
        /// DES (single) and RC4-HMAC: broken or crackable, flagged when offered or chosen.
        public static func isWeak(_ etype: Int64) -> Bool {
            switch etype {
            case 1, 2, 3, 23, 24: true
            default: false
            }
        }

        public static func name(_ etype: Int64) -> String {
            switch etype {
            case 1: "des-cbc-crc"
            case 2: "des-cbc-md4"
            case 3: "des-cbc-md5"
            case 5: "des3-cbc-md5"
            case 7: "des3-cbc-sha1"
            case 16: "des3-cbc-sha1-kd"
            case 17: "aes128-cts-hmac-sha1-96"
            case 18: "aes256-cts-hmac-sha1-96"
            case 19: "aes128-cts-hmac-sha256-128"
            case 20: "aes256-cts-hmac-sha384-192"
            case 23: "rc4-hmac"
            case 24: "rc4-hmac-exp"
            case 25: "camellia128-cts-cmac"
            case 26: "camellia256-cts-cmac"
            default: "etype_\(etype)"
            }
        }
    }

    /// Pre-authentication data types (RFC 4120 §7.5.2, 4556, 6113).
    public enum PreauthType {
        public static let tgsRequest: Int64 = 1
        public static let encTimestamp: Int64 = 2
        public static let pkAsRequestOld: Int64 = 14
        public static let pkAsRequest: Int64 = 16
        public static let etypeInfo2: Int64 = 19
        public static let fxFast: Int64 = 136
        public static let encryptedChallenge: Int64 = 138

        /// Types that prove the client knows its key (or holds its certificate) in an AS-REQ.
        public static func provesIdentity(_ type: Int64) -> Bool {
            type == encTimestamp || type == pkAsRequestOld || type == pkAsRequest || type == fxFast
                || type == encryptedChallenge
        }
    }
}

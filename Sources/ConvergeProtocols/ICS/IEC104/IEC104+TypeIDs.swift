import ConvergeModel

extension IEC104 {
    /// An ASDU type identification (IEC 60870-5-101 §7.2.1 and 104 §8; security types of
    /// IEC 60870-5-7). Names are the standard mnemonics, lower-cased (`c_sc_na_1`).
    public struct TypeID: RawRepresentable, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// Bytes of one information element after its object address, when the type fixes it.
        public static let variableLength = -1

        /// What the spec says of a type: its mnemonic, its element length and its element layout.
        public struct Spec: Sendable {
            public var mnemonic: String
            public var elementLength: Int
            public var element: Element
        }

        /// How an information element is laid out, for decoding values (InformationObjects).
        public enum Element: Sendable, Equatable {
            case singlePoint, doublePoint, stepPosition, bitstring, normalized, scaled, shortFloat
            case integratedTotal, normalizedNoQuality, packedSinglePoint, protectionEvent, protectionPacked
            case singleCommand, doubleCommand, regulatingStep, setpointNormalized, setpointScaled
            case setpointFloat, bitstringCommand, endOfInitialization, interrogation, counterInterrogation
            case read, clockSync, testCommand, resetProcess, delayAcquisition, parameterNormalized
            case parameterScaled, parameterFloat, parameterActivation, file, security
        }

        /// The time tag that follows each element: none, CP24Time2a (3) or CP56Time2a (7).
        public var timeTagLength: Int {
            switch rawValue {
            case 2, 4, 6, 8, 10, 12, 14, 16, 17, 18, 19: 3
            case 30...40, 58...64, 103, 107, 126: 7
            default: 0
            }
        }

        /// The spec entry, nil for type ids the standards leave undefined.
        public var spec: Spec? {
            switch rawValue {
            case 1: Spec(mnemonic: "m_sp_na_1", elementLength: 1, element: .singlePoint)
            case 2: Spec(mnemonic: "m_sp_ta_1", elementLength: 4, element: .singlePoint)
            case 3: Spec(mnemonic: "m_dp_na_1", elementLength: 1, element: .doublePoint)
            case 4: Spec(mnemonic: "m_dp_ta_1", elementLength: 4, element: .doublePoint)
            case 5: Spec(mnemonic: "m_st_na_1", elementLength: 2, element: .stepPosition)
            case 6: Spec(mnemonic: "m_st_ta_1", elementLength: 5, element: .stepPosition)
            case 7: Spec(mnemonic: "m_bo_na_1", elementLength: 5, element: .bitstring)
            case 8: Spec(mnemonic: "m_bo_ta_1", elementLength: 8, element: .bitstring)
            case 9: Spec(mnemonic: "m_me_na_1", elementLength: 3, element: .normalized)
            case 10: Spec(mnemonic: "m_me_ta_1", elementLength: 6, element: .normalized)
            case 11: Spec(mnemonic: "m_me_nb_1", elementLength: 3, element: .scaled)
            case 12: Spec(mnemonic: "m_me_tb_1", elementLength: 6, element: .scaled)
            case 13: Spec(mnemonic: "m_me_nc_1", elementLength: 5, element: .shortFloat)
            case 14: Spec(mnemonic: "m_me_tc_1", elementLength: 8, element: .shortFloat)
            case 15: Spec(mnemonic: "m_it_na_1", elementLength: 5, element: .integratedTotal)
            case 16: Spec(mnemonic: "m_it_ta_1", elementLength: 8, element: .integratedTotal)
            case 17: Spec(mnemonic: "m_ep_ta_1", elementLength: 6, element: .protectionEvent)
            case 18: Spec(mnemonic: "m_ep_tb_1", elementLength: 7, element: .protectionPacked)
            case 19: Spec(mnemonic: "m_ep_tc_1", elementLength: 7, element: .protectionPacked)
            case 20: Spec(mnemonic: "m_ps_na_1", elementLength: 5, element: .packedSinglePoint)
            case 21: Spec(mnemonic: "m_me_nd_1", elementLength: 2, element: .normalizedNoQuality)
            case 30: Spec(mnemonic: "m_sp_tb_1", elementLength: 8, element: .singlePoint)
            case 31: Spec(mnemonic: "m_dp_tb_1", elementLength: 8, element: .doublePoint)
            case 32: Spec(mnemonic: "m_st_tb_1", elementLength: 9, element: .stepPosition)
            case 33: Spec(mnemonic: "m_bo_tb_1", elementLength: 12, element: .bitstring)
            case 34: Spec(mnemonic: "m_me_td_1", elementLength: 10, element: .normalized)
            case 35: Spec(mnemonic: "m_me_te_1", elementLength: 10, element: .scaled)
            case 36: Spec(mnemonic: "m_me_tf_1", elementLength: 12, element: .shortFloat)
            case 37: Spec(mnemonic: "m_it_tb_1", elementLength: 12, element: .integratedTotal)
            case 38: Spec(mnemonic: "m_ep_td_1", elementLength: 10, element: .protectionEvent)
            case 39: Spec(mnemonic: "m_ep_te_1", elementLength: 11, element: .protectionPacked)
            case 40: Spec(mnemonic: "m_ep_tf_1", elementLength: 11, element: .protectionPacked)
            case 41: Spec(mnemonic: "s_it_tc_1", elementLength: Self.variableLength, element: .security)
            case 45: Spec(mnemonic: "c_sc_na_1", elementLength: 1, element: .singleCommand)
            case 46: Spec(mnemonic: "c_dc_na_1", elementLength: 1, element: .doubleCommand)
            case 47: Spec(mnemonic: "c_rc_na_1", elementLength: 1, element: .regulatingStep)
            case 48: Spec(mnemonic: "c_se_na_1", elementLength: 3, element: .setpointNormalized)
            case 49: Spec(mnemonic: "c_se_nb_1", elementLength: 3, element: .setpointScaled)
            case 50: Spec(mnemonic: "c_se_nc_1", elementLength: 5, element: .setpointFloat)
            case 51: Spec(mnemonic: "c_bo_na_1", elementLength: 4, element: .bitstringCommand)
            case 58: Spec(mnemonic: "c_sc_ta_1", elementLength: 8, element: .singleCommand)
            case 59: Spec(mnemonic: "c_dc_ta_1", elementLength: 8, element: .doubleCommand)
            case 60: Spec(mnemonic: "c_rc_ta_1", elementLength: 8, element: .regulatingStep)
            case 61: Spec(mnemonic: "c_se_ta_1", elementLength: 10, element: .setpointNormalized)
            case 62: Spec(mnemonic: "c_se_tb_1", elementLength: 10, element: .setpointScaled)
            case 63: Spec(mnemonic: "c_se_tc_1", elementLength: 12, element: .setpointFloat)
            case 64: Spec(mnemonic: "c_bo_ta_1", elementLength: 11, element: .bitstringCommand)
            case 70: Spec(mnemonic: "m_ei_na_1", elementLength: 1, element: .endOfInitialization)
            case 81: Spec(mnemonic: "s_ch_na_1", elementLength: Self.variableLength, element: .security)
            case 82: Spec(mnemonic: "s_rp_na_1", elementLength: Self.variableLength, element: .security)
            case 83: Spec(mnemonic: "s_ar_na_1", elementLength: Self.variableLength, element: .security)
            case 84: Spec(mnemonic: "s_kr_na_1", elementLength: Self.variableLength, element: .security)
            case 85: Spec(mnemonic: "s_ks_na_1", elementLength: Self.variableLength, element: .security)
            case 86: Spec(mnemonic: "s_kc_na_1", elementLength: Self.variableLength, element: .security)
            case 87: Spec(mnemonic: "s_er_na_1", elementLength: Self.variableLength, element: .security)
            case 90: Spec(mnemonic: "s_us_na_1", elementLength: Self.variableLength, element: .security)
            case 91: Spec(mnemonic: "s_uq_na_1", elementLength: Self.variableLength, element: .security)
            case 92: Spec(mnemonic: "s_ur_na_1", elementLength: Self.variableLength, element: .security)
            case 93: Spec(mnemonic: "s_uk_na_1", elementLength: Self.variableLength, element: .security)
            case 94: Spec(mnemonic: "s_ua_na_1", elementLength: Self.variableLength, element: .security)
            case 95: Spec(mnemonic: "s_uc_na_1", elementLength: Self.variableLength, element: .security)
            case 100: Spec(mnemonic: "c_ic_na_1", elementLength: 1, element: .interrogation)
            case 101: Spec(mnemonic: "c_ci_na_1", elementLength: 1, element: .counterInterrogation)
            case 102: Spec(mnemonic: "c_rd_na_1", elementLength: 0, element: .read)
            case 103: Spec(mnemonic: "c_cs_na_1", elementLength: 7, element: .clockSync)
            case 104: Spec(mnemonic: "c_ts_na_1", elementLength: 2, element: .testCommand)
            case 105: Spec(mnemonic: "c_rp_na_1", elementLength: 1, element: .resetProcess)
            case 106: Spec(mnemonic: "c_cd_na_1", elementLength: 2, element: .delayAcquisition)
            case 107: Spec(mnemonic: "c_ts_ta_1", elementLength: 9, element: .testCommand)
            case 110: Spec(mnemonic: "p_me_na_1", elementLength: 3, element: .parameterNormalized)
            case 111: Spec(mnemonic: "p_me_nb_1", elementLength: 3, element: .parameterScaled)
            case 112: Spec(mnemonic: "p_me_nc_1", elementLength: 5, element: .parameterFloat)
            case 113: Spec(mnemonic: "p_ac_na_1", elementLength: 1, element: .parameterActivation)
            case 120: Spec(mnemonic: "f_fr_na_1", elementLength: 6, element: .file)
            case 121: Spec(mnemonic: "f_sr_na_1", elementLength: 7, element: .file)
            case 122: Spec(mnemonic: "f_sc_na_1", elementLength: 4, element: .file)
            case 123: Spec(mnemonic: "f_ls_na_1", elementLength: 5, element: .file)
            case 124: Spec(mnemonic: "f_af_na_1", elementLength: 4, element: .file)
            case 125: Spec(mnemonic: "f_sg_na_1", elementLength: Self.variableLength, element: .file)
            case 126: Spec(mnemonic: "f_dr_ta_1", elementLength: 13, element: .file)
            case 127: Spec(mnemonic: "f_sc_nb_1", elementLength: 16, element: .file)
            default: nil
            }
        }

        public var isDefined: Bool { spec != nil }

        /// The event name: the mnemonic, or `unknown_<n>` for an undefined type id.
        public var name: String { spec?.mnemonic ?? "unknown_\(rawValue)" }

        /// What the type does to the station: monitor data is read, commands control (set-points
        /// and parameter loading write), interrogation/read are reads, clock sync and reset
        /// process control, file transfer moves programs and data (program), security types auth.
        public var operation: Operation {
            guard isDefined else { return .other }
            return switch rawValue {
            case 1...44: .read
            case 48...50, 61...63: .write
            case 45...64: .control
            case 70: .diagnostic
            case 81...95: .auth
            case 100...102: .read
            case 104, 107: .diagnostic
            case 103, 105, 106: .control
            case 110...113: .write
            case 120...127: .program
            default: .other
            }
        }

        /// Types the controlling station sends to be executed (activation, confirmed by the station).
        public var isActivated: Bool { rawValue >= 45 && rawValue != 70 && (rawValue < 81 || rawValue > 95) }
    }

    /// Cause of transmission (IEC 60870-5-101 §7.2.3), the 6-bit cause without the P/N and T bits.
    public struct Cause: RawRepresentable, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let periodic = Cause(rawValue: 1)
        public static let spontaneous = Cause(rawValue: 3)
        public static let request = Cause(rawValue: 5)
        public static let activation = Cause(rawValue: 6)
        public static let activationConfirmation = Cause(rawValue: 7)
        public static let deactivation = Cause(rawValue: 8)
        public static let deactivationConfirmation = Cause(rawValue: 9)
        public static let activationTermination = Cause(rawValue: 10)
        public static let interrogatedByStation = Cause(rawValue: 20)
        public static let unknownTypeID = Cause(rawValue: 44)
        public static let unknownObjectAddress = Cause(rawValue: 47)

        /// The snake_case name, nil for causes the standard leaves undefined (0, 17–19, 42–43, 48–63).
        public var name: String? {
            switch rawValue {
            case 1: "periodic"
            case 2: "background_scan"
            case 3: "spontaneous"
            case 4: "initialized"
            case 5: "request"
            case 6: "activation"
            case 7: "activation_con"
            case 8: "deactivation"
            case 9: "deactivation_con"
            case 10: "activation_termination"
            case 11: "return_remote_command"
            case 12: "return_local_command"
            case 13: "file_transfer"
            case 14: "authentication"
            case 15: "session_key_maintenance"
            case 16: "user_key_maintenance"
            case 20: "interrogated_by_station"
            case 21...36: Self.groupNames[Int(rawValue &- 21)]
            case 37: "counter_requested_general"
            case 38...41: Self.counterGroupNames[Int(rawValue &- 38)]
            case 44: "unknown_type_id"
            case 45: "unknown_cause"
            case 46: "unknown_common_address"
            case 47: "unknown_object_address"
            default: nil
            }
        }

        /// Whether the standard defines this cause (checked per frame: no strings involved).
        public var isDefined: Bool {
            switch rawValue {
            case 1...16, 20...41, 44...47: true
            default: false
            }
        }

        static let groupNames = (1...16).map { "interrogated_by_group_\($0)" }
        static let counterGroupNames = (1...4).map { "counter_requested_group_\($0)" }

        /// The station's "unknown …" answers (44–47): a rejected command, as an exception status.
        public var isUnknownAnswer: Bool { rawValue >= 44 && rawValue <= 47 }
    }
}
